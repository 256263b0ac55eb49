// Package hotline is the city hotline's channel adapter over Twilio: texts
// to the hotline's number, calls answered by a Vietnamese IVR, and reports
// that call-desk operators type in. Each becomes one feedback.Item on
// pakn.intake.hotline; SMS sends texts back (officials' answers, new codes).
//
// # Who may call the webhooks
//
// Every Twilio route checks X-Twilio-Signature with twilio-go's request
// validator against PAKN_PUBLIC_URL + the path and query as requested, and
// the auth token; then that AccountSid is ours. Twilio signatures carry no
// timestamp, so a replay is possible: it lands on the same key and gets the
// same code, which is harmless.
//
// # A call without server memory
//
// A call is a chain of independent requests (each step's TwiML names the
// URL of the next), and any adapter process may get any of them. Rather than
// keep the call in memory (lost on restart, wrong with several processes) or
// in NATS (which the spool exists to do without), each step's URL carries
// what the caller said so far in its query, as one base64url token (see
// CallState). Twilio signs the full URL it requests, query included, so the
// state is as trustworthy as the rest of the request and no second MAC is
// needed; one opaque token keeps the URL byte-exact for the signature.
//
//	/voice            greeting; <Gather input="speech dtmf" language="vi-VN"> for the subject
//	/voice/subject    keypad digit → category, speech → a subject hint;
//	                  <Gather input="speech" language="vi-VN" speechTimeout="auto"> for the report
//	/voice/speech     SpeechResult joins the state; <Record> of the caller's own words, whose
//	                  action and status-callback URLs both carry the full state
//	/voice/recorded   <Record> action (or the step after an empty recording): submit, read the code out
//	/voice/recording  recording status callback: submit the same item
//
// The item is published by whichever of the last two arrives first: the
// action while the caller waits (so they hear their code), the status
// callback even when the caller hung up during the recording. Both build
// the item from the same state and recording URL, so the second finds the
// same key with the same content and gets the same code: one item per
// CallSid. A call that ends before the report step publishes nothing; a
// caller who hangs up right after saying the report (Twilio then posts the
// speech with CallStatus "completed") leaves the recognised text as the item.
//
// <Start><Recording> next to the report's <Gather> would record the very
// words being recognised, so the caller would speak once; but its status
// callback URL is fixed before the speech is known, so text and recording
// would arrive in two requests neither of which can name the other without
// server state. We ask the caller to repeat briefly after the beep instead.
//
// # Vietnamese speech, and why <Record> does not transcribe
//
// What Twilio's documentation says, as checked for this package:
//   - <Gather input="speech"> takes a BCP-47 language (default en-US) and
//     returns SpeechResult and Confidence to its action URL; Twilio picks the
//     speech-to-text provider and model unless told. We use vi-VN.
//   - <Record transcribe="true"> is the older, paid Recording Transcription:
//     only for recordings made by <Record>, at most two minutes long (warning
//     13617: longer than 2 s and shorter than 120 s). <Record> has no
//     language attribute at all (neither in the TwiML reference nor in
//     twilio-go's VoiceRecord), so the transcription language cannot be
//     chosen; it is English-oriented and not to be trusted with Vietnamese.
//   - The language-aware alternatives are <Start><Transcription
//     languageCode="..."> (real-time transcription; a public beta when we
//     looked) and Conversational/Voice Intelligence; we use neither.
//
// So the text comes from <Gather> alone, the recording is kept as the
// item's RecordingURL for an official to listen to, and a report whose
// speech was not recognised is still an item: its content says, in
// Vietnamese, that it is a voice recording.
//
// # Never losing a report
//
// Twilio does not retry a webhook, and a caller cannot. When Intake.Submit
// answers EUNAVAILABLE, the item goes to the Spool (files under
// <PAKN_DATA_DIR>/hotline-spool) with a fresh tracking code that the citizen
// is told at once; Spool.Run claims that code and publishes when NATS is
// back, and texts the citizen if the code had to change.
package hotline
