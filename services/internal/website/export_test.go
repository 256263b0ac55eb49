package website

import (
	"image"
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

// Photo metadata (photometa.go).

func WithoutMetadata(contentType string, data []byte) ([]byte, error) {
	return withoutMetadata(contentType, data)
}

// StripMetadata also tells whether the photo was encoded again.
func StripMetadata(contentType string, data []byte) ([]byte, bool, error) {
	return stripMetadata(contentType, data)
}

// Orient turns a decoded image by an EXIF orientation and shrinks it.
func Orient(img image.Image, orientation, maxSide int) (image.Image, error) {
	m, _, err := orient(img, orientation, maxSide)
	return m, err
}

var (
	ErrUnreadablePhoto = errUnreadablePhoto
	ErrTooManyPixels   = errTooManyPixels
)

const MaxPhotoSide = maxPhotoSide
