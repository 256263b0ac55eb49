package portal

import (
	"strings"
	"time"
	"unicode/utf8"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/reportjson"
	"pakn.local/services/internal/web"
)

// MaxFutureSkew is how far in the future a submitted_at may lie: a portal
// clock a little ahead is tolerated, a date that would distort deadlines
// and reports is not.
const MaxFutureSkew = 24 * time.Hour

// earliestSubmission is older than any real portal event; anything before it
// is a zero or garbage date that would break deadline arithmetic.
var earliestSubmission = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// eventJSON is one portal event as the portal pushes it and as its feed
// lists it: the portal's own id and time, and the report body it shares
// with the app API.
type eventJSON struct {
	EventID     string `json:"event_id"`
	SubmittedAt string `json:"submitted_at"`
	reportjson.Report
}

// decodeEvent turns one event's raw JSON into a validated item. now bounds
// submitted_at. Push and feed both come through here, so an event is the
// same item whichever way it arrived.
func decodeEvent(body []byte, now time.Time) (*feedback.Item, error) {
	var ev eventJSON
	if err := web.DecodeJSON(body, &ev); err != nil {
		return nil, err
	}
	it, err := toItem(&ev, now)
	if err != nil {
		return nil, err
	}
	if err := it.Validate(); err != nil {
		return nil, err
	}
	return it, nil
}

// toItem converts the wire event to the domain.
func toItem(ev *eventJSON, now time.Time) (*feedback.Item, error) {
	if err := checkEventID(ev.EventID); err != nil {
		return nil, err
	}
	at, err := submittedAt(ev.SubmittedAt, now)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(ev.Content) == "" {
		return nil, feedback.Invalid("content", "Vui lòng nhập nội dung phản ánh.", "content is required")
	}
	it := &feedback.Item{
		Key:        feedback.ItemKey(feedback.ChannelPortal, ev.EventID),
		Channel:    feedback.ChannelPortal,
		ReceivedAt: at,
		Language:   "vi", // the city portal is in Vietnamese only
	}
	if err := ev.Fill(it); err != nil {
		return nil, err
	}
	return it, nil
}

// checkEventID accepts the portal's id as it is, untrimmed: it is the
// idempotency key, and two ids that differ only in spaces must not be
// merged into one ticket by us.
func checkEventID(id string) error {
	switch {
	case strings.TrimSpace(id) == "":
		return feedback.Invalid("event_id", "Thiếu mã sự kiện (event_id).", "event_id is required")
	case len(id) > feedback.MaxShortRunes:
		return feedback.Invalid("event_id", "Mã sự kiện quá dài.", "event_id is longer than 200 bytes")
	case !utf8.ValidString(id) || strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError }):
		// It becomes a Nats-Msg-Id header: no control characters. U+FFFD is
		// what encoding/json makes of any lone surrogate ("\ud800",
		// "\udc00"), so it would merge ids the portal keeps apart.
		return feedback.Invalid("event_id", "Mã sự kiện chứa ký tự không hợp lệ.", "event_id contains control characters or U+FFFD")
	}
	return nil
}

func submittedAt(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, feedback.Invalid("submitted_at", "Thiếu thời điểm gửi (submitted_at).", "submitted_at is required")
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, feedback.Invalid("submitted_at",
			"Thời điểm gửi phải theo RFC 3339, ví dụ 2026-03-09T08:30:00+07:00.",
			"submitted_at must be RFC 3339, e.g. 2026-03-09T08:30:00+07:00")
	}
	if t.After(now.Add(MaxFutureSkew)) {
		return time.Time{}, feedback.Invalid("submitted_at", "Thời điểm gửi nằm ở tương lai.", "submitted_at is more than a day in the future")
	}
	if t.Before(earliestSubmission) {
		return time.Time{}, feedback.Invalid("submitted_at", "Thời điểm gửi không hợp lệ.", "submitted_at is before 2000")
	}
	return t.UTC(), nil
}
