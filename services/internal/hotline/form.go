package hotline

import (
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/twilio/twilio-go/client"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/web"
)

// Limits on what Twilio posts. An SMS body is at most 1,600 characters and a
// message carries at most 10 media, so anything near these is not Twilio.
const (
	maxFormBytes  = 64 << 10
	maxFormFields = 200
	maxMedia      = 10
	maxSpeech     = 4000 // bytes of one SpeechResult
)

var (
	messageSIDRe   = regexp.MustCompile(`^(SM|MM)[0-9a-fA-F]{32}$`)
	callSIDRe      = regexp.MustCompile(`^CA[0-9a-fA-F]{32}$`)
	recordingSIDRe = regexp.MustCompile(`^RE[0-9a-fA-F]{32}$`)
	digitsRe       = regexp.MustCompile(`^[0-9*#]{0,32}$`)
	phoneRe        = regexp.MustCompile(`^\+?[0-9]{6,15}$`)
)

// withheld are the numbers Twilio puts in From when a caller hides theirs:
// ANONYMOUS, RESTRICTED, BLOCKED and UNKNOWN spelled on a keypad. They are
// nobody's phone, so such a caller is anonymous.
var withheld = map[string]bool{"+266696687": true, "+7378742833": true, "+2562533": true, "+8656696": true}

// toPhone returns s as a phone number, or "" when it is not one (a withheld
// number, a WhatsApp or client address): the item is then anonymous.
func toPhone(s string) feedback.Phone {
	s = strings.TrimSpace(s)
	if !phoneRe.MatchString(s) || withheld[s] {
		return ""
	}
	return feedback.Phone(s)
}

// verifier proves that a request comes from Twilio, for our account.
type verifier struct {
	cfg Config
	rv  client.RequestValidator
}

func newVerifier(cfg Config) *verifier {
	return &verifier{cfg: cfg, rv: client.NewRequestValidator(cfg.AuthToken)}
}

var errNotConfigured = feedback.Errorf(feedback.ENOTREADY,
	"Đường dây nóng chưa được cấu hình.", "the hotline is not configured (TWILIO_*)")

// form reads a Twilio webhook and returns its parameters once the request is
// known to be Twilio's: the surface is configured, the body is a form within
// the limit, X-Twilio-Signature matches PAKN_PUBLIC_URL + path + query and
// the auth token, and AccountSid is ours. Content checks come after, in the
// decoders: only a request Twilio signed deserves a detailed 400.
func (v *verifier) form(c echo.Context) (url.Values, error) {
	if !v.cfg.Configured() {
		return nil, errNotConfigured
	}
	r := c.Request()
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, feedback.Errorf(feedback.EUNSUPPORTED, "Dữ liệu phải ở dạng biểu mẫu (form).",
			"Content-Type must be application/x-www-form-urlencoded")
	}
	body, err := web.ReadBody(c, maxFormBytes)
	if err != nil {
		return nil, err
	}
	vals, err := parseForm(body)
	if err != nil {
		return nil, err
	}
	sig := r.Header.Get("X-Twilio-Signature")
	// Twilio signs each parameter once; the validator reads first values and
	// parseForm has refused repeated keys, so nothing unsigned gets through.
	params := make(map[string]string, len(vals))
	for k, vs := range vals {
		params[k] = vs[0]
	}
	if sig == "" || !v.rv.Validate(v.cfg.publicBase()+requestURI(r), params, sig) {
		return nil, feedback.Errorf(feedback.EFORBIDDEN, "Chữ ký yêu cầu không hợp lệ.", "invalid X-Twilio-Signature")
	}
	if vals.Get("AccountSid") != v.cfg.AccountSID {
		return nil, feedback.Errorf(feedback.EFORBIDDEN, "Yêu cầu không thuộc tài khoản của đường dây nóng.",
			"AccountSid is not the hotline's account")
	}
	return vals, nil
}

// requestURI is the path and query exactly as the client sent them: Twilio
// signs the URL it called, before any router or prefix stripping.
func requestURI(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}

