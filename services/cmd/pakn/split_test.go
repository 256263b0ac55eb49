package main

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"pakn.local/services/internal/embedded"
	"pakn.local/services/internal/embedded/ferret"
)

// TestSplitDeployment runs the services as separate run calls (as
// compose.yaml runs them as processes) against one NATS and one database,
// with two routers sharing the durable consumer: every item is routed once.
func TestSplitDeployment(t *testing.T) {
	n, err := embedded.StartNATS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer n.Shutdown()
	db, err := ferret.Start(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Shutdown()
	shared := map[string]string{"NATS_URL": n.URL(), "MONGO_URI": db.URI(), "MONGO_DB": "split"}

	desk := startTarget(t, "desk", shared) // seeds the organisation first
	app := startTarget(t, "citizenapp", shared)
	r1 := startTarget(t, "router", shared)
	r2 := startTarget(t, "router", shared)
	defer func() {
		for _, in := range []*instance{app, r1, r2, desk} {
			if err := in.stop(); err != nil {
				t.Errorf("stop: %v", err)
			}
		}
	}()

	const items = 30
	codes := map[string]bool{}
	for i := range items {
		body := fmt.Sprintf(`{"content":"Cống thoát nước bị nghẹt gây ngập nước trước nhà số %d đường Gò Xoài","ward":"Bình Hưng Hòa A"}`, i)
		st, res := app.do(t, call{method: "POST", path: "/app/v1/feedback", body: body, header: appHeaders(fmt.Sprintf("split-%d", i))})
		if st != http.StatusAccepted {
			t.Fatalf("%d %v", st, res)
		}
		codes[res["tracking_code"].(string)] = true
	}
	sup := desk.login(t, "supervisor")
	var tickets []any
	waitFor(t, 60*time.Second, func() bool {
		_, inbox := desk.do(t, call{method: "GET", path: "/desk/v1/tickets?scope=all&limit=1000", header: bearer(sup)})
		tickets, _ = inbox["tickets"].([]any)
		return len(tickets) >= items
	})
	time.Sleep(500 * time.Millisecond) // a second ticket for an item would show up now
	_, inbox := desk.do(t, call{method: "GET", path: "/desk/v1/tickets?scope=all&limit=1000", header: bearer(sup)})
	tickets, _ = inbox["tickets"].([]any)
	if len(tickets) != items {
		t.Fatalf("%d tickets for %d items", len(tickets), items)
	}
	for _, tk := range tickets {
		m := tk.(map[string]any)
		if !codes[m["tracking_code"].(string)] || m["status"] != "assigned" {
			t.Fatalf("ticket %v", m)
		}
	}
	// The two routers stored 30 tickets between them, none twice.
	stored := 0
	for _, r := range []*instance{r1, r2} {
		stored += int(metricValue(t, r, `pakn_items_routed_total{outcome="assigned"}`))
	}
	if stored != items {
		t.Fatalf("the routers stored %d tickets for %d items", stored, items)
	}
}

// metricValue reads one sample from an instance's /metrics (0 if absent).
func metricValue(t *testing.T, in *instance, series string) float64 {
	t.Helper()
	res, err := http.Get(in.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	return 0
}

func startTarget(t *testing.T, target string, env map[string]string) *instance {
	t.Helper()
	vars := map[string]string{"PAKN_TARGET_FLAG": target}
	for k, v := range env {
		vars[k] = v
	}
	return start(t, vars)
}
