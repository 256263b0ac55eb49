// The end-to-end tests drive the whole program through run, as a user
// would: over HTTP, against the embedded NATS and FerretDB. They are in
// package main because run is not exported; everything else is tested
// from external packages.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"pakn.local/services/internal/signature"
)

// lineWriter hands each line written to it to a channel, so a test can wait
// for "listening on …" and learn the port of PAKN_ADDR=:0.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
	all   strings.Builder
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all.Write(p)
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.WriteString(line)
			return len(p), nil
		}
		select {
		case w.lines <- strings.TrimSpace(line):
		default:
		}
	}
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}

type instance struct {
	base   string
	stdout *lineWriter
	stderr *lineWriter
	stop   func() error
}

// start runs PAKN with env on top of the test defaults and waits until /readyz is 200.
func start(t *testing.T, env map[string]string) *instance {
	t.Helper()
	vars := map[string]string{
		"PAKN_ADDR":          "127.0.0.1:0",
		"PAKN_APP_TOKENS":    "app-token-1,app-token-2",
		"PAKN_DEMO_PASSWORD": "demo-password",
		"PAKN_LOG_LEVEL":     "warn",
	}
	for k, v := range env {
		vars[k] = v
	}
	stdout := &lineWriter{lines: make(chan string, 256)}
	stderr := &lineWriter{lines: make(chan string, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	args := []string{"pakn"}
	if target := vars["PAKN_TARGET_FLAG"]; target != "" {
		args = append(args, "-target="+target)
	}
	go func() { done <- run(ctx, args, func(k string) string { return vars[k] }, stdout, stderr) }()
	inst := &instance{stdout: stdout, stderr: stderr}
	inst.stop = func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(60 * time.Second):
			t.Fatal("run did not return within 60s of cancel")
			return nil
		}
	}
	deadline := time.After(120 * time.Second)
	for inst.base == "" {
		select {
		case line := <-stdout.lines:
			if _, addr, ok := strings.Cut(line, "listening on "); ok {
				inst.base = addr
			}
		case err := <-done:
			t.Fatalf("run returned before listening: %v\nstderr:\n%s", err, stderr.String())
		case <-deadline:
			t.Fatalf("not listening after 120s\nstderr:\n%s", stderr.String())
		}
	}
	waitFor(t, 60*time.Second, func() bool {
		res, err := http.Get(inst.base + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	return inst
}

func waitFor(t *testing.T, within time.Duration, ok func() bool) {
	t.Helper()
	end := time.Now().Add(within)
	for !ok() {
		if time.Now().After(end) {
			t.Fatalf("condition not met within %s", within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type call struct {
	method, path, body string
	header             map[string]string
}

func (in *instance) do(t *testing.T, c call) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(c.method, in.base+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if len(raw) > 0 && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: bad JSON %q: %v", c.method, c.path, raw, err)
		}
	}
	return res.StatusCode, out
}

func appHeaders(key string) map[string]string {
	return map[string]string{"Authorization": "Bearer app-token-1", "Idempotency-Key": key}
}

func (in *instance) login(t *testing.T, username string) string {
	t.Helper()
	st, body := in.do(t, call{method: "POST", path: "/desk/v1/login",
		body: `{"username":"` + username + `","password":"demo-password"}`})
	if st != http.StatusOK {
		t.Fatalf("login %s: %d %v", username, st, body)
	}
	return body["token"].(string)
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

const potholeReport = `{"content":"Đường Tên Lửa đoạn trước chợ có ổ gà rất lớn, xe máy té ngã nhiều lần, đề nghị sửa gấp.",
 "ward":"Bình Trị Đông B","address":"Đường Tên Lửa, phường Bình Trị Đông B",
 "citizen":{"id":"citizen-42","name":"Nguyễn Văn An","phone":"+84901234567"}}`

// appBackend stands in for the Digital Citizen app's backend: it records
// the callbacks PAKN sends, checking each signature.
type appBackend struct {
	mu        sync.Mutex
	callbacks []map[string]any
	badSig    int
}

func (a *appBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := signature.Verify([]byte("app-token-1"), r.Header.Get("X-PAKN-Signature"), body, time.Now(), signature.DefaultTolerance); err != nil {
		a.badSig++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	m["idempotency_header"] = r.Header.Get("Idempotency-Key")
	a.callbacks = append(a.callbacks, m)
	w.WriteHeader(http.StatusNoContent)
}

func (a *appBackend) find(typ string) map[string]any {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range a.callbacks {
		if c["type"] == typ {
			return c
		}
	}
	return nil
}

func TestEndToEndAppToDeskAndBack(t *testing.T) {
	dataDir := t.TempDir()
	backend := &appBackend{}
	stand := httptest.NewServer(backend)
	defer stand.Close()
	in := start(t, map[string]string{"PAKN_DATA_DIR": dataDir, "PAKN_APP_CALLBACK_URL": stand.URL + "/pakn/callbacks",
		"PAKN_LOG_LEVEL": "debug"})
	if !strings.Contains(in.stdout.String(), "supervisor") {
		t.Fatalf("demo sign-ins not printed; stdout:\n%s", in.stdout.String())
	}

	// The citizen reports through the app, and retries.
	st, body := in.do(t, call{method: "POST", path: "/app/v1/feedback", body: potholeReport, header: appHeaders("app-req-1")})
	if st != http.StatusAccepted {
		t.Fatalf("submit: %d %v", st, body)
	}
	code, _ := body["tracking_code"].(string)
	if len(code) != 9 {
		t.Fatalf("tracking code %q", code)
	}
	st, body = in.do(t, call{method: "POST", path: "/app/v1/feedback", body: potholeReport, header: appHeaders("app-req-1")})
	if st != http.StatusAccepted || body["tracking_code"] != code {
		t.Fatalf("retry: %d %v, want the same code %s", st, body, code)
	}

	// The router assigns it.
	var status map[string]any
	waitFor(t, 30*time.Second, func() bool {
		_, status = in.do(t, call{method: "GET", path: "/app/v1/feedback/" + code, header: appHeaders("")})
		return status["status"] == "assigned"
	})
	if status["ward"] != "binh-tri-dong-b" || status["category"] != "giao-thong" {
		t.Fatalf("routed as %v", status)
	}

	// The supervisor sees who has it; that official answers.
	sup := in.login(t, "supervisor")
	st, ticket := in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(sup)})
	if st != http.StatusOK {
		t.Fatalf("supervisor reads ticket: %d %v", st, ticket)
	}
	assignee := ticket["assignee"].(map[string]any)["username"].(string)
	unit := ticket["unit"].(map[string]any)["id"].(string)
	if assignee == "" || unit == "" || ticket["deadline"] == "" {
		t.Fatalf("ticket not assigned: %v", ticket)
	}
	official := in.login(t, assignee)
	st, inbox := in.do(t, call{method: "GET", path: "/desk/v1/tickets", header: bearer(official)})
	if st != http.StatusOK || !strings.Contains(toJSON(inbox), code) {
		t.Fatalf("inbox of %s lacks %s: %d %v", assignee, code, st, inbox)
	}
	answer := "Phường đã cử đội duy tu vá ổ gà trong ngày 28/11. Cảm ơn ông đã phản ánh."
	st, body = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/replies", header: bearer(official),
		body: `{"body":"` + answer + `","public":true}`})
	if st != http.StatusCreated {
		t.Fatalf("reply: %d %v", st, body)
	}
	st, body = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/replies", header: bearer(official),
		body: `{"body":"Đã giao đội duy tu, kiểm tra lại ngày 29/11.","public":false}`})
	if st != http.StatusCreated {
		t.Fatalf("note: %d %v", st, body)
	}

	// An official of another unit cannot see it.
	other := "anlac.head"
	if unit == "ward-an-lac" {
		other = "tantao.head"
	}
	st, _ = in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(in.login(t, other))})
	if st != http.StatusNotFound {
		t.Fatalf("official of another unit got %d, want 404", st)
	}

	// The citizen sees the public answer, not the internal note.
	_, status = in.do(t, call{method: "GET", path: "/app/v1/feedback/" + code, header: appHeaders("")})
	if status["status"] != "answered" || !strings.Contains(toJSON(status), "đội duy tu vá ổ gà") ||
		strings.Contains(toJSON(status), "kiểm tra lại") || strings.Contains(toJSON(status), "0901234567") {
		t.Fatalf("citizen view: %v", status)
	}

	// The app backend heard of the routing and of the answer, signed.
	waitFor(t, 30*time.Second, func() bool { return backend.find("replied") != nil })
	routed, replied := backend.find("routed"), backend.find("replied")
	if routed == nil || routed["status"] != "assigned" || routed["idempotency_key"] != "app-req-1" || routed["citizen_id"] != "citizen-42" {
		t.Fatalf("routed callback %v", routed)
	}
	ans, _ := replied["answer"].(map[string]any)
	if replied["tracking_code"] != code || ans == nil || ans["body"] != answer || replied["idempotency_header"] != replied["event_id"] {
		t.Fatalf("replied callback %v", replied)
	}
	backend.mu.Lock()
	if backend.badSig != 0 || len(backend.callbacks) != 2 {
		t.Fatalf("%d callbacks, %d with a bad signature; want 2 (routed, answer; not the internal note)", len(backend.callbacks), backend.badSig)
	}
	backend.mu.Unlock()

	if err := in.stop(); err != nil {
		t.Fatalf("run returned %v", err)
	}
	if logs := in.stderr.String(); strings.Contains(logs, "901234567") || !strings.Contains(logs, `"msg":"item routed"`) {
		t.Fatalf("the logs carry the citizen's phone number, or say nothing of routing:\n%s", logs)
	}

	// After a restart on the same data the ticket is there, and nothing is seeded again.
	in2 := start(t, map[string]string{"PAKN_DATA_DIR": dataDir})
	defer in2.stop()
	_, status = in2.do(t, call{method: "GET", path: "/app/v1/feedback/" + code, header: appHeaders("")})
	if status["status"] != "answered" {
		t.Fatalf("after restart: %v", status)
	}
	if strings.Contains(in2.stdout.String(), "demo sign-ins") {
		t.Fatal("sign-ins printed again on a seeded data folder")
	}
	st, body = in2.do(t, call{method: "POST", path: "/app/v1/feedback", body: potholeReport, header: appHeaders("app-req-1")})
	if st != http.StatusAccepted || body["tracking_code"] != code {
		t.Fatalf("retry after restart: %d %v, want %s", st, body, code)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestBadInputChangesNothing sends hostile requests to the app API; each gets
// a JSON error with its status, and the item count in /metrics stays zero.
func TestBadInputChangesNothing(t *testing.T) {
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir()})
	defer in.stop()
	big := `{"content":"` + strings.Repeat("a", 70<<10) + `"}`
	cases := []struct {
		name   string
		c      call
		status int
		code   string
	}{
		{"no token", call{method: "POST", path: "/app/v1/feedback", body: `{"content":"x"}`, header: map[string]string{"Idempotency-Key": "k"}}, 401, "unauthorized"},
		{"wrong token", call{method: "POST", path: "/app/v1/feedback", body: `{"content":"x"}`, header: map[string]string{"Authorization": "Bearer nope", "Idempotency-Key": "k"}}, 401, "unauthorized"},
		{"no idempotency key", call{method: "POST", path: "/app/v1/feedback", body: `{"content":"x"}`, header: appHeaders("")}, 400, "invalid"},
		{"malformed json", call{method: "POST", path: "/app/v1/feedback", body: `{"content":`, header: appHeaders("k1")}, 400, "invalid"},
		{"unknown field", call{method: "POST", path: "/app/v1/feedback", body: `{"content":"x","admin":true}`, header: appHeaders("k2")}, 400, "invalid"},
		{"operator object", call{method: "POST", path: "/app/v1/feedback", body: `{"content":{"$gt":""}}`, header: appHeaders("k3")}, 400, "invalid"},
		{"invalid utf8", call{method: "POST", path: "/app/v1/feedback", body: "{\"content\":\"\xff\xfe\"}", header: appHeaders("k4")}, 400, "invalid"},
		{"too large", call{method: "POST", path: "/app/v1/feedback", body: big, header: appHeaders("k5")}, 413, "too_large"},
		{"empty content", call{method: "POST", path: "/app/v1/feedback", body: `{"content":"  "}`, header: appHeaders("k6")}, 400, "invalid"},
		{"two values", call{method: "POST", path: "/app/v1/feedback", body: `{"content":"x"}{"content":"y"}`, header: appHeaders("k7")}, 400, "invalid"},
		{"bad login", call{method: "POST", path: "/desk/v1/login", body: `{"username":"supervisor","password":"wrong"}`}, 401, "unauthorized"},
		{"desk without token", call{method: "GET", path: "/desk/v1/tickets"}, 401, "unauthorized"},
		{"bad tracking code", call{method: "GET", path: "/app/v1/feedback/not-a-code!", header: appHeaders("")}, 400, "invalid"},
		{"unknown tracking code", call{method: "GET", path: "/app/v1/feedback/AAAA-AAAA", header: appHeaders("")}, 404, "not_found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, body := in.do(t, tc.c)
			if st != tc.status {
				t.Fatalf("status %d, want %d (%v)", st, tc.status, body)
			}
			e, _ := body["error"].(map[string]any)
			if e["code"] != tc.code || e["message"] == "" || e["message_en"] == "" {
				t.Fatalf("error body %v, want code %s with messages", body, tc.code)
			}
		})
	}
	res, err := http.Get(in.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "pakn_items_accepted_total") || strings.HasPrefix(sc.Text(), "pakn_items_published_total") {
			t.Fatalf("bad input was accepted: %s", sc.Text())
		}
	}
}

// submitRouted sends an item through the app API and waits until the desk
// shows its ticket to the holder of token; it returns the ticket.
func (in *instance) submitRouted(t *testing.T, key, body, token string) map[string]any {
	t.Helper()
	st, res := in.do(t, call{method: "POST", path: "/app/v1/feedback", header: appHeaders(key), body: body})
	if st != http.StatusAccepted {
		t.Fatalf("submit %s: %d %v", key, st, res)
	}
	var ticket map[string]any
	waitFor(t, 30*time.Second, func() bool {
		st, ticket = in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + res["tracking_code"].(string), header: bearer(token)})
		return st == http.StatusOK
	})
	return ticket
}