// parseForm parses a form body strictly: good escapes, no repeated keys, a
// bounded number of fields. Text checks are left to checkForm.
func parseForm(body []byte) (url.Values, error) {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, feedback.Invalid("", "Dữ liệu biểu mẫu không hợp lệ.", "malformed form body")
	}
	if len(vals) > maxFormFields {
		return nil, feedback.Invalid("", "Biểu mẫu có quá nhiều trường.", "too many form fields")
	}
	for k, vs := range vals {
		if len(vs) > 1 {
			return nil, &feedback.Error{Code: feedback.EINVALID, Field: safeField(k),
				Message: "Trường bị lặp lại.", MessageEN: "repeated form field"}
		}
	}
	return vals, nil
}

// checkForm refuses text that is not valid UTF-8 or holds control bytes;
// only the free-text fields may hold line breaks and tabs.
func checkForm(vals url.Values, multiline ...string) error {
	for k, vs := range vals {
		if !cleanText(k, false) {
			return feedback.Invalid("", "Tên trường không hợp lệ.", "invalid field name")
		}
		ml := false
		for _, m := range multiline {
			ml = ml || k == m
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return feedback.Invalid(k, "Văn bản không đúng mã UTF-8.", "text is not valid UTF-8")
			}
			if !cleanText(v, ml) {
				return feedback.Invalid(k, "Văn bản chứa ký tự điều khiển.", "text contains control characters")
			}
		}
	}
	return nil
}

func cleanText(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == 0 || r == 0x7f || (r < 0x20 && !(multiline && (r == '\n' || r == '\r' || r == '\t'))) {
			return false
		}
	}
	return true
}

// safeField keeps an error's field name printable, whatever the client sent.
func safeField(k string) string {
	if len(k) > 40 || !cleanText(k, false) {
		return ""
	}
	return k
}

// SMSMessage is an incoming SMS or MMS as Twilio posts it to the webhook.
type SMSMessage struct {
	MessageSID string
	AccountSID string
	From       feedback.Phone // "" when the sender is not a phone number
	To         string
	Body       string
	Media      []feedback.Attachment // MediaUrlN / MediaContentTypeN, N < NumMedia
}

// DecodeSMSForm parses and checks an SMS webhook body. The handler checks
// the signature between parsing and these checks; fuzz tests call this.
func DecodeSMSForm(body []byte) (SMSMessage, error) {
	vals, err := parseForm(body)
	if err != nil {
		return SMSMessage{}, err
	}
	return smsFromForm(vals)
}

func smsFromForm(vals url.Values) (SMSMessage, error) {
	if err := checkForm(vals, "Body"); err != nil {
		return SMSMessage{}, err
	}
	m := SMSMessage{
		MessageSID: vals.Get("MessageSid"),
		AccountSID: vals.Get("AccountSid"),
		From:       toPhone(vals.Get("From")),
		To:         vals.Get("To"),
		Body:       vals.Get("Body"),
	}
	if !messageSIDRe.MatchString(m.MessageSID) {
		return SMSMessage{}, feedback.Invalid("MessageSid", "Mã tin nhắn không hợp lệ.", "invalid MessageSid")
	}
	if !accountSIDRe.MatchString(m.AccountSID) {
		return SMSMessage{}, feedback.Invalid("AccountSid", "Mã tài khoản không hợp lệ.", "invalid AccountSid")
	}
	n := 0
	if s := vals.Get("NumMedia"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 0 || n > maxMedia {
			return SMSMessage{}, feedback.Invalid("NumMedia", "Số tệp đính kèm không hợp lệ.", "NumMedia must be 0 to 10")
		}
	}
	for i := range n {
		idx := strconv.Itoa(i)
		u := vals.Get("MediaUrl" + idx)
		ct := vals.Get("MediaContentType" + idx)
		if !mediaURL(u) {
			return SMSMessage{}, feedback.Invalid("MediaUrl"+idx, "Đường dẫn tệp đính kèm không hợp lệ.", "invalid media URL")
		}
		if len(ct) > feedback.MaxShortRunes {
			return SMSMessage{}, feedback.Invalid("MediaContentType"+idx, "Loại tệp không hợp lệ.", "invalid media content type")
		}
		m.Media = append(m.Media, feedback.Attachment{URL: u, Name: "mms-" + strconv.Itoa(i+1), ContentType: ct})
	}
	return m, nil
}

