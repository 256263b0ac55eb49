// Package citizenapp is the API of the Digital Citizen app's backend: it
// submits citizens' items (202 once JetStream holds them) and reads their
// status and public answers.
package citizenapp

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/web"
)

// Intake takes an item and returns its tracking code once it is stored.
type Intake interface {
	Submit(ctx context.Context, it *feedback.Item) (feedback.TrackingCode, error)
	Known(ctx context.Context, code feedback.TrackingCode) (bool, error)
}

// Tickets reads tickets for status pages.
type Tickets interface {
	Ticket(ctx context.Context, code feedback.TrackingCode) (*feedback.Ticket, error)
	TicketsByCitizen(ctx context.Context, channel feedback.Channel, citizenID string, limit int) ([]*feedback.Ticket, error)
}

// Ratings stores a citizen's rating of an answer: one versioned write of
// the ticket, whose outbox then goes out (the unit's figures count it).
type Ratings interface {
	Ticket(ctx context.Context, code feedback.TrackingCode) (*feedback.Ticket, error)
	UpdateTicket(ctx context.Context, t *feedback.Ticket) error
}

// Flusher publishes a ticket's outbox after a change (package outbox).
type Flusher interface {
	Flush(ctx context.Context, t *feedback.Ticket) error
}

// Config is the app API's configuration.
type Config struct {
	// Tokens are the bearer tokens of the app backend (PAKN_APP_TOKENS).
	// None configured: every request is refused.
	Tokens []string
}

// Deps are the app API's collaborators.
type Deps struct {
	Log     *slog.Logger
	Metric  *metrics.Metrics
	Intake  Intake
	Tickets Tickets
	Ratings Ratings
	Outbox  Flusher
	Loc     *time.Location
	Now     func() time.Time
}

// NewServer returns the handler of /app/v1.
func NewServer(cfg Config, d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	e := web.NewEcho(d.Log, d.Metric)
	addRoutes(e, cfg, d)
	return e
}

// tokenOK compares in constant time against every configured token.
func tokenOK(tokens []string, got string) bool {
	ok := 0
	for _, t := range tokens {
		ok |= subtle.ConstantTimeCompare([]byte(t), []byte(got))
	}
	return ok == 1
}
