package website_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/website"
)

// chromiumPath finds the browser: Debian's chromium first.
func chromiumPath() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowserSubmitAndTrack fills the form in a real headless Chromium as a
// citizen on a phone would, and follows the code to the status page. It
// leaves screenshots in /tmp/pakn-*.png for a person to look at.
func TestBrowserSubmitAndTrack(t *testing.T) {
	path := chromiumPath()
	if path == "" {
		const msg = "chromium is not installed; on Debian: apt-get install -y chromium"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (the test fails instead when CI is set)")
	}
	e := newEnv(t, func(c *website.Config) { c.PublicURL = "http://127.0.0.1" })
	e.clock.Set(time.Now()) // the pages should show today's dates to a person looking

	// The whole browser session is bounded: a hang fails the test, it does
	// not stall the run.
	parent, cancelAll := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancelAll()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()

	photo := filepath.Join(t.TempDir(), "ong-cong.jpg")
	if err := os.WriteFile(photo, jpegPhoto(t), 0o600); err != nil {
		t.Fatal(err)
	}
	content := "Nắp cống trước nhà 45 đường số 7 bị vỡ, rất nguy hiểm cho xe máy vào ban đêm."

	// A phone-sized window: most citizens report from their phone.
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("content")),
	); err != nil {
		t.Fatalf("open the form: %v", err)
	}

	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("content"), content),
		chromedp.SetValue(chromedp.ID("category"), "giao-thong"),
		chromedp.SetValue(chromedp.ID("ward"), "binh-tri-dong-b"),
		chromedp.SendKeys(chromedp.ID("address"), "45 đường số 7"),
		chromedp.SendKeys(chromedp.ID("phone"), "0901 234 567"),
		chromedp.SetUploadFiles(chromedp.ID("photo1"), []string{photo}),
	); err != nil {
		t.Fatalf("fill the form: %v", err)
	}
	shot(t, ctx, "/tmp/pakn-form.png")

	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("submit")))
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if resp.Status != 200 || !strings.Contains(resp.URL, "/sent/") {
		t.Fatalf("after submit: %d %s", resp.Status, resp.URL)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("tracking-code")))
	if err != nil {
		t.Fatal(err)
	}
	code, err := feedback.ParseTrackingCode(shown)
	if err != nil || string(code) != strings.TrimSpace(shown) {
		t.Fatalf("tracking code on the page %q: %v", shown, err)
	}
	shot(t, ctx, "/tmp/pakn-done.png")

	items := e.published()
	if len(items) != 1 || items[0].GetTrackingCode() != string(code) || items[0].GetContent() != content ||
		items[0].GetWard() != "binh-tri-dong-b" || items[0].GetCitizen().GetPhone() != "0901234567" || len(items[0].GetAttachments()) != 1 {
		t.Fatalf("published %v", items)
	}

	// Follow the link: received, not yet routed.
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("track-link"))); err != nil {
		t.Fatalf("open the status page: %v", err)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("status")))
	if err != nil || status != "Đã tiếp nhận, đang phân công" {
		t.Fatalf("status %q, %v", status, err)
	}

	// The router assigns it and the official answers; the citizen reloads.
	tk := e.routedTicket(code)
	if _, err := tk.AddReply(feedback.Official{Username: "u", Name: "Phạm Thị Phụ Trách", UnitID: tk.UnitID},
		"Đã thay nắp cống mới ngày 04/03. Cảm ơn anh/chị.", true, time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	e.tickets.put(tk)
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	status, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("status")))
	if err != nil || status != "Đã trả lời" {
		t.Fatalf("status %q, %v", status, err)
	}
	page, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("main")))
	if err != nil || !strings.Contains(page, "Đã thay nắp cống mới") || !strings.Contains(page, "Phạm Thị Phụ Trách") || strings.Contains(page, "0901") {
		t.Fatalf("status page text %q, %v", page, err)
	}
	shot(t, ctx, "/tmp/pakn-track.png")

	// A form sent empty comes back with the summary and the message at the field.
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/?lang=vi"), chromedp.WaitVisible(chromedp.ID("content"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("submit"))); err != nil {
		t.Fatalf("submit empty: %v", err)
	}
	summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("error-summary")))
	if err != nil || !strings.Contains(summary, "Vui lòng nhập nội dung phản ánh.") {
		t.Fatalf("error summary %q, %v", summary, err)
	}
	fieldMsg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("content-error")))
	if err != nil || !strings.Contains(fieldMsg, "Vui lòng nhập nội dung phản ánh.") {
		t.Fatalf("message at the field %q, %v", fieldMsg, err)
	}
	shot(t, ctx, "/tmp/pakn-error.png")
	if n := len(e.published()); n != 1 {
		t.Fatalf("%d items after an empty form", n)
	}

	// Switch to English by the link in the header.
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/track/"+string(code))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("a.lang-switch"))); err != nil {
		t.Fatal(err)
	}
	status, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("status")))
	if err != nil || status != "Answered" {
		t.Fatalf("English status %q, %v", status, err)
	}
}

func shot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
