package hotline

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/twilio/twilio-go/twiml"

	"pakn.local/services/internal/feedback"
)

// The IVR's callback routes, one per step of a call (see doc.go).
const (
	pathSubject   = "/hotline/twilio/voice/subject"   // <Gather> of the subject: keypad or speech
	pathSpeech    = "/hotline/twilio/voice/speech"    // <Gather> of the report: speech
	pathRecorded  = "/hotline/twilio/voice/recorded"  // <Record> action, or the step after an empty recording
	pathRecording = "/hotline/twilio/voice/recording" // recording status callback, after the recording is stored
)

// noSpeech is an item's content when the recogniser heard nothing: the
// recording is the report.
const noSpeech = "Phản ánh qua đường dây nóng bằng lời nói: hệ thống không nhận dạng được nội dung, " +
	"xin nghe bản ghi âm đính kèm."

// Words the recogniser is likely to hear in the subject, to help it.
const subjectHints = "giao thông, ổ gà, ngập nước, thoát nước, rác, vệ sinh, lấn chiếm vỉa hè, trật tự đô thị, " +
	"xây dựng, an ninh, trộm cắp, chiếu sáng, đèn đường, cây xanh, ô nhiễm, tiếng ồn"

// callbackURL is the absolute URL of a step, carrying the call's state.
func callbackURL(cfg Config, path string, st CallState) string {
	u := cfg.publicBase() + path
	if st != (CallState{}) {
		u += "?s=" + st.Encode()
	}
	return u
}

// voiceCallback verifies and decodes a voice webhook.
func voiceCallback(c echo.Context, v *verifier) (VoiceCallback, error) {
	vals, err := v.form(c)
	if err != nil {
		return VoiceCallback{}, err
	}
	return voiceFromForm(vals, c.Request().URL.RawQuery)
}

// handleVoiceStart greets the caller and asks for the subject, by keypad or
// by voice.
func handleVoiceStart(cfg Config, v *verifier) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := voiceCallback(c, v); err != nil {
			return err
		}
		next := callbackURL(cfg, pathSubject, CallState{})
		return replyVoice(c,
			twiml.VoiceGather{
				Input: "speech dtmf", Language: langVI, NumDigits: "1", Timeout: "6", SpeechTimeout: "auto",
				Hints: subjectHints, Action: next, Method: http.MethodPost, ActionOnEmptyResult: "true",
				InnerElements: []twiml.Element{
					sayVI("Đường dây nóng tiếp nhận phản ánh, kiến nghị của Ủy ban nhân dân Quận xin kính chào. " +
						"Cuộc gọi được ghi âm để cán bộ xử lý. " +
						"Xin nói ngắn gọn chủ đề phản ánh, hoặc nhấn phím: " +
						"1, giao thông, đường sá. 2, ngập nước. 3, rác và vệ sinh môi trường. " +
						"4, trật tự đô thị và xây dựng. 5, an ninh trật tự. 9, vấn đề khác."),
					sayEN("District feedback hotline. This call is recorded. Please say the subject, or press a key."),
				},
			},
			// Reached only if the <Gather> makes no request: go on without a subject.
			twiml.VoiceRedirect{Url: next, Method: http.MethodPost},
		)
	}
}

// handleVoiceSubject takes the subject and asks for the report itself.
func handleVoiceSubject(cfg Config, v *verifier) echo.HandlerFunc {
	return func(c echo.Context) error {
		cb, err := voiceCallback(c, v)
		if err != nil {
			return err
		}
		st := CallState{Category: keypad[cb.Digits]}
		if cb.Digits == "" {
			st.Subject = clip(cb.SpeechResult, maxSubjectBytes) // a hint; the router classifies the text
		}
		next := callbackURL(cfg, pathSpeech, st)
		return replyVoice(c,
			twiml.VoiceGather{
				Input: "speech", Language: langVI, SpeechTimeout: "auto", Timeout: "8",
				Action: next, Method: http.MethodPost, ActionOnEmptyResult: "true",
				InnerElements: []twiml.Element{
					sayVI("Xin mời quý vị nói nội dung phản ánh, kèm địa chỉ nơi xảy ra sự việc. " +
						"Nói xong, xin giữ máy."),
				},
			},
			twiml.VoiceRedirect{Url: next, Method: http.MethodPost},
		)
	}
}

// handleVoiceSpeech keeps what the recogniser heard and records the
// caller's own words, so that an official can listen to them. If the caller
// has already hung up, what was heard is the report.
func handleVoiceSpeech(cfg Config, log *slog.Logger, v *verifier, sub *submitter) echo.HandlerFunc {
	return func(c echo.Context) error {
		cb, err := voiceCallback(c, v)
		if err != nil {
			return err
		}
		st := cb.State.withText(cb.SpeechResult)
		if cb.CallStatus == "completed" {
			// The caller said the report and hung up: there will be no
			// recording and no further request, so the words are the item.
			cb.State = st
			if it := voiceItem(cb, "", time.Now()); it != nil {
				if _, err := sub.submit(c.Request().Context(), it); err != nil {
					log.Error("hotline: call not taken", "key", it.Key, "phone", it.Citizen.Phone, "err", err)
					return err
				}
			}
			return replyVoice(c, twiml.VoiceHangup{})
		}
		prompt := "Cảm ơn quý vị. Để cán bộ nghe lại chính lời quý vị, xin nói lại ngắn gọn nội dung " +
			"và địa chỉ sau tiếng bíp, rồi nhấn phím thăng."
		if st.Text == "" {
			prompt = "Xin lỗi, hệ thống chưa nghe rõ. Xin nói nội dung phản ánh và địa chỉ sau tiếng bíp, " +
				"rồi nhấn phím thăng."
		}
		done := callbackURL(cfg, pathRecorded, st)
		return replyVoice(c,
			sayVI(prompt),
			twiml.VoiceRecord{
				Action: done, Method: http.MethodPost,
				MaxLength: "120", Timeout: "5", FinishOnKey: "#", PlayBeep: "true", Trim: "trim-silence",
				// No transcribe: Twilio's recording transcription is not made for
				// Vietnamese (doc.go); the <Gather> above gave the text.
				RecordingStatusCallback:       callbackURL(cfg, pathRecording, st),
				RecordingStatusCallbackMethod: http.MethodPost,
				RecordingStatusCallbackEvent:  "completed absent",
			},
			// Twilio skips the action of an empty recording and runs this instead.
			twiml.VoiceRedirect{Url: done, Method: http.MethodPost},
		)
	}
}

