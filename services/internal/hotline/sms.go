package hotline

import (
	"log/slog"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
)

// photoOnly is the content of an MMS that carries photos and no words.
const photoOnly = "Phản ánh bằng hình ảnh gửi qua tin nhắn MMS (không kèm lời nhắn)."

// handleSMS turns a text to the hotline into one item per MessageSid and
// answers the citizen with the tracking code in TwiML.
func handleSMS(cfg Config, log *slog.Logger, v *verifier, sub *submitter) echo.HandlerFunc {
	return func(c echo.Context) error {
		vals, err := v.form(c)
		if err != nil {
			return err
		}
		msg, err := smsFromForm(vals)
		if err != nil {
			return err
		}
		if strings.TrimSpace(msg.Body) == "" && len(msg.Media) == 0 {
			// Nothing to report; the citizen hears why and nothing is published.
			return replyMessage(c, "Tin nhắn trống. Xin gửi nội dung phản ánh kèm địa chỉ.\n"+
				"Your message was empty. Please send your report with an address.")
		}
		it := smsItem(msg, time.Now())
		code, err := sub.submit(c.Request().Context(), it)
		if err != nil {
			if feedback.IsCode(err, feedback.EINVALID) || feedback.IsCode(err, feedback.ECONFLICT) {
				return err
			}
			// Neither NATS nor the spool took it: say so rather than let
			// Twilio stay silent, so the citizen knows to send it again.
			log.Error("hotline: SMS not taken", "key", it.Key, "phone", it.Citizen.Phone, "err", err)
			return replyMessage(c, "Hệ thống đang bận, phản ánh chưa được tiếp nhận. Xin gửi lại sau ít phút.\n"+
				"The system is busy and your report was not received. Please send it again in a few minutes.")
		}
		log.Info("hotline: SMS received", "key", it.Key, "code", code, "phone", it.Citizen.Phone, "media", len(it.Attachments))
		return replyMessage(c, receivedSMS(cfg.publicBase(), code))
	}
}

// smsItem converts a Twilio message to an item. The body is kept verbatim:
// it is text, whatever markup it holds, and every reader escapes it.
func smsItem(m SMSMessage, now time.Time) *feedback.Item {
	content := m.Body
	if strings.TrimSpace(content) == "" {
		content = photoOnly
	}
	return &feedback.Item{
		Key:         feedback.ItemKey(feedback.ChannelHotline, "sms:"+m.MessageSID),
		Channel:     feedback.ChannelHotline,
		ReceivedAt:  now,
		Content:     content,
		Citizen:     feedback.Citizen{Phone: m.From},
		Attachments: m.Media,
		Language:    "vi",
	}
}
