package citizenapp

import "github.com/labstack/echo/v4"

// addRoutes lists every route of the app API.
func addRoutes(e *echo.Echo, cfg Config, d Deps) {
	g := e.Group("/app/v1", requireApp(cfg.Tokens))
	g.POST("/feedback", handleSubmit(d.Intake, d.Metric, d.Now))
	g.GET("/feedback", handleCitizenItems(d.Tickets, d.Loc))
	g.GET("/feedback/:code", handleStatus(d.Tickets, d.Intake, d.Loc))
	g.POST("/feedback/:code/rating", handleRate(d.Ratings, d.Outbox, d.Log, d.Loc, d.Now))
}
