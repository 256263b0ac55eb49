// Package outbox publishes the events that wait in tickets' outboxes
// (DESIGN.md, rule 3). Whoever changes a ticket flushes its outbox right
// after the write; a sweeper flushes whatever a crash left behind. Every
// step is idempotent, so flushing twice is harmless.
package outbox

import (
	"context"
	"log/slog"
	"time"

	"pakn.local/services/internal/feedback"
)

// Store is what the relay needs of the ticket store.
type Store interface {
	PendingOutboxes(ctx context.Context, limit int) ([]*feedback.Ticket, error)
	ClearOutbox(ctx context.Context, code feedback.TrackingCode, version int64) error
	TrackOpen(ctx context.Context, username string, code feedback.TrackingCode, at time.Time) error
	UntrackOpen(ctx context.Context, username string, code feedback.TrackingCode) error
}

// Publisher puts an event on NATS, deduplicated by its id.
type Publisher interface {
	Publish(ctx context.Context, e feedback.Event) error
}

// Relay moves outbox events to NATS and keeps officials' open counts.
type Relay struct {
	store Store
	pub   Publisher
	log   *slog.Logger
}

// New returns a relay.
func New(store Store, pub Publisher, log *slog.Logger) *Relay {
	return &Relay{store: store, pub: pub, log: log}
}

// Flush applies and publishes a ticket's outbox, then clears it. On error
// the outbox stays for the sweeper.
func (r *Relay) Flush(ctx context.Context, t *feedback.Ticket) error {
	if len(t.Outbox) == 0 {
		return nil
	}
	for _, e := range t.Outbox {
		if err := r.apply(ctx, t, e); err != nil {
			return err
		}
		if err := r.pub.Publish(ctx, e); err != nil {
			return err
		}
	}
	return r.store.ClearOutbox(ctx, t.Code, t.Version)
}

// apply keeps each official's set of open tickets in step with events.
func (r *Relay) apply(ctx context.Context, t *feedback.Ticket, e feedback.Event) error {
	if e.Type == feedback.EventAssigned && e.From != "" && e.From != e.Assignee {
		if err := r.store.UntrackOpen(ctx, e.From, t.Code); err != nil {
			return err
		}
	}
	switch {
	case e.Assignee == "":
		return nil
	case (e.Type == feedback.EventRouted || e.Type == feedback.EventAssigned) && e.Status.Open():
		return r.store.TrackOpen(ctx, e.Assignee, t.Code, e.At)
	case !e.Status.Open():
		return r.store.UntrackOpen(ctx, e.Assignee, t.Code)
	}
	return nil
}

// Sweep flushes every outbox left pending. It returns how many it flushed.
func (r *Relay) Sweep(ctx context.Context) (int, error) {
	pending, err := r.store.PendingOutboxes(ctx, 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range pending {
		if err := r.Flush(ctx, t); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Run sweeps every interval until ctx ends.
func (r *Relay) Run(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if n, err := r.Sweep(ctx); err != nil && ctx.Err() == nil {
				r.log.Warn("outbox sweep failed; retrying later", "err", err)
			} else if n > 0 {
				r.log.Info("outbox sweep published pending events", "tickets", n)
			}
		}
	}
}
