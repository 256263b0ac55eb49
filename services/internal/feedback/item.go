package feedback

import (
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"
)

// Channel is the way an item reached the district.
type Channel string

// The four intake channels.
const (
	ChannelHotline    Channel = "hotline"
	ChannelWebsite    Channel = "website"
	ChannelCitizenApp Channel = "citizenapp"
	ChannelPortal     Channel = "portal"
)

// Channels lists every intake channel.
var Channels = []Channel{ChannelHotline, ChannelWebsite, ChannelCitizenApp, ChannelPortal}

// Valid reports whether c is one of the four channels.
func (c Channel) Valid() bool {
	for _, k := range Channels {
		if c == k {
			return true
		}
	}
	return false
}

// Limits on what a citizen may send; every adapter enforces them through Item.Validate.
const (
	MaxContentRunes   = 5000
	MaxTitleRunes     = 300
	MaxShortRunes     = 200 // names, wards, categories, phone numbers, ids
	MaxAddressRunes   = 500
	MaxAttachments    = 10
	MaxURLBytes       = 2048
	MaxKeyBytes       = 255
	MaxBodyBytes      = 64 << 10 // a JSON body without uploads
	MaxUploadBytes    = 5 << 20  // one photo
	MaxUploadsPerForm = 3
)

// Phone is a citizen's phone number. It logs masked, so that a log line never
// carries a whole number.
type Phone string

// LogValue keeps the first three and last two digits: enough to tell calls
// apart in a log, not enough to call anyone.
func (p Phone) LogValue() slog.Value { return slog.StringValue(p.Masked()) }

// Masked returns the number with its middle replaced by '*'.
func (p Phone) Masked() string {
	s := []rune(string(p))
	if len(s) <= 5 {
		return strings.Repeat("*", len(s))
	}
	for i := 3; i < len(s)-2; i++ {
		s[i] = '*'
	}
	return string(s)
}

// Citizen is who reported an item, as far as they chose to say.
type Citizen struct {
	ID    string // the channel's own citizen id (app account, portal account)
	Name  string
	Phone Phone
	Email string
}

// Anonymous reports whether the citizen left no way to identify them.
func (c Citizen) Anonymous() bool {
	return c.ID == "" && c.Name == "" && c.Phone == "" && c.Email == ""
}

// Location is a map point (WGS84).
type Location struct {
	Lat float64
	Lng float64
}

// Attachment is a reference to a photo, recording or document.
type Attachment struct {
	URL         string
	Name        string
	ContentType string
}

// Item is one report as a channel took it in, before routing.
type Item struct {
	Key          string       // idempotency key: channel + ":" + the channel's own id
	Code         TrackingCode // told to the citizen before the router runs
	Channel      Channel
	ReceivedAt   time.Time
	Title        string
	Content      string
	Category     string // as the channel or the citizen named it; may be empty
	Ward         string // likewise
	Address      string
	Location     *Location
	Citizen      Citizen
	Attachments  []Attachment
	RecordingURL string // hotline voice: the caller's own words, for officials to listen to
	Language     string // "vi" or "en": the language the citizen used
}

// ItemKey builds an idempotency key from a channel and the channel's own id.
func ItemKey(c Channel, ref string) string { return string(c) + ":" + ref }

// Validate checks an item as a channel built it, before it is published.
// Text must be valid UTF-8 without NUL bytes and within the limits above.
func (it *Item) Validate() error {
	if !it.Channel.Valid() {
		return Invalid("channel", "Kênh tiếp nhận không hợp lệ.", "unknown channel")
	}
	if it.Key == "" || len(it.Key) > MaxKeyBytes || !strings.HasPrefix(it.Key, string(it.Channel)+":") {
		return Invalid("key", "Mã định danh yêu cầu không hợp lệ.", "invalid idempotency key")
	}
	if err := checkText("key", it.Key, MaxKeyBytes, false); err != nil {
		return err
	}
	if strings.TrimSpace(it.Content) == "" && it.RecordingURL == "" {
		return Invalid("content", "Vui lòng nhập nội dung phản ánh.", "content is required")
	}
	fields := []struct {
		name  string
		value string
		max   int
	}{
		{"content", it.Content, MaxContentRunes},
		{"title", it.Title, MaxTitleRunes},
		{"category", it.Category, MaxShortRunes},
		{"ward", it.Ward, MaxShortRunes},
		{"address", it.Address, MaxAddressRunes},
		{"citizen.id", it.Citizen.ID, MaxShortRunes},
		{"citizen.name", it.Citizen.Name, MaxShortRunes},
		{"citizen.phone", string(it.Citizen.Phone), MaxShortRunes},
		{"citizen.email", it.Citizen.Email, MaxShortRunes},
		{"recording_url", it.RecordingURL, MaxURLBytes},
		{"language", it.Language, 8},
	}
	for _, f := range fields {
		if err := checkText(f.name, f.value, f.max, f.name == "content"); err != nil {
			return err
		}
	}
	if it.Location != nil {
		l := it.Location
		if l.Lat < -90 || l.Lat > 90 || l.Lng < -180 || l.Lng > 180 || l.Lat != l.Lat || l.Lng != l.Lng {
			return Invalid("location", "Toạ độ không hợp lệ.", "location out of range")
		}
	}
	if len(it.Attachments) > MaxAttachments {
		return Invalid("attachments", "Quá nhiều tệp đính kèm.", "too many attachments")
	}
	for _, a := range it.Attachments {
		if err := checkURL("attachments.url", a.URL); err != nil {
			return err
		}
		if err := checkText("attachments.name", a.Name, MaxShortRunes, false); err != nil {
			return err
		}
		if err := checkText("attachments.content_type", a.ContentType, MaxShortRunes, false); err != nil {
			return err
		}
	}
	if it.RecordingURL != "" {
		if err := checkURL("recording_url", it.RecordingURL); err != nil {
			return err
		}
	}
	return nil
}

func checkText(field, s string, maxRunes int, multiline bool) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "Văn bản không đúng mã UTF-8.", "text is not valid UTF-8")
	}
	if utf8.RuneCountInString(s) > maxRunes {
		return Invalid(field, "Văn bản quá dài.", "text is too long")
	}
	for _, r := range s {
		if r == 0 || (r < 0x20 && !(multiline && (r == '\n' || r == '\r' || r == '\t'))) {
			return Invalid(field, "Văn bản chứa ký tự điều khiển.", "text contains control characters")
		}
	}
	return nil
}

func checkURL(field, u string) error {
	if len(u) > MaxURLBytes || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
		return Invalid(field, "Đường dẫn tệp không hợp lệ.", "attachment URL must be http(s)")
	}
	return checkText(field, u, MaxURLBytes, false)
}
