package mongostore

import (
	"time"

	"pakn.local/services/internal/feedback"
)

// BSON documents. They exist only in this package; toX/fromX convert them
// at the border so the domain never carries a bson tag.

type ticketDoc struct {
	Code          string          `bson:"_id"`
	Key           string          `bson:"key"`
	Version       int64           `bson:"version"`
	Status        string          `bson:"status"`
	Channel       string          `bson:"channel"`
	Title         string          `bson:"title,omitempty"`
	Content       string          `bson:"content"`
	Category      string          `bson:"category"`
	Ward          string          `bson:"ward,omitempty"`
	Neighbourhood string          `bson:"neighbourhood,omitempty"`
	Address       string          `bson:"address,omitempty"`
	Location      *locationDoc    `bson:"location,omitempty"`
	Citizen       citizenDoc      `bson:"citizen"`
	Attachments   []attachmentDoc `bson:"attachments,omitempty"`
	RecordingURL  string          `bson:"recording_url,omitempty"`
	Language      string          `bson:"language,omitempty"`
	UnitID        string          `bson:"unit_id"`
	Assignee      string          `bson:"assignee"`
	AssigneeName  string          `bson:"assignee_name,omitempty"`
	TriageReason  string          `bson:"triage_reason,omitempty"`
	ReceivedAt    time.Time       `bson:"received_at"`
	RoutedAt      time.Time       `bson:"routed_at"`
	Deadline      time.Time       `bson:"deadline"`
	AnsweredAt    *time.Time      `bson:"answered_at,omitempty"`
	Replies       []replyDoc      `bson:"replies"`
	Rating        *ratingDoc      `bson:"rating,omitempty"`
	LinkedTo      string          `bson:"linked_to,omitempty"`
	History       []eventDoc      `bson:"history"`
	Outbox        []eventDoc      `bson:"outbox"`
	// Pending is true while the outbox holds events: the sweeper's filter,
	// a plain field because FerretDB cannot match on array length.
	Pending bool `bson:"pending"`
}

type ratingDoc struct {
	Score   int       `bson:"score"`
	Comment string    `bson:"comment,omitempty"`
	At      time.Time `bson:"at"`
}

type locationDoc struct {
	Lat float64 `bson:"lat"`
	Lng float64 `bson:"lng"`
}

type citizenDoc struct {
	ID    string `bson:"id,omitempty"`
	Name  string `bson:"name,omitempty"`
	Phone string `bson:"phone,omitempty"`
	Email string `bson:"email,omitempty"`
}

type attachmentDoc struct {
	URL         string `bson:"url"`
	Name        string `bson:"name,omitempty"`
	ContentType string `bson:"content_type,omitempty"`
}

type replyDoc struct {
	ID         string    `bson:"id"`
	Body       string    `bson:"body"`
	Public     bool      `bson:"public"`
	Author     string    `bson:"author"`
	AuthorName string    `bson:"author_name,omitempty"`
	At         time.Time `bson:"at"`
}

type eventDoc struct {
	ID       string     `bson:"id"`
	Type     string     `bson:"type"`
	At       time.Time  `bson:"at"`
	Actor    string     `bson:"actor"`
	Status   string     `bson:"status"`
	UnitID   string     `bson:"unit_id,omitempty"`
	Assignee string     `bson:"assignee,omitempty"`
	Note     string     `bson:"note,omitempty"`
	Reply    *replyDoc  `bson:"reply,omitempty"`
	Citizen  citizenDoc `bson:"citizen,omitempty"`
	Deadline time.Time  `bson:"deadline"`
	From     string     `bson:"from,omitempty"`
}

func toTicketDoc(t *feedback.Ticket) ticketDoc {
	d := ticketDoc{
		Code: string(t.Code), Key: t.Key, Version: t.Version, Status: string(t.Status), Channel: string(t.Channel),
		Title: t.Title, Content: t.Content, Category: t.Category, Ward: t.Ward, Neighbourhood: t.Neighbourhood,
		Address: t.Address, Citizen: toCitizenDoc(t.Citizen), RecordingURL: t.RecordingURL, Language: t.Language,
		UnitID: t.UnitID, Assignee: t.Assignee, AssigneeName: t.AssigneeName, TriageReason: t.TriageReason,
		ReceivedAt: t.ReceivedAt, RoutedAt: t.RoutedAt, Deadline: t.Deadline, LinkedTo: string(t.LinkedTo),
		Replies: []replyDoc{}, History: []eventDoc{}, Outbox: []eventDoc{}, Pending: len(t.Outbox) > 0,
	}
	if t.Location != nil {
		d.Location = &locationDoc{Lat: t.Location.Lat, Lng: t.Location.Lng}
	}
	if !t.AnsweredAt.IsZero() {
		at := t.AnsweredAt
		d.AnsweredAt = &at
	}
	if t.Rating != nil {
		d.Rating = &ratingDoc{Score: t.Rating.Score, Comment: t.Rating.Comment, At: t.Rating.At}
	}
	for _, a := range t.Attachments {
		d.Attachments = append(d.Attachments, attachmentDoc{URL: a.URL, Name: a.Name, ContentType: a.ContentType})
	}
	for _, r := range t.Replies {
		d.Replies = append(d.Replies, toReplyDoc(r))
	}
	for _, e := range t.History {
		d.History = append(d.History, toEventDoc(e))
	}
	for _, e := range t.Outbox {
		d.Outbox = append(d.Outbox, toEventDoc(e))
	}
	return d
}

