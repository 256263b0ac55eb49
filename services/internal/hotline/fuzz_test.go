package hotline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"pakn.local/services/internal/hotline"
)

func seedForms(f *testing.F, prefix string) [][]byte {
	names, err := filepath.Glob(filepath.Join("testdata", prefix+"*.form"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no %s fixtures: %v", prefix, err)
	}
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func clean(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

func FuzzSMSForm(f *testing.F) {
	for _, b := range seedForms(f, "sms_") {
		f.Add(b)
	}
	f.Add([]byte("MessageSid=SM00000000000000000000000000000000&AccountSid=AC00000000000000000000000000000000&Body=%FF%00"))
	f.Add([]byte("MessageSid=MM00000000000000000000000000000000&AccountSid=AC00000000000000000000000000000000&NumMedia=1&MediaUrl0=https%3A%2F%2Fx"))
	f.Add([]byte("Body=a&Body=b;c=%zz"))
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := hotline.DecodeSMSForm(body)
		if err != nil {
			return
		}
		if len(m.MessageSID) != 34 || !(strings.HasPrefix(m.MessageSID, "SM") || strings.HasPrefix(m.MessageSID, "MM")) {
			t.Fatalf("MessageSid %q", m.MessageSID)
		}
		if !strings.HasPrefix(m.AccountSID, "AC") || len(m.AccountSID) != 34 {
			t.Fatalf("AccountSid %q", m.AccountSID)
		}
		for _, s := range []string{m.Body, m.To, string(m.From)} {
			if !clean(s) {
				t.Fatalf("unclean text %q", s)
			}
		}
		if len(m.Media) > 10 {
			t.Fatalf("%d media", len(m.Media))
		}
		for _, a := range m.Media {
			if !strings.HasPrefix(a.URL, "https://") || !clean(a.ContentType) {
				t.Fatalf("media %+v", a)
			}
		}
	})
}

func FuzzVoiceCallback(f *testing.F) {
	state := hotline.CallState{Category: "ngap-nuoc", Subject: "ngập", Text: "Hẻm 12 bị ngập sâu."}.Encode()
	for _, b := range seedForms(f, "voice_") {
		f.Add(b, "")
		f.Add(b, "s="+state)
	}
	f.Add([]byte("CallSid=CA00000000000000000000000000000000&AccountSid=AC00000000000000000000000000000000"), "s=eyJjIjoia2hhYyJ9")
	f.Add([]byte("CallSid=CA00000000000000000000000000000000&AccountSid=AC00000000000000000000000000000000&Digits=%23"), "s=%%&s=")
	f.Fuzz(func(t *testing.T, body []byte, query string) {
		cb, err := hotline.DecodeVoiceForm(body, query)
		if err != nil {
			return
		}
		if len(cb.CallSID) != 34 || !strings.HasPrefix(cb.CallSID, "CA") {
			t.Fatalf("CallSid %q", cb.CallSID)
		}
		for _, s := range []string{cb.SpeechResult, cb.Digits, cb.RecordingURL, string(cb.From), cb.State.Subject, cb.State.Text} {
			if !clean(s) {
				t.Fatalf("unclean text %q", s)
			}
		}
		if cb.RecordingURL != "" && !strings.HasPrefix(cb.RecordingURL, "https://") {
			t.Fatalf("RecordingUrl %q", cb.RecordingURL)
		}
		// What one step decoded, the next step gets back unchanged.
		back, err := hotline.DecodeCallState(cb.State.Encode())
		if err != nil || back != cb.State {
			t.Fatalf("state %+v does not round-trip: %+v, %v", cb.State, back, err)
		}
	})
}
