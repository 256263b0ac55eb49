package natsbus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/feedback"
)

// ErrNoDeadLetter is wrapped in the ENOTFOUND error for a sequence that
// holds no dead letter (never did, or it was replayed or discarded).
var ErrNoDeadLetter = errors.New("natsbus: no such dead letter")

// ErrNotReplayable is wrapped in the ECONFLICT error for a dead letter that
// does not say where it came from, so it cannot be sent back there.
var ErrNotReplayable = errors.New("natsbus: dead letter cannot be replayed")

// Headers a worker puts on a dead letter (see Worker.deadLetter).
const (
	hdrReason    = "Pakn-Reason"
	hdrStream    = "Pakn-Stream"
	hdrSubject   = "Pakn-Subject"
	hdrStreamSeq = "Pakn-Stream-Seq"
	hdrAttempts  = "Pakn-Attempts"
	// HeaderReplayOf marks a replayed message with the dead letter it came
	// from, so that whoever reads it later can trace it.
	HeaderReplayOf = "Pakn-Replay-Of"
)

// DeadLetter is a message that failed every delivery, as an operator sees it.
type DeadLetter struct {
	Seq      uint64    // its sequence in PAKN_DEAD: what Replay and Discard take
	Time     time.Time // when it was dead-lettered
	Subject  string    // pakn.dead.<consumer>
	Consumer string    // the durable consumer that gave up on it
	Reason   string    // the handler's last error
	// Where it came from.
	Stream      string
	OrigSubject string
	OrigSeq     uint64
	Attempts    uint64
	Size        int // bytes of data
	// For intake items whose data decodes: which citizen's item it is.
	Code    feedback.TrackingCode
	Channel feedback.Channel
}

func deadLetterFrom(m *jetstream.RawStreamMsg) DeadLetter {
	d := DeadLetter{
		Seq: m.Sequence, Time: m.Time.UTC(), Subject: m.Subject,
		Consumer: strings.TrimPrefix(m.Subject, "pakn.dead."),
		Size:     len(m.Data),
	}
	if m.Header != nil {
		d.Reason = m.Header.Get(hdrReason)
		d.Stream = m.Header.Get(hdrStream)
		d.OrigSubject = m.Header.Get(hdrSubject)
		d.OrigSeq, _ = strconv.ParseUint(m.Header.Get(hdrStreamSeq), 10, 64)
		d.Attempts, _ = strconv.ParseUint(m.Header.Get(hdrAttempts), 10, 64)
	}
	if d.Stream == IntakeStream {
		// Protobuf decodes many byte strings without complaint, so only a
		// well-formed tracking code and a known channel count as decoded.
		if it, err := UnmarshalItem(m.Data); err == nil && it.Channel.Valid() {
			if code, err := feedback.ParseTrackingCode(string(it.Code)); err == nil {
				d.Code, d.Channel = code, it.Channel
			}
		}
	}
	return d
}

// Replayable reports whether the dead letter says where it came from, so
// that Replay can send it back there (never into the dead-letter stream).
func (d DeadLetter) Replayable() bool {
	return strings.HasPrefix(d.OrigSubject, "pakn.") && !strings.HasPrefix(d.OrigSubject, "pakn.dead.")
}

func deadStream(ctx context.Context, js jetstream.JetStream) (jetstream.Stream, error) {
	s, err := js.Stream(ctx, DeadStream)
	if err != nil {
		return nil, feedback.Unavailable(fmt.Errorf("natsbus: stream %s: %w", DeadStream, err))
	}
	return s, nil
}

func noDeadLetter(seq uint64) error {
	return &feedback.Error{Code: feedback.ENOTFOUND, Message: fmt.Sprintf("Không có thư lỗi số %d.", seq),
		MessageEN: fmt.Sprintf("no dead letter %d", seq), Err: ErrNoDeadLetter}
}

func getDead(ctx context.Context, s jetstream.Stream, seq uint64) (*jetstream.RawStreamMsg, error) {
	if seq == 0 {
		return nil, noDeadLetter(seq)
	}
	m, err := s.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, noDeadLetter(seq)
	}
	if err != nil {
		return nil, feedback.Unavailable(fmt.Errorf("natsbus: dead letter %d: %w", seq, err))
	}
	return m, nil
}

