package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// consoleReport is a citizen's item whose title and address carry markup:
// the console must show it as text.
const consoleReport = `{"title":"Ổ gà lớn <b>trước chợ</b>",
 "content":"Đường Tên Lửa đoạn trước chợ có ổ gà rất lớn, xe máy té ngã nhiều lần, đề nghị sửa gấp.",
 "ward":"Bình Trị Đông B","address":"Đường Tên Lửa <img src=x onerror=alert(1)>, phường Bình Trị Đông B",
 "citizen":{"id":"citizen-7","name":"Nguyễn Văn An","phone":"+84901234567"}}`

// TestConsoleAnswerAndResolve drives the officials' console in a real
// headless Chromium: the assigned official signs in, finds the item in the
// inbox, opens it, writes an internal note and a public answer, and closes
// it; the desk API then shows it resolved with both. It leaves screenshots
// in /tmp/console-inbox.png and /tmp/console-ticket.png for a person to look at.
func TestConsoleAnswerAndResolve(t *testing.T) {
	chromium := chromiumPath(t)
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir()})
	defer in.stop()

	// The console's own files are served under /desk/.
	for _, p := range []string{"/desk/", "/desk/app.js", "/desk/app.css"} {
		res, err := http.Get(in.base + p)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d; the console's files must be served under /desk/ "+
				"(internal/desk/routes.go routes only the exact path /desk/: it needs e.GET(\"/desk/*\", handleConsole()))", p, res.StatusCode)
		}
	}

	st, body := in.do(t, call{method: "POST", path: "/app/v1/feedback", body: consoleReport, header: appHeaders("console-1")})
	if st != http.StatusAccepted {
		t.Fatalf("submit: %d %v", st, body)
	}
	code := body["tracking_code"].(string)
	sup := in.login(t, "supervisor")
	var ticket map[string]any
	waitFor(t, 30*time.Second, func() bool {
		st, ticket = in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(sup)})
		return st == http.StatusOK && ticket["status"] == "assigned"
	})
	assignee := ticket["assignee"].(map[string]any)["username"].(string)

	// The browser; every page error and every console error fails the test
	// (a script error, a resource the CSP blocked, a file not found).
	b := newConsoleBrowser(t, chromium, false)
	ctx, step, text, until := b.ctx, b.step, b.text, b.until

	// Sign in as the official the router chose.
	step("open the console",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(in.base+"/desk/"),
		chromedp.WaitVisible(chromedp.ID("username")),
	)
	if got := text("#login-title"); got != "Đăng nhập" {
		t.Fatalf("sign-in heading %q, want Vietnamese first", got)
	}
	step("sign in",
		chromedp.SendKeys(chromedp.ID("username"), assignee),
		chromedp.SendKeys(chromedp.ID("password"), "demo-password"),
		chromedp.Click(chromedp.ID("login-submit")),
	)
	row := fmt.Sprintf(`#inbox-rows tr[data-code=%q]`, code)
	step("see the item in the inbox", chromedp.WaitVisible(chromedp.CSS(row)))
	if who := text("#who"); !strings.Contains(who, "Cán bộ") {
		t.Fatalf("header shows %q, want the official's name and role", who)
	}
	if r := text(row); !strings.Contains(r, "còn ") || !strings.Contains(r, "Đang xử lý") || !strings.Contains(r, "<b>trước chợ</b>") {
		t.Fatalf("inbox row %q: want the time left, the status and the title as text", r)
	}
	consoleShot(t, ctx, "/tmp/console-inbox.png")

	// Open it from the keyboard: focus the row's link and press Enter.
	step("open the item",
		chromedp.Focus(chromedp.CSS(row+" a.row-link")),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.ID("reply-body")),
	)
	if h := text("#ticket-title"); !strings.Contains(h, code) {
		t.Fatalf("ticket heading %q, want %s", h, code)
	}
	view := text("#ticket")
	for _, want := range []string{"Đường Tên Lửa đoạn trước chợ", "Ổ gà lớn <b>trước chợ</b>", "<img src=x onerror=alert(1)>",
		"Nguyễn Văn An", "+84901234567", "Ứng dụng Công dân số", "Tiếp nhận và phân công"} {
		if !strings.Contains(view, want) {
			t.Fatalf("ticket view lacks %q:\n%s", want, view)
		}
	}
	until("the markup to stay text", `document.querySelectorAll("#ticket b, #ticket img, #inbox-rows b").length === 0`)

	// An internal note, then the answer to the citizen.
	note := "Đã giao đội duy tu, kiểm tra lại ngày 29/11."
	step("write an internal note",
		chromedp.Click(chromedp.ID("kind-note")),
		chromedp.SendKeys(chromedp.ID("reply-body"), note),
		chromedp.Click(chromedp.ID("reply-submit")),
	)
	until("the note", `[...document.querySelectorAll("#ticket .reply-note")].some(e => e.textContent.includes("kiểm tra lại ngày 29/11"))`)
	answer := "Phường đã cử đội duy tu vá ổ gà trong ngày 28/11. Cảm ơn ông đã phản ánh."
	step("answer the citizen",
		chromedp.WaitVisible(chromedp.ID("reply-body")),
		chromedp.Click(chromedp.ID("kind-public")),
		chromedp.SendKeys(chromedp.ID("reply-body"), answer),
		chromedp.Click(chromedp.ID("reply-submit")),
		chromedp.WaitVisible(chromedp.ID("resolve-submit")),
	)
	until("the public answer", `[...document.querySelectorAll("#ticket .reply-public")].some(e => e.textContent.includes("vá ổ gà trong ngày 28/11"))`)
	consoleShot(t, ctx, "/tmp/console-ticket.png")

	step("close the item", chromedp.Click(chromedp.ID("resolve-submit")))
	until("the resolved status", `(document.querySelector("#ticket .ticket-head .badge") || {}).textContent === "Đã giải quyết"`)

	// English on request, and remembered.
	step("switch to English", chromedp.Click(chromedp.ID("lang")))
	until("English labels", `document.documentElement.lang === "en" && document.querySelector("#inbox-title").textContent === "Feedback to handle"`)
	step("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("ticket-title")))
	until("English after a reload, the ticket still open", `document.querySelector("#ticket .ticket-head .badge").textContent === "Resolved"`)
	step("back to Vietnamese", chromedp.Click(chromedp.ID("lang")))
	until("Vietnamese labels", `document.querySelector("#inbox-title").textContent === "Phản ánh cần xử lý"`)

	// Sign out: the console's token opens nothing afterwards.
	consoleToken, err := chromedp.Run(ctx, chromedp.Evaluate[string](`sessionStorage.getItem("pakn.token") || ""`))
	if err != nil {
		t.Fatalf("read the sign-in: %v", err)
	}
	step("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("username")))
	if consoleToken == "" {
		t.Fatal("the console kept no token in sessionStorage")
	}
	waitFor(t, 5*time.Second, func() bool {
		st, _ := in.do(t, call{method: "GET", path: "/desk/v1/me", header: bearer(consoleToken)})
		return st == http.StatusUnauthorized
	})

	b.checkErrors()

	// The desk API agrees.
	st, ticket = in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(in.login(t, assignee))})
	if st != http.StatusOK || ticket["status"] != "resolved" {
		t.Fatalf("after the console: %d %v", st, ticket["status"])
	}
	var public, internal bool
	for _, r := range ticket["replies"].([]any) {
		r := r.(map[string]any)
		public = public || (r["body"] == answer && r["public"] == true)
		internal = internal || (r["body"] == note && r["public"] == false)
	}
	if !public || !internal {
		t.Fatalf("replies %v: want the public answer and the internal note", ticket["replies"])
	}
}

func consoleShot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
