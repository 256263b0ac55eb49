package website

import (
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/web"
)

// routes lists every route of the website.
func (s *server) routes() http.Handler {
	secure := strings.HasPrefix(s.cfg.PublicURL, "https://")
	e := web.NewEcho(s.log, s.m)
	// Citizens get pages, not JSON; statuses still come from web.Detail.
	e.HTTPErrorHandler = errorHandler(s.views, s.log, secure)
	e.IPExtractor = ipExtractor(s.cfg.TrustedProxies)
	e.Use(securityHeaders)

	e.GET("/", handleForm(s.cfg, s.log, s.org, s.views, s.tokens))
	e.POST("/", handleSubmit(s.cfg, s.log, s.m, s.intake, s.files, s.org, s.views, s.tokens, s.limiter, s.origins))
	e.GET("/sent/:code", handleSent(s.log, s.intake, s.views, secure))
	e.GET("/track", handleLookup(s.views, secure))
	e.GET("/track/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/track") })
	e.GET("/track/:code", handleTrack(s.cfg, s.log, s.intake, s.tickets, s.org, s.views))
	e.GET("/files/:id", handleFile(s.files))
	e.HEAD("/files/:id", handleFile(s.files))
	e.GET("/static/site.css", handleCSS(s.views))
	return e
}

// ipExtractor believes X-Forwarded-For only from the configured proxies;
// otherwise the TCP peer is the client, whatever headers it sends.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
