package desk

import (
	"github.com/labstack/echo/v4"
)

// addRoutes lists every route of the desk.
func addRoutes(e *echo.Echo, d Deps, org *orgCache) {
	signedIn := requireOfficial(d.Tokens, d.Store)

	e.POST("/desk/v1/login", handleLogin(d.Store, d.Tokens))
	e.GET("/desk/v1/me", handleMe(), signedIn)
	e.POST("/desk/v1/logout", handleLogout(d.Store, d.Now), signedIn)
	e.GET("/desk/v1/tickets", handleInbox(d.Store, org, d.Loc, d.Now), signedIn)
	e.GET("/desk/v1/tickets/:code", handleTicket(d.Store, org, d.Loc, d.Now), signedIn)
	e.POST("/desk/v1/tickets/:code/replies", handleReply(d.Store, d.Outbox, d.Log, d.Now), signedIn)
	e.POST("/desk/v1/tickets/:code/assign", handleAssign(d.Store, d.Outbox, org, d.Log, d.Now), signedIn)
	e.POST("/desk/v1/tickets/:code/resolve", handleResolve(d.Store, d.Outbox, d.Log, d.Now), signedIn)
	e.POST("/desk/v1/tickets/:code/unlink", handleUnlink(d.Store, d.Outbox, org, d.Log, d.Now), signedIn)

	e.GET("/desk", handleConsoleRedirect())
	e.GET("/desk/", handleConsole())
	e.GET("/desk/*", handleConsole())
}
