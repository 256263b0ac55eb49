package mongostore_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"pakn.local/services/internal/embedded/ferret"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/seed"
)

// One FerretDB for the package: it starts in about a second; each test
// takes its own database.
var db *ferret.Server

func TestMain(m *testing.M) {
	var stop func()
	var err error
	if db, stop, err = ferret.StartTemp("pakn-mongostore-"); err != nil {
		panic(err)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}

func open(t *testing.T) *mongostore.Store {
	t.Helper()
	s, err := mongostore.Connect(db.URI(), fmt.Sprintf("t%d", time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func ticket(code string, deadline time.Time) *feedback.Ticket {
	now := time.Now().UTC().Truncate(time.Millisecond)
	t := &feedback.Ticket{
		Code: feedback.TrackingCode(code), Key: "citizenapp:" + code, Status: feedback.StatusAssigned,
		Channel: feedback.ChannelCitizenApp, Content: "Đèn đường hẻm 12 Mã Lò bị hỏng", Category: "chieu-sang",
		Ward: "binh-tri-dong-a", Address: "hẻm 12 Mã Lò", Location: &feedback.Location{Lat: 10.77, Lng: 106.6},
		Citizen:     feedback.Citizen{ID: "c1", Name: "Lê Thị Hoa", Phone: "+84909876543"},
		Attachments: []feedback.Attachment{{URL: "https://example.org/p.jpg", Name: "p.jpg", ContentType: "image/jpeg"}},
		UnitID:      "dept-qldt", Assignee: "qldt.minh", AssigneeName: "Trần Minh",
		ReceivedAt: now, RoutedAt: now, Deadline: deadline.UTC().Truncate(time.Millisecond),
	}
	t.Record(feedback.Event{Type: feedback.EventRouted, At: now, Actor: "router"})
	return t
}

func TestTicketRoundTripAndDuplicate(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	want := ticket("AAAA-0001", time.Now().Add(48*time.Hour))
	if err := s.InsertTicket(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Ticket(ctx, want.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if err := s.InsertTicket(ctx, ticket("AAAA-0001", time.Now())); !feedback.IsCode(err, feedback.ECONFLICT) {
		t.Fatalf("second insert: %v, want conflict", err)
	}
	if _, err := s.Ticket(ctx, "ZZZZ-ZZZZ"); !feedback.IsCode(err, feedback.ENOTFOUND) {
		t.Fatalf("missing ticket: %v, want not found", err)
	}
}

func TestUpdateIsGuardedByVersion(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	if err := s.InsertTicket(ctx, ticket("AAAA-0002", time.Now())); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Ticket(ctx, "AAAA-0002")
	b, _ := s.Ticket(ctx, "AAAA-0002")
	off := feedback.Official{Username: "qldt.minh", Name: "Trần Minh", UnitID: "dept-qldt", Role: feedback.RoleOfficial}
	if _, err := a.AddReply(off, "Đã thay bóng đèn.", true, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateTicket(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddReply(off, "ghi chú", false, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateTicket(ctx, b); !feedback.IsCode(err, feedback.ECONFLICT) {
		t.Fatalf("stale update: %v, want conflict", err)
	}
	got, _ := s.Ticket(ctx, "AAAA-0002")
	if got.Version != 2 || len(got.Replies) != 1 || got.Status != feedback.StatusAnswered || len(got.Outbox) != 2 {
		t.Fatalf("after update: version %d, %d replies, status %s, outbox %d", got.Version, len(got.Replies), got.Status, len(got.Outbox))
	}
}

func TestOutboxPendingAndClear(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	for _, c := range []string{"AAAA-0003", "AAAA-0004"} {
		if err := s.InsertTicket(ctx, ticket(c, time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	pending, err := s.PendingOutboxes(ctx, 10)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending: %d, %v", len(pending), err)
	}
	// A clear for a version that moved on leaves the outbox alone.
	if err := s.ClearOutbox(ctx, "AAAA-0003", 7); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearOutbox(ctx, "AAAA-0004", 1); err != nil {
		t.Fatal(err)
	}
	pending, _ = s.PendingOutboxes(ctx, 10)
	if len(pending) != 1 || pending[0].Code != "AAAA-0003" {
		t.Fatalf("pending after clear: %v", pending)
	}
	got, _ := s.Ticket(ctx, "AAAA-0004")
	if len(got.Outbox) != 0 || len(got.History) != 1 {
		t.Fatalf("cleared ticket: outbox %d history %d", len(got.Outbox), len(got.History))
	}
}

func TestInboxOrderAndFilter(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	base := time.Now()
	for i, c := range []string{"AAAA-0013", "AAAA-0011", "AAAA-0012"} {
		tk := ticket(c, base.Add(time.Duration([]int{3, 1, 2}[i])*time.Hour))
		if c == "AAAA-0012" {
			tk.Assignee = "qldt.lan"
		}
		if err := s.InsertTicket(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.Inbox(ctx, mongostore.InboxFilter{UnitID: "dept-qldt"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, tk := range list {
		codes = append(codes, string(tk.Code))
		if tk.History != nil || tk.Outbox != nil {
			t.Fatal("inbox rows carry history")
		}
	}
	if !reflect.DeepEqual(codes, []string{"AAAA-0011", "AAAA-0012", "AAAA-0013"}) {
		t.Fatalf("order %v", codes)
	}
	mine, _ := s.Inbox(ctx, mongostore.InboxFilter{Assignee: "qldt.lan"}, 10)
	if len(mine) != 1 || mine[0].Code != "AAAA-0012" {
		t.Fatalf("assignee filter: %v", mine)
	}
}

func TestSeedOrganisationAndOpenCounts(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	org, err := seed.Default()
	if err != nil {
		t.Fatal(err)
	}
	if done, _ := s.Seeded(ctx); done {
		t.Fatal("fresh database reports seeded")
	}
	if err := s.Seed(ctx, org, "hash", time.Now()); err != nil {
		t.Fatal(err)
	}
	if done, _ := s.Seeded(ctx); !done {
		t.Fatal("not seeded after Seed")
	}
	got, err := s.Organisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Units) != len(org.Units) || len(got.Wards) != 10 || len(got.Categories) != len(org.Categories) ||
		len(got.Officials) != len(org.Officials) || len(got.Holidays) != len(org.Holidays) {
		t.Fatalf("organisation read back short: %d units %d wards %d cats %d officials %d holidays",
			len(got.Units), len(got.Wards), len(got.Categories), len(got.Officials), len(got.Holidays))
	}
	for _, c := range org.Categories { // the classifier's data comes back whole
		i := slices.IndexFunc(got.Categories, func(g feedback.Category) bool { return g.Code == c.Code })
		if i < 0 || !slices.Equal(got.Categories[i].Keywords, c.Keywords) ||
			!slices.Equal(got.Categories[i].ContextKeywords, c.ContextKeywords) {
			t.Errorf("category %s read back without its keywords", c.Code)
		}
	}
	o := org.Officials[0]
	at := time.Now().UTC().Truncate(time.Millisecond)
	for range 2 { // idempotent: the relay may apply an event twice
		if err := s.TrackOpen(ctx, o.Username, "AAAA-0005", at); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.TrackOpen(ctx, o.Username, "AAAA-0006", at); err != nil {
		t.Fatal(err)
	}
	if err := s.UntrackOpen(ctx, o.Username, "AAAA-0005"); err != nil {
		t.Fatal(err)
	}
	staff, err := s.Officials(ctx, o.UnitID)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range staff {
		if st.Username == o.Username && (st.OpenCount != 1 || !st.LastAssignedAt.Equal(at)) {
			t.Fatalf("open count %d at %v, want 1 at %v", st.OpenCount, st.LastAssignedAt, at)
		}
	}
	_, hash, err := s.Official(ctx, o.Username)
	if err != nil || hash != "hash" {
		t.Fatalf("official: %q %v", hash, err)
	}
}

// The wards come back as they were seeded: boundaries point for point, and
// each neighbourhood's landmarks with their aliases, which the router's
// locator reads from the store.
func TestWardsRoundTrip(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	org, err := seed.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(ctx, org, "hash", time.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := s.Organisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	back := map[string]feedback.Ward{}
	for _, w := range got.Wards {
		back[w.Code] = w
	}
	landmarks := 0
	for _, want := range org.Wards {
		w := back[want.Code]
		if !reflect.DeepEqual(w.Boundary, want.Boundary) {
			t.Errorf("ward %s: boundary %v, want %v", want.Code, w.Boundary, want.Boundary)
		}
		if len(w.Neighbourhoods) != len(want.Neighbourhoods) {
			t.Fatalf("ward %s: %d neighbourhoods, want %d", want.Code, len(w.Neighbourhoods), len(want.Neighbourhoods))
		}
		for i, n := range want.Neighbourhoods {
			landmarks += len(n.Landmarks)
			if g := w.Neighbourhoods[i].Landmarks; !reflect.DeepEqual(g, n.Landmarks) {
				t.Errorf("neighbourhood %s: landmarks %+v, want %+v", n.Code, g, n.Landmarks)
			}
		}
	}
	if landmarks == 0 {
		t.Error("the seed has no landmarks to carry")
	}
}

func TestSigningKeyIsSharedAndStable(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	k1, err := s.SigningKey(ctx, "desk", []byte("first-key-of-thirty-two-bytes!!!"))
	if err != nil {
		t.Fatal(err)
	}
	k2, err := s.SigningKey(ctx, "desk", []byte("another-key-of-thirty-two-bytes!"))
	if err != nil {
		t.Fatal(err)
	}
	if string(k1) != "first-key-of-thirty-two-bytes!!!" || string(k2) != string(k1) {
		t.Fatalf("keys %q %q", k1, k2)
	}
}

func TestArchiveResolved(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	for _, c := range []string{"AAAA-0021", "AAAA-0022", "AAAA-0023"} {
		tk := ticket(c, time.Now())
		tk.Outbox = nil // published
		if c != "AAAA-0023" {
			tk.Status = feedback.StatusResolved
		}
		if c == "AAAA-0022" {
			tk.Outbox = []feedback.Event{{ID: "e", Type: feedback.EventResolved}} // not yet published: stays
		}
		if err := s.InsertTicket(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.ArchiveResolved(ctx, 100)
	if err != nil || n != 1 {
		t.Fatalf("archived %d, %v; want 1", n, err)
	}
	if got, err := s.Ticket(ctx, "AAAA-0021"); err != nil || got.Status != feedback.StatusResolved {
		t.Fatalf("archived ticket not readable: %v", err)
	}
	open, _ := s.Inbox(ctx, mongostore.InboxFilter{UnitID: "dept-qldt"}, 10)
	resolved, _ := s.Inbox(ctx, mongostore.InboxFilter{UnitID: "dept-qldt", Status: feedback.StatusResolved}, 10)
	if len(open) != 1 || len(resolved) != 1 || resolved[0].Code != "AAAA-0022" {
		t.Fatalf("%d open and %d resolved tickets left in the hot collection, want 1 and the unpublished resolved one", len(open), len(resolved))
	}
	if n, _ := s.ArchiveResolved(ctx, 100); n != 0 {
		t.Fatalf("second run archived %d", n)
	}
}

// TestPrepareCreatesEveryCollection: after Prepare the first ticket is not
// what creates the tickets collection, and Prepare may run again (a second
// process, a restart).
func TestPrepareCreatesEveryCollection(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	for range 2 {
		if err := s.Prepare(ctx); err != nil {
			t.Fatal(err)
		}
	}
	c, err := mongo.Connect(options.Client().ApplyURI(db.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Disconnect(ctx) }()
	names, err := c.Database(s.DatabaseName()).ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tickets", "archive", "assignments", "officials", "units", "wards", "categories",
		"holidays", "settings", "routing_rules", "org_changes"} {
		if !slices.Contains(names, want) {
			t.Errorf("no collection %s after Prepare (have %v)", want, names)
		}
	}
}
