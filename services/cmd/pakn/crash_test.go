package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary play PAKN itself: with PAKN_TEST_CHILD=1 it
// calls run with the real environment, so crash tests can start it as a
// separate process and kill it without building another binary.
func TestMain(m *testing.M) {
	if os.Getenv("PAKN_TEST_CHILD") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		if err := run(ctx, []string{"pakn"}, os.Getenv, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "pakn:", err)
			stop()
			os.Exit(1)
		}
		stop()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type child struct {
	cmd  *exec.Cmd
	base string
	done chan error
}

// startChild runs PAKN in a process of its own on dataDir.
func startChild(t *testing.T, dataDir string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PAKN_TEST_CHILD=1", "PAKN_ADDR=127.0.0.1:0", "PAKN_DATA_DIR="+dataDir,
		"PAKN_APP_TOKENS=app-token-1", "PAKN_DEMO_PASSWORD=demo-password", "PAKN_LOG_LEVEL=warn")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, done: make(chan error, 1)}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if _, addr, ok := strings.Cut(sc.Text(), "listening on "); ok {
				found <- addr
			}
		}
	}()
	go func() { c.done <- cmd.Wait() }()
	select {
	case c.base = <-found:
	case err := <-c.done:
		t.Fatalf("child exited before listening: %v", err)
	case <-time.After(120 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("child not listening after 120s")
	}
	waitFor(t, 60*time.Second, func() bool {
		res, err := http.Get(c.base + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	return c
}

func (c *child) kill(t *testing.T) {
	t.Helper()
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
}

// TestCrashLosesNothingAndDoublesNothing submits items, kills PAKN with
// SIGKILL while it routes them, restarts it on the same data, and retries
// every submission: each acknowledged item ends as exactly one ticket with
// the code the citizen was first given.
func TestCrashLosesNothingAndDoublesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes; skipped in -short runs")
	}
	dataDir := t.TempDir()
	first := startChild(t, dataDir)
	in := &instance{base: first.base}

	const items = 40
	codes := make([]string, items)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < items; i += 4 {
				body := fmt.Sprintf(`{"content":"Đèn đường số %d trên đường Mã Lò không sáng","ward":"Bình Trị Đông A"}`, i)
				st, res := in.do(t, call{method: "POST", path: "/app/v1/feedback", body: body, header: appHeaders(fmt.Sprintf("crash-%d", i))})
				if st != http.StatusAccepted {
					t.Errorf("item %d: %d %v", i, st, res)
					return
				}
				codes[i], _ = res["tracking_code"].(string)
			}
		}()
	}
	wg.Wait()
	t.Logf("submitted at %s", time.Now().Format("15:04:05.000"))
	first.kill(t) // while the router is still working through the items

	t.Logf("killed at %s", time.Now().Format("15:04:05.000"))
	second := startChild(t, dataDir)
	t.Logf("restarted at %s", time.Now().Format("15:04:05.000"))
	defer second.kill(t)
	in = &instance{base: second.base}
	for i := 0; i < items; i++ {
		body := fmt.Sprintf(`{"content":"Đèn đường số %d trên đường Mã Lò không sáng","ward":"Bình Trị Đông A"}`, i)
		st, res := in.do(t, call{method: "POST", path: "/app/v1/feedback", body: body, header: appHeaders(fmt.Sprintf("crash-%d", i))})
		if st != http.StatusAccepted || res["tracking_code"] != codes[i] {
			t.Fatalf("retry of item %d after the crash: %d %v, want code %s", i, st, res, codes[i])
		}
	}
	for _, code := range codes {
		waitFor(t, 60*time.Second, func() bool {
			_, st := in.do(t, call{method: "GET", path: "/app/v1/feedback/" + code, header: appHeaders("")})
			return st["status"] == "assigned"
		})
	}
	t.Logf("all routed at %s", time.Now().Format("15:04:05.000"))
	sup := in.login(t, "supervisor")
	_, inbox := in.do(t, call{method: "GET", path: "/desk/v1/tickets?scope=all&limit=1000", header: bearer(sup)})
	tickets, _ := inbox["tickets"].([]any)
	seen := map[string]int{}
	for _, tk := range tickets {
		seen[tk.(map[string]any)["tracking_code"].(string)]++
	}
	if len(tickets) != items {
		t.Fatalf("%d tickets after crash and retries, want %d", len(tickets), items)
	}
	for _, code := range codes {
		if seen[code] != 1 {
			t.Fatalf("code %s has %d tickets", code, seen[code])
		}
	}
	// A clean stop exits 0.
	_ = second.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-second.done; err != nil {
		t.Fatalf("clean stop: %v", err)
	}
	second.done <- nil // kill in the deferred call finds it already gone
}
