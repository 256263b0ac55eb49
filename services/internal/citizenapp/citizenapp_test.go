package citizenapp_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"pakn.local/services/internal/citizenapp"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/natsbus/natsbustest"
)

type fixture struct {
	srv http.Handler
	bus *natsbustest.Bus
}

func setup(t *testing.T) *fixture {
	t.Helper()
	b := natsbustest.Start(t)
	srv := citizenapp.NewServer(citizenapp.Config{Tokens: []string{"tok"}},
		citizenapp.Deps{Log: slog.New(slog.DiscardHandler), Metric: metrics.New(), Intake: b.Intake, Loc: time.UTC})
	return &fixture{srv: srv, bus: b}
}

func (f *fixture) items(t *testing.T) []feedback.Item { return f.bus.Items(t) }

func (f *fixture) post(body string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/app/v1/feedback", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer tok")
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec
}

func TestSubmitCarriesEverything(t *testing.T) {
	f := setup(t)
	body := `{"content":"Cây xanh gãy đổ chắn lối đi","title":"Cây đổ","category":"cay-xanh","ward":"An Lạc A",
	"address":"123 Kinh Dương Vương","location":{"lat":10.72,"lng":106.6},
	"citizen":{"id":"dc-7","name":"Phạm Thu","phone":"+84912345678","email":"thu@example.vn"},
	"attachments":[{"url":"https://app.example.vn/p/1.jpg","name":"1.jpg","content_type":"image/jpeg"}]}`
	rec := f.post(body, map[string]string{"Idempotency-Key": "req-1"})
	if rec.Code != http.StatusAccepted {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var res struct {
		TrackingCode string `json:"tracking_code"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &res)
	items := f.items(t)
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	it := items[0]
	if string(it.Code) != res.TrackingCode || it.Key != "citizenapp:req-1" || it.Citizen.Phone != "+84912345678" ||
		it.Location == nil || it.Location.Lat != 10.72 || len(it.Attachments) != 1 || it.Ward != "An Lạc A" || it.Title != "Cây đổ" {
		t.Fatalf("item %+v", it)
	}
}

func TestHostileInputPublishesNothing(t *testing.T) {
	f := setup(t)
	cases := []struct {
		name   string
		body   string
		header map[string]string
		status int
	}{
		{"no token", `{"content":"x"}`, map[string]string{"Authorization": "", "Idempotency-Key": "a"}, 401},
		{"basic auth", `{"content":"x"}`, map[string]string{"Authorization": "Basic dG9rOg==", "Idempotency-Key": "a"}, 401},
		{"no key", `{"content":"x"}`, nil, 400},
		{"key with space", `{"content":"x"}`, map[string]string{"Idempotency-Key": "a b"}, 400},
		{"form body", `content=x`, map[string]string{"Idempotency-Key": "a", "Content-Type": "application/x-www-form-urlencoded"}, 415},
		{"operator", `{"content":{"$ne":null}}`, map[string]string{"Idempotency-Key": "a"}, 400},
		{"array content", `{"content":["x"]}`, map[string]string{"Idempotency-Key": "a"}, 400},
		{"nul", `{"content":"a\u0000b"}`, map[string]string{"Idempotency-Key": "a"}, 400},
		{"bad utf8", "{\"content\":\"\xed\xa0\x80\"}", map[string]string{"Idempotency-Key": "a"}, 400},
		{"half location", `{"content":"x","location":{"lat":10}}`, map[string]string{"Idempotency-Key": "a"}, 400},
		{"bad language", `{"content":"x","language":"fr"}`, map[string]string{"Idempotency-Key": "a"}, 400},
		{"ftp attachment", `{"content":"x","attachments":[{"url":"ftp://x/y"}]}`, map[string]string{"Idempotency-Key": "a"}, 400},
		{"huge", `{"content":"` + strings.Repeat("x", feedback.MaxBodyBytes) + `"}`, map[string]string{"Idempotency-Key": "a"}, 413},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.post(tc.body, tc.header)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), `"message_en"`) {
				t.Fatalf("%d %s, want %d with a JSON error", rec.Code, rec.Body, tc.status)
			}
		})
	}
	if n := len(f.items(t)); n != 0 {
		t.Fatalf("%d items published", n)
	}
}

func TestReusedKeyWithOtherContentConflicts(t *testing.T) {
	f := setup(t)
	h := map[string]string{"Idempotency-Key": "same"}
	if rec := f.post(`{"content":"lần một"}`, h); rec.Code != 202 {
		t.Fatal(rec.Body)
	}
	if rec := f.post(`{"content":"lần hai khác hẳn"}`, h); rec.Code != 409 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if n := len(f.items(t)); n != 1 {
		t.Fatalf("%d items", n)
	}
}

func FuzzDecodeFeedback(f *testing.F) {
	for _, s := range []string{`{"content":"x"}`, `{"content":"x","location":{"lat":1,"lng":2}}`,
		`{"citizen":{"phone":"+84"}}`, `{"attachments":[{"url":"http://a"}]}`, `{"content":{"$gt":""}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		it, err := citizenapp.DecodeFeedback(body)
		if err != nil {
			if feedback.ErrorCode(err) != feedback.EINVALID {
				t.Fatalf("error code %s: %v", feedback.ErrorCode(err), err)
			}
			return
		}
		it.Key, it.Channel = "citizenapp:k", feedback.ChannelCitizenApp
		if err := it.Validate(); err != nil && feedback.ErrorCode(err) != feedback.EINVALID {
			t.Fatalf("validate: %v", err)
		}
	})
}
