package natsbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrPermanent marks a failure that no redelivery can mend (an undecodable
// message, say): the message goes to the dead-letter stream at once.
var ErrPermanent = errors.New("natsbus: permanent failure")

// Permanent wraps err so that the worker dead-letters the message at once.
func Permanent(err error) error { return fmt.Errorf("%w: %w", ErrPermanent, err) }

// WorkerConfig describes a durable pull consumer and how its messages are handled.
type WorkerConfig struct {
	Stream  string
	Durable string   // the consumer's name; every process with it shares the work
	Filter  []string // subjects; empty means the whole stream
	// MaxAttempts deliveries before a message is dead-lettered.
	MaxAttempts int
	// Backoff between attempts; the last value repeats.
	Backoff []time.Duration
	// Concurrency is how many messages one process handles at once.
	Concurrency int
	// AckWait is how long a delivery may take before it is given to another.
	AckWait time.Duration
}

func (c *WorkerConfig) validate() error {
	switch {
	case c.Stream == "" || c.Durable == "":
		return fmt.Errorf("%w: stream and durable are required", ErrInvalidOption)
	case c.MaxAttempts < 1:
		return fmt.Errorf("%w: MaxAttempts %d", ErrInvalidOption, c.MaxAttempts)
	case len(c.Backoff) == 0:
		return fmt.Errorf("%w: Backoff is empty", ErrInvalidOption)
	case c.Concurrency < 1:
		return fmt.Errorf("%w: Concurrency %d", ErrInvalidOption, c.Concurrency)
	case c.AckWait <= 0:
		return fmt.Errorf("%w: AckWait %s", ErrInvalidOption, c.AckWait)
	}
	return nil
}

// Delivery is what a handler learns of a message besides its data.
type Delivery struct {
	Subject   string
	Attempt   uint64 // 1 on the first delivery
	StreamSeq uint64
	// Replayed is set when an operator sent the message again from the
	// dead letters: its first attempt may be days after the original.
	Replayed bool
}

// HandlerFunc handles one message. nil acknowledges it; an error has it
// redelivered after a back-off, up to MaxAttempts, then dead-lettered.
type HandlerFunc func(ctx context.Context, data []byte, d Delivery) error

// Worker runs a HandlerFunc over a durable consumer.
type Worker struct {
	cfg      WorkerConfig
	js       jetstream.JetStream
	log      *slog.Logger
	handle   HandlerFunc
	cc       jetstream.ConsumeContext
	sem      chan struct{}
	inflight sync.WaitGroup
	ctx      context.Context
	cancel   context.CancelFunc
	onDead   func(reason string)
}

// StartWorker creates or updates the durable consumer and starts handling.
// onDead, if not nil, is called for each dead-lettered message (for metrics).
func StartWorker(ctx context.Context, js jetstream.JetStream, cfg WorkerConfig, log *slog.Logger, h HandlerFunc, onDead func(reason string)) (*Worker, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, cfg.Stream, jetstream.ConsumerConfig{
		Durable:        cfg.Durable,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        cfg.AckWait,
		MaxDeliver:     -1, // the worker counts attempts itself and dead-letters with a reason
		FilterSubjects: cfg.Filter,
		MaxAckPending:  cfg.Concurrency * 4,
	})
	if err != nil {
		return nil, fmt.Errorf("natsbus: consumer %s: %w", cfg.Durable, err)
	}
	wctx, cancel := context.WithCancel(context.Background())
	w := &Worker{cfg: cfg, js: js, log: log.With("consumer", cfg.Durable), handle: h,
		sem: make(chan struct{}, cfg.Concurrency), ctx: wctx, cancel: cancel, onDead: onDead}
	cc, err := cons.Consume(w.dispatch, jetstream.PullMaxMessages(cfg.Concurrency*2))
	if err != nil {
		cancel()
		return nil, fmt.Errorf("natsbus: consume %s: %w", cfg.Durable, err)
	}
	w.cc = cc
	return w, nil
}

// dispatch runs on the consumer's goroutine; the semaphore bounds the work
// in flight and holds back fetching when every slot is busy.
func (w *Worker) dispatch(msg jetstream.Msg) {
	w.sem <- struct{}{}
	w.inflight.Add(1)
	go func() {
		defer func() { <-w.sem; w.inflight.Done() }()
		w.process(msg)
	}()
}

func (w *Worker) process(msg jetstream.Msg) {
	md, err := msg.Metadata()
	if err != nil {
		_ = msg.Term()
		return
	}
	d := Delivery{Subject: msg.Subject(), Attempt: md.NumDelivered, StreamSeq: md.Sequence.Stream,
		Replayed: msg.Headers().Get(HeaderReplayOf) != ""}
	ctx, cancel := context.WithTimeout(w.ctx, w.cfg.AckWait)
	err = w.handle(ctx, msg.Data(), d)
	cancel()
	if err == nil {
		if aerr := msg.DoubleAck(w.ctx); aerr != nil {
			w.log.Warn("ack failed; the message will be redelivered", "seq", d.StreamSeq, "err", aerr)
		}
		return
	}
	if errors.Is(err, ErrPermanent) || d.Attempt >= uint64(w.cfg.MaxAttempts) {
		w.deadLetter(msg, d, err)
		return
	}
	delay := w.cfg.Backoff[min(int(d.Attempt)-1, len(w.cfg.Backoff)-1)]
	w.log.Warn("handling failed; will retry", "seq", d.StreamSeq, "attempt", d.Attempt, "in", delay, "err", err)
	_ = msg.NakWithDelay(delay)
}

// deadLetter copies the message to pakn.dead.<durable> with the reason, then
// terminates it. If the copy fails the message is left to be redelivered:
// nothing is dropped without a trace.
func (w *Worker) deadLetter(msg jetstream.Msg, d Delivery, cause error) {
	dl := nats.NewMsg("pakn.dead." + w.cfg.Durable)
	dl.Data = msg.Data()
	dl.Header.Set("Pakn-Reason", cause.Error())
	dl.Header.Set("Pakn-Stream", w.cfg.Stream)
	dl.Header.Set("Pakn-Subject", d.Subject)
	dl.Header.Set("Pakn-Stream-Seq", strconv.FormatUint(d.StreamSeq, 10))
	dl.Header.Set("Pakn-Attempts", strconv.FormatUint(d.Attempt, 10))
	ctx, cancel := context.WithTimeout(w.ctx, PublishTimeout)
	defer cancel()
	id := "dead." + w.cfg.Stream + "." + strconv.FormatUint(d.StreamSeq, 10)
	if _, err := w.js.PublishMsg(ctx, dl, jetstream.WithMsgID(id)); err != nil {
		w.log.Error("dead-letter publish failed; leaving the message for redelivery", "seq", d.StreamSeq, "err", err)
		_ = msg.NakWithDelay(w.cfg.Backoff[len(w.cfg.Backoff)-1])
		return
	}
	w.log.Error("message dead-lettered", "seq", d.StreamSeq, "subject", d.Subject, "attempts", d.Attempt, "reason", cause)
	if w.onDead != nil {
		w.onDead(cause.Error())
	}
	_ = msg.TermWithReason("dead-lettered")
}

// Drain stops fetching, waits for the messages in hand to finish (or ctx to
// end, after which their handlers are cancelled and they are redelivered
// later), and releases the consumer.
func (w *Worker) Drain(ctx context.Context) {
	w.cc.Drain()
	select {
	case <-w.cc.Closed(): // buffered messages have all been dispatched
	case <-ctx.Done():
	}
	done := make(chan struct{})
	go func() { w.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		w.cancel()
		<-done
	}
	w.cancel()
}
