package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
)

// ReadBody reads at most limit bytes of the request body; more is ETOOLARGE.
func ReadBody(c echo.Context, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, limit+1))
	if err != nil {
		return nil, feedback.Invalid("", "Không đọc được dữ liệu gửi lên.", "cannot read the request body")
	}
	if int64(len(body)) > limit {
		return nil, feedback.Errorf(feedback.ETOOLARGE, "Dữ liệu gửi lên quá lớn (tối đa %d byte).", "the body is over %d bytes", limit)
	}
	return body, nil
}

// RequireJSON checks the Content-Type header.
func RequireJSON(r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return feedback.Errorf(feedback.EUNSUPPORTED, "Dữ liệu phải ở dạng JSON.", "Content-Type must be application/json")
	}
	return nil
}

// DecodeJSON decodes body into v strictly: valid UTF-8, exactly one JSON
// value, no unknown fields, and the right JSON type for every field. Any
// problem is EINVALID naming the field, so a client sees what to fix.
func DecodeJSON(body []byte, v any) error {
	if !utf8.Valid(body) {
		// encoding/json would silently replace bad bytes with U+FFFD.
		return feedback.Invalid("", "Dữ liệu không đúng mã UTF-8.", "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return feedback.Invalid("", "Dữ liệu chỉ được chứa một đối tượng JSON.", "the body must hold exactly one JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := jsonPath(typeErr.Field)
		return &feedback.Error{Code: feedback.EINVALID, Field: field,
			Message:   "Trường \"" + field + "\" có kiểu dữ liệu không đúng.",
			MessageEN: "field \"" + field + "\" must be " + typeErr.Type.String() + ", not " + typeErr.Value}
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return feedback.Invalid("", "Dữ liệu JSON không hợp lệ.", "malformed JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &feedback.Error{Code: feedback.EINVALID, Field: field,
			Message: "Trường \"" + field + "\" không được hỗ trợ.", MessageEN: "unknown field \"" + field + "\""}
	default:
		return feedback.Invalid("", "Dữ liệu JSON không hợp lệ.", "invalid JSON: "+err.Error())
	}
}

// jsonPath drops the names of embedded Go structs that encoding/json puts
// in a field path ("Report.content" → "content"): our JSON keys are all
// lower case, Go type names never are.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && !unicode.IsUpper([]rune(p)[0]) {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}
