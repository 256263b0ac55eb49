package admin_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/natsbus"
)

type deadLetter struct {
	Seq          uint64    `json:"seq"`
	Time         time.Time `json:"time"`
	Subject      string    `json:"subject"`
	Consumer     string    `json:"consumer"`
	Reason       string    `json:"reason"`
	Stream       string    `json:"stream"`
	OrigSubject  string    `json:"original_subject"`
	Attempts     uint64    `json:"attempts"`
	TrackingCode string    `json:"tracking_code"`
	Channel      string    `json:"channel"`
	Replayable   bool      `json:"replayable"`
}

func (e *env) deadLetters() []deadLetter {
	e.t.Helper()
	w := e.do(http.MethodGet, "/admin/v1/dead-letters", "supervisor", nil)
	if w.Code != http.StatusOK {
		e.t.Fatalf("dead letters: %d %s", w.Code, w.Body)
	}
	return decode[struct {
		DeadLetters []deadLetter `json:"dead_letters"`
	}](e.t, w).DeadLetters
}

func eventually(t *testing.T, ok func() bool) {
	t.Helper()
	end := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(end) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestDeadLettersListReplayDiscard(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	// A router with a bug: it refuses every item for good, until fixed.
	var broken atomic.Bool
	broken.Store(true)
	var mu sync.Mutex
	routed := map[feedback.TrackingCode]int{}
	w, err := natsbus.StartWorker(ctx, e.js, natsbus.WorkerConfig{
		Stream: natsbus.IntakeStream, Durable: "router", MaxAttempts: 3, Concurrency: 2, AckWait: 5 * time.Second,
		Backoff: []time.Duration{20 * time.Millisecond},
	}, slog.New(slog.DiscardHandler), func(ctx context.Context, data []byte, d natsbus.Delivery) error {
		if broken.Load() {
			return natsbus.Permanent(errors.New("no ward matches the address"))
		}
		it, err := natsbus.UnmarshalItem(data)
		if err != nil {
			return natsbus.Permanent(err)
		}
		mu.Lock()
		routed[it.Code]++
		mu.Unlock()
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Drain(context.Background()) })
	intake, err := natsbus.NewIntake(ctx, e.js)
	if err != nil {
		t.Fatal(err)
	}
	var codes []feedback.TrackingCode
	for _, ref := range []string{"a1", "a2"} {
		c, err := intake.Submit(ctx, &feedback.Item{
			Key: feedback.ItemKey(feedback.ChannelCitizenApp, ref), Channel: feedback.ChannelCitizenApp,
			ReceivedAt: time.Now(), Content: "Rác thải tồn đọng đầu hẻm 78 " + ref,
		})
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	eventually(t, func() bool { return len(e.deadLetters()) == 2 })
	sub := e.subscribe()

	list := e.deadLetters()
	bySeq := map[string]deadLetter{}
	for _, d := range list {
		if d.Consumer != "router" || d.Stream != natsbus.IntakeStream || d.OrigSubject != "pakn.intake.citizenapp" ||
			d.Channel != "citizenapp" || !d.Replayable || d.Attempts != 1 || !strings.Contains(d.Reason, "no ward matches") {
			t.Errorf("dead letter %+v", d)
		}
		bySeq[d.TrackingCode] = d
	}
	first, second := bySeq[string(codes[0])], bySeq[string(codes[1])]
	if first.Seq == 0 || second.Seq == 0 || list[0].Seq < list[1].Seq {
		t.Fatalf("listing %+v", list)
	}

	broken.Store(false) // the bug is fixed; the operator replays the first
	path := "/admin/v1/dead-letters/" + strconv.FormatUint(first.Seq, 10)
	if r := e.do(http.MethodPost, path+"/replay", "coordinator", nil); r.Code != http.StatusForbidden {
		t.Fatalf("coordinator replays: %d", r.Code)
	}
	r := e.do(http.MethodPost, path+"/replay?reason=ward+boundaries+fixed", "supervisor", nil)
	if r.Code != http.StatusOK {
		t.Fatalf("replay: %d %s", r.Code, r.Body)
	}
	ch := decode[change](t, r)
	if ch.Kind != "dead_letter" || ch.Action != "replay" || ch.Target != strconv.FormatUint(first.Seq, 10) ||
		ch.Status != "applied" || ch.Reason != "ward boundaries fixed" ||
		!strings.Contains(string(ch.Before), string(codes[0])) || !strings.Contains(string(ch.After), "pakn.intake.citizenapp") {
		t.Fatalf("replay change %+v", ch)
	}
	eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return routed[codes[0]] == 1 })
	if r := e.do(http.MethodPost, path+"/replay", "supervisor", nil); r.Code != http.StatusNotFound {
		t.Fatalf("second replay: %d %s", r.Code, r.Body)
	}

	path = "/admin/v1/dead-letters/" + strconv.FormatUint(second.Seq, 10)
	if r := e.do(http.MethodDelete, path+"?reason=duplicate", "supervisor", nil); r.Code != http.StatusOK {
		t.Fatalf("discard: %d %s", r.Code, r.Body)
	}
	if r := e.do(http.MethodDelete, path, "supervisor", nil); r.Code != http.StatusNotFound {
		t.Fatalf("second discard: %d", r.Code)
	}
	if got := e.deadLetters(); len(got) != 0 {
		t.Fatalf("left: %+v", got)
	}
	mu.Lock()
	if routed[codes[1]] != 0 {
		t.Error("a discarded item was routed")
	}
	mu.Unlock()

	trail := e.changes()
	if len(trail) != 2 || trail[0].Action != "discard" || trail[0].Kind != "dead_letter" || trail[1].Action != "replay" {
		t.Fatalf("trail %+v", trail)
	}
	if _, err := sub.NextMsg(300 * time.Millisecond); err == nil {
		t.Fatal("a dead letter was announced as an organisation change")
	}

	for _, bad := range []string{"abc", "0", "-1"} {
		if r := e.do(http.MethodDelete, "/admin/v1/dead-letters/"+bad, "supervisor", nil); r.Code != http.StatusBadRequest {
			t.Errorf("seq %q: %d", bad, r.Code)
		}
	}
	if r := e.do(http.MethodGet, "/admin/v1/dead-letters?limit=5000", "supervisor", nil); r.Code != http.StatusBadRequest {
		t.Errorf("limit 5000: %d", r.Code)
	}
}

func TestDeadLetterWithoutOriginIsOnlyDiscarded(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.js.Publish(context.Background(), "pakn.dead.manual", []byte("x")); err != nil {
		t.Fatal(err)
	}
	list := e.deadLetters()
	if len(list) != 1 || list[0].Replayable {
		t.Fatalf("%+v", list)
	}
	path := "/admin/v1/dead-letters/" + strconv.FormatUint(list[0].Seq, 10)
	if r := e.do(http.MethodPost, path+"/replay", "supervisor", nil); r.Code != http.StatusConflict {
		t.Fatalf("replay: %d %s", r.Code, r.Body)
	}
	if len(e.changes()) != 0 {
		t.Fatal("a refused replay was recorded")
	}
	if r := e.do(http.MethodDelete, path, "supervisor", nil); r.Code != http.StatusOK {
		t.Fatalf("discard: %d %s", r.Code, r.Body)
	}
}
