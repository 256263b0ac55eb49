// Package desk is where officials and supervisors work: sign-in, inboxes
// ordered by deadline, a ticket with its history, replies to the citizen and
// internal notes, and the web console under /desk/.
package desk

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/web"
)

// Store is what the desk needs of the database.
type Store interface {
	Official(ctx context.Context, username string) (feedback.Official, string, error)
	Ticket(ctx context.Context, code feedback.TrackingCode) (*feedback.Ticket, error)
	UpdateTicket(ctx context.Context, t *feedback.Ticket) error
	Inbox(ctx context.Context, f mongostore.InboxFilter, limit int) ([]*feedback.Ticket, error)
	Organisation(ctx context.Context) (feedback.Organisation, error)
}

// Flusher publishes a ticket's outbox after a change (package outbox).
type Flusher interface {
	Flush(ctx context.Context, t *feedback.Ticket) error
}

// Deps are the desk's collaborators.
type Deps struct {
	Log    *slog.Logger
	Metric *metrics.Metrics
	Store  Store
	Outbox Flusher
	Tokens *auth.Tokens
	Loc    *time.Location // Asia/Ho_Chi_Minh: how times are shown
	Now    func() time.Time
}

// NewServer returns the desk's HTTP handler (API under /desk/v1, console under /desk/).
func NewServer(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	e := web.NewEcho(d.Log, d.Metric)
	names := &unitNames{store: d.Store}
	addRoutes(e, d, names)
	return e
}

// unitNames caches unit names for ticket views; the organisation changes
// rarely and a stale name for a minute is harmless.
type unitNames struct {
	store Store
	cache atomic.Pointer[unitNameCache]
}

type unitNameCache struct {
	at    time.Time
	names map[string]string
}

func (u *unitNames) name(ctx context.Context, id string) string {
	c := u.cache.Load()
	if c == nil || time.Since(c.at) > time.Minute {
		if org, err := u.store.Organisation(ctx); err == nil {
			c = &unitNameCache{at: time.Now(), names: map[string]string{}}
			for _, un := range org.Units {
				c.names[un.ID] = un.Name
			}
			u.cache.Store(c)
		}
	}
	if c == nil {
		return id
	}
	if n, ok := c.names[id]; ok {
		return n
	}
	return id
}
