package website_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/website"
)

// FuzzForm feeds the form decoder well-formed forms with arbitrary values
// and arbitrary bodies. It must never panic; what it keeps must always be
// safe to show again; and a form it accepts must make a valid item.
func FuzzForm(f *testing.F) {
	f.Add("Đường Tên Lửa có ổ gà lớn", "an-lac", "0901 234 567", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), []byte("--B\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nhello\r\n--B--\r\n"))
	f.Add("a\r\nb\rc\x00d", "\xff", "+84 (90) 123-4567", []byte("GIF89a"), []byte("content=%ff&content=x"))
	f.Add(" ", "", "", []byte{}, []byte(""))
	f.Add("<script>alert(1)</script>", "x", "abc", []byte("RIFF\x1a\x00\x00\x00WEBPVP8L"), []byte("--B\r\n\r\n--B--"))
	f.Add(strings.Repeat("ạ", feedback.MaxContentRunes+1), "\u0085", "1", []byte("\xff\xd8\xff\xe0"), []byte("token=a;b"))
	f.Fuzz(func(t *testing.T, content, ward, phone string, photo, raw []byte) {
		body, ct := fuzzMultipart(content, ward, phone, photo)
		in, errs := website.DecodeForm(bytes.NewReader(body), ct)
		checkDecoded(t, in, errs)
		if len(errs) == 0 {
			want := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(content, "\r\n", "\n"), "\r", "\n"))
			if in.Content != want {
				t.Fatalf("content %q decoded as %q", content, in.Content)
			}
			if len(photo) > 0 && len(in.Photos) != 1 {
				t.Fatalf("an accepted form lost its photo")
			}
		}
		for _, ct := range []string{"multipart/form-data; boundary=B", "application/x-www-form-urlencoded"} {
			in, errs := website.DecodeForm(bytes.NewReader(raw), ct)
			checkDecoded(t, in, errs)
		}
	})
}

func fuzzMultipart(content, ward, phone string, photo []byte) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range [][2]string{{"token", "t"}, {"lang", "vi"}, {"content", content}, {"ward", ward}, {"phone", phone}} {
		_ = w.WriteField(kv[0], kv[1])
	}
	if len(photo) > 0 {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="photos"; filename="p.jpg"`)
		h.Set("Content-Type", "image/jpeg")
		p, _ := w.CreatePart(h)
		_, _ = p.Write(photo)
	}
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

var phoneRe = regexp.MustCompile(`^\+?[0-9]{8,15}$`)

func checkDecoded(t *testing.T, in website.FormInput, errs []*feedback.Error) {
	t.Helper()
	// Whatever came in, what is kept can be shown again as it is.
	for name, v := range map[string]string{"token": in.Token, "lang": in.Lang, "content": in.Content, "category": in.Category,
		"ward": in.Ward, "address": in.Address, "name": in.Name, "phone": in.Phone, "honeypot": in.Honeypot} {
		if !utf8.ValidString(v) {
			t.Fatalf("%s kept invalid UTF-8 %q", name, v)
		}
		for _, r := range v {
			if unicode.IsControl(r) && !(name == "content" && (r == '\n' || r == '\t')) {
				t.Fatalf("%s kept control character %U", name, r)
			}
		}
	}
	for _, e := range errs {
		if e == nil || e.Message == "" || e.MessageEN == "" {
			t.Fatalf("a problem without both messages: %v", e)
		}
	}
	if len(in.Photos) > feedback.MaxUploadsPerForm {
		t.Fatalf("%d photos kept", len(in.Photos))
	}
	for _, p := range in.Photos {
		if len(p.Data) == 0 || len(p.Data) > feedback.MaxUploadBytes || !website.AcceptedImage(p.ContentType) || http.DetectContentType(p.Data) != p.ContentType {
			t.Fatalf("photo of %d bytes as %q kept", len(p.Data), p.ContentType)
		}
	}
	if len(errs) > 0 {
		return
	}
	if in.Phone != "" && !phoneRe.MatchString(in.Phone) {
		t.Fatalf("phone %q accepted", in.Phone)
	}
	// An accepted form makes an item the intake takes.
	if in.Content == "" {
		return
	}
	it := feedback.Item{
		Key: feedback.ItemKey(feedback.ChannelWebsite, "0123"), Channel: feedback.ChannelWebsite, ReceivedAt: time.Now(),
		Content: in.Content, Category: in.Category, Ward: in.Ward, Address: in.Address, Language: in.Lang,
		Citizen: feedback.Citizen{Name: in.Name, Phone: feedback.Phone(in.Phone)},
	}
	if err := it.Validate(); err != nil {
		t.Fatalf("accepted form makes an invalid item: %v", err)
	}
}
