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
	ClearOutboxes(ctx context.Context, version int64, codes []feedback.TrackingCode) error
	TrackOpen(ctx context.Context, username string, code feedback.TrackingCode, at time.Time) error
	UntrackOpen(ctx context.Context, username string, code feedback.TrackingCode) error
	ArchiveResolved(ctx context.Context, limit int) (int, error)
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
	if err := r.Announce(ctx, t, t.Outbox); err != nil {
		return err
	}
	if len(t.Outbox) == 0 {
		return nil
	}
	return r.store.ClearOutbox(ctx, t.Code, t.Version)
}

// Announce applies and publishes events of a ticket without touching the
// ticket itself. The router uses it for the events of a new ticket, which
// it stores with an empty outbox: the intake message it has not yet
// acknowledged is its outbox. If it stops before announcing, the message
// comes back, the ticket is found, and its history is announced again
// (event ids make the second publish a no-op). On FerretDB an update of a
// ticket scans every open ticket, so the router's cost per item stays flat
// only if it never updates one.
func (r *Relay) Announce(ctx context.Context, t *feedback.Ticket, events []feedback.Event) error {
	for _, e := range events {
		if err := r.apply(ctx, t, e); err != nil {
			return err
		}
		if err := r.pub.Publish(ctx, e); err != nil {
			return err
		}
	}
	return nil
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
	case (e.Type == feedback.EventRouted || e.Type == feedback.EventAssigned || e.Type == feedback.EventReopened) && e.Status.Counted():
		return r.store.TrackOpen(ctx, e.Assignee, t.Code, e.At)
	case !e.Status.Open():
		return r.store.UntrackOpen(ctx, e.Assignee, t.Code)
	}
	return nil
}

// Sweep publishes every outbox left pending (again: event ids make a second
// publish a no-op) and clears them, one update per ticket version. It
// returns how many tickets it cleared.
func (r *Relay) Sweep(ctx context.Context) (int, error) {
	pending, err := r.store.PendingOutboxes(ctx, 500)
	if err != nil {
		return 0, err
	}
	byVersion := map[int64][]feedback.TrackingCode{}
	for _, t := range pending {
		if err := r.Announce(ctx, t, t.Outbox); err != nil {
			return 0, err
		}
		byVersion[t.Version] = append(byVersion[t.Version], t.Code)
	}
	n := 0
	for v, codes := range byVersion {
		if err := r.store.ClearOutboxes(ctx, v, codes); err != nil {
			return n, err
		}
		n += len(codes)
	}
	return n, nil
}

// Run sweeps every interval until ctx ends. After a sweep it also moves
// resolved tickets to the archive: only once their events are out may they
// leave the collection the sweeper reads.
func (r *Relay) Run(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	r.sweepAndArchive(ctx) // what a stop left behind goes out at start
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			r.sweepAndArchive(ctx)
		}
	}
}

func (r *Relay) sweepAndArchive(ctx context.Context) {
	n, err := r.Sweep(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.log.Warn("outbox sweep failed; retrying later", "err", err)
		}
		return
	}
	if n > 0 {
		r.log.Info("outbox sweep published what a stop left behind", "tickets", n)
	}
	if n, err := r.store.ArchiveResolved(ctx, 500); err != nil && ctx.Err() == nil {
		r.log.Warn("archiving resolved tickets failed; retrying later", "err", err)
	} else if n > 0 {
		r.log.Info("resolved tickets archived", "tickets", n)
	}
}
