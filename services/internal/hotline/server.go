package hotline

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/web"
)

// Intake takes an item and returns its tracking code once JetStream holds
// it (*natsbus.Intake).
type Intake interface {
	Submit(ctx context.Context, it *feedback.Item) (feedback.TrackingCode, error)
}

// Operators authenticates the staff of the hotline's call desk by the bearer
// token the desk gave them at sign-in.
type Operators interface {
	Operator(ctx context.Context, bearer string) (feedback.Official, error)
}

// NewServer returns the hotline's HTTP surface: Twilio's SMS and voice
// webhooks under /hotline/twilio/ and the operators' API under /hotline/v1/.
// spool keeps what NATS cannot take at once; nil means such an item is
// refused with 503 instead. ops may be nil: the operators' API then answers
// 503 "not configured".
func NewServer(cfg Config, log *slog.Logger, m *metrics.Metrics, intake Intake, spool *Spool, ops Operators) http.Handler {
	e := web.NewEcho(log, m)
	sub := &submitter{intake: intake, spool: spool, log: log, m: m, timeout: cfg.submitTimeout()}
	addRoutes(e, cfg, log, newVerifier(cfg), sub, ops)
	return e
}

// submitter submits an item and, when NATS cannot take it, spools it: a
// caller cannot retry, so the hotline keeps the item and gives the code now.
type submitter struct {
	intake  Intake
	spool   *Spool
	log     *slog.Logger
	m       *metrics.Metrics
	timeout time.Duration
}

func (s *submitter) submit(ctx context.Context, it *feedback.Item) (feedback.TrackingCode, error) {
	if s.m != nil {
		s.m.ItemsAccepted.WithLabelValues(string(it.Channel)).Inc()
	}
	// An item already waiting in the spool keeps the code it was given.
	if code, ok := s.spool.Pending(it); ok {
		return code, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	code, err := s.intake.Submit(ctx, it)
	cancel()
	if err == nil {
		if s.m != nil {
			s.m.ItemsPublished.WithLabelValues(string(it.Channel)).Inc()
		}
		return code, nil
	}
	if !feedback.IsCode(err, feedback.EUNAVAILABLE) || s.spool == nil {
		if s.m != nil && feedback.IsCode(err, feedback.EUNAVAILABLE) {
			s.m.ItemsFailed.WithLabelValues("publish").Inc()
		}
		return "", err
	}
	if s.m != nil {
		s.m.ItemsFailed.WithLabelValues("publish").Inc()
	}
	code, serr := s.spool.Put(it)
	if serr != nil {
		s.log.Error("hotline: NATS unavailable and spooling failed", "key", it.Key, "err", serr, "publish_err", err)
		return "", serr
	}
	s.log.Warn("hotline: NATS unavailable; item spooled", "key", it.Key, "code", code, "phone", it.Citizen.Phone, "err", err)
	return code, nil
}
