package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/admin"
	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/embedded/ferret"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/natsbus/natsbustest"
	"pakn.local/services/internal/seed"
)

// One FerretDB for the package (it takes a second to start), started by
// the first test that needs it: the fuzz workers, which run TestMain too,
// need none, and starting one each used to eat their time budget.
var (
	dbOnce sync.Once
	db     *ferret.Server
	dbStop func()
	dbErr  error
)

func ferretURI(t *testing.T) string {
	t.Helper()
	dbOnce.Do(func() { db, dbStop, dbErr = ferret.StartTemp("pakn-admin-") })
	if dbErr != nil {
		t.Fatal(dbErr)
	}
	return db.URI()
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dbStop != nil {
		dbStop()
	}
	os.Exit(code)
}

type env struct {
	t       *testing.T
	handler http.Handler
	store   *mongostore.Store
	tokens  *auth.Tokens
	nc      *nats.Conn
	js      jetstream.JetStream
}

// newEnv seeds the demo district into a fresh database and serves the
// admin API over it. store, if not nil, stands between the API and the
// database (to make a write fail).
func newEnv(t *testing.T, wrap func(*mongostore.Store) admin.Store) *env {
	t.Helper()
	ctx := context.Background()
	s, err := mongostore.Connect(ferretURI(t), fmt.Sprintf("a%d", time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	org, err := seed.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(ctx, org, "seed-hash", time.Now()); err != nil {
		t.Fatal(err)
	}
	bus := natsbustest.Start(t)
	nc, js := bus.Conn, bus.JS
	tokens, err := auth.NewTokens(bytes.Repeat([]byte("k"), 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	var store admin.Store = s
	if wrap != nil {
		store = wrap(s)
	}
	h := admin.NewServer(admin.Deps{
		Log: slog.New(slog.DiscardHandler), Store: store, Tokens: tokens,
		Notifier: admin.NewNATSNotifier(nc), JS: js,
	})
	return &env{t: t, handler: h, store: s, tokens: tokens, nc: nc, js: js}
}

// token signs in as a seeded official.
func (e *env) token(username string) string {
	e.t.Helper()
	o, _, err := e.store.Official(context.Background(), username)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.tokens.Issue(o)
}

// do sends a request as username ("" for none); body is JSON-encoded
// unless it is a string, which is sent as it is.
func (e *env) do(method, path, username string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	tok := ""
	if username != "" {
		tok = e.token(username)
	}
	return e.doToken(method, path, tok, body)
}

func (e *env) doToken(method, path, token string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.send(method, path, token, body, "application/json")
}

// doTokenHeader sends a raw body with the content type given.
func (e *env) doTokenHeader(method, path, username, body, contentType string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.send(method, path, e.token(username), body, contentType)
}

func (e *env) send(method, path, token string, body any, contentType string) *httptest.ResponseRecorder {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	e.handler.ServeHTTP(w, req)
	return w
}

// change is an audit entry as the API answers it.
type change struct {
	ID     string          `json:"id"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Kind   string          `json:"kind"`
	Action string          `json:"action"`
	Target string          `json:"target"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
	Reason string          `json:"reason"`
	Status string          `json:"status"`
}

type apiError struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		MessageEN string `json:"message_en"`
		Field     string `json:"field"`
	} `json:"error"`
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %s: %v", w.Body.String(), err)
	}
	return v
}

func (e *env) changes() []change {
	e.t.Helper()
	w := e.do(http.MethodGet, "/admin/v1/changes", "supervisor", nil)
	if w.Code != http.StatusOK {
		e.t.Fatalf("changes: %d %s", w.Code, w.Body)
	}
	return decode[struct {
		Changes []change `json:"changes"`
	}](e.t, w).Changes
}

func (e *env) official(username string) feedback.Official {
	e.t.Helper()
	o, _, err := e.store.Official(context.Background(), username)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// official is a PUT body for an official; fields may be overridden.
func officialBody(over map[string]any) map[string]any {
	b := map[string]any{
		"name": "Nguyễn Thị Mới", "unit_id": "ward-an-lac", "role": "official",
		"active": true, "on_duty": true, "phone": "+84909123456", "password": "mat-khau-dai-du",
	}
	for k, v := range over {
		if v == nil {
			delete(b, k)
			continue
		}
		b[k] = v
	}
	return b
}

func categoryBody(over map[string]any) map[string]any {
	b := map[string]any{
		"name": "Y tế cộng đồng", "name_en": "Community health", "owner": "department", "department": "dept-vhtt",
		"deadline_days": 7, "keywords": []string{"tram y te", "tiêm chủng"},
	}
	for k, v := range over {
		if v == nil {
			delete(b, k)
			continue
		}
		b[k] = v
	}
	return b
}