// mediaURL accepts the https URLs Twilio gives media and recordings.
func mediaURL(s string) bool {
	if s == "" || len(s) > feedback.MaxURLBytes {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
}

// VoiceCallback is one of the requests Twilio makes during a call: the
// incoming call, a <Gather> or <Record> action, a recording status callback.
type VoiceCallback struct {
	CallSID      string
	AccountSID   string
	From         feedback.Phone // "" for a withheld number
	To           string
	CallStatus   string
	Digits       string // keys pressed in a <Gather>
	SpeechResult string // what the speech recogniser heard, "" if nothing
	Confidence   string
	// RecordingURL is set by a <Record> action and a recording status
	// callback; RecordingStatus only by the latter.
	RecordingURL    string
	RecordingSID    string
	RecordingStatus string
	State           CallState // carried in the callback URL's query
}

// DecodeVoiceForm parses and checks a voice webhook: the form body and the
// query of the URL Twilio called (which carries the call's state).
func DecodeVoiceForm(body []byte, rawQuery string) (VoiceCallback, error) {
	vals, err := parseForm(body)
	if err != nil {
		return VoiceCallback{}, err
	}
	return voiceFromForm(vals, rawQuery)
}

func voiceFromForm(vals url.Values, rawQuery string) (VoiceCallback, error) {
	if err := checkForm(vals); err != nil {
		return VoiceCallback{}, err
	}
	cb := VoiceCallback{
		CallSID:         vals.Get("CallSid"),
		AccountSID:      vals.Get("AccountSid"),
		From:            toPhone(vals.Get("From")),
		To:              vals.Get("To"),
		CallStatus:      vals.Get("CallStatus"),
		Digits:          vals.Get("Digits"),
		SpeechResult:    strings.TrimSpace(vals.Get("SpeechResult")),
		Confidence:      vals.Get("Confidence"),
		RecordingURL:    vals.Get("RecordingUrl"),
		RecordingSID:    vals.Get("RecordingSid"),
		RecordingStatus: vals.Get("RecordingStatus"),
	}
	switch {
	case !callSIDRe.MatchString(cb.CallSID):
		return VoiceCallback{}, feedback.Invalid("CallSid", "Mã cuộc gọi không hợp lệ.", "invalid CallSid")
	case !accountSIDRe.MatchString(cb.AccountSID):
		return VoiceCallback{}, feedback.Invalid("AccountSid", "Mã tài khoản không hợp lệ.", "invalid AccountSid")
	case !digitsRe.MatchString(cb.Digits):
		return VoiceCallback{}, feedback.Invalid("Digits", "Phím bấm không hợp lệ.", "invalid Digits")
	case len(cb.SpeechResult) > maxSpeech:
		return VoiceCallback{}, feedback.Invalid("SpeechResult", "Nội dung nhận dạng quá dài.", "SpeechResult is too long")
	case cb.RecordingURL != "" && !mediaURL(cb.RecordingURL):
		return VoiceCallback{}, feedback.Invalid("RecordingUrl", "Đường dẫn ghi âm không hợp lệ.", "invalid RecordingUrl")
	case cb.RecordingSID != "" && !recordingSIDRe.MatchString(cb.RecordingSID):
		return VoiceCallback{}, feedback.Invalid("RecordingSid", "Mã ghi âm không hợp lệ.", "invalid RecordingSid")
	case len(cb.RecordingStatus) > 32 || len(cb.CallStatus) > 32 || len(cb.Confidence) > 32:
		return VoiceCallback{}, feedback.Invalid("", "Trạng thái cuộc gọi không hợp lệ.", "invalid status field")
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return VoiceCallback{}, feedback.Invalid("s", "Trạng thái cuộc gọi không hợp lệ.", "malformed callback query")
	}
	if ss := q["s"]; len(ss) > 1 {
		return VoiceCallback{}, feedback.Invalid("s", "Trạng thái cuộc gọi không hợp lệ.", "repeated call state")
	} else if len(ss) == 1 {
		if cb.State, err = DecodeCallState(ss[0]); err != nil {
			return VoiceCallback{}, err
		}
	}
	return cb, nil
}
