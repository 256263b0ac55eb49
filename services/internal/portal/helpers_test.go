package portal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/embedded"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/natsbus"
	"pakn.local/services/internal/natsbus/natsbustest"
	"pakn.local/services/internal/portal"
	"pakn.local/services/internal/signature"
	"pakn.local/services/internal/web"
)

var secret = []byte("whsec_7f1c0e9b2d_binhtan_portal")

// bus is one real embedded NATS with PAKN's streams and intake.
type bus struct {
	nats   *embedded.NATS
	js     jetstream.JetStream
	intake *natsbus.Intake
}

func startBus(t *testing.T) *bus {
	t.Helper()
	b := natsbustest.Start(t)
	return &bus{nats: b.NATS, js: b.JS, intake: b.Intake}
}

func (b *bus) stream(t *testing.T, name string) jetstream.Stream {
	t.Helper()
	s, err := b.js.Stream(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// count is how many messages a stream holds.
func (b *bus) count(t *testing.T, name string) uint64 {
	t.Helper()
	info, err := b.stream(t, name).Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// items decodes every item on the intake stream, checking the subject.
func (b *bus) items(t *testing.T) []feedback.Item {
	t.Helper()
	s := b.stream(t, natsbus.IntakeStream)
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []feedback.Item
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(context.Background(), seq)
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != "pakn.intake.portal" {
			t.Fatalf("item on %s, want pakn.intake.portal", m.Subject)
		}
		it, err := natsbus.UnmarshalItem(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, it)
	}
	return out
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newServer(b *bus, sec []byte) http.Handler {
	return portal.NewServer(portal.Config{Secret: sec}, quietLog(), metrics.New(), b.intake)
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sign(body []byte, at time.Time) string { return signature.Sign(secret, body, at) }

type request struct {
	body        []byte
	sig         string // empty: no header
	contentType string // empty: application/json
	ctx         context.Context
}

func post(t *testing.T, h http.Handler, r request) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/portal/v1/events", bytes.NewReader(r.body))
	if r.ctx != nil {
		req = req.WithContext(r.ctx)
	}
	ct := r.contentType
	if ct == "" {
		ct = "application/json"
	}
	if ct != "-" {
		req.Header.Set("Content-Type", ct)
	}
	if r.sig != "" {
		req.Header.Set(portal.SignatureHeader, r.sig)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// signedPost signs the body now and posts it.
func signedPost(t *testing.T, h http.Handler, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	return post(t, h, request{body: body, sig: sign(body, time.Now())})
}

type receipt struct {
	TrackingCode string `json:"tracking_code"`
	Status       string `json:"status"`
}

func accepted(t *testing.T, rec *httptest.ResponseRecorder) receipt {
	t.Helper()
	if rec.Code != http.StatusAccepted {
		t.Fatalf("status %d, want 202; body %s", rec.Code, rec.Body)
	}
	var r receipt
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	if _, err := feedback.ParseTrackingCode(r.TrackingCode); err != nil || r.Status != "received" {
		t.Fatalf("receipt %+v: %v", r, err)
	}
	return r
}

func errorBody(t *testing.T, rec *httptest.ResponseRecorder) web.ErrorDetail {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" && ct != "application/json; charset=UTF-8" {
		t.Fatalf("error Content-Type %q", ct)
	}
	raw, _ := io.ReadAll(rec.Body)
	var b web.ErrorBody
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		t.Fatalf("error body %s: %v", raw, err)
	}
	if b.Error.Code == "" || b.Error.Message == "" || b.Error.MessageEN == "" {
		t.Fatalf("incomplete error body %s", raw)
	}
	return b.Error
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func signWith(key, body []byte, at time.Time) string { return signature.Sign(key, body, at) }
