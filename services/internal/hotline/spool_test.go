package hotline_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"pakn.local/services/internal/embedded"
	"pakn.local/services/internal/feedback"
)

// TestSpoolWhileNATSIsDown: citizens get codes while NATS is away, and once
// it is back every item is on the stream exactly once with the code the
// citizen was told.
func TestSpoolWhileNATSIsDown(t *testing.T) {
	e := newEnv(t, envOptions{ops: desk{"tok-op": {Username: "tongdai1"}}})
	port := e.nats.Port()
	e.nats.Shutdown()

	told := map[string]feedback.TrackingCode{} // key -> code
	phones := map[string]feedback.Phone{}
	base := fixtureForm(t, "sms_basic.form")
	for i := range 3 {
		sid := fmt.Sprintf("SM%032x", 0xdead0+i)
		from := fmt.Sprintf("+8490000000%d", i)
		form := with(base, "MessageSid", sid, "From", from, "Body", fmt.Sprintf("Phản ánh số %d: đèn đường hỏng.", i))
		start := time.Now()
		code := codeIn(t, twimlOf(t, e.post("/hotline/twilio/sms", form)).one(t, "Message").Text)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("the citizen waited %s for a code", d)
		}
		told["hotline:sms:"+sid] = code
		phones["hotline:sms:"+sid] = feedback.Phone(from)
		if i == 0 {
			// The same text again while NATS is still away: the code it was given.
			again := codeIn(t, twimlOf(t, e.post("/hotline/twilio/sms", form)).one(t, "Message").Text)
			if again != code {
				t.Fatalf("repeat while spooled gave %s, first %s", again, code)
			}
		}
	}
	// A call of the IVR and an operator's call are kept the same way.
	c := newCall(t, e, "CA00000000000000000000000000000099", "+84987650099")
	r := c.toReport("1", "Ổ gà lớn trước cổng trường tiểu học.")
	bye := twimlOf(t, c.next(r.attr("action"), "RecordingUrl", recordingURL, "RecordingSid", "RE7c1e3a5b9d2f4e6a8c0b1d3f5a7c9e2b"))
	told["hotline:call:CA00000000000000000000000000000099"] = codeIn(t, spelledCode(bye.all("Say")[0].Text))
	// The status callback of the same call while NATS is still away: same item, same code.
	status(t, c.next(r.attr("recordingStatusCallback"), "RecordingStatus", "completed",
		"RecordingUrl", recordingURL, "RecordingSid", "RE7c1e3a5b9d2f4e6a8c0b1d3f5a7c9e2b"), http.StatusNoContent)
	resp := e.operatorPost("tok-op", "application/json", goodCall)
	status(t, resp, http.StatusAccepted)
	var op struct {
		TrackingCode feedback.TrackingCode `json:"tracking_code"`
	}
	decodeJSON(t, resp, &op)
	told["hotline:op:1022-20250610-0042"] = op.TrackingCode

	if n := e.spool.Len(); n != 5 {
		t.Fatalf("%d items spooled, want 5", n)
	}

	n, err := embedded.RestartNATS(e.natsDir, port)
	if err != nil {
		t.Fatal(err)
	}
	e.nats = n
	eventually(t, 10*time.Second, "the client to reconnect", e.nc.IsConnected)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.spool.Run(ctx) }()
	eventually(t, 20*time.Second, "the spool to empty", func() bool { return e.spool.Len() == 0 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	// A code that had to change reached the citizen by SMS: that is the code
	// they were told last.
	for _, req := range e.twilio.sent() {
		for key, p := range phones {
			if req.Form.Get("To") == string(p) {
				told[key] = codeIn(t, req.Form.Get("Body"))
			}
		}
	}
	items := e.stream()
	if len(items) != len(told) {
		t.Fatalf("%d items on the stream, want %d", len(items), len(told))
	}
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it.Key] {
			t.Fatalf("%s published twice", it.Key)
		}
		seen[it.Key] = true
		if want, ok := told[it.Key]; !ok || it.Code != want {
			t.Fatalf("%s has code %s, the citizen was told %s", it.Key, it.Code, want)
		}
	}

	// Submitting again now that NATS is back keeps the code, too.
	resp = e.operatorPost("tok-op", "application/json", goodCall)
	status(t, resp, http.StatusAccepted)
	decodeJSON(t, resp, &op)
	if op.TrackingCode != told["hotline:op:1022-20250610-0042"] || len(e.stream()) != len(told) {
		t.Fatalf("after the spool: code %s, %d items", op.TrackingCode, len(e.stream()))
	}
}

// spelledCode turns "7, K, 3, M, 9, Q, X, T" back into "7K3M-9QXT".
func spelledCode(said string) string {
	var b []byte
	for i := 0; i < len(said); i++ {
		c := said[i]
		if (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') && (i+1 == len(said) || said[i+1] == ',' || said[i+1] == '.') &&
			(i == 0 || said[i-1] == ' ') {
			b = append(b, c)
			if len(b) == 8 {
				break
			}
		}
	}
	if len(b) != 8 {
		return said
	}
	return string(b[:4]) + "-" + string(b[4:])
}

// TestSpoolCodeTakenMeanwhile: a code handed out offline that another key
// took meanwhile is replaced, and the citizen gets an SMS with the new one.
func TestSpoolCodeTakenMeanwhile(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	other := &feedback.Item{Key: "hotline:sms:SM" + fmt.Sprintf("%032x", 1), Channel: feedback.ChannelHotline,
		ReceivedAt: time.Now(), Content: "Cây đổ trên đường Hồ Học Lãm."}
	taken, err := e.intake.Submit(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	mine := &feedback.Item{Key: "hotline:sms:SM" + fmt.Sprintf("%032x", 2), Channel: feedback.ChannelHotline,
		ReceivedAt: time.Now(), Content: "Nước cống bốc mùi hẻm 88.", Citizen: feedback.Citizen{Phone: "+84905556677"},
		Code: taken} // told offline, and by chance the code another item got
	if code, err := e.spool.Put(mine); err != nil || code != taken {
		t.Fatalf("Put: %s, %v", code, err)
	}

	// Twilio is down at first: the item is published, the file stays until
	// the citizen has been told.
	e.twilio.setStatus(http.StatusServiceUnavailable)
	if left := e.spool.Flush(ctx); left != 1 {
		t.Fatalf("%d left while the SMS could not go, want 1", left)
	}
	e.twilio.setStatus(0)
	if left := e.spool.Flush(ctx); left != 0 {
		t.Fatalf("%d left, want 0", left)
	}
	var newCode feedback.TrackingCode
	for _, it := range e.stream() {
		if it.Key == mine.Key {
			newCode = it.Code
		}
	}
	if newCode == "" || newCode == taken {
		t.Fatalf("published with code %q (taken: %s)", newCode, taken)
	}
	sent := e.twilio.sent()
	last := sent[len(sent)-1]
	if last.Form.Get("To") != "+84905556677" || codeIn(t, last.Form.Get("Body")) != newCode {
		t.Fatalf("new-code SMS %+v", last.Form)
	}
	if n := len(e.stream()); n != 2 {
		t.Fatalf("%d items, want 2", n)
	}
}
