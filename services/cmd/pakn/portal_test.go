package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"pakn.local/services/internal/signature"
)

// TestEndToEndPortal: a signed portal event becomes a ticket, the official
// answers, and the portal receives the answer for its own event id, signed.
func TestEndToEndPortal(t *testing.T) {
	secret := "portal-shared-secret"
	var mu sync.Mutex
	var got []map[string]any
	stand := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := signature.Verify([]byte(secret), r.Header.Get("X-Portal-Signature"), body, time.Now(), 0); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
	}))
	defer stand.Close()
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir(), "PAKN_PORTAL_SECRET": secret,
		"PAKN_PORTAL_CALLBACK_URL": stand.URL + "/callbacks"})
	defer in.stop()

	event := `{"event_id":"dvc-2026-000123","submitted_at":"` + time.Now().UTC().Format(time.RFC3339) + `",
	 "title":"Đèn đường hỏng","content":"Đèn chiếu sáng công cộng trên đường Lê Văn Quới không sáng cả tuần nay.",
	 "ward":"Bình Hưng Hòa A","citizen":{"name":"Võ Thanh","phone":"+84987654321"}}`
	sig := signature.Sign([]byte(secret), []byte(event), time.Now())
	st, body := in.do(t, call{method: "POST", path: "/portal/v1/events", body: event, header: map[string]string{"X-Portal-Signature": sig}})
	if st != http.StatusAccepted {
		t.Fatalf("push: %d %v", st, body)
	}
	code := body["tracking_code"].(string)
	st, _ = in.do(t, call{method: "POST", path: "/portal/v1/events", body: event,
		header: map[string]string{"X-Portal-Signature": "t=1,v1=00"}})
	if st != http.StatusUnauthorized {
		t.Fatalf("bad signature: %d", st)
	}

	sup := in.login(t, "supervisor")
	var ticket map[string]any
	waitFor(t, 30*time.Second, func() bool {
		st, ticket = in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(sup)})
		return st == http.StatusOK
	})
	if ticket["channel"] != "portal" || ticket["category"] != "chieu-sang" {
		t.Fatalf("ticket %v", ticket)
	}
	official := in.login(t, ticket["assignee"].(map[string]any)["username"].(string))
	st, _ = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/replies", header: bearer(official),
		body: `{"body":"Đã thay bóng đèn ngày 28/11.","public":true}`})
	if st != http.StatusCreated {
		t.Fatalf("reply %d", st)
	}
	waitFor(t, 30*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) > 0
	})
	mu.Lock()
	defer mu.Unlock()
	cb := got[0]
	ans, _ := cb["answer"].(map[string]any)
	if len(got) != 1 || cb["event_id"] != "dvc-2026-000123" || cb["tracking_code"] != code || cb["status"] != "answered" ||
		ans == nil || !strings.Contains(ans["body"].(string), "thay bóng đèn") {
		t.Fatalf("portal callbacks %v", got)
	}
}
