package natsbus_test

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/natsbus"
)

// brokenRouter dead-letters every item while broken is set: a bug that an
// operator fixes and then replays the items it refused.
type brokenRouter struct {
	broken  atomic.Bool
	handled sync.Map // tracking code -> times handled
}

func (r *brokenRouter) handle(ctx context.Context, data []byte, d natsbus.Delivery) error {
	if r.broken.Load() {
		return natsbus.Permanent(errors.New("cannot place item"))
	}
	it, err := natsbus.UnmarshalItem(data)
	if err != nil {
		return natsbus.Permanent(err)
	}
	n, _ := r.handled.LoadOrStore(it.Code, new(atomic.Int32))
	n.(*atomic.Int32).Add(1)
	return nil
}

func (r *brokenRouter) times(code feedback.TrackingCode) int32 {
	n, ok := r.handled.Load(code)
	if !ok {
		return 0
	}
	return n.(*atomic.Int32).Load()
}

// deadLettered submits two items and a message that is no item while the
// router is broken, and waits until all three are dead letters.
func deadLettered(t *testing.T, b *bus, r *brokenRouter) (codes []feedback.TrackingCode) {
	t.Helper()
	r.broken.Store(true)
	w, err := natsbus.StartWorker(context.Background(), b.js, workerConfig("router"), slog.New(slog.DiscardHandler), r.handle, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Drain(context.Background()) })
	for _, ref := range []string{"dl-1", "dl-2"} {
		c, err := b.intake.Submit(context.Background(), item(ref, "Cống thoát nước hẻm 45 bị nghẹt "+ref))
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	b.publish(t, "pakn.intake.portal", "poison")
	eventually(t, func() bool { return len(b.deadLetters(t)) == 3 })
	return codes
}

func TestDeadLettersListNewestFirst(t *testing.T) {
	b := startBus(t)
	r := &brokenRouter{}
	codes := deadLettered(t, b, r)
	ctx := context.Background()

	list, err := natsbus.DeadLetters(ctx, b.js, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("%d dead letters", len(list))
	}
	for i := 1; i < len(list); i++ {
		if list[i-1].Seq <= list[i].Seq {
			t.Fatalf("not newest first: %d before %d", list[i-1].Seq, list[i].Seq)
		}
	}
	byCode := map[feedback.TrackingCode]natsbus.DeadLetter{}
	var poison *natsbus.DeadLetter
	for i, d := range list {
		if d.Subject != "pakn.dead.router" || d.Consumer != "router" || d.Stream != natsbus.IntakeStream ||
			d.Reason != "natsbus: permanent failure: cannot place item" || d.Attempts != 1 || d.OrigSeq == 0 ||
			d.Size == 0 || d.Time.IsZero() {
			t.Errorf("dead letter %+v", d)
		}
		if d.Code == "" {
			poison = &list[i]
			continue
		}
		byCode[d.Code] = d
	}
	for _, c := range codes {
		d, ok := byCode[c]
		if !ok || d.Channel != feedback.ChannelCitizenApp || d.OrigSubject != "pakn.intake.citizenapp" {
			t.Errorf("item %s: %+v", c, d)
		}
	}
	if poison == nil || poison.OrigSubject != "pakn.intake.portal" || poison.Channel != "" || poison.Size != len("poison") {
		t.Errorf("the message that is no item: %+v", poison)
	}

	short, err := natsbus.DeadLetters(ctx, b.js, 2)
	if err != nil || len(short) != 2 || short[0].Seq != list[0].Seq {
		t.Fatalf("limit 2: %v %v", short, err)
	}
	if _, err := natsbus.DeadLetters(ctx, b.js, 0); !errors.Is(err, natsbus.ErrInvalidOption) {
		t.Fatalf("limit 0: %v", err)
	}

	// A hole in the middle is skipped, and the listing still fills up.
	if err := natsbus.Discard(ctx, b.js, list[1].Seq); err != nil {
		t.Fatal(err)
	}
	after, err := natsbus.DeadLetters(ctx, b.js, 10)
	if err != nil || len(after) != 2 || after[0].Seq != list[0].Seq || after[1].Seq != list[2].Seq {
		t.Fatalf("after discarding the middle one: %+v %v", after, err)
	}
	if _, err := natsbus.DeadLetterAt(ctx, b.js, list[1].Seq); !errors.Is(err, natsbus.ErrNoDeadLetter) ||
		!feedback.IsCode(err, feedback.ENOTFOUND) {
		t.Fatalf("discarded one still read: %v", err)
	}
	if err := natsbus.Discard(ctx, b.js, list[1].Seq); !feedback.IsCode(err, feedback.ENOTFOUND) {
		t.Fatalf("second discard: %v", err)
	}
}