// handleVoiceRecorded ends the call: it submits the report and reads the
// tracking code out twice.
func handleVoiceRecorded(log *slog.Logger, v *verifier, sub *submitter) echo.HandlerFunc {
	return func(c echo.Context) error {
		cb, err := voiceCallback(c, v)
		if err != nil {
			return err
		}
		it := voiceItem(cb, recordingURL(cb.RecordingURL), time.Now())
		if it == nil {
			log.Info("hotline: call ended without a report", "call", cb.CallSID, "phone", cb.From)
			return replyVoice(c,
				sayVI("Xin lỗi, chúng tôi chưa nhận được nội dung phản ánh. Xin quý vị gọi lại. Xin cảm ơn."),
				twiml.VoiceHangup{})
		}
		code, err := sub.submit(c.Request().Context(), it)
		if err != nil {
			log.Error("hotline: call not taken", "key", it.Key, "phone", it.Citizen.Phone, "err", err)
			return replyVoice(c,
				sayVI("Xin lỗi, hệ thống đang bận nên chưa tiếp nhận được phản ánh. Xin quý vị gọi lại sau ít phút."),
				sayEN("Sorry, the system is busy. Please call again in a few minutes."),
				twiml.VoiceHangup{})
		}
		log.Info("hotline: call received", "key", it.Key, "code", code, "phone", it.Citizen.Phone,
			"speech", it.Content != noSpeech, "recording", it.RecordingURL != "")
		return replyVoice(c,
			sayVI("Phản ánh của quý vị đã được tiếp nhận. Mã theo dõi là: "+spell(code)+
				". Xin nhắc lại, mã theo dõi là: "+spell(code)+
				". Quý vị có thể tra cứu kết quả trên trang thông tin của Quận. Xin cảm ơn."),
			sayEN("Your report was received. Your tracking code is: "+spell(code)+"."),
			twiml.VoiceHangup{})
	}
}

// handleRecordingStatus hears that a recording is stored (or absent) and
// submits the same item as the <Record> action, in case that request never
// came: a caller who hangs up while recording ends the call flow, but Twilio
// still reports the recording. Whichever comes first publishes; the other
// finds the same key and content and gets the same code.
func handleRecordingStatus(log *slog.Logger, v *verifier, sub *submitter) echo.HandlerFunc {
	return func(c echo.Context) error {
		cb, err := voiceCallback(c, v)
		if err != nil {
			return err
		}
		var rec string
		switch cb.RecordingStatus {
		case "completed":
			if rec = recordingURL(cb.RecordingURL); rec == "" {
				return feedback.Invalid("RecordingUrl", "Thiếu đường dẫn ghi âm.", "a completed recording needs RecordingUrl")
			}
		case "absent", "failed":
		default: // in-progress and the like: nothing to do yet
			return c.NoContent(http.StatusNoContent)
		}
		it := voiceItem(cb, rec, time.Now())
		if it == nil {
			return c.NoContent(http.StatusNoContent)
		}
		code, err := sub.submit(c.Request().Context(), it)
		switch {
		case feedback.IsCode(err, feedback.ECONFLICT):
			log.Warn("hotline: recording status disagrees with the call's item", "key", it.Key, "err", err)
		case err != nil:
			log.Error("hotline: call not taken", "key", it.Key, "phone", it.Citizen.Phone, "err", err)
			return err
		default:
			log.Info("hotline: recording stored", "key", it.Key, "code", code)
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// voiceItem builds the call's one item, or nil when the caller left neither
// words the recogniser heard nor a recording: then there is no report.
func voiceItem(cb VoiceCallback, rec string, now time.Time) *feedback.Item {
	st := cb.State
	if st.Text == "" && rec == "" {
		return nil
	}
	content := st.Text
	if content == "" {
		content = noSpeech
	}
	return &feedback.Item{
		Key:          feedback.ItemKey(feedback.ChannelHotline, "call:"+cb.CallSID),
		Channel:      feedback.ChannelHotline,
		ReceivedAt:   now,
		Title:        st.Subject,
		Content:      content,
		Category:     st.Category,
		Citizen:      feedback.Citizen{Phone: cb.From},
		RecordingURL: rec,
		Language:     "vi",
	}
}

// recordingURL drops a media extension, so that the <Record> action and the
// status callback name the recording the same way and their items match.
func recordingURL(u string) string {
	for _, ext := range []string{".mp3", ".wav"} {
		u = strings.TrimSuffix(u, ext)
	}
	return u
}
