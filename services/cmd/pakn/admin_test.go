package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRoutingRuleTakesEffectAtOnce: a supervisor sends waste reports from
// one ward to the environment department; the next item follows the rule
// without a restart, and the change is in the audit trail.
func TestRoutingRuleTakesEffectAtOnce(t *testing.T) {
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir()})
	defer in.stop()
	sup := in.login(t, "supervisor")
	report := func(key string) map[string]any {
		return in.submitRouted(t, key, `{"content":"Rác thải đổ bừa bãi ở đầu hẻm, bốc mùi hôi thối","ward":"Tân Tạo A"}`, sup)
	}
	if unit := report("rule-before")["unit"].(map[string]any)["id"]; unit != "ward-tan-tao-a" {
		t.Fatalf("before the rule: %v", unit)
	}
	st, body := in.do(t, call{method: "PUT", path: "/admin/v1/routing-rules/ve-sinh-moi-truong/tan-tao-a?reason=thi%20diem",
		header: bearer(sup), body: `{"unit_id":"dept-tnmt"}`})
	if st != http.StatusOK && st != http.StatusCreated {
		t.Fatalf("put rule: %d %v", st, body)
	}
	// The announcement reaches the router asynchronously: within moments,
	// without a restart and well before its 30-second reload.
	n := 0
	waitFor(t, 10*time.Second, func() bool {
		n++
		return report(fmt.Sprintf("rule-after-%d", n))["unit"].(map[string]any)["id"] == "dept-tnmt"
	})
	_, changes := in.do(t, call{method: "GET", path: "/admin/v1/changes", header: bearer(sup)})
	if !strings.Contains(toJSON(changes), "dept-tnmt") || !strings.Contains(toJSON(changes), "supervisor") {
		t.Fatalf("audit trail %v", changes)
	}
	st, _ = in.do(t, call{method: "PUT", path: "/admin/v1/routing-rules/ve-sinh-moi-truong/tan-tao-a",
		header: bearer(in.login(t, "tantaoa.head")), body: `{"unit_id":"dept-tnmt"}`})
	if st != http.StatusForbidden {
		t.Fatalf("a ward head editing routing: %d", st)
	}
}

// TestLandmarkTakesEffectAtOnce: "chợ Bình Long" names a street that runs
// through two wards, so the router cannot place it and sends it to triage;
// once a supervisor records the market as a landmark of Bình Hưng Hòa A, the
// next report of it goes to that ward, without a restart.
func TestLandmarkTakesEffectAtOnce(t *testing.T) {
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir()})
	defer in.stop()
	sup := in.login(t, "supervisor")
	report := func(key string) map[string]any {
		return in.submitRouted(t, key, `{"content":"Rác thải đổ bừa bãi trước cổng chợ Bình Long, bốc mùi hôi thối cả tuần nay"}`, sup)
	}
	if tk := report("landmark-before"); tk["status"] != "triage" {
		t.Fatalf("before the landmark: %v", tk)
	}
	_, org := in.do(t, call{method: "GET", path: "/admin/v1/organisation", header: bearer(sup)})
	var kp map[string]any
	for _, w := range org["wards"].([]any) {
		if w := w.(map[string]any); w["code"] == "binh-hung-hoa-a" {
			kp = w["neighbourhoods"].([]any)[0].(map[string]any)
		}
	}
	kp["landmarks"] = append(kp["landmarks"].([]any), map[string]any{"name": "Chợ Bình Long", "aliases": []string{}})
	body := map[string]any{"name": kp["name"], "streets": kp["streets"], "landmarks": kp["landmarks"], "reason": "thêm chợ"}
	st, res := in.do(t, call{method: "PUT", path: "/admin/v1/wards/binh-hung-hoa-a/neighbourhoods/" + kp["code"].(string),
		header: bearer(sup), body: toJSON(body)})
	if st != http.StatusOK {
		t.Fatalf("put neighbourhood: %d %v", st, res)
	}
	n := 0
	waitFor(t, 10*time.Second, func() bool {
		n++
		tk := report(fmt.Sprintf("landmark-after-%d", n))
		return tk["status"] == "assigned" && tk["unit"].(map[string]any)["id"] == "ward-binh-hung-hoa-a"
	})
}
