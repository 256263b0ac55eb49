package website_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/website"
)

func TestFormRendersVietnameseAndEnglish(t *testing.T) {
	e := newEnv(t)

	resp, body := e.get("/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	for _, want := range []string{
		`<html lang="vi">`, "Gửi phản ánh, kiến nghị", `<label class="label" for="content">`,
		`id="content" name="content"`, "<legend>Nơi xảy ra</legend>", "Giao thông", "Bình Trị Đông B",
		`<option value="">Không rõ</option>`, "Bạn có thể gửi ẩn danh", `enctype="multipart/form-data"`,
		`href="/?lang=en"`, `name="extra_note"`, `tabindex="-1"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("Vietnamese form lacks %q", want)
		}
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q: a page with a token must not be cached", cc)
	}
	if strings.Contains(body, "<script") {
		t.Error("the form must work without JavaScript, and has none")
	}

	resp, body = e.get("/?lang=en")
	for _, want := range []string{`<html lang="en">`, "Send feedback", "Roads and traffic", "Not sure", `href="/?lang=vi"`, "Tiếng Việt", "You can stay anonymous"} {
		if !strings.Contains(body, want) {
			t.Errorf("English form lacks %q", want)
		}
	}
	var ck *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "pakn_lang" {
			ck = c
		}
	}
	if ck == nil || ck.Value != "en" {
		t.Fatalf("?lang=en does not set the language cookie: %v", resp.Cookies())
	}
	if !ck.Secure || !ck.HttpOnly {
		t.Errorf("cookie %v: want Secure (https public URL) and HttpOnly", ck)
	}
	// The cookie remembers English; ?lang=vi switches back.
	_, body = e.get("/", "Cookie", "pakn_lang=en")
	if !strings.Contains(body, `<html lang="en">`) {
		t.Error("the language cookie is not honoured")
	}
	_, body = e.get("/?lang=vi", "Cookie", "pakn_lang=en")
	if !strings.Contains(body, `<html lang="vi">`) {
		t.Error("?lang=vi does not switch back")
	}
}

func TestSubmitPublishesItem(t *testing.T) {
	e := newEnv(t)
	tok := e.token()
	f := validForm(tok)
	f.set("name", "Nguyễn Văn An")
	photo := pngPhoto(t)
	f.files = []upload{
		{"cong.png", "image/png", photo},
		{"", "application/octet-stream", nil}, // an empty file input, as browsers send it
		{"pho.webp", "image/webp", fixture(t, "pixel.webp")},
	}
	resp, body := e.post(f)
	code := codeOf(t, resp, body)

	items := e.published()
	if len(items) != 1 {
		t.Fatalf("%d items published, want 1", len(items))
	}
	it := items[0]
	if it.GetTrackingCode() != string(code) || it.GetChannel() != "website" || !strings.HasPrefix(it.GetKey(), "website:") {
		t.Errorf("item code/channel/key = %q %q %q", it.GetTrackingCode(), it.GetChannel(), it.GetKey())
	}
	if it.GetContent() != "Cống thoát nước bị tắc trước nhà số 45, mưa là ngập." || it.GetWard() != "binh-tri-dong-b" || it.GetCategory() != "ngap-nuoc" {
		t.Errorf("item content/ward/category = %q %q %q", it.GetContent(), it.GetWard(), it.GetCategory())
	}
	if it.GetCitizen().GetPhone() != "0901234567" || it.GetCitizen().GetName() != "Nguyễn Văn An" {
		t.Errorf("citizen = %v", it.GetCitizen())
	}
	if it.GetLanguage() != "vi" || it.GetAddress() != "45 đường số 7, khu phố 3" {
		t.Errorf("language/address = %q %q", it.GetLanguage(), it.GetAddress())
	}
	atts := it.GetAttachments()
	if len(atts) != 2 {
		t.Fatalf("%d attachments, want 2: %v", len(atts), atts)
	}
	if atts[0].GetContentType() != "image/png" || atts[1].GetContentType() != "image/webp" {
		t.Errorf("attachment types %q %q", atts[0].GetContentType(), atts[1].GetContentType())
	}
	// The photo comes back from the public link, as it was sent.
	if !strings.HasPrefix(atts[0].GetUrl(), publicURL+"/files/") {
		t.Fatalf("attachment URL %q", atts[0].GetUrl())
	}
	path := strings.TrimPrefix(atts[0].GetUrl(), publicURL)
	resp, got := e.get(path)
	if resp.StatusCode != http.StatusOK || !bytes.Equal([]byte(got), photo) {
		t.Fatalf("GET %s = %d, %d bytes", path, resp.StatusCode, len(got))
	}
	for h, want := range map[string]string{
		"Content-Type":           "image/png",
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "public, max-age=31536000, immutable",
	} {
		if resp.Header.Get(h) != want {
			t.Errorf("%s = %q, want %q", h, resp.Header.Get(h), want)
		}
	}
	resp, _ = e.get(path, "If-None-Match", resp.Header.Get("ETag"))
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation = %d, want 304", resp.StatusCode)
	}
	for _, p := range []string{"/files/0123456789abcdef0123456789abcdef", "/files/..%2f..%2fetc", "/files/x"} {
		if resp, _ := e.get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, resp.StatusCode)
		}
	}

	// The page it redirects to shows the code big, and how to follow it.
	resp, body = e.get("/sent/" + string(code))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sent page = %d", resp.StatusCode)
	}
	for _, want := range []string{`id="tracking-code">` + string(code) + "<", `href="/track/` + string(code) + `"`, "10 ngày làm việc"} {
		if !strings.Contains(body, want) {
			t.Errorf("sent page lacks %q", want)
		}
	}
	if resp, _ := e.get("/sent/ZZZZ-ZZZZ"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a code never handed out: sent page = %d, want 404", resp.StatusCode)
	}
}

func TestEnglishSubmissionStaysEnglish(t *testing.T) {
	e := newEnv(t)
	f := validForm(e.token())
	f.set("lang", "en")
	resp, body := e.post(f)
	code := codeOf(t, resp, body)
	if loc := resp.Header.Get("Location"); loc != "/sent/"+string(code)+"?lang=en" {
		t.Errorf("Location %q", loc)
	}
	if got := e.published()[0].GetLanguage(); got != "en" {
		t.Errorf("item language %q", got)
	}
	f = validForm(e.token())
	f.set("lang", "en")
	f.set("content", "")
	_, body = e.post(f)
	if !strings.Contains(body, "Please describe the problem.") || !strings.Contains(body, `<html lang="en">`) {
		t.Error("errors of an English form are not in English")
	}
}

func TestResubmissionGivesSameCode(t *testing.T) {
	e := newEnv(t)
	f := validForm(e.token())
	f.files = []upload{{"a.jpg", "image/jpeg", jpegPhoto(t)}}
	resp, body := e.post(f)
	c1 := codeOf(t, resp, body)
	// The citizen's connection dropped; the browser sends the form again.
	resp, body = e.post(f)
	c2 := codeOf(t, resp, body)
	// And a double click: two at once.
	var wg sync.WaitGroup
	codes := make([]string, 2)
	for i := range codes {
		wg.Go(func() {
			body, ct := f.encode()
			resp, err := http.Post(e.srv.URL+"/", ct, bytes.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i] = resp.Request.URL.Path // followed to /sent/<code>
		})
	}
	wg.Wait()
	if c1 != c2 || codes[0] != "/sent/"+string(c1) || codes[1] != codes[0] {
		t.Errorf("codes %s %s %v: want one code", c1, c2, codes)
	}
	items := e.published()
	if len(items) != 1 {
		t.Fatalf("%d items published, want 1", len(items))
	}
	if n := len(items[0].GetAttachments()); n != 1 {
		t.Errorf("%d attachments", n)
	}
}

func TestHostileSubmissions(t *testing.T) {
	e := newEnv(t)
	const kept = "Cống thoát nước bị tắc trước nhà số 45"
	photo := jpegPhoto(t)
	big := append(append([]byte{}, photo...), bytes.Repeat([]byte{0}, feedback.MaxUploadBytes)...)
	cases := []struct {
		name   string
		edit   func(f *form, tok string)
		hdr    []string
		status int
		msg    string // in the page
		field  string // the field whose message sits next to it
		noKeep bool   // the text is not shown back
	}{
		{name: "missing token", edit: func(f *form, _ string) { f.del("token") },
			status: 400, msg: "Biểu mẫu không hợp lệ"},
		{name: "forged token", edit: func(f *form, tok string) { f.set("token", forge(tok)) },
			status: 400, msg: "Biểu mẫu không hợp lệ"},
		{name: "token of another server", edit: func(f *form, tok string) {
			f.set("token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
		},
			status: 400, msg: "Biểu mẫu không hợp lệ"},
		{name: "honeypot filled", edit: func(f *form, _ string) { f.set("extra_note", "http://spam.example") },
			status: 400, msg: "Biểu mẫu không hợp lệ"},
		{name: "content missing", edit: func(f *form, _ string) { f.set("content", "   ") },
			status: 400, msg: "Vui lòng nhập nội dung phản ánh.", field: "content", noKeep: true},
		{name: "over-long content", edit: func(f *form, _ string) { f.set("content", kept+strings.Repeat("ạ", feedback.MaxContentRunes)) },
			status: 400, msg: "tối đa 5000 ký tự", field: "content"},
		{name: "invalid UTF-8", edit: func(f *form, _ string) { f.set("content", kept+" \xff\xfe") },
			status: 400, msg: "UTF-8", field: "content"},
		{name: "NUL in name", edit: func(f *form, _ string) { f.set("name", "Nguyễn\x00Văn") },
			status: 400, msg: "ký tự điều khiển", field: "name"},
		{name: "phone not a number", edit: func(f *form, _ string) { f.set("phone", "gọi tôi nhé") },
			status: 400, msg: "Số điện thoại không hợp lệ", field: "phone"},
		{name: "ward not ours", edit: func(f *form, _ string) { f.set("ward", "phuong-99") },
			status: 400, msg: "chọn phường trong danh sách", field: "ward"},
		{name: "category not ours", edit: func(f *form, _ string) { f.set("category", "<b>x</b>") },
			status: 400, msg: "chọn lĩnh vực trong danh sách", field: "category"},
		{name: "4 photos", edit: func(f *form, _ string) {
			for range 4 {
				f.files = append(f.files, upload{"a.jpg", "image/jpeg", photo})
			}
		}, status: 400, msg: "tối đa 3 ảnh", field: "photos"},
		{name: "oversized photo", edit: func(f *form, _ string) {
			f.files = []upload{{"big.jpg", "image/jpeg", big}}
		}, status: 413, msg: "không được lớn hơn 5 MB", field: "photos"},
		{name: "not an image renamed .jpg", edit: func(f *form, _ string) {
			f.files = []upload{{"cong.jpg", "image/jpeg", fixture(t, "not-a-photo.jpg")}}
		}, status: 415, msg: "Chỉ nhận ảnh JPEG, PNG hoặc WebP", field: "photos"},
		{name: "damaged photo", edit: func(f *form, _ string) {
			f.files = []upload{{"cut.jpg", "image/jpeg", photo[:len(photo)/2]}}
		}, status: 400, msg: "Ảnh bị hỏng hoặc không đọc được", field: "photos"},
		{name: "turned photo of 60 megapixels", edit: func(f *form, _ string) {
			huge := bytes.Clone(photo)
			sof := bytes.Index(huge, []byte{0xFF, 0xC0})
			copy(huge[sof+5:], []byte{0x17, 0x70, 0x27, 0x10}) // 6000 rows of 10000
			f.files = []upload{{"huge.jpg", "image/jpeg", withSegments(huge, exifSegment(6))}}
		}, status: 413, msg: "độ phân giải quá lớn", field: "photos"},
		{name: "cross-site post", hdr: []string{"Sec-Fetch-Site", "cross-site"},
			status: 403, msg: "không được gửi từ trang của chúng tôi", noKeep: true},
		{name: "foreign origin", hdr: []string{"Origin", "https://evil.example"},
			status: 403, msg: "không được gửi từ trang của chúng tôi", noKeep: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(e.published())
			tok := e.token()
			f := validForm(tok)
			if tc.edit != nil {
				tc.edit(&f, tok)
			}
			resp, body := e.post(f, tc.hdr...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body:\n%s", resp.StatusCode, tc.status, body)
			}
			if !strings.Contains(body, tc.msg) {
				t.Errorf("page lacks %q", tc.msg)
			}
			if !tc.noKeep && !strings.Contains(body, kept) {
				t.Error("what the citizen typed is not shown again")
			}
			if tc.field != "" {
				anchor := tc.field
				if anchor == "photos" {
					anchor = "photo1"
				}
				if !strings.Contains(body, `id="`+tc.field+`-error"`) || !strings.Contains(body, `href="#`+anchor+`"`) {
					t.Errorf("no message next to %s linked from the summary", tc.field)
				}
			}
			if tc.status < 403 && !strings.Contains(body, `role="alert"`) {
				t.Error("no error summary")
			}
			if after := len(e.published()); after != before {
				t.Errorf("%d items published", after-before)
			}
		})
	}
}

// forge changes one byte of the MAC and re-encodes the token.
func forge(tok string) string {
	b := []byte(tok)
	i := len(b) - 5
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestBodyLimits(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, ct string
		body     []byte
		status   int
	}{
		{"json", "application/json", []byte(`{"content":"x"}`), 415},
		{"no content type", "", []byte("content=x"), 415},
		{"multipart without boundary", "multipart/form-data", []byte("x"), 415},
		{"garbage multipart", "multipart/form-data; boundary=zz", []byte("--zz\r\nnot a header\r\n\r\n"), 400},
		{"body over the limit", "application/x-www-form-urlencoded", bytes.Repeat([]byte("a"), 300<<10), 413},
		{"huge multipart", "multipart/form-data; boundary=zz",
			append([]byte("--zz\r\nContent-Disposition: form-data; name=\"junk\"\r\n\r\n"), bytes.Repeat([]byte("a"), website.MaxFormBytes+10)...), 413},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/", bytes.NewReader(tc.body))
			if tc.ct != "" {
				req.Header.Set("Content-Type", tc.ct)
			}
			resp, body := e.do(req)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
				t.Errorf("Content-Type %q: citizens get pages", resp.Header.Get("Content-Type"))
			}
		})
	}
	if n := len(e.published()); n != 0 {
		t.Errorf("%d items published", n)
	}
}

func TestExpiredToken(t *testing.T) {
	e := newEnv(t)
	f := validForm(e.token())
	e.clock.Add(website.DefaultTokenTTL + time.Minute)
	resp, body := e.post(f)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "hết hạn") || !strings.Contains(body, "Cống thoát nước") {
		t.Fatalf("status %d; body:\n%s", resp.StatusCode, body)
	}
	if len(e.published()) != 0 {
		t.Fatal("an expired form was published")
	}
	// The page came back with a fresh token: sending it again works.
	m := tokenRe.FindStringSubmatch(body)
	if m == nil || m[1] == f.fields[0][1] {
		t.Fatal("no fresh token")
	}
	f.set("token", m[1])
	resp, body = e.post(f)
	codeOf(t, resp, body)
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *website.Config) { c.RateLimit = 2 })
	for i := range 2 {
		resp, body := e.post(validForm(e.token()))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("submission %d: %d\n%s", i, resp.StatusCode, body)
		}
	}
	f := validForm(e.token())
	f.set("content", "Lần thứ ba trong một phút")
	resp, body := e.post(f)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", resp.StatusCode)
	}
	if !strings.Contains(body, "Lần thứ ba trong một phút") || !strings.Contains(body, "Vui lòng đợi") || resp.Header.Get("Retry-After") == "" {
		t.Errorf("429 page keeps no text, gives no message or no Retry-After:\n%s", body)
	}
	if n := len(e.published()); n != 2 {
		t.Errorf("%d items published, want 2", n)
	}
	// The bucket refills.
	e.clock.Add(time.Minute)
	resp, body = e.post(f)
	codeOf(t, resp, body)
}

func TestNATSDownKeepsTheForm(t *testing.T) {
	e := newEnv(t)
	f := validForm(e.token())
	ctx := context.Background()
	if err := e.js.DeleteStream(ctx, "PAKN_INTAKE"); err != nil {
		t.Fatal(err)
	}
	resp, body := e.post(f)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "Hệ thống đang bận") || !strings.Contains(body, "Cống thoát nước") {
		t.Errorf("503 page:\n%s", body)
	}
	// Same token kept, so a later retry is the same item.
	if m := tokenRe.FindStringSubmatch(body); m == nil || m[1] != f.fields[0][1] {
		t.Error("the form's token changed after a failed publish")
	}
}

func TestOrganisationDownStillTakesFeedback(t *testing.T) {
	e := newEnv(t)
	tok := e.token()
	e.org.down = true
	resp, body := e.get("/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="content"`) {
		t.Fatalf("form without the organisation: %d", resp.StatusCode)
	}
	resp, body = e.post(validForm(tok))
	codeOf(t, resp, body)
}

