package hotline

import (
	"log/slog"

	"github.com/labstack/echo/v4"
)

// Every route of the hotline. Paths are absolute so that the signature URL
// (PAKN_PUBLIC_URL + path) is the same whether the handler is mounted at the
// root or behind a prefix-keeping mux.
func addRoutes(e *echo.Echo, cfg Config, log *slog.Logger, v *verifier, sub *submitter, ops Operators) {
	// Twilio: a text to the hotline's number.
	e.POST("/hotline/twilio/sms", handleSMS(cfg, log, v, sub))

	// Twilio: a call. Each step's TwiML names the next step's URL.
	e.POST("/hotline/twilio/voice", handleVoiceStart(cfg, v))
	e.POST(pathSubject, handleVoiceSubject(cfg, v))
	e.POST(pathSpeech, handleVoiceSpeech(cfg, log, v, sub))
	e.POST(pathRecorded, handleVoiceRecorded(log, v, sub))
	e.POST(pathRecording, handleRecordingStatus(log, v, sub))

	// Staff of the call desk type in what a caller told them.
	e.POST("/hotline/v1/calls", handleOperatorCall(log, ops, sub))
}
