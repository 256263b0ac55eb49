package natsbus_test

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/natsbus"
)

func workerConfig(durable string) natsbus.WorkerConfig {
	return natsbus.WorkerConfig{
		Stream: natsbus.IntakeStream, Durable: durable, MaxAttempts: 3, Concurrency: 2, AckWait: 5 * time.Second,
		Backoff: []time.Duration{20 * time.Millisecond},
	}
}

func (b *bus) publish(t *testing.T, subject, data string) {
	t.Helper()
	if _, err := b.js.Publish(context.Background(), subject, []byte(data)); err != nil {
		t.Fatal(err)
	}
}

func (b *bus) deadLetters(t *testing.T) []jetstream.RawStreamMsg {
	t.Helper()
	s, err := b.js.Stream(context.Background(), natsbus.DeadStream)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := s.Info(context.Background())
	var out []jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(context.Background(), seq)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *m)
	}
	return out
}

func eventually(t *testing.T, ok func() bool) {
	t.Helper()
	end := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(end) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWorkerRetriesThenSucceeds(t *testing.T) {
	b := startBus(t)
	var calls, done atomic.Int32
	w, err := natsbus.StartWorker(context.Background(), b.js, workerConfig("retry"), slog.New(slog.DiscardHandler),
		func(ctx context.Context, data []byte, d natsbus.Delivery) error {
			calls.Add(1)
			if d.Attempt < 3 {
				return errors.New("mongo is down")
			}
			done.Add(1)
			return nil
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.publish(t, "pakn.intake.website", "x")
	eventually(t, func() bool { return done.Load() == 1 })
	w.Drain(context.Background())
	if calls.Load() != 3 || len(b.deadLetters(t)) != 0 {
		t.Fatalf("calls %d, dead letters %d", calls.Load(), len(b.deadLetters(t)))
	}
}

func TestWorkerDeadLettersWithReason(t *testing.T) {
	b := startBus(t)
	var dead atomic.Int32
	var calls atomic.Int32
	w, err := natsbus.StartWorker(context.Background(), b.js, workerConfig("dead"), slog.New(slog.DiscardHandler),
		func(ctx context.Context, data []byte, d natsbus.Delivery) error {
			calls.Add(1)
			if string(data) == "poison" {
				return natsbus.Permanent(errors.New("cannot decode"))
			}
			if string(data) == "stuck" {
				return errors.New("still failing")
			}
			return nil
		}, func(string) { dead.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	b.publish(t, "pakn.intake.portal", "poison")
	b.publish(t, "pakn.intake.portal", "stuck")
	b.publish(t, "pakn.intake.portal", "fine") // not blocked by the two before it
	eventually(t, func() bool { return dead.Load() == 2 })
	w.Drain(context.Background())
	dl := b.deadLetters(t)
	if len(dl) != 2 {
		t.Fatalf("%d dead letters", len(dl))
	}
	reasons := map[string]string{}
	for _, m := range dl {
		reasons[string(m.Data)] = m.Header.Get("Pakn-Reason") + " after " + m.Header.Get("Pakn-Attempts")
	}
	if reasons["poison"] != "natsbus: permanent failure: cannot decode after 1" || reasons["stuck"] != "still failing after 3" {
		t.Fatalf("reasons %v", reasons)
	}
	if calls.Load() != 1+3+1 {
		t.Fatalf("handler called %d times, want 5", calls.Load())
	}
}

func TestWorkerConfigValidated(t *testing.T) {
	b := startBus(t)
	bad := workerConfig("x")
	bad.Backoff = nil
	_, err := natsbus.StartWorker(context.Background(), b.js, bad, slog.New(slog.DiscardHandler),
		func(context.Context, []byte, natsbus.Delivery) error { return nil }, nil)
	if !errors.Is(err, natsbus.ErrInvalidOption) {
		t.Fatalf("got %v", err)
	}
}

func TestDrainWaitsForWorkInHand(t *testing.T) {
	b := startBus(t)
	started := make(chan struct{})
	var finished atomic.Bool
	w, err := natsbus.StartWorker(context.Background(), b.js, workerConfig("drain"), slog.New(slog.DiscardHandler),
		func(ctx context.Context, data []byte, d natsbus.Delivery) error {
			close(started)
			time.Sleep(200 * time.Millisecond)
			finished.Store(true)
			return nil
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.publish(t, "pakn.intake.hotline", "slow")
	<-started
	w.Drain(context.Background())
	if !finished.Load() {
		t.Fatal("Drain returned before the message in hand was done")
	}
}
