package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestDuplicatesAreLinkedAndAnsweredTogether: three neighbours report the
// same pothole on one street; the second and third are linked to the first,
// not assigned again; the official answers the first once and every
// citizen has the answer. A report of the same kind on another street is a
// ticket of its own, and a supervisor can unlink a duplicate.
func TestDuplicatesAreLinkedAndAnsweredTogether(t *testing.T) {
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir()})
	defer in.stop()
	sup := in.login(t, "supervisor")
	submit := func(key, content string) map[string]any {
		t.Helper()
		return in.submitRouted(t, key, `{"content":"`+content+`","ward":"Bình Trị Đông B"}`, sup)
	}
	first := submit("dup-1", "Đường Tên Lửa trước chợ có ổ gà rất lớn, xe máy té liên tục.")
	second := submit("dup-2", "duong ten lua truoc cho co o ga lon qua, nguoi di xe may te hoai")
	third := submit("dup-3", "Ổ gà lớn trên đường Tên Lửa đoạn trước chợ, rất nguy hiểm cho xe máy.")
	other := submit("dup-4", "Đường Mã Lò có ổ gà lớn trước số 12, xe máy té liên tục.")
	code := first["tracking_code"].(string)
	if first["status"] != "assigned" || other["status"] != "assigned" || other["linked_to"] != nil {
		t.Fatalf("first %v\nother street %v", first["status"], other)
	}
	for _, d := range []map[string]any{second, third} {
		if d["status"] != "linked" || d["linked_to"] != code {
			t.Fatalf("duplicate not linked to %s: %v %v", code, d["status"], d["linked_to"])
		}
	}

	// A supervisor unlinks the third: it becomes a ticket of its own.
	st, unlinked := in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + third["tracking_code"].(string) + "/unlink", header: bearer(sup)})
	if st != http.StatusOK || unlinked["status"] != "assigned" || unlinked["linked_to"] != nil {
		t.Fatalf("unlink: %d %v", st, unlinked)
	}

	official := in.login(t, first["assignee"].(map[string]any)["username"].(string))
	st, _ = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + second["tracking_code"].(string) + "/replies",
		header: bearer(official), body: `{"body":"x","public":true}`})
	if st != http.StatusConflict {
		t.Fatalf("answering a linked ticket directly: %d", st)
	}
	answer := "Đội duy tu đã vá ổ gà trên đường Tên Lửa đoạn trước chợ."
	st, _ = in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/replies", header: bearer(official),
		body: `{"body":"` + answer + `","public":true}`})
	if st != http.StatusCreated {
		t.Fatalf("reply %d", st)
	}
	for _, c := range []string{code, second["tracking_code"].(string)} {
		_, status := in.do(t, call{method: "GET", path: "/app/v1/feedback/" + c, header: appHeaders("")})
		if status["status"] != "answered" || !strings.Contains(toJSON(status), "đã vá ổ gà") {
			t.Fatalf("citizen of %s sees %v", c, status)
		}
	}
	_, status := in.do(t, call{method: "GET", path: "/app/v1/feedback/" + third["tracking_code"].(string), header: appHeaders("")})
	if status["status"] != "assigned" {
		t.Fatalf("the unlinked ticket was answered with the others: %v", status)
	}
}
