package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"pakn.local/services/internal/metrics"
)

// NewEcho returns an echo instance with PAKN's error handler, panic
// recovery, request metrics and access logs. Each service adds its routes.
func NewEcho(log *slog.Logger, m *metrics.Metrics) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = ErrorHandler(log)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true}))
	e.Use(observe(log, m))
	return e
}

func observe(log *slog.Logger, m *metrics.Metrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err) // write the response now so the status is known
			}
			status := c.Response().Status
			route := c.Path() // the pattern, never the raw path: bounded label values
			if route == "" {
				route = "unmatched"
			}
			elapsed := time.Since(start)
			if m != nil {
				m.HTTPDuration.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Observe(elapsed.Seconds())
			}
			log.Debug("http", "method", c.Request().Method, "route", route, "status", status, "ms", elapsed.Milliseconds())
			return nil
		}
	}
}

// Check is one readiness probe (NATS connected and streams present, MongoDB answering).
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
}

// Healthz answers 200 while the process lives.
func Healthz() http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	}
}

// Readyz answers 200 only when every check passes within two seconds.
func Readyz(checks []Check) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status := http.StatusOK
		body := `{"status":"ready","checks":{`
		for i, ch := range checks {
			res := "ok"
			if err := ch.Fn(ctx); err != nil {
				res = "fail"
				status = http.StatusServiceUnavailable
			}
			if i > 0 {
				body += ","
			}
			body += strconv.Quote(ch.Name) + ":" + strconv.Quote(res)
		}
		body += "}}\n"
		if status != http.StatusOK {
			body = `{"status":"not_ready"` + body[len(`{"status":"ready"`):]
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}
