package feedback

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to exactly one HTTP status in package web.
const (
	ECONFLICT     = "conflict"       // the request clashes with what is stored
	EINTERNAL     = "internal"       // a fault of ours; the message is generic
	EINVALID      = "invalid"        // the input is wrong; Field says where
	ENOTFOUND     = "not_found"      // no such thing, or not visible to the caller
	EUNAUTHORIZED = "unauthorized"   // no or bad credentials
	EFORBIDDEN    = "forbidden"      // known caller, not allowed
	ETOOLARGE     = "too_large"      // body or upload over the limit
	EUNAVAILABLE  = "unavailable"    // a dependency is down; retry later
	ERATELIMIT    = "rate_limited"   // too many requests from one source
	EUNSUPPORTED  = "unsupported"    // wrong content type or method
	ENOTREADY     = "not_configured" // the surface is switched off by configuration
)

// Error is PAKN's one error type. Message is Vietnamese (what a citizen or an
// official reads first); MessageEN is its English version.
type Error struct {
	Code      string
	Field     string
	Message   string
	MessageEN string
	Err       error // the cause, never shown to callers
}

func (e *Error) Error() string {
	s := e.Code
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.MessageEN != "" {
		s += ": " + e.MessageEN
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf makes an Error with a Vietnamese and an English message.
func Errorf(code, vi, en string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(vi, args...), MessageEN: fmt.Sprintf(en, args...)}
}

// Invalid reports a problem with one input field.
func Invalid(field, vi, en string) *Error {
	return &Error{Code: EINVALID, Field: field, Message: vi, MessageEN: en}
}

// Unavailable wraps the failure of a dependency (NATS, MongoDB, Twilio).
func Unavailable(err error) *Error {
	return &Error{Code: EUNAVAILABLE, Message: "Hệ thống đang bận, vui lòng thử lại sau.",
		MessageEN: "The service is busy; please try again later.", Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code string) bool { return ErrorCode(err) == code }

// ErrorMessages returns the Vietnamese and English messages safe to show a
// caller; internal errors get a generic text so that no detail leaks.
func ErrorMessages(err error) (vi, en string) {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message, e.MessageEN
	}
	return "Đã có lỗi xảy ra.", "Internal error."
}
