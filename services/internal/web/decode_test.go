package web_test

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/web"
)

type sample struct {
	Embedded
	Count int      `json:"count"`
	Tags  []string `json:"tags"`
}

// Embedded stands for a shared body embedded in a request type.
type Embedded struct {
	Content string `json:"content"`
}

func TestDecodeJSON(t *testing.T) {
	cases := []struct {
		name, body, field string
		ok                bool
	}{
		{"valid", `{"content":"ổ gà","count":2,"tags":["a"]}`, "", true},
		{"null", `null`, "", true},
		{"unknown field", `{"content":"x","role":"admin"}`, "role", false},
		{"operator object", `{"content":{"$gt":""}}`, "content", false},
		{"number as string", `{"count":"2"}`, "count", false},
		{"malformed", `{"content":`, "", false},
		{"trailing value", `{"content":"x"} {}`, "", false},
		{"invalid utf8", "{\"content\":\"\xc3\x28\"}", "", false},
		{"empty", ``, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v sample
			err := web.DecodeJSON([]byte(tc.body), &v)
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var fe *feedback.Error
			if !errors.As(err, &fe) || fe.Code != feedback.EINVALID || fe.Field != tc.field {
				t.Fatalf("got %#v, want invalid on %q", err, tc.field)
			}
		})
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"content":"x"}`, `{"content":{"$gt":""}}`, `[`, "\xff", `{"tags":[1,2]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v sample
		err := web.DecodeJSON(body, &v)
		if err != nil && feedback.ErrorCode(err) != feedback.EINVALID {
			t.Fatalf("decoder error of code %s: %v", feedback.ErrorCode(err), err)
		}
	})
}

func TestErrorHandlerMapsCodes(t *testing.T) {
	e := echo.New()
	e.HTTPErrorHandler = web.ErrorHandler(slog.New(slog.DiscardHandler))
	cases := map[string]int{
		feedback.EINVALID: 400, feedback.EUNAUTHORIZED: 401, feedback.EFORBIDDEN: 403, feedback.ENOTFOUND: 404,
		feedback.ECONFLICT: 409, feedback.ETOOLARGE: 413, feedback.EUNSUPPORTED: 415, feedback.ERATELIMIT: 429,
		feedback.EINTERNAL: 500, feedback.EUNAVAILABLE: 503, feedback.ENOTREADY: 503,
	}
	for code, status := range cases {
		t.Run(code, func(t *testing.T) {
			e.GET("/"+code, func(echo.Context) error { return feedback.Errorf(code, "vi", "en") })
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/"+code, nil))
			if rec.Code != status || !strings.Contains(rec.Body.String(), `"code":"`+code+`"`) {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			if status == 503 && rec.Header().Get("Retry-After") == "" {
				t.Fatal("503 without Retry-After")
			}
		})
	}
	// A plain Go error is internal and shows no detail.
	e.GET("/plain", func(echo.Context) error { return errors.New("mongo: secret connection detail") })
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/plain", nil))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/no/such/route", nil))
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), `"code":"not_found"`) {
		t.Fatalf("unknown route: %d %s", rec.Code, rec.Body)
	}
}