func TestNewServerChecksConfig(t *testing.T) {
	for _, cfg := range []website.Config{
		{PublicURL: publicURL, Secret: []byte("short")},
		{PublicURL: "pakn.example.vn", Secret: []byte(testSecret)},
		{PublicURL: publicURL, Secret: []byte(testSecret), RateLimit: -1},
		{PublicURL: publicURL, Secret: []byte(testSecret)}, // and no dependencies
	} {
		_, err := website.NewServer(cfg, nil, nil, nil, nil, nil, nil)
		if !errors.Is(err, website.ErrInvalidConfig) {
			t.Errorf("%+v: err %v, want ErrInvalidConfig", cfg, err)
		}
	}
	env := map[string]string{"PAKN_PUBLIC_URL": publicURL, "PAKN_WEBSITE_RATE_LIMIT": "7", "PAKN_TRUSTED_PROXIES": "10.0.0.0/8"}
	cfg, generated, err := website.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil || !generated || cfg.RateLimit != 7 || len(cfg.TrustedProxies) != 1 || len(cfg.Secret) < website.MinSecretBytes {
		t.Errorf("ConfigFromEnv = %+v, %v, %v", cfg, generated, err)
	}
	env["PAKN_WEBSITE_RATE_LIMIT"] = "lots"
	if _, _, err := website.ConfigFromEnv(func(k string) string { return env[k] }); !errors.Is(err, website.ErrInvalidConfig) {
		t.Errorf("bad rate limit: %v", err)
	}
}

