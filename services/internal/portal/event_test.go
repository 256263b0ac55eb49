package portal_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/portal"
)

// FuzzPortalEvent feeds arbitrary bodies to the decoder that push and feed
// share. It must not panic; what it accepts must be a valid portal item;
// what it refuses must be refused as the caller's fault (400), never as ours.
func FuzzPortalEvent(f *testing.F) {
	for _, name := range []string{"event_full.json", "event_minimal.json", "event_html.json"} {
		f.Add(fixture(f, name))
	}
	for _, s := range []string{
		`{"event_id":"a","submitted_at":"2026-11-21T19:05:00Z","content":{"$gt":""}}`,
		`{"event_id":"\ud800","submitted_at":"2026-11-21T19:05:00Z","content":"x"}`,
		`{"event_id":"a","submitted_at":"2026-11-21T19:05:00Z","content":"x","location":{"lat":1e400,"lng":0}}`,
		`{"event_id":"a","submitted_at":"9999-12-31T23:59:59Z","content":"x"}`,
		`{"event_id":"a","submitted_at":"2026-11-21T19:05:00+25:00","content":"x"}`,
		`{"event_id":"a","submitted_at":"2026-11-21T19:05:00Z","content":"x","attachments":[{"url":"https://x"},null]}`,
		`{"event_id":"a","submitted_at":"2026-11-21T19:05:00Z","content":"x","citizen":null,"location":null}`,
		"{\"event_id\":\"a\x00\",\"content\":\"\xff\"}",
		`{"EVENT_ID":"a","Submitted_At":"2026-11-21T19:05:00Z","content":"x"}`,
		`null`, `[]`, `""`, `{}`, ``,
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		it, err := portal.DecodeEvent(body, now)
		if err != nil {
			var fe *feedback.Error
			if !errors.As(err, &fe) || fe.Code != feedback.EINVALID {
				t.Fatalf("refused with %v: not an EINVALID *feedback.Error", err)
			}
			return
		}
		if verr := it.Validate(); verr != nil {
			t.Fatalf("accepted an item that fails Validate: %v", verr)
		}
		if it.Channel != feedback.ChannelPortal || !strings.HasPrefix(it.Key, "portal:") || len(it.Key) <= len("portal:") {
			t.Fatalf("key %q channel %q", it.Key, it.Channel)
		}
		if it.ReceivedAt.IsZero() || it.ReceivedAt.After(now.Add(portal.MaxFutureSkew)) || it.ReceivedAt.Location() != time.UTC {
			t.Fatalf("received_at %s", it.ReceivedAt)
		}
	})
}

// The fixtures are what a portal really sends; each must decode.
func TestFixturesDecode(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "event_*.json"))
	if err != nil || len(names) == 0 {
		t.Fatal("no fixtures", err)
	}
	for _, name := range names {
		body, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := portal.DecodeEvent(body, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSubmittedAtBounds(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		at string
		ok bool
	}{
		{"2026-11-27T19:00:00+07:00", true},
		{"2026-11-28T12:00:00Z", true}, // exactly a day ahead: a portal clock running fast
		{"2026-11-28T12:00:01Z", false},
		{"2026-11-27T12:00:00.123456789Z", true},
		{"2026-11-27 12:00:00Z", false},
		{"2026-11-27T12:00:00", false},
		{"1999-12-31T23:59:59Z", false},
		{"", false},
	}
	for _, tc := range cases {
		body := []byte(`{"event_id":"DVC-1","submitted_at":"` + tc.at + `","content":"Cây xanh ngã đè lên dây điện"}`)
		_, err := portal.DecodeEvent(body, now)
		if (err == nil) != tc.ok {
			t.Errorf("submitted_at %q: err %v, want ok=%v", tc.at, err, tc.ok)
		}
		if err != nil {
			var fe *feedback.Error
			if !errors.As(err, &fe) || fe.Field != "submitted_at" {
				t.Errorf("submitted_at %q: %v does not name the field", tc.at, err)
			}
		}
	}
}
