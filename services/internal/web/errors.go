// Package web holds the echo pieces every PAKN HTTP surface shares: the one
// place where error codes become HTTP statuses, strict JSON decoding, request
// logging and metrics, and the health endpoints.
package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
)

// statusOf maps each error code to its HTTP status. It is the only such map.
var statusOf = map[string]int{
	feedback.ECONFLICT:     http.StatusConflict,
	feedback.EINTERNAL:     http.StatusInternalServerError,
	feedback.EINVALID:      http.StatusBadRequest,
	feedback.ENOTFOUND:     http.StatusNotFound,
	feedback.EUNAUTHORIZED: http.StatusUnauthorized,
	feedback.EFORBIDDEN:    http.StatusForbidden,
	feedback.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	feedback.EUNAVAILABLE:  http.StatusServiceUnavailable,
	feedback.ERATELIMIT:    http.StatusTooManyRequests,
	feedback.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	feedback.ENOTREADY:     http.StatusServiceUnavailable,
}

// Status returns the HTTP status for an error code.
func Status(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON every PAKN API answers on error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong, in Vietnamese first.
type ErrorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
	Field     string `json:"field,omitempty"`
}

// codeOfHTTP turns echo's own errors (unknown route, wrong method) into codes.
func codeOfHTTP(status int) string {
	for code, s := range statusOf {
		if s == status && code != feedback.ENOTREADY {
			return code
		}
	}
	return feedback.EINTERNAL
}

// Detail converts any error into what a caller may see.
func Detail(err error) (int, ErrorDetail) {
	var he *echo.HTTPError
	if errors.As(err, &he) && feedback.ErrorCode(err) == feedback.EINTERNAL {
		code := codeOfHTTP(he.Code)
		d := ErrorDetail{Code: code, Message: http.StatusText(he.Code), MessageEN: http.StatusText(he.Code)}
		switch he.Code {
		case http.StatusNotFound:
			d.Message = "Không tìm thấy."
		case http.StatusMethodNotAllowed:
			d.Message = "Phương thức không được hỗ trợ."
		case http.StatusRequestEntityTooLarge:
			d.Message = "Dữ liệu gửi lên quá lớn."
		}
		return he.Code, d
	}
	code := feedback.ErrorCode(err)
	vi, en := feedback.ErrorMessages(err)
	d := ErrorDetail{Code: code, Message: vi, MessageEN: en}
	var fe *feedback.Error
	if errors.As(err, &fe) {
		d.Field = fe.Field
	}
	return Status(code), d
}

// ErrorHandler answers every error as JSON and logs the ones that are ours.
func ErrorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, d := Detail(err)
		if status >= 500 {
			log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "status", status, "err", err)
		}
		if status == http.StatusServiceUnavailable {
			c.Response().Header().Set("Retry-After", "5")
		}
		var werr error
		if c.Request().Method == http.MethodHead {
			werr = c.NoContent(status)
		} else {
			werr = c.JSON(status, ErrorBody{Error: d})
		}
		if werr != nil {
			log.Warn("writing error response", "err", werr)
		}
	}
}
