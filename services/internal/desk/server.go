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
	Officials(ctx context.Context, unitID string) ([]feedback.Official, error)
	LinkedTo(ctx context.Context, code feedback.TrackingCode) ([]*feedback.Ticket, error)
	SignOut(ctx context.Context, username string, at time.Time) error
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
	addRoutes(e, d, &orgCache{store: d.Store, loc: d.Loc})
	return e
}

// orgCache keeps the organisation for names, categories and the working-day
// calendar; it changes rarely, and a view a minute old is harmless.
type orgCache struct {
	store Store
	loc   *time.Location
	cur   atomic.Pointer[orgView]
}

type orgView struct {
	at         time.Time
	units      map[string]feedback.Unit
	categories map[string]feedback.Category
	wards      map[string]feedback.Ward
	calendar   *feedback.Calendar
}

// get returns the organisation, reloading it when a minute old. If the
// reload fails the previous view serves on.
func (o *orgCache) get(ctx context.Context) (*orgView, error) {
	v := o.cur.Load()
	if v != nil && time.Since(v.at) < time.Minute {
		return v, nil
	}
	org, err := o.store.Organisation(ctx)
	if err != nil {
		if v != nil {
			return v, nil
		}
		return nil, err
	}
	cal, err := feedback.NewCalendar(o.loc, org.Holidays)
	if err != nil {
		return nil, err
	}
	nv := &orgView{at: time.Now(), units: map[string]feedback.Unit{}, categories: map[string]feedback.Category{},
		wards: map[string]feedback.Ward{}, calendar: cal}
	for _, u := range org.Units {
		nv.units[u.ID] = u
	}
	for _, c := range org.Categories {
		nv.categories[c.Code] = c
	}
	for _, w := range org.Wards {
		nv.wards[w.Code] = w
	}
	o.cur.Store(nv)
	return nv, nil
}

// unitName names a unit for a view; an unknown id shows as itself.
func (o *orgCache) unitName(ctx context.Context, id string) string {
	if v, err := o.get(ctx); err == nil {
		if u, ok := v.units[id]; ok {
			return u.Name
		}
	}
	return id
}
