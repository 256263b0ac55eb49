package website

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"time"

	"pakn.local/services/internal/feedback"
)

// A form token is base64url(nonce | issued | mac), where nonce is 16 random
// bytes, issued the Unix second the form was rendered, and mac the
// HMAC-SHA256 of both under the server's secret. It proves that the form
// came from us and is fresh, and the nonce doubles as the item's
// idempotency key: posting the same form twice (a double click, a reload
// after a timeout) is one item with one tracking code.
const (
	nonceBytes = 16
	macBytes   = 32
	tokenBytes = nonceBytes + 8 + macBytes
	// Clocks of several website processes may differ a little.
	tokenClockSkew = time.Minute
)

type tokens struct {
	secret []byte
	ttl    time.Duration
}

func (t *tokens) mac(nonce []byte, issued int64) []byte {
	h := hmac.New(sha256.New, t.secret)
	h.Write([]byte("pakn website form v1\x00"))
	h.Write(nonce)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(issued))
	h.Write(b[:])
	return h.Sum(nil)
}

// issue makes a fresh token.
func (t *tokens) issue(now time.Time) string {
	nonce := randomBytes(nonceBytes)
	return t.encode(nonce, now.Unix())
}

func (t *tokens) encode(nonce []byte, issued int64) string {
	b := make([]byte, 0, tokenBytes)
	b = append(b, nonce...)
	b = binary.BigEndian.AppendUint64(b, uint64(issued))
	b = append(b, t.mac(nonce, issued)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// verify checks a token and returns its nonce (hex), the item's key material.
func (t *tokens) verify(tok string, now time.Time) (nonce string, err *feedback.Error) {
	if tok == "" {
		return "", errTokenMissing
	}
	b, derr := base64.RawURLEncoding.DecodeString(tok)
	if derr != nil || len(b) != tokenBytes {
		return "", errTokenBad
	}
	n, issued, mac := b[:nonceBytes], int64(binary.BigEndian.Uint64(b[nonceBytes:nonceBytes+8])), b[nonceBytes+8:]
	if !hmac.Equal(mac, t.mac(n, issued)) {
		return "", errTokenBad
	}
	at := time.Unix(issued, 0)
	if at.After(now.Add(tokenClockSkew)) {
		return "", errTokenBad // from the future: our secret signed it, but not our clock
	}
	if now.Sub(at) > t.ttl {
		return "", errTokenExpired
	}
	return hex.EncodeToString(n), nil
}

// renew returns tok if it is valid for a while yet, or a fresh token: a form
// shown again after an error keeps its key where it can, so that a retry
// after a failed publish is still the same item.
func (t *tokens) renew(tok string, now time.Time) string {
	if _, err := t.verify(tok, now.Add(time.Hour)); err == nil {
		return tok
	}
	return t.issue(now)
}

// The three token errors look alike to the citizen on purpose: whatever
// went wrong, the form comes back with their text and a fresh token, and
// sending it again works. Bots learn nothing from the difference.
var (
	errTokenMissing = &feedback.Error{Code: feedback.EINVALID, Field: "token",
		Message:   "Biểu mẫu không hợp lệ. Nội dung bạn nhập vẫn được giữ; vui lòng kiểm tra và bấm “Gửi phản ánh” lần nữa.",
		MessageEN: "The form could not be accepted. What you typed is kept; please check it and press “Send feedback” again."}
	errTokenBad     = errTokenMissing
	errTokenExpired = &feedback.Error{Code: feedback.EINVALID, Field: "token",
		Message:   "Biểu mẫu đã mở quá lâu nên đã hết hạn. Nội dung bạn nhập vẫn được giữ; vui lòng bấm “Gửi phản ánh” lần nữa.",
		MessageEN: "The form was open too long and has expired. What you typed is kept; please press “Send feedback” again."}
)

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return b
}
