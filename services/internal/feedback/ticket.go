package feedback

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Status is where a ticket stands.
type Status string

// Ticket statuses. Open tickets are assigned, in triage, or reopened.
const (
	StatusAssigned Status = "assigned" // a named official owns it
	StatusTriage   Status = "triage"   // unit or ward unclear: a coordinator settles it within an hour
	StatusAnswered Status = "answered" // a public answer was sent to the citizen
	StatusResolved Status = "resolved" // the official closed it
	StatusLinked   Status = "linked"   // the same report as an open ticket: answered with it
)

// Open reports whether the ticket still waits for an answer.
func (s Status) Open() bool { return s == StatusAssigned || s == StatusTriage || s == StatusLinked }

// Counted reports whether the ticket counts in its assignee's workload: a
// linked ticket is answered with the one it is linked to, not on its own.
func (s Status) Counted() bool { return s == StatusAssigned || s == StatusTriage }

// EventType names a change in a ticket's life; it is the last token of the
// NATS subject pakn.ticket.<type>.
type EventType string

// Ticket events.
const (
	EventRouted   EventType = "routed"   // assigned to an official, or put in triage
	EventAssigned EventType = "assigned" // settled from triage or handed to another official
	EventReplied  EventType = "replied"  // a public answer or an internal note
	EventResolved EventType = "resolved" // closed by the official
	EventRated    EventType = "rated"    // the citizen rated the answer
	EventUnlinked EventType = "unlinked" // a supervisor made a linked ticket one of its own
	EventReopened EventType = "reopened" // the citizen was not satisfied with the answer
)

// Event is one entry in a ticket's history. Events that other processes must
// hear of (the notifier, the figures) also wait in the ticket's outbox until
// they are published.
type Event struct {
	ID       string // unique; the Nats-Msg-Id when published
	Type     EventType
	Code     TrackingCode
	At       time.Time
	Actor    string // username, or "router"
	Status   Status // the ticket's status after the event
	UnitID   string
	Assignee string
	Note     string
	Reply    *Reply // for EventReplied
	Channel  Channel
	Citizen  Citizen // contact for the answer; empty for internal events
	Key      string  // the item's idempotency key: names the portal event or app request
	Deadline time.Time
	From     string // for EventAssigned: who had it before
}

// Reply is an answer to the citizen (Public) or an internal note.
type Reply struct {
	ID         string
	Body       string
	Public     bool
	Author     string // username
	AuthorName string
	At         time.Time
}

// MaxReplyRunes bounds an official's reply.
const MaxReplyRunes = 5000

// Ticket is an item after routing: who owns it, by when, and all that happened.
// The whole ticket is one document so that every change to it is atomic.
type Ticket struct {
	Code          TrackingCode
	Key           string
	Version       int64
	Status        Status
	Channel       Channel
	Title         string
	Content       string
	Category      string // category code
	Ward          string // ward code; empty while unknown
	Neighbourhood string
	Address       string
	Location      *Location
	Citizen       Citizen
	Attachments   []Attachment
	RecordingURL  string
	Language      string
	UnitID        string
	Assignee      string // username; empty in triage
	AssigneeName  string
	TriageReason  string
	ReceivedAt    time.Time
	RoutedAt      time.Time
	Deadline      time.Time
	AnsweredAt    time.Time // first public answer; zero until then
	Replies       []Reply
	LinkedTo      TrackingCode // for StatusLinked: the open ticket about the same thing
	Rating        *Rating      // the citizen's satisfaction with the answer
	History       []Event
	Outbox        []Event // events not yet published
}

// NewEventID returns a random event id.
func NewEventID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Record appends an event to the history and the outbox. Callers fill in
// the type-specific fields; Record stamps the common ones.
func (t *Ticket) Record(e Event) Event {
	if e.ID == "" {
		e.ID = NewEventID()
	}
	e.Code = t.Code
	e.Status = t.Status
	e.UnitID = t.UnitID
	e.Assignee = t.Assignee
	e.Channel = t.Channel
	e.Key = t.Key
	e.Deadline = t.Deadline
	t.History = append(t.History, e)
	t.Outbox = append(t.Outbox, e)
	return e
}

// AddReply adds an official's reply or note. A public reply answers the
// citizen: the first one marks the ticket answered and stops its clock.
func (t *Ticket) AddReply(by Official, body string, public bool, now time.Time) (Reply, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return Reply{}, Invalid("body", "Vui lòng nhập nội dung trả lời.", "body is required")
	}
	if err := checkText("body", body, MaxReplyRunes, true); err != nil {
		return Reply{}, err
	}
	if t.Status == StatusResolved {
		return Reply{}, Errorf(ECONFLICT, "Phản ánh đã được giải quyết xong.", "the ticket is resolved")
	}
	r := Reply{ID: NewEventID(), Body: body, Public: public, Author: by.Username, AuthorName: by.Name, At: now}
	t.Replies = append(t.Replies, r)
	if public {
		if t.AnsweredAt.IsZero() {
			t.AnsweredAt = now
		}
		t.Status = StatusAnswered
	}
	e := Event{Type: EventReplied, At: now, Actor: by.Username, Reply: &r}
	if public {
		e.Citizen = t.Citizen // the notifier needs the contact to deliver the answer
	}
	t.Record(e)
	return r, nil
}

// Assignment is a decision to hand a ticket to an official: settling a
// triage item, or a head passing it to another official of the unit.
type Assignment struct {
	UnitID   string
	To       Official
	Category string    // "" keeps the ticket's
	Ward     string    // "" keeps the ticket's
	Deadline time.Time // zero keeps the ticket's
	Note     string
}

