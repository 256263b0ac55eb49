package natsbus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	"pakn.local/services/internal/feedback"
)

// PublishTimeout bounds a publish when the caller's context has no deadline.
const PublishTimeout = 5 * time.Second

// Intake reserves tracking codes and publishes items. Every channel adapter
// submits through it, so the rules of DESIGN.md (ack before 2xx, one code
// per key, never two keys on one code) hold in one place.
type Intake struct {
	js jetstream.JetStream
	kv jetstream.KeyValue
}

// NewIntake opens the codes bucket made by EnsureStreams.
func NewIntake(ctx context.Context, js jetstream.JetStream) (*Intake, error) {
	kv, err := js.KeyValue(ctx, CodesBucket)
	if err != nil {
		return nil, fmt.Errorf("natsbus: bucket %s: %w", CodesBucket, err)
	}
	return &Intake{js: js, kv: kv}, nil
}

// Submit validates an item, gives it its tracking code and publishes it. It
// returns only once JetStream has stored the item: the code it returns may
// be told to the citizen. A retry with the same key returns the same code
// and publishes nothing new; the same key with other content is ECONFLICT.
func (in *Intake) Submit(ctx context.Context, it *feedback.Item) (feedback.TrackingCode, error) {
	if err := it.Validate(); err != nil {
		return "", err
	}
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	fp := Fingerprint(it)
	code, published, err := in.reserve(ctx, it.Key, fp)
	if err != nil {
		return "", err
	}
	if published {
		// A retry of an item JetStream already holds: nothing to send, so a
		// retry days later (past the dedupe window) cannot reach the router
		// twice.
		return code, nil
	}
	it.Code = code
	if err := in.Publish(ctx, it); err != nil {
		return "", err
	}
	in.markPublished(ctx, it.Key, code, fp)
	return code, nil
}

// markPublished notes that the item of key is on the stream. If the note
// is lost, a later retry publishes again and JetStream or the router drops
// the copy: the note saves work, it does not carry correctness.
func (in *Intake) markPublished(ctx context.Context, key string, code feedback.TrackingCode, fingerprint string) {
	_, _ = in.kv.Put(ctx, keyEntry(key), []byte(string(code)+" "+fingerprint+" "+publishedMark))
}

const publishedMark = "published"

// Fingerprint identifies an item's content, so that a reused key with other
// content can be told from a retry.
func Fingerprint(it *feedback.Item) string {
	h := sha256.New()
	for _, s := range []string{it.Title, it.Content, it.RecordingURL} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func keyEntry(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "k." + hex.EncodeToString(sum[:20])
}

// reserve returns the tracking code of key, reserving a fresh one the first
// time, and whether the item was already published. A code is claimed
// (c.<code>) before the key points to it (k.<hash>), so a key only ever
// names a code that is its own; a crash between the two leaves an unused
// claim, never a shared code.
func (in *Intake) reserve(ctx context.Context, key, fingerprint string) (feedback.TrackingCode, bool, error) {
	kk := keyEntry(key)
	if code, published, err := in.lookup(ctx, kk, fingerprint); err == nil || !errors.Is(err, jetstream.ErrKeyNotFound) {
		return code, published, err
	}
	for range 8 {
		code := feedback.NewTrackingCode()
		if _, err := in.kv.Create(ctx, "c."+string(code), []byte(kk)); err != nil {
			if errors.Is(err, jetstream.ErrKeyExists) {
				continue // taken by another key: draw again
			}
			return "", false, feedback.Unavailable(err)
		}
		if _, err := in.kv.Create(ctx, kk, []byte(string(code)+" "+fingerprint)); err != nil {
			if errors.Is(err, jetstream.ErrKeyExists) {
				// The same key arrived twice at once and the other won.
				_ = in.kv.Delete(ctx, "c."+string(code))
				return in.lookup(ctx, kk, fingerprint)
			}
			return "", false, feedback.Unavailable(err)
		}
		return code, false, nil
	}
	return "", false, feedback.Unavailable(errors.New("natsbus: no free tracking code after 8 draws"))
}

// Claim records a code that was handed out while NATS was unreachable (the
// hotline's spool). It returns the code the key finally has: the given one,
// or, if another key took it meanwhile, a fresh one that the caller must
// tell the citizen.
func (in *Intake) Claim(ctx context.Context, key, fingerprint string, code feedback.TrackingCode) (feedback.TrackingCode, error) {
	kk := keyEntry(key)
	if got, _, err := in.lookup(ctx, kk, fingerprint); err == nil || !errors.Is(err, jetstream.ErrKeyNotFound) {
		return got, err
	}
	if _, err := in.kv.Create(ctx, "c."+string(code), []byte(kk)); err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			code, _, err := in.reserve(ctx, key, fingerprint)
			return code, err
		}
		return "", feedback.Unavailable(err)
	}
	if _, err := in.kv.Create(ctx, kk, []byte(string(code)+" "+fingerprint)); err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			_ = in.kv.Delete(ctx, "c."+string(code))
			got, _, err := in.lookup(ctx, kk, fingerprint)
			return got, err
		}
		return "", feedback.Unavailable(err)
	}
	return code, nil
}

