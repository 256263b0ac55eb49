package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// twilioStandIn records the SMS PAKN asks Twilio's REST API to send.
type twilioStandIn struct {
	mu   sync.Mutex
	sent []url.Values
}

func (s *twilioStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	s.mu.Lock()
	s.sent = append(s.sent, form)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"sid": "SM0000000000000000000000000000000a", "status": "queued"})
}

func (s *twilioStandIn) bodies() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, f := range s.sent {
		out = append(out, f.Get("To")+" "+f.Get("Body"))
	}
	return out
}

// twilioSignature computes X-Twilio-Signature as Twilio documents it.
func twilioSignature(token, fullURL string, form url.Values) string {
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

// TestEndToEndHotlineSMS: a citizen texts the hotline (a real Twilio
// webhook body), is told a code at once, is texted when it is assigned,
// and is texted the official's answer.
func TestEndToEndHotlineSMS(t *testing.T) {
	twilio := &twilioStandIn{}
	stand := httptest.NewServer(twilio)
	defer stand.Close()
	const token, sid, public = "0123456789abcdef0123456789abcdef", "ACf0e1d2c3b4a5968778695a4b3c2d1e0f", "https://pakn.binhtan.example"
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir(), "TWILIO_ACCOUNT_SID": sid, "TWILIO_AUTH_TOKEN": token,
		"TWILIO_FROM": "+842838000000", "TWILIO_API_URL": stand.URL, "PAKN_PUBLIC_URL": public})
	defer in.stop()

	raw, err := os.ReadFile("../../internal/hotline/testdata/sms_basic.form")
	if err != nil {
		t.Fatal(err)
	}
	form, err := url.ParseQuery(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, in.base+"/hotline/twilio/sms", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twilioSignature(token, public+"/hotline/twilio/sms", form))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	twiml, _ := io.ReadAll(res.Body)
	res.Body.Close()
	code := regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}`).FindString(string(twiml))
	if res.StatusCode != http.StatusOK || code == "" {
		t.Fatalf("%d %s", res.StatusCode, twiml)
	}

	sup := in.login(t, "supervisor")
	var ticket map[string]any
	waitFor(t, 30*time.Second, func() bool {
		var st int
		st, ticket = in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(sup)})
		return st == http.StatusOK
	})
	if ticket["channel"] != "hotline" || ticket["citizen"].(map[string]any)["phone"] != "+84901234567" {
		t.Fatalf("ticket %v", ticket)
	}
	official := in.login(t, ticket["assignee"].(map[string]any)["username"].(string))
	st, _ := in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/replies", header: bearer(official),
		body: `{"body":"Đội duy tu đã vá ổ gà trước số 123 Tên Lửa.","public":true}`})
	if st != http.StatusCreated {
		t.Fatalf("reply %d", st)
	}
	waitFor(t, 30*time.Second, func() bool { return len(twilio.bodies()) >= 2 })
	sms := strings.Join(twilio.bodies(), "\n")
	if !strings.Contains(sms, "+84901234567 PAKN "+code+": đã chuyển đơn vị xử lý") ||
		!strings.Contains(sms, "trả lời: Đội duy tu đã vá ổ gà") || !strings.Contains(sms, public+"/track/"+code) {
		t.Fatalf("SMS sent:\n%s", sms)
	}
}
