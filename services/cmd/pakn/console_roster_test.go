package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestConsoleRoster drives the console's "Lịch trực" view in a real headless
// Chromium: the head of An Lạc ward sees the unit's rotating desk with
// today's shift marked, cuts it to two shifts from a new start date, records
// an official's leave, and gets a server error in Vietnamese next to the
// form; the admin API then holds the roster and the leave. An official of
// the unit does not see the view. It leaves /tmp/console-roster.png and
// /tmp/console-roster-phone.png for a person to look at.
func TestConsoleRoster(t *testing.T) {
	chromium := chromiumPath(t)
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir()})
	defer in.stop()
	// The leave the server refuses on purpose is a 400 in the console's log.
	b := newConsoleBrowser(t, chromium, true)

	// Leave that covers the day new items are for, whatever the hour or the
	// holidays: the official shows as on leave now.
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(loc)
	leaveFrom, leaveTo := today.Format(time.DateOnly), today.AddDate(0, 0, 30).Format(time.DateOnly)
	const newStart = "2026-12-01"

	b.signIn(in.base, "anlac.head")
	b.until("the navigation", `!document.querySelector("#views").hidden && document.querySelector("#nav-roster").textContent === "Lịch trực"`)
	b.click("#nav-roster")
	b.until("the roster", `!!document.querySelector("#roster-rows")`)
	b.until("the focus on the heading", `document.activeElement && document.activeElement.id === "roster-title"`)
	b.until("the seeded three shifts", `document.querySelectorAll("#roster-rows tr").length === 3`)
	if got := b.text("#roster-rows tr[data-shift='0'] th"); !strings.Contains(got, "Ca 1") {
		t.Fatalf("first shift %q, want Ca 1", got)
	}
	if got := b.text("#roster-rows tr[data-shift='0'] td"); !strings.Contains(got, "Trần Thị Lan") || !strings.Contains(got, "Lê Quang Minh") {
		t.Fatalf("first shift %q, want the officials' names", got)
	}
	b.until("today's shift marked", `document.querySelectorAll("#roster-rows tr.is-today .badge-today").length >= 1`)
	b.until("the unit's officials", `["anlac.head","anlac.lan","anlac.minh","anlac.thu"].every(u => document.querySelector('#staff-list li[data-username="' + u + '"]'))`)

	// Two shifts: Lan alone, then Minh and Thu; from a new start date.
	b.click("#roster-edit summary")
	b.until("the editor", `document.querySelector("#roster-edit").open`)
	b.click(`#roster-form [data-act="remove-shift"][data-shift="2"]`)
	b.until("two shifts in the editor", `document.querySelectorAll("#roster-form fieldset.shift").length === 2 && !document.querySelector('[data-act="remove-shift"][data-shift="2"]')`)
	b.click(`#roster-form input[data-shift="0"][value="anlac.minh"]`)
	b.fill("#roster-start", newStart)
	b.fill("#roster-reason", "Chị Thu và anh Minh trực chung")
	// Adding and removing a shift keeps what was chosen so far.
	b.click("#roster-add-shift")
	b.until("a third, empty shift with the focus", `document.querySelectorAll("#roster-form fieldset.shift").length === 3 && document.activeElement.dataset.shift === "2"`)
	b.click("#roster-save")
	b.until("the empty shift refused in Vietnamese", `!document.querySelector("#roster-error").hidden && document.querySelector("#roster-error").textContent === "Ca 3 cần ít nhất một cán bộ."`)
	b.click(`#roster-form [data-act="remove-shift"][data-shift="2"]`)
	b.until("the choices kept", `document.querySelector("#roster-start").value === "`+newStart+`" &&
		!document.querySelector('#roster-form input[data-shift="0"][value="anlac.minh"]').checked &&
		document.querySelector('#roster-form input[data-shift="0"][value="anlac.lan"]').checked &&
		document.querySelector('#roster-form input[data-shift="1"][value="anlac.thu"]').checked`)
	b.click("#roster-save")
	b.until("the saved roster", `document.querySelectorAll("#roster-rows tr").length === 2 && !document.querySelector("#roster-edit").open &&
		document.querySelector("#roster-rows tr[data-shift='0'] td").textContent.trim() === "Trần Thị Lan"`)
	if got := b.text(".roster-meta"); !strings.Contains(got, "01/12/2026") {
		t.Fatalf("roster heading %q, want the new start date", got)
	}

	// A leave for Thu; first one the server refuses, to see its message.
	thu := `#staff-list li[data-username="anlac.thu"]`
	b.fill("#leave-who", "anlac.thu")
	b.fill("#leave-from", "2026-01-01")
	b.fill("#leave-to", "2027-06-30")
	b.click("#leave-submit")
	b.until("the server's refusal in Vietnamese", `!document.querySelector("#leave-error").hidden && document.querySelector("#leave-error").textContent.includes("không quá 366 ngày")`)
	b.click("#lang")
	b.until("the refusal and the view in English", `document.querySelector("#leave-error").textContent.includes("at most 366 days") &&
		document.querySelector("#roster-title").textContent === "Desk roster" && document.querySelector("#leave-from").value === "2026-01-01"`)
	b.click("#lang")
	b.until("Vietnamese again", `document.querySelector("#roster-title").textContent === "Lịch trực"`)
	b.fill("#leave-from", leaveFrom)
	b.fill("#leave-to", leaveTo)
	b.fill("#leave-reason", "Nghỉ phép năm")
	b.click("#leave-submit")
	b.until("Thu on leave", `document.querySelector('`+thu+` .badge-leave') && document.querySelector('`+thu+` .leave-reason').textContent === "Nghỉ phép năm" && document.querySelector("#leave-error").hidden`)
	b.until("an empty form for the next leave", `document.querySelector("#leave-who").value === "" && document.querySelector("#leave-reason").value === ""`)
	if got := b.text(thu + " .badge-leave"); got != "Đang nghỉ" {
		t.Fatalf("Thu's badge %q, want Đang nghỉ", got)
	}
	consoleShot(t, b.ctx, "/tmp/console-roster.png")
	b.step("phone width", chromedp.EmulateViewport(390, 844))
	b.until("no sideways scrolling at phone width", `document.documentElement.scrollWidth <= window.innerWidth`)
	consoleShot(t, b.ctx, "/tmp/console-roster-phone.png")
	b.step("back to desktop width", chromedp.EmulateViewport(1280, 900))

	// The admin API agrees.
	head := in.login(t, "anlac.head")
	st, org := in.do(t, call{method: "GET", path: "/admin/v1/organisation", header: bearer(head)})
	if st != http.StatusOK {
		t.Fatalf("organisation: %d %v", st, org)
	}
	var roster map[string]any
	for _, u := range org["units"].([]any) {
		if u := u.(map[string]any); u["id"] == "ward-an-lac" {
			roster, _ = u["roster"].(map[string]any)
		}
	}
	if roster == nil || roster["start"] != newStart {
		t.Fatalf("roster %v, want one starting %s", roster, newStart)
	}
	var shifts [][]string
	for _, s := range roster["shifts"].([]any) {
		var names []string
		for _, n := range s.([]any) {
			names = append(names, n.(string))
		}
		slices.Sort(names)
		shifts = append(shifts, names)
	}
	if fmt.Sprint(shifts) != fmt.Sprint([][]string{{"anlac.lan"}, {"anlac.minh", "anlac.thu"}}) {
		t.Fatalf("shifts %v, want [[anlac.lan] [anlac.minh anlac.thu]]", shifts)
	}
	var found bool
	for _, o := range org["officials"].([]any) {
		o := o.(map[string]any)
		if o["username"] != "anlac.thu" {
			continue
		}
		found = true
		leave := o["leave"].([]any)
		if len(leave) != 1 || o["on_leave"] != true {
			t.Fatalf("Thu's leave %v (on_leave %v), want the one recorded", leave, o["on_leave"])
		}
		l := leave[0].(map[string]any)
		if l["from"] != leaveFrom || l["to"] != leaveTo || l["reason"] != "Nghỉ phép năm" {
			t.Fatalf("Thu's leave %v, want %s to %s, Nghỉ phép năm", l, leaveFrom, leaveTo)
		}
	}
	if !found {
		t.Fatal("anlac.thu is not in the organisation")
	}

	// Removing the leave from the console empties the list again.
	b.click(thu + ` [data-act="remove-leave"][data-index="0"]`)
	b.until("Thu back at work", `!document.querySelector('`+thu+` .badge-leave') && !document.querySelector('`+thu+` .leaves')`)
	b.fill("#leave-who", "anlac.thu")
	b.fill("#leave-from", leaveFrom)
	b.fill("#leave-to", leaveTo)
	b.click("#leave-submit")
	b.until("Thu on leave again", `!!document.querySelector('`+thu+` .badge-leave')`)

	// An official has no roster view, not even by its address.
	b.click("#signout")
	b.until("the sign-in form", `!!document.querySelector("#username") && document.querySelector("#username").offsetParent !== null`)
	b.signIn(in.base, "anlac.lan")
	b.until("the official's inbox", `!document.querySelector("#work").hidden && document.querySelector("#who").textContent.includes("Cán bộ")`)
	b.until("no navigation to the roster", `document.querySelector("#views").hidden && document.querySelector("#roster-page").hidden`)
	b.step("try the roster's address", chromedp.Navigate(in.base+"/desk/#/roster"), chromedp.WaitVisible(chromedp.ID("inbox-title")))
	b.until("still the inbox", `document.querySelector("#roster-page").hidden && !document.querySelector("#work").hidden && document.querySelector("#views").hidden`)
	b.checkErrors()
}