func fromTicketDoc(d *ticketDoc) *feedback.Ticket {
	t := &feedback.Ticket{
		Code: feedback.TrackingCode(d.Code), Key: d.Key, Version: d.Version, Status: feedback.Status(d.Status),
		Channel: feedback.Channel(d.Channel), Title: d.Title, Content: d.Content, Category: d.Category,
		Ward: d.Ward, Neighbourhood: d.Neighbourhood, Address: d.Address, Citizen: fromCitizenDoc(d.Citizen),
		RecordingURL: d.RecordingURL, Language: d.Language, UnitID: d.UnitID, Assignee: d.Assignee,
		AssigneeName: d.AssigneeName, TriageReason: d.TriageReason,
		ReceivedAt: d.ReceivedAt, RoutedAt: d.RoutedAt, Deadline: d.Deadline, LinkedTo: feedback.TrackingCode(d.LinkedTo),
	}
	if d.Location != nil {
		t.Location = &feedback.Location{Lat: d.Location.Lat, Lng: d.Location.Lng}
	}
	if d.AnsweredAt != nil {
		t.AnsweredAt = *d.AnsweredAt
	}
	if d.Rating != nil {
		t.Rating = &feedback.Rating{Score: d.Rating.Score, Comment: d.Rating.Comment, At: d.Rating.At}
	}
	for _, a := range d.Attachments {
		t.Attachments = append(t.Attachments, feedback.Attachment{URL: a.URL, Name: a.Name, ContentType: a.ContentType})
	}
	for _, r := range d.Replies {
		t.Replies = append(t.Replies, fromReplyDoc(r))
	}
	for _, e := range d.History {
		t.History = append(t.History, fromEventDoc(e, t))
	}
	for _, e := range d.Outbox {
		t.Outbox = append(t.Outbox, fromEventDoc(e, t))
	}
	return t
}

func toCitizenDoc(c feedback.Citizen) citizenDoc {
	return citizenDoc{ID: c.ID, Name: c.Name, Phone: string(c.Phone), Email: c.Email}
}

func fromCitizenDoc(c citizenDoc) feedback.Citizen {
	return feedback.Citizen{ID: c.ID, Name: c.Name, Phone: feedback.Phone(c.Phone), Email: c.Email}
}

func toReplyDoc(r feedback.Reply) replyDoc {
	return replyDoc{ID: r.ID, Body: r.Body, Public: r.Public, Author: r.Author, AuthorName: r.AuthorName, At: r.At}
}

func fromReplyDoc(r replyDoc) feedback.Reply {
	return feedback.Reply{ID: r.ID, Body: r.Body, Public: r.Public, Author: r.Author, AuthorName: r.AuthorName, At: r.At}
}

func toEventDoc(e feedback.Event) eventDoc {
	d := eventDoc{ID: e.ID, Type: string(e.Type), At: e.At, Actor: e.Actor, Status: string(e.Status),
		UnitID: e.UnitID, Assignee: e.Assignee, Note: e.Note, Citizen: toCitizenDoc(e.Citizen), Deadline: e.Deadline, From: e.From}
	if e.Reply != nil {
		r := toReplyDoc(*e.Reply)
		d.Reply = &r
	}
	return d
}

func fromEventDoc(d eventDoc, t *feedback.Ticket) feedback.Event {
	e := feedback.Event{ID: d.ID, Type: feedback.EventType(d.Type), Code: t.Code, At: d.At, Actor: d.Actor,
		Status: feedback.Status(d.Status), UnitID: d.UnitID, Assignee: d.Assignee, Note: d.Note,
		Channel: t.Channel, Citizen: fromCitizenDoc(d.Citizen), Key: t.Key, Deadline: d.Deadline, From: d.From}
	if d.Reply != nil {
		r := fromReplyDoc(*d.Reply)
		e.Reply = &r
	}
	return e
}
