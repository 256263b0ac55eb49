package feedback_test

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"pakn.local/services/internal/feedback"
)

func validItem() *feedback.Item {
	return &feedback.Item{Key: "website:abc", Channel: feedback.ChannelWebsite, Content: "Rác thải đổ bừa bãi"}
}

func TestItemValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*feedback.Item)
		field string // "" means valid
	}{
		{"valid", func(*feedback.Item) {}, ""},
		{"html is text, not an error", func(it *feedback.Item) { it.Content = "<script>alert(1)</script>" }, ""},
		{"multiline content", func(it *feedback.Item) { it.Content = "dòng 1\ndòng 2\r\n\tthụt lề" }, ""},
		{"voice without text", func(it *feedback.Item) { it.Content = ""; it.RecordingURL = "https://api.twilio.com/rec/1" }, ""},
		{"unknown channel", func(it *feedback.Item) { it.Channel = "fax" }, "channel"},
		{"key of another channel", func(it *feedback.Item) { it.Key = "portal:abc" }, "key"},
		{"empty key", func(it *feedback.Item) { it.Key = "" }, "key"},
		{"blank content", func(it *feedback.Item) { it.Content = " \n " }, "content"},
		{"invalid utf8", func(it *feedback.Item) { it.Content = "ab\xffcd" }, "content"},
		{"nul byte", func(it *feedback.Item) { it.Content = "ab\x00cd" }, "content"},
		{"control char in name", func(it *feedback.Item) { it.Citizen.Name = "An\x1b[31m" }, "citizen.name"},
		{"newline in ward", func(it *feedback.Item) { it.Ward = "An Lạc\nA" }, "ward"},
		{"content too long", func(it *feedback.Item) { it.Content = strings.Repeat("ạ", feedback.MaxContentRunes+1) }, "content"},
		{"content at the limit", func(it *feedback.Item) { it.Content = strings.Repeat("ạ", feedback.MaxContentRunes) }, ""},
		{"lat out of range", func(it *feedback.Item) { it.Location = &feedback.Location{Lat: 91, Lng: 106} }, "location"},
		{"javascript url", func(it *feedback.Item) {
			it.Attachments = []feedback.Attachment{{URL: "javascript:alert(1)"}}
		}, "attachments.url"},
		{"too many attachments", func(it *feedback.Item) {
			for range feedback.MaxAttachments + 1 {
				it.Attachments = append(it.Attachments, feedback.Attachment{URL: "https://x/y.jpg"})
			}
		}, "attachments"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := validItem()
			tc.edit(it)
			err := it.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			var fe *feedback.Error
			if !feedback.IsCode(err, feedback.EINVALID) || !errors.As(err, &fe) || fe.Field != tc.field || fe.Message == "" || fe.MessageEN == "" {
				t.Fatalf("got %v, want invalid %s with messages", err, tc.field)
			}
		})
	}
}

func timeNow() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }

func TestTrackingCode(t *testing.T) {
	seen := map[feedback.TrackingCode]bool{}
	for range 1000 {
		c := feedback.NewTrackingCode()
		got, err := feedback.ParseTrackingCode(strings.ToLower(strings.ReplaceAll(string(c), "-", " ")))
		if err != nil || got != c {
			t.Fatalf("%s parsed back as %s, %v", c, got, err)
		}
		seen[c] = true
	}
	if len(seen) < 999 {
		t.Fatalf("only %d distinct codes in 1000", len(seen))
	}
	for in, want := range map[string]string{"7k3m-9qxt": "7K3M-9QXT", " 7K3M9QXT ": "7K3M-9QXT", "OILO-0000": "0110-0000"} {
		if got, err := feedback.ParseTrackingCode(in); err != nil || string(got) != want {
			t.Errorf("%q: %s %v, want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "7K3M-9QX", "7K3M-9QXTT", "7K3M-9QXU", "ĐK3M-9QXT", "7K3M/9QXT", "../../etc"} {
		if _, err := feedback.ParseTrackingCode(bad); !feedback.IsCode(err, feedback.EINVALID) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseTrackingCode(f *testing.F) {
	for _, s := range []string{"7K3M-9QXT", "7k3m 9qxt", "", "ĐĐĐĐ", "0000-0000-0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := feedback.ParseTrackingCode(s)
		if err != nil {
			return
		}
		again, err := feedback.ParseTrackingCode(string(c))
		if err != nil || again != c || len(c) != 9 {
			t.Fatalf("%q → %q → %q %v", s, c, again, err)
		}
	})
}

func TestPhoneNeverLogsWhole(t *testing.T) {
	var b strings.Builder
	log := slog.New(slog.NewJSONHandler(&b, nil))
	p := feedback.Phone("+84901234567")
	log.Info("sms", "from", p)
	if strings.Contains(b.String(), "901234567") || !strings.Contains(b.String(), "+84*******67") {
		t.Fatalf("log line %s", b.String())
	}
	if feedback.Phone("1234").Masked() != "****" {
		t.Fatal("short numbers must be masked whole")
	}
}

func TestAddReply(t *testing.T) {
	tk := &feedback.Ticket{Code: "AAAA-BBBB", Status: feedback.StatusAssigned, UnitID: "u", Assignee: "a",
		Citizen: feedback.Citizen{Phone: "+84900000000"}}
	o := feedback.Official{Username: "a", Name: "An", UnitID: "u", Role: feedback.RoleOfficial}
	if _, err := tk.AddReply(o, "  ", true, timeNow()); !feedback.IsCode(err, feedback.EINVALID) {
		t.Fatalf("blank reply: %v", err)
	}
	if _, err := tk.AddReply(o, "ghi chú nội bộ", false, timeNow()); err != nil {
		t.Fatal(err)
	}
	if tk.Status != feedback.StatusAssigned || !tk.AnsweredAt.IsZero() || tk.Outbox[0].Citizen.Phone != "" {
		t.Fatal("an internal note changed the status or carried the citizen's contact")
	}
	if _, err := tk.AddReply(o, "Đã xử lý xong.", true, timeNow()); err != nil {
		t.Fatal(err)
	}
	if tk.Status != feedback.StatusAnswered || tk.AnsweredAt.IsZero() || len(tk.PublicReplies()) != 1 || tk.Outbox[1].Citizen.Phone == "" {
		t.Fatalf("public answer: status %s, answered %v, %d public", tk.Status, tk.AnsweredAt, len(tk.PublicReplies()))
	}
	tk.Status = feedback.StatusResolved
	if _, err := tk.AddReply(o, "thêm", true, timeNow()); !feedback.IsCode(err, feedback.ECONFLICT) {
		t.Fatalf("reply to a resolved ticket: %v", err)
	}
}
