package callback_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"pakn.local/services/internal/callback"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/signature"
)

func TestPostStatusesAndSignature(t *testing.T) {
	cases := []struct {
		status int
		code   string
	}{
		{200, ""}, {204, ""}, {408, feedback.EUNAVAILABLE}, {429, feedback.EUNAVAILABLE},
		{500, feedback.EUNAVAILABLE}, {503, feedback.EUNAVAILABLE}, {400, feedback.EINVALID}, {404, feedback.EINVALID},
	}
	for _, tc := range cases {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			var sigErr error
			var idem string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				sigErr = signature.Verify([]byte("s3cret"), r.Header.Get("X-Test-Signature"), body, time.Now(), 0)
				idem = r.Header.Get("Idempotency-Key")
				w.WriteHeader(tc.status)
			}))
			defer srv.Close()
			c := callback.New(srv.URL, []byte("s3cret"), "X-Test-Signature", nil)
			err := c.Post(context.Background(), "evt-1", map[string]string{"a": "b"})
			if feedback.ErrorCode(err) != tc.code {
				t.Fatalf("status %d gave %v, want code %q", tc.status, err, tc.code)
			}
			if sigErr != nil || idem != "evt-1" {
				t.Fatalf("signature %v, idempotency key %q", sigErr, idem)
			}
		})
	}
	c := callback.New("http://127.0.0.1:1/nothing-listens", []byte("s"), "X", nil)
	if err := c.Post(context.Background(), "e", 1); !feedback.IsCode(err, feedback.EUNAVAILABLE) {
		t.Fatalf("unreachable partner: %v", err)
	}
}
