package hotline_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// call plays Twilio's side of one call.
type call struct {
	e    *env
	t    *testing.T
	base url.Values // the parameters Twilio sends with every request of the call
}

func newCall(t *testing.T, e *env, callSID, from string) *call {
	base := with(fixtureForm(t, "voice_incoming.form"), "CallSid", callSID, "From", from, "Caller", from)
	return &call{e: e, t: t, base: base}
}

// start is the incoming call; it returns the TwiML.
func (c *call) start() node {
	c.t.Helper()
	return twimlOf(c.t, c.e.post("/hotline/twilio/voice", c.base))
}

// next posts to a URL taken from TwiML with the call's parameters and kv.
func (c *call) next(target string, kv ...string) *http.Response {
	c.t.Helper()
	if !strings.HasPrefix(target, c.e.public()+"/hotline/twilio/voice/") {
		c.t.Fatalf("callback URL %q is not ours", target)
	}
	return c.e.post(target, with(with(c.base, "CallStatus", "in-progress"), kv...))
}

// checkVI checks that the first thing said is Vietnamese.
func checkVI(t *testing.T, n node) {
	t.Helper()
	says := n.all("Say")
	if len(says) == 0 || says[0].attr("language") != "vi-VN" || says[0].attr("voice") == "" {
		t.Fatalf("first <Say> is not Vietnamese: %+v", says)
	}
}

const recordingURL = "https://api.twilio.com/2010-04-01/Accounts/" + testAccount + "/Recordings/RE7c1e3a5b9d2f4e6a8c0b1d3f5a7c9e2b"

// toReport walks a call from the greeting to the report's <Record>, pressing
// digits for the subject and saying speech as the report. It returns the
// <Record> verb.
func (c *call) toReport(digits, speech string) node {
	c.t.Helper()
	greet := c.start()
	checkVI(c.t, greet)
	g := greet.one(c.t, "Gather")
	if g.attr("input") != "speech dtmf" || g.attr("language") != "vi-VN" || g.attr("numDigits") != "1" {
		c.t.Fatalf("subject <Gather> %+v", g.Attrs)
	}
	if want := c.e.public() + "/hotline/twilio/voice/subject"; g.attr("action") != want {
		c.t.Fatalf("subject action %q, want %q", g.attr("action"), want)
	}
	checkVI(c.t, g)

	ask := twimlOf(c.t, c.next(g.attr("action"), "Digits", digits))
	checkVI(c.t, ask)
	rg := ask.one(c.t, "Gather")
	if rg.attr("input") != "speech" || rg.attr("language") != "vi-VN" || rg.attr("speechTimeout") != "auto" {
		c.t.Fatalf("report <Gather> %+v", rg.Attrs)
	}
	if !strings.HasPrefix(rg.attr("action"), c.e.public()+"/hotline/twilio/voice/speech") {
		c.t.Fatalf("report action %q", rg.attr("action"))
	}

	rec := twimlOf(c.t, c.next(rg.attr("action"), "SpeechResult", speech, "Confidence", "0.87"))
	checkVI(c.t, rec)
	r := rec.one(c.t, "Record")
	if r.attr("transcribe") == "true" {
		c.t.Fatal("<Record> asks for Twilio's English transcription")
	}
	if r.attr("action") == "" || r.attr("recordingStatusCallback") == "" || r.attr("maxLength") == "" {
		c.t.Fatalf("<Record> %+v", r.Attrs)
	}
	return r
}