// DeadLetters lists up to limit dead letters, newest first.
func DeadLetters(ctx context.Context, js jetstream.JetStream, limit int) ([]DeadLetter, error) {
	if limit < 1 {
		return nil, fmt.Errorf("%w: limit %d", ErrInvalidOption, limit)
	}
	s, err := deadStream(ctx, js)
	if err != nil {
		return nil, err
	}
	// Replays and discards leave holes; the stream names them, so that
	// walking back from the newest does not ask for each hole in turn.
	info, err := s.Info(ctx, jetstream.WithDeletedDetails(true))
	if err != nil {
		return nil, feedback.Unavailable(fmt.Errorf("natsbus: stream %s: %w", DeadStream, err))
	}
	st := info.State
	out := []DeadLetter{}
	if st.Msgs == 0 {
		return out, nil
	}
	holes := make(map[uint64]bool, len(st.Deleted))
	for _, seq := range st.Deleted {
		holes[seq] = true
	}
	for seq := st.LastSeq; seq >= st.FirstSeq && seq > 0 && len(out) < limit; seq-- {
		if holes[seq] {
			continue
		}
		m, err := getDead(ctx, s, seq)
		if errors.Is(err, ErrNoDeadLetter) {
			continue // removed since Info
		}
		if err != nil {
			return nil, err
		}
		out = append(out, deadLetterFrom(m))
	}
	return out, nil
}

// DeadLetterAt reads one dead letter.
func DeadLetterAt(ctx context.Context, js jetstream.JetStream, seq uint64) (DeadLetter, error) {
	s, err := deadStream(ctx, js)
	if err != nil {
		return DeadLetter{}, err
	}
	m, err := getDead(ctx, s, seq)
	if err != nil {
		return DeadLetter{}, err
	}
	return deadLetterFrom(m), nil
}

// Replay sends a dead letter's data back to the subject it came from and
// then removes it from PAKN_DEAD. The copy carries Nats-Msg-Id
// "replay.<seq>", so a replay retried after a failed removal (or two
// operators pressing at once) is dropped by JetStream as a duplicate: one
// replay is one message. Whether the consumer then handles it twice is its
// own affair: the router keys tickets by tracking code, so replaying an
// item that was routed after all changes nothing.
func Replay(ctx context.Context, js jetstream.JetStream, seq uint64) error {
	s, err := deadStream(ctx, js)
	if err != nil {
		return err
	}
	m, err := getDead(ctx, s, seq)
	if err != nil {
		return err
	}
	d := deadLetterFrom(m)
	if !d.Replayable() {
		return &feedback.Error{Code: feedback.ECONFLICT,
			Message:   fmt.Sprintf("Thư lỗi số %d không ghi nơi gửi ban đầu nên không gửi lại được.", seq),
			MessageEN: fmt.Sprintf("dead letter %d names no original subject to replay to", seq), Err: ErrNotReplayable}
	}
	msg := nats.NewMsg(d.OrigSubject)
	msg.Data = m.Data
	msg.Header.Set(HeaderReplayOf, strconv.FormatUint(seq, 10))
	opts := []jetstream.PublishOpt{jetstream.WithMsgID("replay." + strconv.FormatUint(seq, 10))}
	if d.Stream != "" {
		opts = append(opts, jetstream.WithExpectStream(d.Stream))
	}
	pctx, cancel := withTimeout(ctx)
	defer cancel()
	if _, err := js.PublishMsg(pctx, msg, opts...); err != nil {
		return feedback.Unavailable(fmt.Errorf("natsbus: replay %d to %s: %w", seq, d.OrigSubject, err))
	}
	return deleteDead(ctx, s, seq)
}

// Discard removes a dead letter for good.
func Discard(ctx context.Context, js jetstream.JetStream, seq uint64) error {
	s, err := deadStream(ctx, js)
	if err != nil {
		return err
	}
	if _, err := getDead(ctx, s, seq); err != nil {
		return err
	}
	return deleteDead(ctx, s, seq)
}

// deleteDead removes a dead letter; if another replay or discard removed it
// first, that is the outcome wanted and not an error.
func deleteDead(ctx context.Context, s jetstream.Stream, seq uint64) error {
	err := s.DeleteMsg(ctx, seq)
	if err == nil {
		return nil
	}
	if _, gerr := getDead(ctx, s, seq); errors.Is(gerr, ErrNoDeadLetter) {
		return nil
	}
	return feedback.Unavailable(fmt.Errorf("natsbus: removing dead letter %d: %w", seq, err))
}