// chromiumPath finds Debian's chromium, which .ci/run installs: without it
// the browser tests skip on a developer's machine and fail in CI.
func chromiumPath(t *testing.T) string {
	t.Helper()
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		msg := "chromium is not installed at " + chromium + "; on Debian: apt-get install -y chromium"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (the test fails instead when CI is set)")
	}
	return chromium
}

// consoleBrowser is a headless Chromium on the console, with the steps the
// console tests take; every page error and console error is kept.
type consoleBrowser struct {
	t   *testing.T
	ctx context.Context
	// allow400 lets a 400 answer in the console's log pass: a test that
	// has the server refuse something on purpose.
	allow400 bool

	mu     sync.Mutex
	errors []string
}

func newConsoleBrowser(t *testing.T, chromium string, allow400 bool) *consoleBrowser {
	t.Helper()
	b := &consoleBrowser{t: t, allow400: allow400}
	listen := func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			b.errors = append(b.errors, "exception: "+msg)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError && !(b.allow400 && strings.Contains(e.Entry.Text, "400")) {
				b.errors = append(b.errors, fmt.Sprintf("console %s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
			}
		}
	}
	parent, cancelAll := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancelAll)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], // headless among them
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(listen))
	t.Cleanup(cancel)
	b.ctx = ctx
	return b
}

