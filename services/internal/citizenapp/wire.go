package citizenapp

import (
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/reportjson"
	"pakn.local/services/internal/web"
)

// The app API's JSON, converted to and from the domain here only.

type feedbackRequest struct {
	reportjson.Report
	Language string `json:"language"`
}

type submitResponse struct {
	TrackingCode string `json:"tracking_code"`
	Status       string `json:"status"`
	StatusURL    string `json:"status_url"`
}

type publicReply struct {
	Body     string    `json:"body"`
	Official string    `json:"official"`
	At       time.Time `json:"at"`
}

type statusView struct {
	TrackingCode string        `json:"tracking_code"`
	Status       string        `json:"status"`
	Category     string        `json:"category,omitempty"`
	Ward         string        `json:"ward,omitempty"`
	UnitID       string        `json:"unit_id,omitempty"`
	Official     string        `json:"official,omitempty"`
	ReceivedAt   *time.Time    `json:"received_at,omitempty"`
	Deadline     *time.Time    `json:"deadline,omitempty"`
	AnsweredAt   *time.Time    `json:"answered_at,omitempty"`
	Replies      []publicReply `json:"replies"`
	Rating       *ratingView   `json:"rating,omitempty"`
}

type ratingView struct {
	Score   int       `json:"score"`
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

type citizenItems struct {
	Items []statusView `json:"items"`
}

// DecodeFeedback decodes and converts an app body into an item (without
// key, channel or time, which the handler sets). It is exported for the
// fuzz test: every body that decodes must give an item that validates or a
// clear error.
func DecodeFeedback(body []byte) (feedback.Item, error) {
	var req feedbackRequest
	if err := web.DecodeJSON(body, &req); err != nil {
		return feedback.Item{}, err
	}
	return toItem(req)
}

func toItem(r feedbackRequest) (feedback.Item, error) {
	it := feedback.Item{Language: r.Language}
	if it.Language == "" {
		it.Language = "vi"
	}
	if it.Language != "vi" && it.Language != "en" {
		return it, feedback.Invalid("language", "Ngôn ngữ phải là vi hoặc en.", "language must be vi or en")
	}
	err := r.Fill(&it)
	return it, err
}

func toStatusView(t *feedback.Ticket, loc *time.Location) statusView {
	v := statusView{TrackingCode: string(t.Code), Status: string(t.Status), Category: t.Category, Ward: t.Ward,
		UnitID: t.UnitID, Official: t.AssigneeName, Replies: []publicReply{}}
	at := func(x time.Time) *time.Time {
		if x.IsZero() {
			return nil
		}
		y := x.In(loc)
		return &y
	}
	v.ReceivedAt, v.Deadline, v.AnsweredAt = at(t.ReceivedAt), at(t.Deadline), at(t.AnsweredAt)
	for _, r := range t.PublicReplies() {
		v.Replies = append(v.Replies, publicReply{Body: r.Body, Official: r.AuthorName, At: r.At.In(loc)})
	}
	if t.Rating != nil {
		v.Rating = &ratingView{Score: t.Rating.Score, Comment: t.Rating.Comment, At: t.Rating.At.In(loc)}
	}
	return v
}
