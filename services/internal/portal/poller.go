package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/web"
)

// CursorBucket is the JetStream KV bucket that keeps the poller's place in
// the portal's feed.
const CursorBucket = "pakn_portal"

// DeadSubject is where feed events that can never become an item (invalid,
// or an event_id reused for other content) are put, with the reason, so
// that one bad event neither blocks the feed nor vanishes.
const DeadSubject = "pakn.dead.portal_feed"

// Limits on what the poller reads from the feed.
const (
	// MaxFeedPageBytes bounds one page of the feed.
	MaxFeedPageBytes = 8 << 20
	// MaxCursorBytes bounds next_cursor, which is stored and sent back.
	MaxCursorBytes = 1024
	// maxPagesPerPoll ends a poll that never catches up (a feed that always
	// hands out a new cursor), so that Run still paces itself.
	maxPagesPerPoll = 100
	// maxBackoff caps the wait after repeated failures.
	maxBackoff = 5 * time.Minute
)

// feedPage is one answer of the feed. Events stay raw so that each is
// decoded exactly as a push body would be.
type feedPage struct {
	Events     []json.RawMessage `json:"events"`
	NextCursor string            `json:"next_cursor"`
}

// Poller reads the portal's feed and submits its events. Several pollers
// on one feed are harmless: events are deduplicated by event_id, and the
// cursor only moves forward (compare-and-set on its revision).
type Poller struct {
	feed      *url.URL
	interval  time.Duration
	log       *slog.Logger
	m         *metrics.Metrics
	intake    Intake
	js        jetstream.JetStream
	kv        jetstream.KeyValue
	cursorKey string
	client    *http.Client
}

