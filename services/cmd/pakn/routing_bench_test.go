package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/embedded"
	"pakn.local/services/internal/embedded/ferret"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/natsbus"
	"pakn.local/services/internal/outbox"
	"pakn.local/services/internal/router"
	"pakn.local/services/internal/seed"
)

// BenchmarkRouting measures the router's whole work per item (decide,
// pick an official, store the ticket, count the workload, announce the
// event on NATS) with 1,000 and with 20,000 tickets already stored, all of
// them open: the cost per item must not grow with them.
func BenchmarkRouting(b *testing.B) {
	for _, stored := range []int{1000, 20000} {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) {
			r, _, done := routingFixture(b, stored, nil)
			defer done()
			texts := []string{
				"Đường Tên Lửa có ổ gà lớn trước số %d, xe máy rất dễ té.",
				"Hẻm %d Mã Lò đèn đường không sáng mấy hôm nay.",
				"Rác thải đổ bừa bãi ở đầu hẻm %d đường Lê Văn Quới, bốc mùi hôi.",
			}
			items := make([][]byte, b.N)
			for i := range items {
				it := &feedback.Item{Key: fmt.Sprintf("citizenapp:bench-%d-%d", stored, i), Code: code(stored*10 + 5_000_000 + i),
					Channel: feedback.ChannelCitizenApp, ReceivedAt: time.Now(), Content: fmt.Sprintf(texts[i%len(texts)], i),
					Ward: []string{"Bình Trị Đông B", "Bình Trị Đông A", "Bình Hưng Hòa A"}[i%3]}
				data, err := natsbus.MarshalItem(it)
				if err != nil {
					b.Fatal(err)
				}
				items[i] = data
			}
			ctx := context.Background()
			// The slowest item: a refresh of the staff or of the duplicate
			// index on an item's path would show here, not in the mean.
			var slowest time.Duration
			b.ResetTimer()
			for i := range b.N {
				start := time.Now()
				if err := r.Handle(ctx, items[i], natsbus.Delivery{Attempt: 1}); err != nil {
					b.Fatal(err)
				}
				slowest = max(slowest, time.Since(start))
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
			b.ReportMetric(float64(slowest.Microseconds())/1000, "max-ms")
		})
	}
}

// code makes a valid, distinct tracking code from a number.
func code(n int) feedback.TrackingCode {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var s []byte
	for i := 0; i < 8; i++ {
		if i == 4 {
			s = append(s, '-')
		}
		s = append(s, alphabet[(n>>(5*(7-i)))&31])
	}
	return feedback.TrackingCode(s)
}

