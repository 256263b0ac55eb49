package hotline_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/embedded"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/hotline"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/natsbus"
)

// The tests' Twilio account; the fixtures in testdata name it.
const (
	testAccount = "ACf0e1d2c3b4a5968778695a4b3c2d1e0f"
	testToken   = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	testFrom    = "+842838000000"
)

// env is one hotline server on a real embedded NATS, with a stand-in for
// Twilio's REST API.
type env struct {
	t       *testing.T
	natsDir string
	nats    *embedded.NATS
	nc      *nats.Conn
	js      jetstream.JetStream
	intake  *natsbus.Intake
	twilio  *standIn
	sms     *hotline.SMS
	spool   *hotline.Spool
	srv     *httptest.Server
	cfg     hotline.Config
}

type envOptions struct {
	unconfigured bool
	ops          hotline.Operators
}

func newEnv(t *testing.T, opt envOptions) *env {
	t.Helper()
	e := &env{t: t, natsDir: t.TempDir()}
	n, err := embedded.StartNATS(e.natsDir)
	if err != nil {
		t.Fatal(err)
	}
	e.nats = n
	t.Cleanup(func() { e.nats.Shutdown() })
	e.nc, err = natsbus.Connect(n.URL(), "hotline-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.nc.Close)
	if e.js, err = jetstream.New(e.nc); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := natsbus.EnsureStreams(ctx, e.js, 1); err != nil {
		t.Fatal(err)
	}
	if e.intake, err = natsbus.NewIntake(ctx, e.js); err != nil {
		t.Fatal(err)
	}
	e.twilio = newStandIn(t)

	e.srv = httptest.NewUnstartedServer(nil)
	public := "http://" + e.srv.Listener.Addr().String()
	e.cfg = hotline.Config{AccountSID: testAccount, AuthToken: testToken, From: testFrom,
		PublicURL: public + "/", APIURL: e.twilio.srv.URL, SubmitTimeout: 700 * time.Millisecond}
	if opt.unconfigured {
		e.cfg = hotline.Config{PublicURL: public}
	} else if e.sms, err = hotline.NewSMS(e.cfg); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	var notifier hotline.Notifier
	if e.sms != nil {
		notifier = e.sms
	}
	e.spool, err = hotline.NewSpool(hotline.SpoolConfig{Dir: hotline.SpoolDir(t.TempDir()), Interval: 100 * time.Millisecond,
		PublicURL: public}, e.intake, notifier, log, metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Config.Handler = hotline.NewServer(e.cfg, log, metrics.New(), e.intake, e.spool, opt.ops)
	e.srv.Start()
	t.Cleanup(e.srv.Close)
	return e
}

// public is the base URL Twilio would call.
func (e *env) public() string { return strings.TrimRight(e.cfg.PublicURL, "/") }

// sign computes X-Twilio-Signature the way Twilio documents it, written
// out here rather than borrowed from the code under test: HMAC-SHA1 of the
// full URL followed by each parameter name and value, names sorted.
func sign(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := fullURL
	for _, k := range keys {
		s += k + form[k][0]
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// request is one webhook call as a test shapes it.
type request struct {
	target      string // path and query, or a full URL taken from TwiML
	body        string
	contentType string // default form
	signURL     string // default: the URL requested
	signature   string // default: computed; "-" for none
	signForm    url.Values
}

func (e *env) do(r request) *http.Response {
	e.t.Helper()
	full := r.target
	if !strings.HasPrefix(full, "http") {
		full = e.public() + full
	}
	req, err := http.NewRequest(http.MethodPost, full, strings.NewReader(r.body))
	if err != nil {
		e.t.Fatal(err)
	}
	ct := r.contentType
	if ct == "" {
		ct = "application/x-www-form-urlencoded"
	}
	req.Header.Set("Content-Type", ct)
	sig := r.signature
	if sig == "" {
		signURL := r.signURL
		if signURL == "" {
			signURL = full
		}
		form := r.signForm
		if form == nil {
			form, _ = url.ParseQuery(r.body)
		}
		sig = sign(testToken, signURL, form)
	}
	if sig != "-" {
		req.Header.Set("X-Twilio-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// post sends a signed form.
func (e *env) post(target string, form url.Values) *http.Response {
	e.t.Helper()
	return e.do(request{target: target, body: form.Encode()})
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func fixtureForm(t *testing.T, name string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(fixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// with returns a copy of v with fields set.
func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// stream returns every item on the intake stream.
func (e *env) stream() []feedback.Item {
	e.t.Helper()
	ctx := context.Background()
	s, err := e.js.Stream(ctx, natsbus.IntakeStream)
	if err != nil {
		e.t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []feedback.Item
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			e.t.Fatal(err)
		}
		if m.Subject != "pakn.intake.hotline" {
			e.t.Fatalf("item on subject %s", m.Subject)
		}
		it, err := natsbus.UnmarshalItem(m.Data)
		if err != nil {
			e.t.Fatal(err)
		}
		if id := m.Header.Get("Nats-Msg-Id"); id != it.Key {
			e.t.Fatalf("Nats-Msg-Id %q, key %q", id, it.Key)
		}
		out = append(out, it)
	}
	return out
}

// node is any TwiML element, parsed without assuming attribute order.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// all returns the elements named name, depth first, in document order.
func (n node) all(name string) []node {
	var out []node
	for _, c := range n.Nodes {
		if c.XMLName.Local == name {
			out = append(out, c)
		}
		out = append(out, c.all(name)...)
	}
	return out
}

func (n node) one(t *testing.T, name string) node {
	t.Helper()
	got := n.all(name)
	if len(got) != 1 {
		t.Fatalf("want one <%s>, got %d in %+v", name, len(got), n)
	}
	return got[0]
}

// twiml checks a TwiML answer and parses it.
func twimlOf(t *testing.T, resp *http.Response) node {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Fatalf("Content-Type %q", ct)
	}
	var n node
	if err := xml.Unmarshal(body, &n); err != nil {
		t.Fatalf("TwiML does not parse: %v\n%s", err, body)
	}
	if n.XMLName.Local != "Response" {
		t.Fatalf("root <%s>", n.XMLName.Local)
	}
	return n
}

var codeRe = regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}`)

func codeIn(t *testing.T, text string) feedback.TrackingCode {
	t.Helper()
	c := codeRe.FindString(text)
	if c == "" {
		t.Fatalf("no tracking code in %q", text)
	}
	return feedback.TrackingCode(c)
}

func status(t *testing.T, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, want, body)
	}
}

// standIn plays Twilio's REST API and records what it was sent.
type standIn struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []sentRequest
	code int // HTTP status to answer; 0 means 201
}

type sentRequest struct {
	Method, Path, User, Password string
	Form                         url.Values
}

func newStandIn(t *testing.T) *standIn {
	s := &standIn{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		user, pass, _ := r.BasicAuth()
		s.mu.Lock()
		s.reqs = append(s.reqs, sentRequest{Method: r.Method, Path: r.URL.Path, User: user, Password: pass, Form: form})
		code := s.code
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if code == 0 {
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(map[string]any{
				"sid": "SM00000000000000000000000000000001", "status": "queued",
				"to": form.Get("To"), "from": form.Get("From"), "body": form.Get("Body"),
			})
			return
		}
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"code": 21211, "message": "Invalid 'To' Phone Number", "status": code,
			"more_info": "https://www.twilio.com/docs/errors/21211",
		})
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *standIn) setStatus(code int) {
	s.mu.Lock()
	s.code = code
	s.mu.Unlock()
}

func (s *standIn) sent() []sentRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sentRequest(nil), s.reqs...)
}

// eventually polls cond until it holds or the time is up.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func decodeJSON(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
