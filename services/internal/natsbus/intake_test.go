package natsbus_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/embedded"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/natsbus"
	"pakn.local/services/internal/natsbus/natsbustest"
)

type bus struct {
	nats   *embedded.NATS
	js     jetstream.JetStream
	intake *natsbus.Intake
	b      *natsbustest.Bus
}

func startBus(t *testing.T) *bus {
	t.Helper()
	b := natsbustest.Start(t)
	return &bus{nats: b.NATS, js: b.JS, intake: b.Intake, b: b}
}

func (b *bus) intakeCount(t *testing.T) uint64 { return b.b.Count(t, natsbus.IntakeStream) }

func item(ref, content string) *feedback.Item {
	return &feedback.Item{
		Key: feedback.ItemKey(feedback.ChannelCitizenApp, ref), Channel: feedback.ChannelCitizenApp,
		ReceivedAt: time.Now(), Content: content, Citizen: feedback.Citizen{Phone: "+84901234567"},
	}
}

func TestSubmitSameKeySameCode(t *testing.T) {
	b := startBus(t)
	ctx := context.Background()
	c1, err := b.intake.Submit(ctx, item("k1", "Đường Tên Lửa có ổ gà lớn"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := feedback.ParseTrackingCode(string(c1)); err != nil {
		t.Fatalf("code %q does not parse: %v", c1, err)
	}
	c2, err := b.intake.Submit(ctx, item("k1", "Đường Tên Lửa có ổ gà lớn"))
	if err != nil {
		t.Fatal(err)
	}
	if c1 != c2 {
		t.Fatalf("same key gave %s then %s", c1, c2)
	}
	c3, err := b.intake.Submit(ctx, item("k2", "Đường Tên Lửa có ổ gà lớn"))
	if err != nil {
		t.Fatal(err)
	}
	if c3 == c1 {
		t.Fatal("two keys share one code")
	}
	if got := b.intakeCount(t); got != 2 {
		t.Fatalf("stream holds %d items, want 2", got)
	}
	_, err = b.intake.Submit(ctx, item("k1", "a different report"))
	if !feedback.IsCode(err, feedback.ECONFLICT) {
		t.Fatalf("reused key with other content: got %v, want conflict", err)
	}
}

func TestSubmitConcurrentSameKey(t *testing.T) {
	b := startBus(t)
	var wg sync.WaitGroup
	codes := make([]feedback.TrackingCode, 8)
	errs := make([]error, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], errs[i] = b.intake.Submit(context.Background(), item("same", "ngập nước sau mưa"))
		}()
	}
	wg.Wait()
	for i := range codes {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if codes[i] != codes[0] {
			t.Fatalf("concurrent retries got codes %v", codes)
		}
	}
	if got := b.intakeCount(t); got != 1 {
		t.Fatalf("stream holds %d items, want 1", got)
	}
}

func TestSubmitInvalidPublishesNothing(t *testing.T) {
	b := startBus(t)
	cases := map[string]*feedback.Item{
		"empty content": item("a", "   "),
		"bad utf8":      item("b", "abc\xff"),
		"nul byte":      item("c", "abc\x00def"),
		"wrong key":     {Key: "portal:x", Channel: feedback.ChannelCitizenApp, Content: "x"},
	}
	for name, it := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := b.intake.Submit(context.Background(), it)
			if !feedback.IsCode(err, feedback.EINVALID) {
				t.Fatalf("got %v, want invalid", err)
			}
		})
	}
	if got := b.intakeCount(t); got != 0 {
		t.Fatalf("stream holds %d items, want 0", got)
	}
}

func TestSubmitNATSDown(t *testing.T) {
	b := startBus(t)
	b.nats.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := b.intake.Submit(ctx, item("down", "đèn đường không sáng"))
	if !feedback.IsCode(err, feedback.EUNAVAILABLE) {
		t.Fatalf("got %v, want unavailable", err)
	}
	var fe *feedback.Error
	if !errors.As(err, &fe) {
		t.Fatal("not a feedback error")
	}
}

// TestRetryAfterDedupeWindowPublishesNothing shortens JetStream's dedupe
// window to show that a late retry is stopped by the intake itself.
func TestRetryAfterDedupeWindowPublishesNothing(t *testing.T) {
	b := startBus(t)
	ctx := context.Background()
	s, err := b.js.Stream(ctx, natsbus.IntakeStream)
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.CachedInfo().Config
	cfg.Duplicates = 100 * time.Millisecond
	if _, err := b.js.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	c1, err := b.intake.Submit(ctx, item("late", "cây xanh ngã đổ"))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	c2, err := b.intake.Submit(ctx, item("late", "cây xanh ngã đổ"))
	if err != nil || c2 != c1 {
		t.Fatalf("late retry: %s %v, want %s", c2, err, c1)
	}
	if got := b.intakeCount(t); got != 1 {
		t.Fatalf("stream holds %d items after a late retry, want 1", got)
	}
}
