package hotline

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/twilio/twilio-go/twiml"

	"pakn.local/services/internal/feedback"
)

// TwiML speaks Vietnamese with one of the Google voices Twilio offers for
// vi-VN (Amazon Polly has no Vietnamese voice).
const (
	langVI  = "vi-VN"
	voiceVI = "Google.vi-VN-Standard-A"
	langEN  = "en-US"
	voiceEN = "Polly.Joanna"
)

func sayVI(text string) twiml.Element {
	return twiml.VoiceSay{Message: text, Language: langVI, Voice: voiceVI}
}
func sayEN(text string) twiml.Element {
	return twiml.VoiceSay{Message: text, Language: langEN, Voice: voiceEN}
}

// replyMessage answers an SMS webhook with one <Message> back to the sender.
func replyMessage(c echo.Context, text string) error {
	doc, err := twiml.Messages([]twiml.Element{twiml.MessagingMessage{Body: text}})
	return writeTwiML(c, doc, err)
}

// replyVoice answers a voice webhook with the verbs to run next.
func replyVoice(c echo.Context, verbs ...twiml.Element) error {
	doc, err := twiml.Voice(verbs)
	return writeTwiML(c, doc, err)
}

func writeTwiML(c echo.Context, doc string, err error) error {
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/xml; charset=utf-8", []byte(doc))
}

// receivedSMS tells the citizen their code and where to follow it.
func receivedSMS(publicBase string, code feedback.TrackingCode) string {
	return "UBND Quận đã tiếp nhận phản ánh của quý vị. Mã theo dõi: " + string(code) +
		". Tra cứu: " + publicBase + "/track/" + string(code) +
		"\nReceived. Tracking code: " + string(code)
}

// spell reads a code out one character at a time, so that a caller can
// write it down: "7K3M-9QXT" becomes "7, K, 3, M, 9, Q, X, T".
func spell(code feedback.TrackingCode) string {
	var parts []string
	for _, r := range string(code) {
		if r != '-' {
			parts = append(parts, string(r))
		}
	}
	return strings.Join(parts, ", ")
}
