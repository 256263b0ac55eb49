package hotline

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/web"
)

// CallState is what a caller has told the IVR so far. It travels in the
// query of the next callback URL (parameter "s"), so that the hotline keeps
// no memory between the requests of one call; see doc.go for why.
type CallState struct {
	Category string // category code chosen on the keypad; "" if none
	Subject  string // the subject as the caller said it: a hint for the router
	Text     string // the report as the speech recogniser heard it
}

// Bounds that keep a callback URL well under the 4,000 characters Twilio
// accepts for a callback: about 1,900 bytes of JSON become 2,600 of base64.
const (
	maxSubjectBytes  = 300
	maxTextBytes     = 1500
	maxStateEncoded  = 3000
	truncationSuffix = "…"
)

// stateJSON is CallState on the wire: JSON keeps Vietnamese as raw UTF-8,
// where a form would percent-encode it to three times its size.
type stateJSON struct {
	Category string `json:"c,omitempty"`
	Subject  string `json:"j,omitempty"`
	Text     string `json:"t,omitempty"`
}

// keypad maps the digits of the subject menu to category codes (from the
// seed's categories). 9, "something else", leaves the choice to the router.
var keypad = map[string]string{
	"1": "giao-thong",
	"2": "ngap-nuoc",
	"3": "ve-sinh-moi-truong",
	"4": "trat-tu-do-thi",
	"5": "an-ninh-trat-tu",
	"9": "",
}

func knownCategory(code string) bool {
	if code == "" {
		return true
	}
	for _, c := range keypad {
		if c == code {
			return true
		}
	}
	return false
}

// Encode returns the state as one URL-safe token, base64url of JSON: a
// single opaque token keeps the URL byte-for-byte what Twilio signs back.
func (s CallState) Encode() string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(stateJSON(s)) // strings only: cannot fail
	return base64.RawURLEncoding.EncodeToString(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// DecodeCallState parses a token made by Encode. The URL is signed by
// Twilio, but the token is still decoded as strictly as any outside input.
func DecodeCallState(tok string) (CallState, error) {
	bad := feedback.Invalid("s", "Trạng thái cuộc gọi không hợp lệ.", "invalid call state")
	if len(tok) > maxStateEncoded {
		return CallState{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return CallState{}, bad
	}
	var w stateJSON
	if err := web.DecodeJSON(raw, &w); err != nil {
		return CallState{}, bad
	}
	s := CallState(w)
	if !knownCategory(s.Category) || len(s.Subject) > maxSubjectBytes || len(s.Text) > maxTextBytes ||
		!cleanText(s.Category, false) || !cleanText(s.Subject, false) || !cleanText(s.Text, false) {
		return CallState{}, bad
	}
	return s, nil
}

// withText returns the state with the report's text, cut so that the
// token stays within maxStateEncoded even when JSON must escape much of it.
func (s CallState) withText(text string) CallState {
	s.Text = clip(text, maxTextBytes)
	for n := len(s.Text); len(s.Encode()) > maxStateEncoded && n > 0; {
		n = n * 9 / 10
		s.Text = clip(s.Text, n)
	}
	return s
}

// clip cuts s to at most n bytes on a rune boundary, marking the cut; the
// recording keeps the caller's whole words.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ") // speech results are one line
	if len(s) <= n {
		return s
	}
	if n <= len(truncationSuffix) {
		return ""
	}
	cut := n - len(truncationSuffix)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + truncationSuffix
}