// Assign hands the ticket over. The official must be active and of the unit.
func (t *Ticket) Assign(by Official, a Assignment, now time.Time) error {
	if t.Status == StatusResolved || t.Status == StatusAnswered {
		return Errorf(ECONFLICT, "Phản ánh đã được trả lời, không thể giao lại.", "the ticket is already answered")
	}
	if t.Status == StatusLinked {
		return Errorf(ECONFLICT, "Phản ánh đang được liên kết; hãy tách trước.", "the ticket is linked: unlink it first")
	}
	if !a.To.Active || a.To.UnitID != a.UnitID {
		return Invalid("assignee", "Cán bộ được giao phải đang làm việc tại đơn vị đó.", "the assignee must be an active official of the unit")
	}
	if err := checkText("note", a.Note, MaxReplyRunes, true); err != nil {
		return err
	}
	from := t.Assignee
	t.UnitID, t.Assignee, t.AssigneeName = a.UnitID, a.To.Username, a.To.Name
	if a.Category != "" {
		t.Category = a.Category
	}
	if a.Ward != "" {
		t.Ward = a.Ward
	}
	if !a.Deadline.IsZero() {
		t.Deadline = a.Deadline
	}
	t.Status, t.TriageReason = StatusAssigned, ""
	t.Record(Event{Type: EventAssigned, At: now, Actor: by.Username, Note: a.Note, From: from, Citizen: t.Citizen})
	return nil
}

// LinkTo makes the ticket a duplicate of an open one about the same place
// and subject: it is answered when that one is, by the same official.
func (t *Ticket) LinkTo(primary *Ticket) {
	t.Status, t.LinkedTo = StatusLinked, primary.Code
	t.UnitID, t.Assignee, t.AssigneeName, t.Deadline = primary.UnitID, primary.Assignee, primary.AssigneeName, primary.Deadline
}

// Unlink makes a linked ticket one of its own, assigned like any other.
func (t *Ticket) Unlink(by Official, a Assignment, now time.Time) error {
	if t.Status != StatusLinked {
		return Errorf(ECONFLICT, "Phản ánh này không được liên kết.", "the ticket is not linked")
	}
	from := t.LinkedTo
	t.LinkedTo = ""
	t.Status = StatusAssigned
	t.Record(Event{Type: EventUnlinked, At: now, Actor: by.Username, Note: "tách khỏi " + string(from)})
	return t.Assign(by, a, now)
}

// Resolve closes a ticket that the citizen has had an answer to.
func (t *Ticket) Resolve(by Official, note string, now time.Time) error {
	if t.Status != StatusAnswered {
		return Errorf(ECONFLICT, "Cần trả lời công dân trước khi kết thúc phản ánh.",
			"answer the citizen (a public reply) before resolving")
	}
	if err := checkText("note", note, MaxReplyRunes, true); err != nil {
		return err
	}
	t.Status = StatusResolved
	t.Record(Event{Type: EventResolved, At: now, Actor: by.Username, Note: note, Citizen: t.Citizen})
	return nil
}

// Rating is how satisfied the citizen was with the answer: 1 (not at all)
// to 5 (fully), with an optional comment. The unit's figures count it.
type Rating struct {
	Score   int
	Comment string
	At      time.Time
}

// Rate records the citizen's rating of the answer. It needs an answer to
// rate; a second rating replaces the first (the citizen changed their mind).
func (t *Ticket) Rate(score int, comment string, now time.Time) error {
	if score < 1 || score > 5 {
		return Invalid("score", "Điểm đánh giá từ 1 đến 5.", "score must be 1 to 5")
	}
	if err := checkText("comment", comment, MaxReplyRunes, true); err != nil {
		return err
	}
	if t.Status != StatusAnswered && t.Status != StatusResolved {
		return Errorf(ECONFLICT, "Chỉ đánh giá được sau khi đã có trả lời.", "a ticket can be rated only once it is answered")
	}
	t.Rating = &Rating{Score: score, Comment: comment, At: now}
	t.Record(Event{Type: EventRated, At: now, Actor: "citizen", Note: fmt.Sprintf("%d/5", score)})
	return nil
}

// Reopen sends an answered ticket back to its official because the citizen
// is not satisfied; the deadline stays, so a late answer shows as late. A
// resolved ticket is closed for good: the citizen reports anew.
func (t *Ticket) Reopen(reason string, now time.Time) error {
	if t.Status != StatusAnswered {
		return Errorf(ECONFLICT, "Chỉ mở lại được phản ánh đã trả lời nhưng chưa kết thúc.",
			"only an answered ticket that is not yet resolved can be reopened")
	}
	if err := checkText("comment", reason, MaxReplyRunes, true); err != nil {
		return err
	}
	t.Status = StatusAssigned
	t.Record(Event{Type: EventReopened, At: now, Actor: "citizen", Note: reason, Citizen: t.Citizen})
	return nil
}

// PublicReplies returns what the citizen may read.
func (t *Ticket) PublicReplies() []Reply {
	var out []Reply
	for _, r := range t.Replies {
		if r.Public {
			out = append(out, r)
		}
	}
	return out
}

// Overdue reports whether the ticket is still open past its deadline.
func (t *Ticket) Overdue(now time.Time) bool {
	return t.Status.Open() && !t.Deadline.IsZero() && now.After(t.Deadline)
}
