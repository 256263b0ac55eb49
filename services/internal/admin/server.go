// Package admin is where supervisors keep the organisation as data while
// PAKN runs (officials and the rotating on-duty desk, units, categories,
// holidays, routing rules), with every change in an audit trail, and where
// operators look at dead letters and replay or discard them. It is mounted
// at /admin/ and signed in with the desk's bearer tokens.
package admin

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/web"
)

// Store is what the admin API needs of the database (mongostore.Store).
type Store interface {
	Official(ctx context.Context, username string) (feedback.Official, string, error)
	Organisation(ctx context.Context) (feedback.Organisation, error)

	PutOfficial(ctx context.Context, o feedback.Official, passwordHash string) error
	SetOnDuty(ctx context.Context, username string, onDuty bool) error
	SetLeave(ctx context.Context, username string, list []feedback.Leave) error
	PutUnit(ctx context.Context, u feedback.Unit) error
	SetRoster(ctx context.Context, unitID string, r *feedback.Roster) error
	PutWard(ctx context.Context, w feedback.Ward) error
	PutCategory(ctx context.Context, c feedback.Category) error
	PutHoliday(ctx context.Context, h feedback.Holiday) error
	DeleteHoliday(ctx context.Context, date string) error
	PutRoutingRule(ctx context.Context, r feedback.RoutingRule) error
	DeleteRoutingRule(ctx context.Context, category, ward string) error

	RecordChange(ctx context.Context, c mongostore.OrgChange) (string, error)
	MarkChange(ctx context.Context, id, status string, at time.Time) error
	OrgChanges(ctx context.Context, limit int) ([]mongostore.OrgChange, error)
}

// Notifier tells the routers that the organisation changed, so that they
// reload it at once instead of at their next periodic reload.
type Notifier interface {
	Notify(ctx context.Context) error
}

// Deps are the admin API's collaborators.
type Deps struct {
	Log    *slog.Logger
	Metric *metrics.Metrics // nil: no request metrics
	Store  Store
	Tokens *auth.Tokens
	// Notifier announces applied changes; nil leaves it to the routers'
	// periodic reload.
	Notifier Notifier
	// JS reaches the dead-letter stream.
	JS  jetstream.JetStream
	Now func() time.Time
	// Loc is Asia/Ho_Chi_Minh, where desk shifts turn (nil: UTC, for tests).
	Loc *time.Location
}

// NewServer returns the admin API's HTTP handler (routes under /admin/v1/).
func NewServer(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Loc == nil {
		d.Loc = time.UTC
	}
	e := web.NewEcho(d.Log, d.Metric)
	addRoutes(e, d)
	return e
}
