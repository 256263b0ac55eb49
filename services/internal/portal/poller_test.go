package portal_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/natsbus"
	"pakn.local/services/internal/portal"
)

// standInFeed plays the portal's feed: page 1 with no cursor, page 2 after
// c-0002, then the last page again for every ask after c-0003. It records
// the cursors it was asked for.
type standInFeed struct {
	srv  *httptest.Server
	mu   sync.Mutex
	asks []string
	fail atomic.Bool
}

func startFeed(t *testing.T) *standInFeed {
	f := &standInFeed{}
	pages := map[string][]byte{
		"":       fixture(t, "feed_page1.json"),
		"c-0002": fixture(t, "feed_page2.json"),
		"c-0003": fixture(t, "feed_repeat.json"),
	}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/api/pakn/events" || r.URL.Query().Get("district") != "binh-tan" {
			http.Error(w, "wrong request", http.StatusBadRequest)
			return
		}
		after, has := r.URL.Query()["after"]
		cursor := ""
		if has {
			cursor = after[0]
			if cursor == "" {
				http.Error(w, "empty after", http.StatusBadRequest)
				return
			}
		}
		f.mu.Lock()
		f.asks = append(f.asks, cursor)
		f.mu.Unlock()
		if f.fail.Load() {
			http.Error(w, "maintenance", http.StatusBadGateway)
			return
		}
		page, ok := pages[cursor]
		if !ok {
			http.Error(w, "unknown cursor", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(page)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *standInFeed) url() string { return f.srv.URL + "/api/pakn/events?district=binh-tan" }

// asked returns the cursors asked for since the last call.
func (f *standInFeed) asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.asks
	f.asks = nil
	return a
}

func newPoller(t *testing.T, b *bus, feedURL string, intake portal.Intake, interval time.Duration) *portal.Poller {
	t.Helper()
	cfg := portal.Config{FeedURL: feedURL, PollInterval: interval}
	p, err := portal.NewPoller(context.Background(), cfg, quietLog(), metrics.New(), b.js, intake, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (b *bus) cursor(t *testing.T) string {
	t.Helper()
	kv, err := b.js.KeyValue(context.Background(), portal.CursorBucket)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := kv.Keys(context.Background())
	if errors.Is(err, jetstream.ErrNoKeysFound) {
		return ""
	}
	if err != nil || len(keys) != 1 {
		t.Fatalf("cursor keys %v: %v", keys, err)
	}
	e, err := kv.Get(context.Background(), keys[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(e.Value())
}

func TestPollerPagesThenRepeatThenResume(t *testing.T) {
	b := startBus(t)
	feed := startFeed(t)
	ctx := context.Background()

	p := newPoller(t, b, feed.url(), b.intake, time.Hour)
	if err := p.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := feed.asked(), []string{"", "c-0002", "c-0003"}; !slices.Equal(got, want) {
		t.Fatalf("asked for %q, want %q", got, want)
	}
	if c := b.cursor(t); c != "c-0003" {
		t.Fatalf("cursor %q, want c-0003", c)
	}
	// Poll again: the feed repeats its last page; nothing new is published.
	if err := p.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if got := feed.asked(); !slices.Equal(got, []string{"c-0003"}) {
		t.Fatalf("second poll asked for %q", got)
	}

	items := b.items(t)
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Key)
		if err := it.Validate(); err != nil {
			t.Errorf("%s: %v", it.Key, err)
		}
	}
	want := []string{"portal:DVC-79-2026-0051001", "portal:DVC-79-2026-0051002", "portal:DVC-79-2026-0051003"}
	if !slices.Equal(keys, want) {
		t.Fatalf("published %q, want each of %q once", keys, want)
	}
	if a := items[2].Attachments; len(a) != 1 || a[0].ContentType != "audio/mp4" {
		t.Fatalf("attachments of the third event: %+v", a)
	}
	if l := items[0].Location; l == nil || l.Lat != 10.8065 || items[0].Citizen.Phone != "+84918765432" {
		t.Fatalf("first event: location %+v citizen %+v", l, items[0].Citizen)
	}
	// The event with empty content cannot become an item: it went to the
	// dead-letter stream instead of holding the feed up.
	if n := b.count(t, natsbus.DeadStream); n != 1 {
		t.Fatalf("%d dead letters, want 1", n)
	}
	dl, err := b.stream(t, natsbus.DeadStream).GetLastMsgForSubject(ctx, portal.DeadSubject)
	if err != nil {
		t.Fatal(err)
	}
	if dl.Header.Get("Pakn-Reason") == "" {
		t.Fatal("dead letter without a reason")
	}

	// A new poller (a restart) on the same NATS starts from the saved cursor.
	p2 := newPoller(t, b, feed.url(), b.intake, 100*time.Millisecond)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p2.Run(runCtx) }()
	deadline := time.Now().Add(5 * time.Second)
	var asks []string
	for len(asks) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		asks = append(asks, feed.asked()...)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v", err)
	}
	if len(asks) < 2 || asks[0] != "c-0003" || asks[1] != "c-0003" {
		t.Fatalf("restarted poller asked for %q, want c-0003 each time", asks)
	}
	if n := b.count(t, natsbus.IntakeStream); n != 3 {
		t.Fatalf("%d items after the restart, want 3", n)
	}
}