// Known reports whether a tracking code was handed out, so that a citizen
// who asks before the router has stored the ticket hears "received" rather
// than "no such code".
func (in *Intake) Known(ctx context.Context, code feedback.TrackingCode) (bool, error) {
	_, err := in.kv.Get(ctx, "c."+string(code))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, feedback.Unavailable(err)
	}
	return true, nil
}

// lookup reads a key's entry: "<code> <fingerprint>[ published]".
func (in *Intake) lookup(ctx context.Context, kk, fingerprint string) (feedback.TrackingCode, bool, error) {
	e, err := in.kv.Get(ctx, kk)
	if err != nil {
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return "", false, err
		}
		return "", false, feedback.Unavailable(err)
	}
	f := strings.Fields(string(e.Value()))
	if len(f) == 0 {
		return "", false, feedback.Unavailable(fmt.Errorf("natsbus: empty code entry %s", kk))
	}
	if len(f) > 1 && fingerprint != "" && f[1] != fingerprint {
		return "", false, feedback.Errorf(feedback.ECONFLICT,
			"Mã định danh yêu cầu đã được dùng cho một phản ánh khác.",
			"the idempotency key was already used for different content")
	}
	return feedback.TrackingCode(f[0]), len(f) > 2 && f[2] == publishedMark, nil
}

// Publish puts an item with its code on pakn.intake.<channel>, with the key
// as Nats-Msg-Id, and waits for JetStream's acknowledgement.
func (in *Intake) Publish(ctx context.Context, it *feedback.Item) error {
	if it.Code == "" {
		return fmt.Errorf("%w: item %s has no tracking code", ErrInvalidOption, it.Key)
	}
	data, err := proto.Marshal(itemToPB(it))
	if err != nil {
		return fmt.Errorf("natsbus: marshal item: %w", err)
	}
	msg := nats.NewMsg("pakn.intake." + string(it.Channel))
	msg.Data = data
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	if _, err := in.js.PublishMsg(ctx, msg, jetstream.WithMsgID(it.Key), jetstream.WithExpectStream(IntakeStream)); err != nil {
		return feedback.Unavailable(err)
	}
	return nil
}

func withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, PublishTimeout)
}

// Events publishes ticket events from outboxes.
type Events struct {
	js jetstream.JetStream
}

// NewEvents returns an event publisher.
func NewEvents(js jetstream.JetStream) *Events { return &Events{js: js} }

// Publish puts e on pakn.ticket.<type> with its id as Nats-Msg-Id, so that
// publishing an outbox twice (after a crash) delivers each event once.
func (p *Events) Publish(ctx context.Context, e feedback.Event) error {
	data, err := proto.Marshal(eventToPB(&e))
	if err != nil {
		return fmt.Errorf("natsbus: marshal event: %w", err)
	}
	msg := nats.NewMsg("pakn.ticket." + string(e.Type))
	msg.Data = data
	ctx, cancel := withTimeout(ctx)
	defer cancel()
	if _, err := p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(e.ID), jetstream.WithExpectStream(TicketStream)); err != nil {
		return feedback.Unavailable(err)
	}
	return nil
}
