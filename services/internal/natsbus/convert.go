package natsbus

import (
	"time"

	"google.golang.org/protobuf/proto"

	paknv1 "pakn.local/proto/pakn/v1"
	"pakn.local/services/internal/feedback"
)

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func citizenToPB(c feedback.Citizen) *paknv1.Citizen {
	if c.Anonymous() {
		return nil
	}
	return &paknv1.Citizen{Id: c.ID, Name: c.Name, Phone: string(c.Phone), Email: c.Email}
}

func citizenFromPB(c *paknv1.Citizen) feedback.Citizen {
	return feedback.Citizen{ID: c.GetId(), Name: c.GetName(), Phone: feedback.Phone(c.GetPhone()), Email: c.GetEmail()}
}

// itemToPB converts a domain item to its wire form.
func itemToPB(it *feedback.Item) *paknv1.Item {
	m := &paknv1.Item{
		Key: it.Key, TrackingCode: string(it.Code), Channel: string(it.Channel),
		ReceivedAtMs: ms(it.ReceivedAt), Title: it.Title, Content: it.Content,
		Category: it.Category, Ward: it.Ward, Address: it.Address,
		Citizen: citizenToPB(it.Citizen), RecordingUrl: it.RecordingURL, Language: it.Language,
	}
	if it.Location != nil {
		m.Location = &paknv1.Location{Lat: it.Location.Lat, Lng: it.Location.Lng}
	}
	for _, a := range it.Attachments {
		m.Attachments = append(m.Attachments, &paknv1.Attachment{Url: a.URL, Name: a.Name, ContentType: a.ContentType})
	}
	return m
}

// itemFromPB converts the wire form back to the domain.
func itemFromPB(m *paknv1.Item) feedback.Item {
	it := feedback.Item{
		Key: m.GetKey(), Code: feedback.TrackingCode(m.GetTrackingCode()), Channel: feedback.Channel(m.GetChannel()),
		ReceivedAt: fromMS(m.GetReceivedAtMs()), Title: m.GetTitle(), Content: m.GetContent(),
		Category: m.GetCategory(), Ward: m.GetWard(), Address: m.GetAddress(),
		Citizen: citizenFromPB(m.GetCitizen()), RecordingURL: m.GetRecordingUrl(), Language: m.GetLanguage(),
	}
	if l := m.GetLocation(); l != nil {
		it.Location = &feedback.Location{Lat: l.GetLat(), Lng: l.GetLng()}
	}
	for _, a := range m.GetAttachments() {
		it.Attachments = append(it.Attachments, feedback.Attachment{URL: a.GetUrl(), Name: a.GetName(), ContentType: a.GetContentType()})
	}
	return it
}

// MarshalItem encodes an item as protobuf (the hotline's spool keeps items in this form).
func MarshalItem(it *feedback.Item) ([]byte, error) { return proto.Marshal(itemToPB(it)) }

// UnmarshalItem decodes a protobuf item.
func UnmarshalItem(b []byte) (feedback.Item, error) {
	var m paknv1.Item
	if err := proto.Unmarshal(b, &m); err != nil {
		return feedback.Item{}, err
	}
	return itemFromPB(&m), nil
}

func eventToPB(e *feedback.Event) *paknv1.TicketEvent {
	m := &paknv1.TicketEvent{
		Id: e.ID, Type: string(e.Type), TrackingCode: string(e.Code), AtMs: ms(e.At), Actor: e.Actor,
		Status: string(e.Status), UnitId: e.UnitID, Assignee: e.Assignee, Note: e.Note,
		Channel: string(e.Channel), Citizen: citizenToPB(e.Citizen), Key: e.Key, DeadlineMs: ms(e.Deadline), PreviousAssignee: e.From,
	}
	if r := e.Reply; r != nil {
		m.Reply = &paknv1.Reply{Id: r.ID, Body: r.Body, Public: r.Public, Author: r.Author, AuthorName: r.AuthorName, AtMs: ms(r.At)}
	}
	return m
}

func eventFromPB(m *paknv1.TicketEvent) feedback.Event {
	e := feedback.Event{
		ID: m.GetId(), Type: feedback.EventType(m.GetType()), Code: feedback.TrackingCode(m.GetTrackingCode()),
		At: fromMS(m.GetAtMs()), Actor: m.GetActor(), Status: feedback.Status(m.GetStatus()),
		UnitID: m.GetUnitId(), Assignee: m.GetAssignee(), Note: m.GetNote(),
		Channel: feedback.Channel(m.GetChannel()), Citizen: citizenFromPB(m.GetCitizen()),
		Key: m.GetKey(), Deadline: fromMS(m.GetDeadlineMs()), From: m.GetPreviousAssignee(),
	}
	if r := m.GetReply(); r != nil {
		e.Reply = &feedback.Reply{ID: r.GetId(), Body: r.GetBody(), Public: r.GetPublic(), Author: r.GetAuthor(),
			AuthorName: r.GetAuthorName(), At: fromMS(r.GetAtMs())}
	}
	return e
}

// UnmarshalEvent decodes a protobuf ticket event.
func UnmarshalEvent(b []byte) (feedback.Event, error) {
	var m paknv1.TicketEvent
	if err := proto.Unmarshal(b, &m); err != nil {
		return feedback.Event{}, err
	}
	return eventFromPB(&m), nil
}
