package admin

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/mongostore"
)

// Kinds of change in the audit trail.
const (
	kindOfficial    = "official"
	kindUnit        = "unit"
	kindCategory    = "category"
	kindHoliday     = "holiday"
	kindWard        = "ward"
	kindRoutingRule = "routing_rule"
	kindDeadLetter  = "dead_letter"
)

// applyTimeout bounds recording, applying and marking one change. They run
// detached from the request, so that a client hanging up half-way does not
// leave a change applied but its record pending.
const applyTimeout = 15 * time.Second

// journal records every change in org_changes and announces the applied
// changes of the organisation to the routers.
type journal struct {
	store  Store
	notify Notifier
	log    *slog.Logger
	now    func() time.Time
}

// edit is one change on its way to the store.
type edit struct {
	kind, action, target string
	before, after        any // views; nil when the thing did not or will not exist
	reason               string
	apply                func(ctx context.Context) error
	// announce: the routers must reload (not for dead letters).
	announce bool
}

// commit records the change as pending, applies it, then marks it applied
// (or failed). FerretDB has no transactions, so the three steps can be cut
// apart by a crash; this order makes every way of being cut apart visible:
// a change is never applied without a record, and a record left pending
// says "outcome unknown: compare after with what is stored". The other
// order could apply a change that no record shows, which an audit trail
// must never allow. Every apply is idempotent (put a whole document, set a
// flag, delete by id; a replay carries its own dedupe id), so a pending
// change can simply be made again.
func (j *journal) commit(ctx context.Context, by feedback.Official, e edit) (mongostore.OrgChange, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), applyTimeout)
	defer cancel()
	rec := mongostore.OrgChange{
		At: j.stamp(), Actor: by.Username, Kind: e.kind, Action: e.action, Target: e.target,
		Before: asJSON(e.before), After: asJSON(e.after), Reason: e.reason,
	}
	id, err := j.store.RecordChange(ctx, rec)
	if err != nil {
		return rec, err
	}
	rec.ID, rec.Status = id, mongostore.ChangePending
	if err := e.apply(ctx); err != nil {
		if merr := j.store.MarkChange(ctx, id, mongostore.ChangeFailed, j.stamp()); merr != nil {
			j.log.Warn("change failed and could not be marked failed; it stays pending", "change", id, "err", merr)
		}
		return rec, err
	}
	done := j.stamp()
	if err := j.store.MarkChange(ctx, id, mongostore.ChangeApplied, done); err != nil {
		// Applied all the same: answering an error would invite a retry of
		// something done. The record stays pending, which is honest.
		j.log.Warn("change applied but not marked applied; it stays pending", "change", id, "err", err)
	} else {
		rec.Status, rec.DoneAt = mongostore.ChangeApplied, done
	}
	if e.announce && j.notify != nil {
		if err := j.notify.Notify(ctx); err != nil {
			j.log.Warn("announcing the change failed; routers pick it up at their next reload", "change", id, "err", err)
		}
	}
	return rec, nil
}

// stamp is now as the database keeps it (UTC, milliseconds), so that a
// change answered and the same change listed later agree.
func (j *journal) stamp() time.Time { return j.now().UTC().Truncate(time.Millisecond) }

// asJSON is how before and after are kept: JSON text, "" for nothing.
func asJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "" // views are plain structs; this does not happen
	}
	return string(b)
}
