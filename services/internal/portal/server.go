// Package portal is the city portal's channel: the portal pushes signed
// events to POST /portal/v1/events, or, where a portal only offers a feed,
// the Poller reads it. Both turn an event into one feedback.Item keyed by
// the portal's event_id and submit it through the Intake, so an event is
// one ticket however often, and by whichever way, it arrives.
//
// api/portal.yaml is the contract: the push request, the feed the poller
// expects, and the callback PAKN sends back.
package portal

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/signature"
	"pakn.local/services/internal/web"
)

// SignatureHeader carries the portal's signature on a push, and PAKN's on
// the callbacks it sends to the portal.
const SignatureHeader = "X-Portal-Signature"

// Intake takes an item in: *natsbus.Intake, which answers only after
// JetStream stored the item, and gives the same code for the same key.
type Intake interface {
	Submit(ctx context.Context, it *feedback.Item) (feedback.TrackingCode, error)
}

// NewServer returns the portal's HTTP surface (see routes.go). cmd/pakn
// mounts it at /portal/ on the shared port.
func NewServer(cfg Config, log *slog.Logger, m *metrics.Metrics, intake Intake) http.Handler {
	e := web.NewEcho(log, m)
	addRoutes(e, cfg, log, m, intake)
	return e
}

// receipt is the 202 answer to a push.
type receipt struct {
	TrackingCode string `json:"tracking_code"`
	Status       string `json:"status"`
}

// errNotConfigured answers every push while PAKN_PORTAL_SECRET is empty. It
// is 503 rather than 401: the portal retries a 503, so events sent before an
// operator sets the secret arrive afterwards instead of being dropped, and
// nobody at the portal chases a credential that is not theirs to fix.
var errNotConfigured = feedback.Errorf(feedback.ENOTREADY,
	"Kênh cổng dịch vụ công chưa được cấu hình.", "the portal channel is not configured (PAKN_PORTAL_SECRET)")

// handleEvents takes one pushed event. The order matters: the body is read
// within the limit (the MAC needs all of it), then authenticated, and only
// an authenticated request learns anything about its content type or JSON.
func handleEvents(secret []byte, log *slog.Logger, m *metrics.Metrics, intake Intake) echo.HandlerFunc {
	return func(c echo.Context) error {
		if len(secret) == 0 {
			return errNotConfigured
		}
		r := c.Request()
		body, err := web.ReadBody(c, feedback.MaxBodyBytes)
		if err != nil {
			return err
		}
		now := time.Now()
		if err := signature.Verify(secret, r.Header.Get(SignatureHeader), body, now, signature.DefaultTolerance); err != nil {
			// RemoteAddr, not X-Forwarded-For: a refused caller chooses its headers.
			log.Warn("portal event refused", "reason", err, "remote", r.RemoteAddr)
			return unauthorized(r.Header.Get(SignatureHeader) == "", err)
		}
		if err := web.RequireJSON(r); err != nil {
			return err
		}
		it, err := decodeEvent(body, now)
		if err != nil {
			return err
		}
		code, err := submit(r.Context(), log, m, intake, it)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusAccepted, receipt{TrackingCode: string(code), Status: "received"})
	}
}

// unauthorized says which part of the signature failed. That leaks nothing:
// a skew is reported only for a correct MAC, so only the portal itself hears
// that its clock is off.
func unauthorized(missing bool, cause error) error {
	var e *feedback.Error
	switch {
	case missing:
		e = feedback.Errorf(feedback.EUNAUTHORIZED, "Thiếu chữ ký X-Portal-Signature.", "the X-Portal-Signature header is missing")
	case errors.Is(cause, signature.ErrSkew):
		e = feedback.Errorf(feedback.EUNAUTHORIZED, "Chữ ký đã hết hạn hoặc đồng hồ máy gửi bị lệch quá 300 giây.",
			"the signature timestamp is more than 300 s from PAKN's clock")
	case errors.Is(cause, signature.ErrMalformed):
		e = feedback.Errorf(feedback.EUNAUTHORIZED, "Chữ ký X-Portal-Signature sai định dạng.",
			"X-Portal-Signature must be t=<unix seconds>,v1=<hex HMAC-SHA256>")
	default:
		e = feedback.Errorf(feedback.EUNAUTHORIZED, "Chữ ký không khớp với nội dung.", "the signature does not match the body")
	}
	e.Field = SignatureHeader
	e.Err = cause
	return e
}

// submit hands a decoded item to the intake and keeps the metrics; push and
// poller share it.
func submit(ctx context.Context, log *slog.Logger, m *metrics.Metrics, intake Intake, it *feedback.Item) (feedback.TrackingCode, error) {
	channel := string(feedback.ChannelPortal)
	if m != nil {
		m.ItemsAccepted.WithLabelValues(channel).Inc()
	}
	code, err := intake.Submit(ctx, it)
	if err != nil {
		if code := feedback.ErrorCode(err); m != nil && code != feedback.EINVALID && code != feedback.ECONFLICT {
			m.ItemsFailed.WithLabelValues("publish").Inc()
		}
		return "", err
	}
	if m != nil {
		m.ItemsPublished.WithLabelValues(channel).Inc()
	}
	log.Info("portal event taken in", "key", it.Key, "tracking_code", code, "phone", it.Citizen.Phone)
	return code, nil
}
