package notifier

import (
	"context"
	"fmt"
	"strings"
	"time"

	"pakn.local/services/internal/feedback"
)

// Poster sends a signed callback (package callback).
type Poster interface {
	Post(ctx context.Context, id string, payload any) error
}

// SMSSender sends a text message (the hotline's Twilio client).
type SMSSender interface {
	Send(ctx context.Context, to feedback.Phone, body string) error
}

// callbackPayload is what the app backend receives (api/app.yaml).
type callbackPayload struct {
	EventID        string      `json:"event_id"`
	Type           string      `json:"type"`
	TrackingCode   string      `json:"tracking_code"`
	IdempotencyKey string      `json:"idempotency_key,omitempty"`
	CitizenID      string      `json:"citizen_id,omitempty"`
	Status         string      `json:"status"`
	At             time.Time   `json:"at"`
	Deadline       *time.Time  `json:"deadline,omitempty"`
	Answer         *answerJSON `json:"answer,omitempty"`
}

type answerJSON struct {
	Body     string    `json:"body"`
	Official string    `json:"official"`
	At       time.Time `json:"at"`
}

func toCallback(e feedback.Event, loc *time.Location) callbackPayload {
	p := callbackPayload{EventID: e.ID, Type: string(e.Type), TrackingCode: string(e.Code),
		CitizenID: e.Citizen.ID, Status: string(e.Status), At: e.At.In(loc)}
	_, p.IdempotencyKey, _ = strings.Cut(e.Key, ":")
	if !e.Deadline.IsZero() {
		d := e.Deadline.In(loc)
		p.Deadline = &d
	}
	if e.Reply != nil && e.Reply.Public {
		p.Answer = &answerJSON{Body: e.Reply.Body, Official: e.Reply.AuthorName, At: e.Reply.At.In(loc)}
	}
	return p
}

// Callbacks delivers every status change to a partner (the app backend).
type Callbacks struct {
	post Poster
	loc  *time.Location
}

// NewCallbacks returns a deliverer of status callbacks.
func NewCallbacks(p Poster, loc *time.Location) *Callbacks { return &Callbacks{post: p, loc: loc} }

// Deliver posts the event.
func (c *Callbacks) Deliver(ctx context.Context, e feedback.Event) error {
	return c.post.Post(ctx, e.ID, toCallback(e, c.loc))
}

// portalCallback is what the city portal receives (api/portal.yaml,
// PortalCallback): its own event id, our code, the status, the answer.
type portalCallback struct {
	EventID      string      `json:"event_id"`
	TrackingCode string      `json:"tracking_code"`
	Status       string      `json:"status"`
	Answer       *answerJSON `json:"answer,omitempty"`
}

// PortalAnswers delivers answers and resolutions to the portal: it wants
// the outcome, not every step.
type PortalAnswers struct {
	post Poster
	loc  *time.Location
}

// NewPortalAnswers returns the portal's deliverer.
func NewPortalAnswers(p Poster, loc *time.Location) *PortalAnswers {
	return &PortalAnswers{post: p, loc: loc}
}

// Deliver posts answers and resolutions and skips the rest.
func (a *PortalAnswers) Deliver(ctx context.Context, e feedback.Event) error {
	if e.Type == feedback.EventRouted {
		return nil
	}
	_, ref, _ := strings.Cut(e.Key, ":")
	p := portalCallback{EventID: ref, TrackingCode: string(e.Code), Status: string(e.Status)}
	if e.Reply != nil && e.Reply.Public {
		p.Answer = &answerJSON{Body: e.Reply.Body, Official: e.Reply.AuthorName, At: e.Reply.At.In(a.loc)}
	}
	return a.post.Post(ctx, e.ID, p)
}

// SMS tells a hotline caller by text message: where their item went and
// by when, then the answer.
type SMS struct {
	send      SMSSender
	publicURL string
	loc       *time.Location
}

// NewSMS returns the hotline's deliverer.
func NewSMS(s SMSSender, publicURL string, loc *time.Location) *SMS {
	return &SMS{send: s, publicURL: publicURL, loc: loc}
}

// maxAnswerRunes keeps an SMS to a few segments; the rest is on the status page.
const maxAnswerRunes = 300

// Deliver sends the text; callers without a phone number are skipped.
func (s *SMS) Deliver(ctx context.Context, e feedback.Event) error {
	if e.Citizen.Phone == "" {
		return nil
	}
	return s.send.Send(ctx, e.Citizen.Phone, s.Text(e))
}

// Text is the message for an event, Vietnamese without losing the code.
func (s *SMS) Text(e feedback.Event) string {
	track := s.publicURL + "/track/" + string(e.Code)
	switch {
	case e.Type == feedback.EventReplied && e.Reply != nil:
		body := []rune(e.Reply.Body)
		if len(body) > maxAnswerRunes {
			body = append(body[:maxAnswerRunes], '…')
		}
		return fmt.Sprintf("PAKN %s: %s trả lời: %s Xem đầy đủ: %s", e.Code, e.Reply.AuthorName, string(body), track)
	case e.Type == feedback.EventResolved:
		return fmt.Sprintf("PAKN %s: phản ánh của bạn đã được giải quyết. Xem: %s", e.Code, track)
	case e.Status == feedback.StatusTriage:
		return fmt.Sprintf("PAKN %s: đã tiếp nhận, đang xác định đơn vị xử lý. Theo dõi: %s", e.Code, track)
	default:
		due := ""
		if !e.Deadline.IsZero() {
			due = ", hạn trả lời " + e.Deadline.In(s.loc).Format("02/01/2006")
		}
		return fmt.Sprintf("PAKN %s: đã chuyển đơn vị xử lý%s. Theo dõi: %s", e.Code, due, track)
	}
}
