package citizenapp

import (
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/web"
)

// The app API's JSON, converted to and from the domain here only.

type feedbackRequest struct {
	Content     string           `json:"content"`
	Title       string           `json:"title"`
	Category    string           `json:"category"`
	Ward        string           `json:"ward"`
	Address     string           `json:"address"`
	Location    *locationJSON    `json:"location"`
	Citizen     *citizenJSON     `json:"citizen"`
	Attachments []attachmentJSON `json:"attachments"`
	Language    string           `json:"language"`
}

type locationJSON struct {
	Lat *float64 `json:"lat"`
	Lng *float64 `json:"lng"`
}

type citizenJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Email string `json:"email"`
}

type attachmentJSON struct {
	URL         string `json:"url"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
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
	it := feedback.Item{Title: r.Title, Content: r.Content, Category: r.Category, Ward: r.Ward,
		Address: r.Address, Language: r.Language}
	if it.Language == "" {
		it.Language = "vi"
	}
	if it.Language != "vi" && it.Language != "en" {
		return it, feedback.Invalid("language", "Ngôn ngữ phải là vi hoặc en.", "language must be vi or en")
	}
	if r.Location != nil {
		if r.Location.Lat == nil || r.Location.Lng == nil {
			return it, feedback.Invalid("location", "Toạ độ cần cả lat và lng.", "location needs both lat and lng")
		}
		it.Location = &feedback.Location{Lat: *r.Location.Lat, Lng: *r.Location.Lng}
	}
	if r.Citizen != nil {
		it.Citizen = feedback.Citizen{ID: r.Citizen.ID, Name: r.Citizen.Name, Phone: feedback.Phone(r.Citizen.Phone), Email: r.Citizen.Email}
	}
	for _, a := range r.Attachments {
		it.Attachments = append(it.Attachments, feedback.Attachment{URL: a.URL, Name: a.Name, ContentType: a.ContentType})
	}
	return it, nil
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