// NewPoller checks cfg (FeedURL is required here) and creates or updates
// the cursor bucket. A nil client means one with a 30 s timeout.
func NewPoller(ctx context.Context, cfg Config, log *slog.Logger, m *metrics.Metrics, js jetstream.JetStream, intake Intake, client *http.Client) (*Poller, error) {
	if cfg.FeedURL == "" {
		return nil, fmt.Errorf("%w: PAKN_PORTAL_FEED_URL is empty", ErrInvalidConfig)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	feed, err := parseFeedURL(cfg.FeedURL)
	if err != nil {
		return nil, err
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      CursorBucket,
		Description: "the portal poller's cursor: cursor.<feed URL hash> -> next_cursor",
		History:     5, // a few past cursors, for an operator who must rewind
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.replicas(),
	})
	if err != nil {
		return nil, fmt.Errorf("portal: bucket %s: %w", CursorBucket, err)
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	// The key names the feed: a cursor belongs to the feed that issued it,
	// and a new feed URL starts from its beginning (dedupe makes that safe).
	sum := sha256.Sum256([]byte(feed.String()))
	return &Poller{
		feed: feed, interval: cfg.pollInterval(), log: log.With("feed", feed.Redacted()), m: m,
		intake: intake, js: js, kv: kv, cursorKey: "cursor." + hex.EncodeToString(sum[:12]), client: client,
	}, nil
}

// Run polls until ctx ends, then returns nil. A failed poll is logged and
// retried after a growing, jittered back-off; nothing here is fatal.
func (p *Poller) Run(ctx context.Context) error {
	failures := 0
	for {
		err := p.Poll(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := p.interval
		if err != nil {
			failures++
			wait = backoff(failures)
			p.log.Warn("portal feed poll failed; will retry", "attempt", failures, "in", wait, "err", err)
			if p.m != nil {
				p.m.ItemsFailed.WithLabelValues("portal_feed").Inc()
			}
		} else {
			failures = 0
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// backoff is 1 s, 2 s, 4 s … up to five minutes, each ±20 % so that pollers
// restarted together do not hit the portal together.
func backoff(failures int) time.Duration {
	d := time.Second << min(failures-1, 16)
	d = min(d, maxBackoff)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// Poll reads the feed from the stored cursor until it is caught up. The
// cursor is saved only after every event of a page was acknowledged by the
// intake (or dead-lettered), so a crash repeats a page, never skips one.
func (p *Poller) Poll(ctx context.Context) error {
	cursor, rev, err := p.loadCursor(ctx)
	if err != nil {
		return err
	}
	for range maxPagesPerPoll {
		page, err := p.fetch(ctx, cursor)
		if err != nil {
			return err
		}
		for _, raw := range page.Events {
			if err := p.take(ctx, raw); err != nil {
				return err
			}
		}
		next := page.NextCursor
		if next == "" || next == cursor {
			return nil // caught up: nothing after this cursor yet
		}
		rev, err = p.saveCursor(ctx, next, rev)
		if errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			// Another poller moved the cursor meanwhile; start from its
			// place next time rather than move it back.
			p.log.Info("portal feed cursor moved by another poller")
			return nil
		}
		if err != nil {
			return err
		}
		cursor = next
		if len(page.Events) == 0 {
			return nil
		}
	}
	return nil
}

func (p *Poller) loadCursor(ctx context.Context) (string, uint64, error) {
	e, err := p.kv.Get(ctx, p.cursorKey)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, fmt.Errorf("portal: load cursor: %w", err)
	}
	return string(e.Value()), e.Revision(), nil
}

func (p *Poller) saveCursor(ctx context.Context, next string, rev uint64) (uint64, error) {
	if rev == 0 {
		return p.kv.Create(ctx, p.cursorKey, []byte(next))
	}
	return p.kv.Update(ctx, p.cursorKey, []byte(next), rev)
}

// fetch asks for the events after cursor (no "after" on the very first ask).
func (p *Poller) fetch(ctx context.Context, cursor string) (*feedPage, error) {
	u := *p.feed
	q := u.Query()
	if cursor != "" {
		q.Set("after", cursor)
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("portal: feed request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "PAKN-portal-poller/1")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("portal: feed: %w", redact(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		return nil, fmt.Errorf("portal: feed answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxFeedPageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("portal: feed body: %w", err)
	}
	if len(body) > MaxFeedPageBytes {
		return nil, fmt.Errorf("portal: feed page over %d bytes", MaxFeedPageBytes)
	}
	var page feedPage
	if err := web.DecodeJSON(body, &page); err != nil {
		return nil, fmt.Errorf("portal: feed page: %w", err)
	}
	if len(page.NextCursor) > MaxCursorBytes {
		return nil, fmt.Errorf("portal: next_cursor over %d bytes", MaxCursorBytes)
	}
	return &page, nil
}

// redact keeps a password in the feed URL out of logs: url.Error quotes it.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			ue.URL = u.Redacted()
		}
	}
	return err
}

// take submits one feed event. An event that can never be taken in is
// dead-lettered and passed over; anything else (NATS away) stops the page.
func (p *Poller) take(ctx context.Context, raw json.RawMessage) error {
	var err error
	if len(raw) > feedback.MaxBodyBytes {
		err = feedback.Errorf(feedback.ETOOLARGE, "Sự kiện lớn hơn %d byte.", "the event is over %d bytes", feedback.MaxBodyBytes)
	} else {
		var it *feedback.Item
		if it, err = decodeEvent(raw, time.Now()); err == nil {
			_, err = submit(ctx, p.log, p.m, p.intake, it)
		}
	}
	switch feedback.ErrorCode(err) {
	case "":
		return nil
	case feedback.EINVALID, feedback.ECONFLICT, feedback.ETOOLARGE:
		return p.deadLetter(ctx, raw, err)
	default:
		return err
	}
}

func (p *Poller) deadLetter(ctx context.Context, raw json.RawMessage, cause error) error {
	msg := nats.NewMsg(DeadSubject)
	msg.Data = raw
	if len(raw) > feedback.MaxBodyBytes {
		msg.Data = raw[:feedback.MaxBodyBytes]
		msg.Header.Set("Pakn-Truncated", strconv.Itoa(len(raw)))
	}
	msg.Header.Set("Pakn-Reason", cause.Error())
	msg.Header.Set("Pakn-Source", p.feed.Redacted())
	sum := sha256.Sum256(raw)
	// The same bad event served again soon after (a page repeated after a
	// crash) is one dead letter, within the dead stream's dedupe window.
	id := "dead.portal_feed." + hex.EncodeToString(sum[:16])
	if _, err := p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(id)); err != nil {
		return feedback.Unavailable(fmt.Errorf("portal: dead-letter feed event: %w", err))
	}
	p.log.Error("portal feed event dead-lettered", "reason", cause, "subject", DeadSubject)
	if p.m != nil {
		p.m.ItemsFailed.WithLabelValues("dead_letter").Inc()
	}
	return nil
}