func TestReplayReachesTheConsumerOnce(t *testing.T) {
	b := startBus(t)
	r := &brokenRouter{}
	codes := deadLettered(t, b, r)
	ctx := context.Background()
	list, err := natsbus.DeadLetters(ctx, b.js, 10)
	if err != nil {
		t.Fatal(err)
	}
	r.broken.Store(false) // the bug is fixed

	before := b.intakeCount(t)
	var target natsbus.DeadLetter
	for _, d := range list {
		if d.Code == codes[0] {
			target = d
		}
	}
	// Two operators press replay at once: one message reaches the stream.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = natsbus.Replay(ctx, b.js, target.Seq) }()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !feedback.IsCode(err, feedback.ENOTFOUND) {
			t.Fatalf("replay: %v", err)
		}
	}
	if errs[0] != nil && errs[1] != nil {
		t.Fatal("neither replay succeeded")
	}
	eventually(t, func() bool { return r.times(codes[0]) == 1 })
	if got := b.intakeCount(t); got != before+1 {
		t.Fatalf("intake grew by %d messages, want 1", got-before)
	}
	if _, err := natsbus.DeadLetterAt(ctx, b.js, target.Seq); !errors.Is(err, natsbus.ErrNoDeadLetter) {
		t.Fatalf("replayed dead letter still there: %v", err)
	}
	if err := natsbus.Replay(ctx, b.js, target.Seq); !feedback.IsCode(err, feedback.ENOTFOUND) {
		t.Fatalf("replaying a replayed one: %v", err)
	}
	if r.times(codes[1]) != 0 {
		t.Fatal("an item not replayed was handled")
	}
	// The replay is marked with where it came from.
	s, _ := b.js.Stream(ctx, natsbus.IntakeStream)
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last, err := s.GetMsg(ctx, info.State.LastSeq)
	if err != nil {
		t.Fatal(err)
	}
	if last.Header.Get(natsbus.HeaderReplayOf) != strconv.FormatUint(target.Seq, 10) ||
		last.Header.Get("Nats-Msg-Id") != "replay."+strconv.FormatUint(target.Seq, 10) {
		t.Fatalf("replay headers %v", last.Header)
	}
}

func TestReplayRefusesWhatSaysNotWhereFrom(t *testing.T) {
	b := startBus(t)
	ctx := context.Background()
	// Published by hand, not by a worker: no Pakn-Subject header.
	b.publish(t, "pakn.dead.manual", "x")
	list, err := natsbus.DeadLetters(ctx, b.js, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("%v %v", list, err)
	}
	err = natsbus.Replay(ctx, b.js, list[0].Seq)
	if !errors.Is(err, natsbus.ErrNotReplayable) || !feedback.IsCode(err, feedback.ECONFLICT) {
		t.Fatalf("replay: %v", err)
	}
	if _, err := natsbus.DeadLetterAt(ctx, b.js, list[0].Seq); err != nil {
		t.Fatalf("a refused replay removed the dead letter: %v", err)
	}
	if err := natsbus.Replay(ctx, b.js, 0); !feedback.IsCode(err, feedback.ENOTFOUND) {
		t.Fatalf("sequence 0: %v", err)
	}
}
