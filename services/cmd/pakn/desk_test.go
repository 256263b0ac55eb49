package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestTriageSettleReassignResolve: an item the router cannot place goes to
// the coordinators with a one-hour deadline; the coordinator settles it to a
// ward; the ward's head hands it to another official; that official answers
// and resolves it.
func TestTriageSettleReassignResolve(t *testing.T) {
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir()})
	defer in.stop()
	st, body := in.do(t, call{method: "POST", path: "/app/v1/feedback", header: appHeaders("triage-1"),
		body: `{"content":"Đề nghị các cơ quan chức năng xem xét giải quyết giúp gia đình tôi."}`})
	if st != http.StatusAccepted {
		t.Fatalf("%d %v", st, body)
	}
	code := body["tracking_code"].(string)
	coord := in.login(t, "coordinator")
	var ticket map[string]any
	waitFor(t, 30*time.Second, func() bool {
		st, ticket = in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(coord)})
		return st == http.StatusOK
	})
	if ticket["status"] != "triage" || ticket["triage_reason"] == "" {
		t.Fatalf("not in triage: %v", ticket)
	}
	received, _ := time.Parse(time.RFC3339, ticket["received_at"].(string))
	deadline, _ := time.Parse(time.RFC3339, ticket["deadline"].(string))
	if d := deadline.Sub(received); d < 55*time.Minute || d > 65*time.Minute {
		t.Fatalf("triage deadline %s after receipt, want an hour", d)
	}

	// An ordinary official cannot settle triage.
	st, _ = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/assign", header: bearer(in.login(t, "anlac.lan")),
		body: `{"unit_id":"ward-an-lac","category":"thu-tuc-hanh-chinh","ward":"an-lac"}`})
	if st != http.StatusNotFound && st != http.StatusForbidden {
		t.Fatalf("official settling triage: %d", st)
	}
	st, ticket = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/assign", header: bearer(coord),
		body: `{"unit_id":"ward-an-lac","category":"thu-tuc-hanh-chinh","ward":"an-lac","note":"Thuộc thẩm quyền phường An Lạc"}`})
	if st != http.StatusOK || ticket["status"] != "assigned" || ticket["unit"].(map[string]any)["id"] != "ward-an-lac" {
		t.Fatalf("settle: %d %v", st, ticket)
	}
	deadline, _ = time.Parse(time.RFC3339, ticket["deadline"].(string))
	if deadline.Sub(received) < 10*24*time.Hour {
		t.Fatalf("settled deadline %s is not ten working days after receipt %s", deadline, received)
	}
	first := ticket["assignee"].(map[string]any)["username"].(string)

	// The head passes it to another official of the ward.
	head := in.login(t, "anlac.head")
	other := "anlac.head"
	st, ticket = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/assign", header: bearer(head),
		body: `{"assignee":"` + other + `","note":"Tôi trực tiếp xử lý"}`})
	if st != http.StatusOK || ticket["assignee"].(map[string]any)["username"] != other {
		t.Fatalf("reassign from %s: %d %v", first, st, ticket)
	}
	st, _ = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/assign", header: bearer(head),
		body: `{"unit_id":"ward-tan-tao"}`})
	if st != http.StatusForbidden {
		t.Fatalf("a head moving a ticket out of the unit: %d", st)
	}
	// Resolving before answering the citizen is refused; after, it closes.
	st, _ = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/resolve", header: bearer(head), body: `{}`})
	if st != http.StatusConflict {
		t.Fatalf("resolve before answering: %d", st)
	}
	st, _ = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/replies", header: bearer(head),
		body: `{"body":"Mời ông/bà đến bộ phận một cửa phường An Lạc để được hướng dẫn.","public":true}`})
	if st != http.StatusCreated {
		t.Fatalf("reply: %d", st)
	}
	st, body = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/resolve", header: bearer(head), body: `{"note":"xong"}`})
	if st != http.StatusOK || body["status"] != "resolved" {
		t.Fatalf("resolve: %d %v", st, body)
	}
	_, ticket = in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(head)})
	var types []string
	for _, h := range ticket["history"].([]any) {
		types = append(types, h.(map[string]any)["type"].(string))
	}
	want := []string{"routed", "assigned", "assigned", "replied", "resolved"}
	if len(types) != len(want) {
		t.Fatalf("history %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("history %v, want %v", types, want)
		}
	}
}

// TestSignOutEndsEverySignIn: after an official signs out, the token they
// had opens neither the desk nor the admin API, anywhere; signing in again
// works at once.
func TestSignOutEndsEverySignIn(t *testing.T) {
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir()})
	defer in.stop()
	first, second := in.login(t, "anlac.lan"), in.login(t, "anlac.lan") // two computers
	for _, path := range []string{"/desk/v1/me", "/admin/v1/organisation"} {
		if st, body := in.do(t, call{method: "GET", path: path, header: bearer(first)}); st != http.StatusOK {
			t.Fatalf("before signing out, %s: %d %v", path, st, body)
		}
	}
	if st, body := in.do(t, call{method: "POST", path: "/desk/v1/logout", header: bearer(second)}); st != http.StatusNoContent {
		t.Fatalf("logout: %d %v", st, body)
	}
	for _, tok := range []string{first, second} {
		for _, path := range []string{"/desk/v1/me", "/admin/v1/organisation", "/desk/v1/tickets"} {
			st, body := in.do(t, call{method: "GET", path: path, header: bearer(tok)})
			if st != http.StatusUnauthorized || !strings.Contains(toJSON(body), "đăng nhập lại") {
				t.Fatalf("after signing out, %s: %d %v", path, st, body)
			}
		}
	}
	if st, _ := in.do(t, call{method: "POST", path: "/desk/v1/logout", header: bearer(first)}); st != http.StatusUnauthorized {
		t.Fatalf("logout with an ended sign-in: %d", st)
	}
	again := in.login(t, "anlac.lan")
	if st, body := in.do(t, call{method: "GET", path: "/desk/v1/me", header: bearer(again)}); st != http.StatusOK {
		t.Fatalf("signed in again: %d %v", st, body)
	}
	// Another official's sign-in is untouched.
	if st, _ := in.do(t, call{method: "GET", path: "/desk/v1/me", header: bearer(in.login(t, "anlac.thu"))}); st != http.StatusOK {
		t.Fatalf("a colleague: %d", st)
	}
}
