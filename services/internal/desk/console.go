package desk

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"
)

// The console is static files that call the desk API; it needs no server
// rendering, and officials keep working while an API call is retried.
//
//go:embed console
var consoleFiles embed.FS

func handleConsole() echo.HandlerFunc {
	sub, _ := fs.Sub(consoleFiles, "console") // the folder is embedded; Sub cannot fail
	files := http.StripPrefix("/desk/", http.FileServer(http.FS(sub)))
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' https: data:; media-src 'self' https:")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		files.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}
