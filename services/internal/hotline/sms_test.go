package hotline_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pakn.local/services/internal/feedback"
)

func TestSMSPublishesOneItemWithCode(t *testing.T) {
	e := newEnv(t, envOptions{})
	body := fixture(t, "sms_basic.form")
	form, _ := url.ParseQuery(body)

	reply := twimlOf(t, e.do(request{target: "/hotline/twilio/sms", body: body}))
	msg := reply.one(t, "Message")
	code := codeIn(t, msg.Text)
	if !strings.HasPrefix(msg.Text, "UBND Quận đã tiếp nhận") || !strings.Contains(msg.Text, "Tracking code: "+string(code)) {
		t.Fatalf("reply should be Vietnamese first, then English: %q", msg.Text)
	}
	if !strings.Contains(msg.Text, e.public()+"/track/"+string(code)) {
		t.Fatalf("reply has no tracking link: %q", msg.Text)
	}

	items := e.stream()
	if len(items) != 1 {
		t.Fatalf("%d items on the stream, want 1", len(items))
	}
	it := items[0]
	if it.Key != "hotline:sms:"+form.Get("MessageSid") || it.Code != code || it.Channel != feedback.ChannelHotline {
		t.Fatalf("item key %q code %q channel %q", it.Key, it.Code, it.Channel)
	}
	if it.Citizen.Phone != "+84901234567" || it.Content != form.Get("Body") || it.Language != "vi" {
		t.Fatalf("item %+v", it)
	}

	// Twilio's very same request again (a replay, or our own retry): same code, no new item.
	again := twimlOf(t, e.do(request{target: "/hotline/twilio/sms", body: body}))
	if got := codeIn(t, again.one(t, "Message").Text); got != code {
		t.Fatalf("same MessageSid gave %s, then %s", code, got)
	}
	if n := len(e.stream()); n != 1 {
		t.Fatalf("%d items after a repeat, want 1", n)
	}
}

func TestMMSKeepsPhotosAsAttachments(t *testing.T) {
	e := newEnv(t, envOptions{})
	form := fixtureForm(t, "sms_mms.form")
	codeIn(t, twimlOf(t, e.do(request{target: "/hotline/twilio/sms", body: fixture(t, "sms_mms.form")})).one(t, "Message").Text)
	items := e.stream()
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	got := items[0].Attachments
	if len(got) != 2 {
		t.Fatalf("attachments %+v", got)
	}
	for i, a := range got {
		idx := string(rune('0' + i))
		if a.URL != form.Get("MediaUrl"+idx) || a.ContentType != form.Get("MediaContentType"+idx) {
			t.Fatalf("attachment %d: %+v", i, a)
		}
	}
	if items[0].Citizen.Phone != "+84912345678" {
		t.Fatalf("phone %q", items[0].Citizen.Phone)
	}

	// Photos without words still make a report.
	photo := with(form, "MessageSid", "MM00000000000000000000000000000abc", "Body", "")
	codeIn(t, twimlOf(t, e.post("/hotline/twilio/sms", photo)).one(t, "Message").Text)
	items = e.stream()
	if len(items) != 2 || !strings.Contains(items[1].Content, "hình ảnh") || len(items[1].Attachments) != 2 {
		t.Fatalf("photo-only item %+v", items[len(items)-1])
	}
}

