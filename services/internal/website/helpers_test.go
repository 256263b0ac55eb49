package website_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	paknv1 "pakn.local/proto/pakn/v1"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/natsbus"
	"pakn.local/services/internal/natsbus/natsbustest"
	"pakn.local/services/internal/seed"
	"pakn.local/services/internal/website"
)

const testSecret = "test-secret-test-secret-test-secret-0123"

// orgStore stands in for the lead's MongoDB store with the demo district.
type orgStore struct {
	org  feedback.Organisation
	down bool
}

func (o *orgStore) err() error {
	if o.down {
		return feedback.Unavailable(errors.New("test: organisation down"))
	}
	return nil
}
func (o *orgStore) Categories(context.Context) ([]feedback.Category, error) {
	return o.org.Categories, o.err()
}
func (o *orgStore) Wards(context.Context) ([]feedback.Ward, error) { return o.org.Wards, o.err() }
func (o *orgStore) Units(context.Context) ([]feedback.Unit, error) { return o.org.Units, o.err() }

// ticketStore stands in for the router's tickets in MongoDB.
type ticketStore struct {
	mu    sync.Mutex
	m     map[feedback.TrackingCode]*feedback.Ticket
	down  bool
	reads int
}

func (s *ticketStore) readCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads
}

func (s *ticketStore) setDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

func (s *ticketStore) Ticket(_ context.Context, code feedback.TrackingCode) (*feedback.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	if s.down {
		return nil, feedback.Unavailable(errors.New("test: store down"))
	}
	t, ok := s.m[code]
	if !ok {
		return nil, feedback.Errorf(feedback.ENOTFOUND, "Không tìm thấy phản ánh %s.", "no ticket %s", code)
	}
	return t, nil
}

func (s *ticketStore) put(t *feedback.Ticket) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[t.Code] = t
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a website on a real embedded NATS.
type env struct {
	t       *testing.T
	srv     *httptest.Server
	js      jetstream.JetStream
	intake  *natsbus.Intake
	org     *orgStore
	tickets *ticketStore
	clock   *clock
	client  *http.Client
	cfg     website.Config
	handler http.Handler
}

const publicURL = "https://pakn.example.vn"

func newEnv(t *testing.T, tweak ...func(*website.Config)) *env {
	t.Helper()
	b := natsbustest.Start(t)
	js, in := b.JS, b.Intake
	ctx := context.Background()
	up, err := website.OpenUploads(ctx, js, 1)
	if err != nil {
		t.Fatal(err)
	}
	org, err := seed.Default()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{
		t: t, js: js, intake: in,
		org:     &orgStore{org: org},
		tickets: &ticketStore{m: map[feedback.TrackingCode]*feedback.Ticket{}},
		clock:   &clock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)},
	}
	e.cfg = website.Config{PublicURL: publicURL, Secret: []byte(testSecret), RateLimit: 100, Now: e.clock.Now}
	for _, f := range tweak {
		f(&e.cfg)
	}
	h, err := website.NewServer(e.cfg, slog.New(slog.DiscardHandler), metrics.New(), in, up, e.org, e.tickets)
	if err != nil {
		t.Fatal(err)
	}
	e.handler = h
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	e.client = &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return e
}

// published returns the items on the intake stream.
func (e *env) published() []*paknv1.Item {
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
	var out []*paknv1.Item
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			e.t.Fatal(err)
		}
		var it paknv1.Item
		if err := proto.Unmarshal(m.Data, &it); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, &it)
	}
	return out
}

// get fetches a page; lang "" sends no ?lang.
func (e *env) get(path string, hdr ...string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return e.do(req)
}

func (e *env) do(req *http.Request) (*http.Response, string) {
	e.t.Helper()
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(b)
}

var tokenRe = regexp.MustCompile(`name="token" value="([^"]+)"`)

// token renders the form and returns its token.
func (e *env) token() string {
	e.t.Helper()
	resp, body := e.get("/")
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("GET / = %d", resp.StatusCode)
	}
	m := tokenRe.FindStringSubmatch(body)
	if m == nil {
		e.t.Fatal("no token in the form")
	}
	return m[1]
}

// upload is one file part.
type upload struct {
	filename    string
	contentType string // what the client claims
	data        []byte
}

// form is a submission as a browser would build it.
type form struct {
	fields [][2]string
	files  []upload
}

func (f *form) set(name, value string) {
	for i := range f.fields {
		if f.fields[i][0] == name {
			f.fields[i][1] = value
			return
		}
	}
	f.fields = append(f.fields, [2]string{name, value})
}

func (f *form) del(name string) {
	var out [][2]string
	for _, kv := range f.fields {
		if kv[0] != name {
			out = append(out, kv)
		}
	}
	f.fields = out
}

func (f form) encode() ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range f.fields {
		_ = w.WriteField(kv[0], kv[1])
	}
	for _, u := range f.files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="photos"; filename=%q`, u.filename))
		h.Set("Content-Type", u.contentType)
		p, _ := w.CreatePart(h)
		_, _ = p.Write(u.data)
	}
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// validForm is what a citizen fills in; the token comes from a GET.
func validForm(token string) form {
	return form{fields: [][2]string{
		{"token", token},
		{"lang", "vi"},
		{"content", "Cống thoát nước bị tắc trước nhà số 45, mưa là ngập."},
		{"category", "ngap-nuoc"},
		{"ward", "binh-tri-dong-b"},
		{"address", "45 đường số 7, khu phố 3"},
		{"name", ""},
		{"phone", "0901 234 567"},
		{"extra_note", ""},
	}}
}

func (e *env) post(f form, hdr ...string) (*http.Response, string) {
	e.t.Helper()
	body, ct := f.encode()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return e.do(req)
}

// codeOf reads the tracking code from a 303 to /sent/<code>.
func codeOf(t *testing.T, resp *http.Response, body string) feedback.TrackingCode {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303; body:\n%s", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.Path, "/sent/") {
		t.Fatalf("Location %q", resp.Header.Get("Location"))
	}
	code, err := feedback.ParseTrackingCode(strings.TrimPrefix(loc.Path, "/sent/"))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func pngPhoto(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := range 4 {
		img.Set(x, 1, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegPhoto(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fixture(t testing.TB, name string) []byte {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
