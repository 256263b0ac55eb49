package website

import (
	"io"

	"pakn.local/services/internal/feedback"
)

// The tests live in package website_test; these give them the decoder to
// fuzz and the limits to test against.

type FormInput = formInput

func DecodeForm(body io.Reader, contentType string) (FormInput, []*feedback.Error) {
	return decodeForm(body, contentType)
}

const MaxFormBytes = maxFormBytes

func AcceptedImage(ct string) bool { return acceptedImage(ct) }