func TestSMSHostileRequests(t *testing.T) {
	e := newEnv(t, envOptions{})
	base := fixtureForm(t, "sms_basic.form")
	path := "/hotline/twilio/sms"
	enc := func(v url.Values) string { return v.Encode() }
	cases := []struct {
		name string
		req  request
		want int
	}{
		{"bad signature", request{target: path, body: enc(base), signature: "bm90IGEgc2lnbmF0dXJl"}, http.StatusForbidden},
		{"signature for another URL", request{target: path, body: enc(base), signURL: e.public() + "/hotline/twilio/voice"}, http.StatusForbidden},
		{"signature with another token", request{target: path, body: enc(base), signature: sign("0000", e.public()+path, base)}, http.StatusForbidden},
		{"missing signature header", request{target: path, body: enc(base), signature: "-"}, http.StatusForbidden},
		{"body changed after signing", request{target: path, body: enc(with(base, "Body", "khác")), signForm: base}, http.StatusForbidden},
		{"query added after signing", request{target: path + "?x=1", body: enc(base), signURL: e.public() + path}, http.StatusForbidden},
		{"foreign AccountSid", request{target: path, body: enc(with(base, "AccountSid", "AC00000000000000000000000000000000"))}, http.StatusForbidden},
		{"invalid UTF-8", request{target: path, body: enc(with(base, "Body", "ng\xe1p n\xffc"))}, http.StatusBadRequest},
		{"NUL byte", request{target: path, body: enc(with(base, "Body", "ngập\x00nước"))}, http.StatusBadRequest},
		{"control byte in From", request{target: path, body: enc(with(base, "From", "+8490\x1b123"))}, http.StatusBadRequest},
		{"repeated field", request{target: path, body: enc(base) + "&Body=" + url.QueryEscape("giả mạo")}, http.StatusBadRequest},
		{"malformed escape", request{target: path, body: enc(base) + "&Body=%zz", signForm: base}, http.StatusBadRequest},
		{"bad MessageSid", request{target: path, body: enc(with(base, "MessageSid", "SM../../etc"))}, http.StatusBadRequest},
		{"too many media", request{target: path, body: enc(with(base, "NumMedia", "11"))}, http.StatusBadRequest},
		{"media not https", request{target: path, body: enc(with(base, "NumMedia", "1", "MediaUrl0", "file:///etc/passwd"))}, http.StatusBadRequest},
		{"oversized body", request{target: path, body: enc(with(base, "Body", strings.Repeat("ổ gà ", 20000)))}, http.StatusRequestEntityTooLarge},
		{"content over the item limit", request{target: path, body: enc(with(base, "Body", strings.Repeat("a", feedback.MaxContentRunes+1)))}, http.StatusBadRequest},
		{"wrong content type", request{target: path, body: enc(base), contentType: "application/json"}, http.StatusUnsupportedMediaType},
		{"no content type", request{target: path, body: enc(base), contentType: "text/plain"}, http.StatusUnsupportedMediaType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status(t, e.do(tc.req), tc.want)
		})
	}
	if n := len(e.stream()); n != 0 {
		t.Fatalf("hostile requests published %d items", n)
	}
	if n := e.spool.Len(); n != 0 {
		t.Fatalf("hostile requests spooled %d items", n)
	}
}

func TestSMSKeepsHTMLAsText(t *testing.T) {
	e := newEnv(t, envOptions{})
	html := `<script>alert("x")</script><b>Ngập</b> & "tràn" ]]></Message>`
	form := with(fixtureForm(t, "sms_basic.form"), "Body", html)
	reply := twimlOf(t, e.post("/hotline/twilio/sms", form))
	msg := reply.one(t, "Message")
	codeIn(t, msg.Text)
	if len(reply.Nodes) != 1 || strings.Contains(msg.Text, "<script") {
		t.Fatalf("the reply echoes markup: %+v", reply)
	}
	items := e.stream()
	if len(items) != 1 || items[0].Content != html {
		t.Fatalf("content %q, want it verbatim", items[0].Content)
	}
}

func TestSMSEmptyBodyPublishesNothing(t *testing.T) {
	e := newEnv(t, envOptions{})
	reply := twimlOf(t, e.post("/hotline/twilio/sms", with(fixtureForm(t, "sms_basic.form"), "Body", "  ")))
	if !strings.HasPrefix(reply.one(t, "Message").Text, "Tin nhắn trống") {
		t.Fatalf("reply %+v", reply)
	}
	if n := len(e.stream()); n != 0 {
		t.Fatalf("%d items", n)
	}
}

func TestTwilioRoutesNotConfigured(t *testing.T) {
	e := newEnv(t, envOptions{unconfigured: true})
	for _, path := range []string{"/hotline/twilio/sms", "/hotline/twilio/voice", "/hotline/twilio/voice/recording"} {
		resp := e.do(request{target: path, body: fixture(t, "sms_basic.form")})
		status(t, resp, http.StatusServiceUnavailable)
		var body struct {
			Error struct{ Code string } `json:"error"`
		}
		decodeJSON(t, resp, &body)
		if body.Error.Code != feedback.ENOTREADY {
			t.Fatalf("%s: code %q", path, body.Error.Code)
		}
	}
}
