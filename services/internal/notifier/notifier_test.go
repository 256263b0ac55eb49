package notifier_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/notifier"
)

type sentSMS struct {
	to   feedback.Phone
	body string
}

type smsRecorder struct{ sent []sentSMS }

func (r *smsRecorder) Send(_ context.Context, to feedback.Phone, body string) error {
	r.sent = append(r.sent, sentSMS{to, body})
	return nil
}

type postRecorder struct {
	ids      []string
	payloads []any
}

func (r *postRecorder) Post(_ context.Context, id string, payload any) error {
	r.ids = append(r.ids, id)
	r.payloads = append(r.payloads, payload)
	return nil
}

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

func answered(ch feedback.Channel) feedback.Event {
	return feedback.Event{ID: "e1", Type: feedback.EventReplied, Code: "7K3M-9QXT", Status: feedback.StatusAnswered,
		Channel: ch, Key: string(ch) + ":ref-9", Citizen: feedback.Citizen{ID: "c1", Phone: "+84901234567"},
		Reply: &feedback.Reply{Body: "Đã sửa xong.", Public: true, AuthorName: "Trần An", At: time.Now()}}
}

func TestSMSTexts(t *testing.T) {
	s := notifier.NewSMS(nil, "https://pakn.binhtan.gov.vn", hcm)
	routed := feedback.Event{Type: feedback.EventRouted, Code: "7K3M-9QXT", Status: feedback.StatusAssigned,
		Deadline: time.Date(2026, 12, 11, 16, 59, 59, 0, time.UTC)}
	cases := []struct {
		e    feedback.Event
		want []string
	}{
		{routed, []string{"7K3M-9QXT", "hạn trả lời 11/12/2026", "/track/7K3M-9QXT"}},
		{answered(feedback.ChannelHotline), []string{"Trần An trả lời: Đã sửa xong.", "/track/7K3M-9QXT"}},
		{feedback.Event{Type: feedback.EventRouted, Code: "7K3M-9QXT", Status: feedback.StatusTriage}, []string{"đang xác định đơn vị"}},
	}
	for _, tc := range cases {
		text := s.Text(tc.e)
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%q lacks %q", text, w)
			}
		}
	}
	long := answered(feedback.ChannelHotline)
	long.Reply.Body = strings.Repeat("ạ", 1000)
	if n := len([]rune(s.Text(long))); n > 450 {
		t.Fatalf("SMS of %d characters", n)
	}
}

func TestDeliverers(t *testing.T) {
	ctx := context.Background()
	sms := &smsRecorder{}
	if err := notifier.NewSMS(sms, "https://x", hcm).Deliver(ctx, answered(feedback.ChannelHotline)); err != nil {
		t.Fatal(err)
	}
	if len(sms.sent) != 1 || sms.sent[0].to != "+84901234567" {
		t.Fatalf("sms %v", sms.sent)
	}
	anon := answered(feedback.ChannelHotline)
	anon.Citizen = feedback.Citizen{}
	if err := notifier.NewSMS(sms, "https://x", hcm).Deliver(ctx, anon); err != nil || len(sms.sent) != 1 {
		t.Fatal("an SMS was sent without a number")
	}

	portal := &postRecorder{}
	pa := notifier.NewPortalAnswers(portal, hcm)
	if err := pa.Deliver(ctx, feedback.Event{Type: feedback.EventRouted, Channel: feedback.ChannelPortal}); err != nil || len(portal.ids) != 0 {
		t.Fatal("the portal was told of routing")
	}
	if err := pa.Deliver(ctx, answered(feedback.ChannelPortal)); err != nil || len(portal.ids) != 1 || portal.ids[0] != "e1" {
		t.Fatalf("portal %v %v", portal.ids, err)
	}
	if body := toJSON(t, portal.payloads[0]); !strings.Contains(body, `"event_id":"ref-9"`) || !strings.Contains(body, `"official":"Trần An"`) {
		t.Fatalf("portal payload %s", body)
	}

	app := &postRecorder{}
	if err := notifier.NewCallbacks(app, hcm).Deliver(ctx, answered(feedback.ChannelCitizenApp)); err != nil {
		t.Fatal(err)
	}
	if body := toJSON(t, app.payloads[0]); !strings.Contains(body, `"idempotency_key":"ref-9"`) || !strings.Contains(body, `"citizen_id":"c1"`) {
		t.Fatalf("app payload %s", body)
	}

	note := answered(feedback.ChannelCitizenApp)
	note.Reply.Public = false
	if notifier.Wants(note) || !notifier.Wants(answered(feedback.ChannelWebsite)) {
		t.Fatal("Wants is wrong about notes or answers")
	}
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
