package portal

import (
	"log/slog"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/metrics"
)

// addRoutes lists every route of the portal surface.
func addRoutes(e *echo.Echo, cfg Config, log *slog.Logger, m *metrics.Metrics, intake Intake) {
	e.POST("/portal/v1/events", handleEvents(cfg.Secret, log, m, intake))
}