func TestVoiceCallMakesOneItem(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := newCall(t, e, "CA3b9d7f1e5c2a4b6d8f0e1c3a5b7d9f2e", "+84987654321")
	speech := fixtureForm(t, "voice_gather_speech.form").Get("SpeechResult")
	r := c.toReport("2", speech)

	// The recording status callback may come first (Twilio sends it when the
	// file is stored), then the <Record> action; or the other way round.
	status(t, c.next(r.attr("recordingStatusCallback"), "RecordingSid", "RE7c1e3a5b9d2f4e6a8c0b1d3f5a7c9e2b",
		"RecordingUrl", recordingURL, "RecordingStatus", "completed", "RecordingDuration", "14"), http.StatusNoContent)
	bye := twimlOf(t, c.next(r.attr("action"), "RecordingSid", "RE7c1e3a5b9d2f4e6a8c0b1d3f5a7c9e2b",
		"RecordingUrl", recordingURL, "RecordingDuration", "14", "Digits", "#"))
	checkVI(t, bye)
	bye.one(t, "Hangup")

	items := e.stream()
	if len(items) != 1 {
		t.Fatalf("%d items, want 1", len(items))
	}
	it := items[0]
	if it.Key != "hotline:call:CA3b9d7f1e5c2a4b6d8f0e1c3a5b7d9f2e" || it.Content != speech || it.RecordingURL != recordingURL {
		t.Fatalf("item %+v", it)
	}
	if it.Citizen.Phone != "+84987654321" || it.Category != "ngap-nuoc" {
		t.Fatalf("phone %q category %q", it.Citizen.Phone, it.Category)
	}
	// The caller hears the code, one character at a time.
	spelled := strings.Join(strings.Split(strings.ReplaceAll(string(it.Code), "-", ""), ""), ", ")
	if !strings.Contains(bye.all("Say")[0].Text, spelled) {
		t.Fatalf("the goodbye does not read %s out: %q", it.Code, bye.all("Say")[0].Text)
	}
}

func TestVoiceSpokenSubjectIsAHint(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := newCall(t, e, "CA00000000000000000000000000000001", "+84987654000")
	g := c.start().one(t, "Gather")
	ask := twimlOf(t, c.next(g.attr("action"), "SpeechResult", "rác thải"))
	rg := ask.one(t, "Gather")
	rec := twimlOf(t, c.next(rg.attr("action"), "SpeechResult", "Rác chất đống trước chợ Bình Trị Đông."))
	r := rec.one(t, "Record")
	twimlOf(t, c.next(r.attr("action"), "RecordingUrl", recordingURL+"1", "RecordingSid", "RE7c1e3a5b9d2f4e6a8c0b1d3f5a7c9e2b"))
	items := e.stream()
	if len(items) != 1 || items[0].Title != "rác thải" || items[0].Category != "" {
		t.Fatalf("items %+v", items)
	}
}

func TestVoiceHangUpBeforeReportMakesNoItem(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := newCall(t, e, "CA00000000000000000000000000000002", "+84987654001")
	g := c.start().one(t, "Gather")
	ask := twimlOf(t, c.next(g.attr("action"), "Digits", "1"))
	_ = ask // the caller hangs up here: Twilio makes no further request
	if n := len(e.stream()); n != 0 {
		t.Fatalf("%d items after a hang-up", n)
	}

	// A call that reaches the end with neither speech nor a recording (the
	// caller kept silent and the recording was empty) is not a report either.
	rg := ask.one(t, "Gather")
	r := twimlOf(t, c.next(rg.attr("action"))).one(t, "Record")
	status(t, c.next(r.attr("recordingStatusCallback"), "RecordingStatus", "absent"), http.StatusNoContent)
	sorry := twimlOf(t, c.next(r.attr("action")))
	checkVI(t, sorry)
	sorry.one(t, "Hangup")
	if n := len(e.stream()); n != 0 {
		t.Fatalf("%d items for a silent call", n)
	}
}

func TestVoiceNoSpeechKeepsRecording(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := newCall(t, e, "CA00000000000000000000000000000003", "+84987654002")
	r := c.toReport("9", "")
	// The caller hung up at the end of the recording: only the status callback comes.
	status(t, c.next(r.attr("recordingStatusCallback"), "RecordingStatus", "completed",
		"RecordingUrl", recordingURL, "RecordingSid", "RE7c1e3a5b9d2f4e6a8c0b1d3f5a7c9e2b"), http.StatusNoContent)
	items := e.stream()
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	if it := items[0]; it.RecordingURL != recordingURL || !strings.Contains(it.Content, "ghi âm") || it.Category != "" {
		t.Fatalf("item %+v", it)
	}
}

