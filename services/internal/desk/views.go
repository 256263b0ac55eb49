package desk

import (
	"time"

	"pakn.local/services/internal/feedback"
)

// JSON views of the desk API. Times are RFC 3339 in Ho Chi Minh City time.

type officialView struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	UnitID   string `json:"unit_id,omitempty"`
	Role     string `json:"role,omitempty"`
}

type unitView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type replyView struct {
	ID     string       `json:"id"`
	Body   string       `json:"body"`
	Public bool         `json:"public"`
	Author officialView `json:"author"`
	At     time.Time    `json:"at"`
}

type eventView struct {
	Type     string    `json:"type"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Status   string    `json:"status"`
	Assignee string    `json:"assignee,omitempty"`
	Note     string    `json:"note,omitempty"`
}

type citizenView struct {
	ID        string `json:"id,omitempty"`
	Name      string `json:"name,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
	Anonymous bool   `json:"anonymous"`
}

type attachmentView struct {
	URL         string `json:"url"`
	Name        string `json:"name,omitempty"`
	ContentType string `json:"content_type,omitempty"`
}

type ticketSummary struct {
	TrackingCode string       `json:"tracking_code"`
	Status       string       `json:"status"`
	Channel      string       `json:"channel"`
	Category     string       `json:"category"`
	Ward         string       `json:"ward"`
	Unit         unitView     `json:"unit"`
	Assignee     officialView `json:"assignee"`
	Title        string       `json:"title,omitempty"`
	Excerpt      string       `json:"excerpt"`
	ReceivedAt   time.Time    `json:"received_at"`
	Deadline     time.Time    `json:"deadline"`
	Overdue      bool         `json:"overdue"`
	LinkedTo     string       `json:"linked_to,omitempty"`
}

type ticketView struct {
	ticketSummary
	Content       string           `json:"content"`
	Neighbourhood string           `json:"neighbourhood,omitempty"`
	Address       string           `json:"address,omitempty"`
	Location      *locationView    `json:"location,omitempty"`
	Citizen       citizenView      `json:"citizen"`
	Attachments   []attachmentView `json:"attachments"`
	RecordingURL  string           `json:"recording_url,omitempty"`
	TriageReason  string           `json:"triage_reason,omitempty"`
	AnsweredAt    *time.Time       `json:"answered_at,omitempty"`
	Replies       []replyView      `json:"replies"`
	History       []eventView      `json:"history"`
}

type locationView struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

func toOfficialView(o feedback.Official) officialView {
	return officialView{Username: o.Username, Name: o.Name, UnitID: o.UnitID, Role: string(o.Role)}
}

func excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func toSummary(t *feedback.Ticket, unitName string, loc *time.Location, now time.Time) ticketSummary {
	return ticketSummary{
		TrackingCode: string(t.Code), Status: string(t.Status), Channel: string(t.Channel),
		Category: t.Category, Ward: t.Ward, Unit: unitView{ID: t.UnitID, Name: unitName},
		Assignee: officialView{Username: t.Assignee, Name: t.AssigneeName},
		Title:    t.Title, Excerpt: excerpt(t.Content, 160),
		ReceivedAt: t.ReceivedAt.In(loc), Deadline: t.Deadline.In(loc), Overdue: t.Overdue(now),
		LinkedTo: string(t.LinkedTo),
	}
}

func toReplyView(r feedback.Reply) replyView {
	return replyView{ID: r.ID, Body: r.Body, Public: r.Public,
		Author: officialView{Username: r.Author, Name: r.AuthorName}, At: r.At}
}

func toTicketView(t *feedback.Ticket, unitName string, loc *time.Location, now time.Time) ticketView {
	v := ticketView{
		ticketSummary: toSummary(t, unitName, loc, now),
		Content:       t.Content, Neighbourhood: t.Neighbourhood, Address: t.Address,
		Citizen: citizenView{ID: t.Citizen.ID, Name: t.Citizen.Name, Phone: string(t.Citizen.Phone),
			Email: t.Citizen.Email, Anonymous: t.Citizen.Anonymous()},
		RecordingURL: t.RecordingURL, TriageReason: t.TriageReason,
		Attachments: []attachmentView{}, Replies: []replyView{}, History: []eventView{},
	}
	if t.Location != nil {
		v.Location = &locationView{Lat: t.Location.Lat, Lng: t.Location.Lng}
	}
	if !t.AnsweredAt.IsZero() {
		at := t.AnsweredAt.In(loc)
		v.AnsweredAt = &at
	}
	for _, a := range t.Attachments {
		v.Attachments = append(v.Attachments, attachmentView{URL: a.URL, Name: a.Name, ContentType: a.ContentType})
	}
	for _, r := range t.Replies {
		rv := toReplyView(r)
		rv.At = rv.At.In(loc)
		v.Replies = append(v.Replies, rv)
	}
	for _, e := range t.History {
		v.History = append(v.History, eventView{Type: string(e.Type), At: e.At.In(loc), Actor: e.Actor,
			Status: string(e.Status), Assignee: e.Assignee, Note: e.Note})
	}
	return v
}
