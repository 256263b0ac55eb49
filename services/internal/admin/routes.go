package admin

import (
	"github.com/labstack/echo/v4"
)

// addRoutes lists every route of the admin API. Everything is for
// supervisors, except the on-duty switch, leave and the desk roster, which
// heads use for their own unit and coordinators for any.
func addRoutes(e *echo.Echo, d Deps) {
	signedIn := requireOfficial(d.Tokens, d.Store)
	supervisor := requireSupervisor()
	serial := oneAtATime()
	j := &journal{store: d.Store, notify: d.Notifier, log: d.Log, now: d.Now}

	// Every official may read the organisation: coordinators and heads pick
	// units, categories and officials from it when they assign.
	e.GET("/admin/v1/organisation", handleOrganisation(d.Store, d.Loc, d.Now), signedIn)
	e.PUT("/admin/v1/officials/:username", handlePutOfficial(d.Store, j), signedIn, supervisor, serial)
	e.PATCH("/admin/v1/officials/:username/duty", handleDuty(d.Store, j), signedIn, serial)
	e.PUT("/admin/v1/officials/:username/leave", handleLeave(d.Store, j), signedIn, serial)
	e.PUT("/admin/v1/units/:id", handlePutUnit(d.Store, j), signedIn, supervisor, serial)
	e.PUT("/admin/v1/units/:id/roster", handlePutRoster(d.Store, j), signedIn, serial)
	e.DELETE("/admin/v1/units/:id/roster", handleDeleteRoster(d.Store, j), signedIn, serial)
	e.GET("/admin/v1/wards.geojson", handleWardsGeoJSON(d.Store), signedIn)
	e.PUT("/admin/v1/wards/:code", handlePutWard(d.Store, j), signedIn, supervisor, serial)
	e.PUT("/admin/v1/wards/:ward/neighbourhoods/:code", handlePutNeighbourhood(d.Store, j), signedIn, supervisor, serial)
	e.PUT("/admin/v1/categories/:code", handlePutCategory(d.Store, j), signedIn, supervisor, serial)
	e.PUT("/admin/v1/holidays/:date", handlePutHoliday(d.Store, j), signedIn, supervisor, serial)
	e.DELETE("/admin/v1/holidays/:date", handleDeleteHoliday(d.Store, j), signedIn, supervisor, serial)
	e.PUT("/admin/v1/routing-rules/:category/:ward", handlePutRoutingRule(d.Store, j), signedIn, supervisor, serial)
	e.DELETE("/admin/v1/routing-rules/:category/:ward", handleDeleteRoutingRule(d.Store, j), signedIn, supervisor, serial)
	e.GET("/admin/v1/changes", handleChanges(d.Store), signedIn, supervisor)

	e.GET("/admin/v1/dead-letters", handleDeadLetters(d.JS), signedIn, supervisor)
	e.POST("/admin/v1/dead-letters/:seq/replay", handleReplay(d.JS, j), signedIn, supervisor)
	e.DELETE("/admin/v1/dead-letters/:seq", handleDiscard(d.JS, j), signedIn, supervisor)
}