func TestVoiceSpeechWithoutRecording(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := newCall(t, e, "CA00000000000000000000000000000004", "+266696687") // a withheld number
	r := c.toReport("3", "Đèn đường hẻm 30 tắt cả tuần nay.")
	// An empty recording: Twilio skips the action and follows the <Redirect>.
	rec := twimlOf(t, c.next(r.attr("action")))
	rec.one(t, "Hangup")
	items := e.stream()
	if len(items) != 1 || items[0].RecordingURL != "" || items[0].Content != "Đèn đường hẻm 30 tắt cả tuần nay." {
		t.Fatalf("items %+v", items)
	}
	if !items[0].Citizen.Anonymous() {
		t.Fatalf("a withheld number became %q", items[0].Citizen.Phone)
	}
}

func TestVoiceStateIsSigned(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := newCall(t, e, "CA00000000000000000000000000000005", "+84987654003")
	r := c.toReport("1", "Ổ gà trên đường Kinh Dương Vương.")
	action := r.attr("action")
	u, _ := url.Parse(action)
	// Someone who changes the state in the URL cannot sign it again.
	forged := with(url.Values{}, "s", base64.RawURLEncoding.EncodeToString([]byte(`{"c":"khac","t":"giả"}`)))
	u.RawQuery = forged.Encode()
	form := with(c.base, "CallStatus", "in-progress")
	status(t, e.do(request{target: u.String(), body: form.Encode(), signURL: action}), http.StatusForbidden)
	// A state Twilio did sign but we never made is refused as invalid.
	status(t, e.post(u.String(), form), http.StatusBadRequest)
	if n := len(e.stream()); n != 0 {
		t.Fatalf("%d items", n)
	}
}

func TestVoiceFixturesAsTwilioSendsThem(t *testing.T) {
	e := newEnv(t, envOptions{})
	status(t, e.do(request{target: "/hotline/twilio/voice", body: fixture(t, "voice_incoming.form")}), http.StatusOK)
	status(t, e.do(request{target: "/hotline/twilio/voice/subject", body: fixture(t, "voice_gather_digits.form")}), http.StatusOK)
	// The recording callbacks of a call whose state says what was heard.
	c := newCall(t, e, "CA3b9d7f1e5c2a4b6d8f0e1c3a5b7d9f2e", "+84987654321")
	r := c.toReport("2", fixtureForm(t, "voice_gather_speech.form").Get("SpeechResult"))
	status(t, e.do(request{target: r.attr("action"), body: fixture(t, "voice_record_action.form")}), http.StatusOK)
	status(t, e.do(request{target: r.attr("recordingStatusCallback"), body: fixture(t, "voice_recording_status.form")}), http.StatusNoContent)
	if items := e.stream(); len(items) != 1 || items[0].RecordingURL != recordingURL {
		t.Fatalf("items %+v", items)
	}
}

func TestVoiceLongSpeechFitsTheURL(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := newCall(t, e, "CA00000000000000000000000000000006", "+84987654004")
	speech := strings.Repeat(`"\ ngập `, 500)[:4000]
	r := c.toReport("2", speech)
	for _, u := range []string{r.attr("action"), r.attr("recordingStatusCallback")} {
		if len(u) > 4000 {
			t.Fatalf("callback URL of %d characters", len(u))
		}
	}
	twimlOf(t, c.next(r.attr("action"), "RecordingUrl", recordingURL))
	items := e.stream()
	if len(items) != 1 || !strings.HasPrefix(speech, strings.TrimSuffix(items[0].Content, "…")[:100]) ||
		!strings.HasSuffix(items[0].Content, "…") {
		t.Fatalf("items %+v", items)
	}
}

func TestVoiceHangUpAfterSpeaking(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := newCall(t, e, "CA00000000000000000000000000000007", "+84987654005")
	g := c.start().one(t, "Gather")
	rg := twimlOf(t, c.next(g.attr("action"), "Digits", "5")).one(t, "Gather")
	// Twilio posts what it heard, but the call is already over.
	twimlOf(t, c.next(rg.attr("action"), "SpeechResult", "Có người lạ đột nhập kho hàng đêm qua.", "CallStatus", "completed"))
	items := e.stream()
	if len(items) != 1 || items[0].Content != "Có người lạ đột nhập kho hàng đêm qua." || items[0].Category != "an-ninh-trat-tu" {
		t.Fatalf("items %+v", items)
	}
}
