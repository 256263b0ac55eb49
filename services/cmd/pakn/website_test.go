package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestEndToEndWebsite: a citizen fills the district's form with a photo (a
// multipart POST as a browser sends it), is shown a tracking code, and the
// item becomes one routed ticket with their phone and the photo; the
// status page shows it without their personal data. The form itself is
// tested in a real Chromium in package website.
func TestEndToEndWebsite(t *testing.T) {
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir(), "PAKN_WEBSITE_SECRET": strings.Repeat("s", 40)})
	defer in.stop()
	res, err := http.Get(in.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil || !bytes.Contains(page, []byte(`lang="vi"`)) {
		t.Fatalf("form: %d, token found %v", res.StatusCode, m != nil)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range map[string]string{"token": string(m[1]), "lang": "vi", "content": "Cây xanh trước số 40 Hồ Học Lãm bị gãy nhánh lớn, sắp đổ xuống đường.",
		"ward": "an-lac", "address": "40 Hồ Học Lãm", "name": "Ngô Thị Mai", "phone": "0908111222", "extra_note": ""} {
		_ = w.WriteField(k, v)
	}
	// A real picture: the website refuses a photo it cannot read.
	var pic bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: 200, G: 30, B: 30, A: 255})
	if err := png.Encode(&pic, img); err != nil {
		t.Fatal(err)
	}
	photoBytes := pic.Bytes()
	fw, _ := w.CreateFormFile("photos", "cay-gay.png")
	_, _ = fw.Write(photoBytes)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, in.base+"/", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", in.base)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	code := regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}`).FindString(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || code == "" {
		t.Fatalf("submit: %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}

	sup := in.login(t, "supervisor")
	var ticket map[string]any
	waitFor(t, 30*time.Second, func() bool {
		var st int
		st, ticket = in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(sup)})
		return st == http.StatusOK
	})
	atts, _ := ticket["attachments"].([]any)
	if ticket["channel"] != "website" || ticket["ward"] != "an-lac" || ticket["citizen"].(map[string]any)["name"] != "Ngô Thị Mai" || len(atts) != 1 {
		t.Fatalf("ticket %v", ticket)
	}
	photo := atts[0].(map[string]any)["url"].(string)
	_, path, _ := strings.Cut(strings.TrimPrefix(photo, "http://"), "/")
	res, err = http.Get(in.base + "/" + path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Equal(got, photoBytes) {
		t.Fatalf("photo %s: %d, %d bytes", path, res.StatusCode, len(got))
	}
	res, err = http.Get(in.base + "/track/" + code)
	if err != nil {
		t.Fatal(err)
	}
	track, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Contains(track, []byte(code)) || bytes.Contains(track, []byte("Ngô Thị Mai")) || bytes.Contains(track, []byte("0908111222")) {
		t.Fatalf("status page %d:\n%s", res.StatusCode, track)
	}
}
