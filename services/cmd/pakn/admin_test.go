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