// flakyIntake is the real intake that fails once on one event, the way a
// NATS outage in the middle of a page would.
type flakyIntake struct {
	portal.Intake
	failKey string
	failed  atomic.Bool
}

func (f *flakyIntake) Submit(ctx context.Context, it *feedback.Item) (feedback.TrackingCode, error) {
	if it.Key == f.failKey && f.failed.CompareAndSwap(false, true) {
		return "", feedback.Unavailable(errors.New("nats: no responders"))
	}
	return f.Intake.Submit(ctx, it)
}

func TestPollerKeepsCursorUntilPageAcknowledged(t *testing.T) {
	b := startBus(t)
	feed := startFeed(t)
	ctx := context.Background()

	feed.fail.Store(true)
	p := newPoller(t, b, feed.url(), &flakyIntake{Intake: b.intake, failKey: "portal:DVC-79-2026-0051002"}, time.Hour)
	if err := p.Poll(ctx); err == nil {
		t.Fatal("a failing feed gave no error")
	}
	if c := b.cursor(t); c != "" || b.count(t, natsbus.IntakeStream) != 0 {
		t.Fatalf("after a feed failure: cursor %q, %d items", c, b.count(t, natsbus.IntakeStream))
	}
	feed.fail.Store(false)

	// The second event of page 1 fails: the first is in, the cursor stays.
	if err := p.Poll(ctx); !feedback.IsCode(err, feedback.EUNAVAILABLE) {
		t.Fatalf("Poll = %v, want unavailable", err)
	}
	if c := b.cursor(t); c != "" {
		t.Fatalf("cursor %q saved before the page was acknowledged", c)
	}
	if n := b.count(t, natsbus.IntakeStream); n != 1 {
		t.Fatalf("%d items, want 1", n)
	}
	// The retry reads page 1 again; its first event is deduplicated.
	if err := p.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := feed.asked(), []string{"", "", "", "c-0002", "c-0003"}; !slices.Equal(got, want) {
		t.Fatalf("asked for %q, want %q", got, want)
	}
	if c := b.cursor(t); c != "c-0003" {
		t.Fatalf("cursor %q, want c-0003", c)
	}
	if n := b.count(t, natsbus.IntakeStream); n != 3 {
		t.Fatalf("%d items, want 3", n)
	}
}

func TestNewPollerConfig(t *testing.T) {
	b := startBus(t)
	for _, u := range []string{"", "http://portal.example.vn/feed", "ftp://127.0.0.1/feed", "/feed"} {
		_, err := portal.NewPoller(context.Background(), portal.Config{FeedURL: u}, quietLog(), nil, b.js, b.intake, nil)
		if !errors.Is(err, portal.ErrInvalidConfig) {
			t.Errorf("feed %q: %v, want ErrInvalidConfig", u, err)
		}
	}
}