// routingFixture runs a router on embedded NATS and FerretDB with the demo
// district and stored tickets already routed; now is its clock (nil: the
// real one).
func routingFixture(b testing.TB, stored int, now func() time.Time) (*router.Router, *mongostore.Store, func()) {
	b.Helper()
	dir, err := os.MkdirTemp("", "pakn-routing-bench-")
	if err != nil {
		b.Fatal(err)
	}
	n, err := embedded.StartNATS(dir + "/nats")
	if err != nil {
		b.Fatal(err)
	}
	db, err := ferret.Start(dir+"/db", nil)
	if err != nil {
		b.Fatal(err)
	}
	nc, err := natsbus.Connect(n.URL(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	if err := natsbus.EnsureStreams(ctx, js, 1); err != nil {
		b.Fatal(err)
	}
	store, err := mongostore.Connect(db.URI(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	org, err := seed.Default()
	if err != nil {
		b.Fatal(err)
	}
	if err := store.Seed(ctx, org, "x", time.Now()); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	relay := outbox.New(store, natsbus.NewEvents(js), log)
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	r := router.New(store, relay, log, metrics.New(), loc, now)
	if err := r.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	// The stored tickets go in through the router itself, so they carry
	// workloads and events like real ones.
	for i := 0; i < stored; i++ {
		it := &feedback.Item{Key: fmt.Sprintf("citizenapp:old-%d", i), Code: code(i + 1), Channel: feedback.ChannelCitizenApp,
			ReceivedAt: time.Now(), Content: "Cống thoát nước bị nghẹt gây ngập nước", Ward: "Bình Hưng Hòa"}
		data, _ := natsbus.MarshalItem(it)
		if err := r.Handle(ctx, data, natsbus.Delivery{Attempt: 1}); err != nil {
			b.Fatal(err)
		}
	}
	return r, store, func() {
		_ = store.Close(ctx)
		nc.Close()
		db.Shutdown()
		n.Shutdown()
		_ = os.RemoveAll(dir)
	}
}

// TestRouterTakesAnItemTwiceOnce hands the router the same item twice, as
// a redelivery does: one ticket, and the second delivery is acknowledged.
func TestRouterTakesAnItemTwiceOnce(t *testing.T) {
	r, store, done := routingFixture(t, 0, nil)
	defer done()
	it := &feedback.Item{Key: "citizenapp:twice", Code: code(424242), Channel: feedback.ChannelCitizenApp,
		ReceivedAt: time.Now(), Content: "Đèn đường hẻm 5 Mã Lò không sáng", Ward: "Bình Trị Đông A"}
	data, err := natsbus.MarshalItem(it)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for attempt := uint64(1); attempt <= 2; attempt++ {
		if err := r.Handle(ctx, data, natsbus.Delivery{Attempt: attempt}); err != nil {
			t.Fatalf("delivery %d: %v", attempt, err)
		}
	}
	open, err := store.Inbox(ctx, mongostore.InboxFilter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].Code != it.Code {
		t.Fatalf("%d tickets after two deliveries, want 1 with code %s", len(open), it.Code)
	}
}

// TestRouterReplayAfterArchive replays an item from the dead letters after
// its ticket was answered, resolved and moved to the archive, where the
// router's insert cannot clash: still one ticket, and the official's
// workload does not count the closed item again.
func TestRouterReplayAfterArchive(t *testing.T) {
	r, store, done := routingFixture(t, 0, nil)
	defer done()
	ctx := context.Background()
	it := &feedback.Item{Key: "citizenapp:replayed", Code: code(737373), Channel: feedback.ChannelCitizenApp,
		ReceivedAt: time.Now(), Content: "Đèn đường hẻm 9 Mã Lò không sáng", Ward: "Bình Trị Đông A"}
	tk := handleOnce(ctx, t, r, store, it, natsbus.Delivery{Attempt: 1})
	data, err := natsbus.MarshalItem(it)
	if err != nil {
		t.Fatal(err)
	}
	official, _, err := store.Official(ctx, tk.Assignee)
	if err != nil {
		t.Fatal(err)
	}
	openBefore := openCount(ctx, t, store, official.Username)
	now := time.Now()
	if _, err := tk.AddReply(official, "Đã thay bóng đèn.", true, now); err != nil {
		t.Fatal(err)
	}
	if err := tk.Resolve(official, "xong", now); err != nil {
		t.Fatal(err)
	}
	tk.Outbox = nil // published: the archive takes only tickets with nothing pending
	if err := store.UpdateTicket(ctx, tk); err != nil {
		t.Fatal(err)
	}
	if err := store.ClearOutbox(ctx, tk.Code, tk.Version); err != nil {
		t.Fatal(err)
	}
	if err := store.UntrackOpen(ctx, official.Username, tk.Code); err != nil {
		t.Fatal(err)
	}
	if n, err := store.ArchiveResolved(ctx, 10); err != nil || n != 1 {
		t.Fatalf("archived %d tickets (%v), want 1", n, err)
	}

	for _, d := range []natsbus.Delivery{{Attempt: 1, Replayed: true}, {Attempt: 2}} {
		if err := r.Handle(ctx, data, d); err != nil {
			t.Fatalf("delivery %+v: %v", d, err)
		}
	}
	if open, err := store.Inbox(ctx, mongostore.InboxFilter{}, 10); err != nil || len(open) != 0 {
		t.Fatalf("open tickets after the replay: %d (%v), want 0", len(open), err)
	}
	got, err := store.Ticket(ctx, it.Code)
	if err != nil || got.Status != feedback.StatusResolved {
		t.Fatalf("ticket after the replay: %+v, %v; want the archived, resolved one", got, err)
	}
	if n := openCount(ctx, t, store, official.Username); n != openBefore-1 {
		t.Fatalf("%s has %d open items after the replay, want %d", official.Username, n, openBefore-1)
	}
}

func openCount(ctx context.Context, t *testing.T, store *mongostore.Store, username string) int {
	t.Helper()
	all, err := store.Officials(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range all {
		if o.Username == username {
			return o.OpenCount
		}
	}
	t.Fatalf("no official %s", username)
	return 0
}

// TestRouterRotatesTheDesk: new items of a ward go to the official whose
// shift it is, however busy, and after closing time or on a closed day to
// the next working day's shift; a shift whose official is off duty falls
// to the unit's others on duty.
func TestRouterRotatesTheDesk(t *testing.T) {
	r, store, loc, setClock, done := clockedFixture(t)
	defer done()
	ctx := context.Background()
	// From Monday 30/11: thu, lan, minh (off duty in the seed), thu, ...
	if err := store.SetRoster(ctx, "ward-an-lac", &feedback.Roster{Start: "2026-11-30",
		Shifts: [][]string{{"anlac.thu"}, {"anlac.lan"}, {"anlac.minh"}}}); err != nil {
		t.Fatal(err)
	}
	if err := r.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	n := 0
	route := func(at time.Time) string {
		t.Helper()
		setClock(at)
		n++
		// Sidewalk encroachment: the ward answers it.
		it := &feedback.Item{Key: fmt.Sprintf("citizenapp:desk-%d", n), Code: code(900000 + n), Channel: feedback.ChannelCitizenApp,
			ReceivedAt: at, Content: "Quán nhậu lấn chiếm vỉa hè, bày bàn ghế ra hết lòng đường", Ward: "An Lạc"}
		tk := handleOnce(ctx, t, r, store, it, natsbus.Delivery{Attempt: 1})
		if tk.UnitID != "ward-an-lac" {
			t.Fatalf("item went to %s (%s), want ward-an-lac", tk.UnitID, tk.TriageReason)
		}
		return tk.Assignee
	}
	at := func(d, hh int) time.Time { return time.Date(2026, 11, d, hh, 0, 0, 0, loc) }
	for i := 0; i < 3; i++ {
		if got := route(at(30, 9+i)); got != "anlac.thu" {
			t.Fatalf("monday item %d went to %s, want anlac.thu's shift", i, got)
		}
	}
	if got := route(at(30, 18)); got != "anlac.lan" {
		t.Fatalf("monday evening: %s, want tuesday's shift, anlac.lan", got)
	}
	if got := route(time.Date(2026, 12, 1, 10, 0, 0, 0, loc)); got != "anlac.lan" {
		t.Fatalf("tuesday: %s, want anlac.lan", got)
	}
	// Wednesday is anlac.minh's, who is off duty: the least busy of the others.
	if got := route(time.Date(2026, 12, 2, 10, 0, 0, 0, loc)); got != "anlac.lan" {
		t.Fatalf("wednesday: %s, want anlac.lan (2 open) rather than anlac.thu (3)", got)
	}
	// Friday evening waits for Monday 7/12, the sixth working day from
	// 30/11: minh's shift again. thu and lan hold three each; thu has waited
	// longer since the last.
	if got := route(time.Date(2026, 12, 4, 19, 0, 0, 0, loc)); got != "anlac.thu" {
		t.Fatalf("friday evening: %s, want anlac.thu", got)
	}
}

// handleOnce hands the router one delivery of an item and reads back its
// ticket.
func handleOnce(ctx context.Context, t *testing.T, r *router.Router, store *mongostore.Store, it *feedback.Item, d natsbus.Delivery) *feedback.Ticket {
	t.Helper()
	data, err := natsbus.MarshalItem(it)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Handle(ctx, data, d); err != nil {
		t.Fatal(err)
	}
	tk, err := store.Ticket(ctx, it.Code)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// TestRouterPassesOfficialsOnLeave: an official whose leave covers the desk
// day gets no new items, though the roster puts them on the shift; the day
// after their leave they do again.
func TestRouterPassesOfficialsOnLeave(t *testing.T) {
	r, store, loc, setClock, done := clockedFixture(t)
	defer done()
	ctx := context.Background()
	if err := store.SetRoster(ctx, "ward-an-lac", &feedback.Roster{Start: "2026-11-30", Shifts: [][]string{{"anlac.lan"}}}); err != nil {
		t.Fatal(err)
	}
	if err := store.SetLeave(ctx, "anlac.lan", []feedback.Leave{{From: "2026-11-30", To: "2026-12-01", Reason: "phép"}}); err != nil {
		t.Fatal(err)
	}
	if err := r.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 11, 30, 9, 0, 0, 0, loc), "anlac.thu"}, // lan away: the unit's other official on duty
		{time.Date(2026, 12, 1, 16, 0, 0, 0, loc), "anlac.thu"},
		{time.Date(2026, 12, 1, 18, 0, 0, 0, loc), "anlac.lan"}, // for Wednesday's desk: back
		{time.Date(2026, 12, 2, 9, 0, 0, 0, loc), "anlac.lan"},
	} {
		setClock(c.at)
		it := &feedback.Item{Key: fmt.Sprintf("citizenapp:leave-%d", i), Code: code(800000 + i), Channel: feedback.ChannelCitizenApp,
			ReceivedAt: c.at, Content: "Quán nhậu lấn chiếm vỉa hè, bày bàn ghế ra hết lòng đường", Ward: "An Lạc"}
		if got := handleOnce(ctx, t, r, store, it, natsbus.Delivery{Attempt: 1}).Assignee; got != c.want {
			t.Fatalf("item at %s went to %s, want %s", c.at, got, c.want)
		}
	}
}

// clockedFixture is routingFixture on a clock the test sets, in Ho Chi
// Minh City time.
func clockedFixture(t *testing.T) (*router.Router, *mongostore.Store, *time.Location, func(time.Time), func()) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var clock time.Time
	r, store, done := routingFixture(t, 0, func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return clock
	})
	set := func(at time.Time) {
		mu.Lock()
		defer mu.Unlock()
		clock = at
	}
	return r, store, loc, set, done
}