func (b *consoleBrowser) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// text reads an element's visible text in one evaluation in the page: the
// console redraws lists when data arrives, and a node looked up first and
// read after may be gone by then.
func (b *consoleBrowser) text(sel string) string {
	b.t.Helper()
	expr := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText : null })()`, sel)
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		s, err := chromedp.Run(b.ctx, chromedp.Evaluate[*string](expr))
		if err != nil {
			b.t.Fatalf("text of %s: %v", sel, err)
		}
		if s != nil {
			return *s
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("text of %s: no such element", sel)
		}
	}
}

// click clicks the element sel names in one evaluation in the page, once it
// is there: the console redraws a view when its data arrives, and a node
// looked up first and clicked after may be gone by then.
func (b *consoleBrowser) click(sel string) {
	b.t.Helper()
	b.until("to click "+sel, fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.click(); return true })()`, sel))
}

// fill sets a field's value as typing would (input and change events), in
// one evaluation, once the field is there.
func (b *consoleBrowser) fill(sel, value string) {
	b.t.Helper()
	b.until("to fill "+sel, fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.focus(); e.value = %q;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, sel, value))
}

// until waits for a JavaScript condition, so a failure says what was awaited.
func (b *consoleBrowser) until(what, expr string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		b.t.Fatalf("waiting for %s: %v", what, err)
	}
}

func (b *consoleBrowser) signIn(base, username string) {
	b.t.Helper()
	b.step("open the console as "+username,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/desk/"),
		chromedp.WaitVisible(chromedp.ID("username")),
	)
	b.step("sign in as "+username,
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), "demo-password"),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("signout")),
	)
}

func (b *consoleBrowser) checkErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.errors) > 0 {
		b.t.Errorf("the page reported errors:\n%s", strings.Join(b.errors, "\n"))
	}
}