func TestUnknownPathIsAPage(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/wp-login.php?lang=en")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("404 = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, _ = e.get("/static/site.css")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("css = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestRateLimitByClientAddress(t *testing.T) {
	send := func(e *env, xff string) int {
		resp, _ := e.post(validForm(e.token()), "X-Forwarded-For", xff)
		return resp.StatusCode
	}
	// Behind a trusted proxy: one household's /64 shares a bucket, another
	// address has its own.
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	e := newEnv(t, func(c *website.Config) { c.RateLimit = 1; c.TrustedProxies = []*net.IPNet{loopback} })
	for _, tc := range []struct {
		xff    string
		status int
	}{
		{"2001:db8:1:2::10", http.StatusSeeOther},
		{"2001:db8:1:2::99", http.StatusTooManyRequests},
		{"2001:db8:1:3::10", http.StatusSeeOther},
		{"203.0.113.7", http.StatusSeeOther},
	} {
		if got := send(e, tc.xff); got != tc.status {
			t.Errorf("from %s: %d, want %d", tc.xff, got, tc.status)
		}
	}
	// Without one, X-Forwarded-For is the client's word and counts for nothing.
	e = newEnv(t, func(c *website.Config) { c.RateLimit = 1 })
	if got := send(e, "198.51.100.1"); got != http.StatusSeeOther {
		t.Fatalf("first: %d", got)
	}
	if got := send(e, "198.51.100.2"); got != http.StatusTooManyRequests {
		t.Errorf("a forged X-Forwarded-For dodged the limit: %d", got)
	}
}
