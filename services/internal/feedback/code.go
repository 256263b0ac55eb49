package feedback

import (
	"crypto/rand"
	"strings"
)

// TrackingCode is what a citizen quotes to follow an item: eight characters
// of Crockford's base32 in two groups ("7K3M-9QXT"), easy to read over the
// phone: no I, L, O or U, and parsing forgives case and those look-alikes.
type TrackingCode string

const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewTrackingCode returns a random code (40 bits). Uniqueness is not left to
// chance: the intake reserves each code before it is handed out.
func NewTrackingCode() TrackingCode {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	var s [9]byte
	j := 0
	for i := range b {
		if i == 4 {
			s[j] = '-'
			j++
		}
		s[j] = codeAlphabet[b[i]&31]
		j++
	}
	return TrackingCode(s[:])
}

// ParseTrackingCode normalises what a citizen typed or said into a code.
func ParseTrackingCode(s string) (TrackingCode, error) {
	var out []byte
	for _, r := range strings.ToUpper(strings.TrimSpace(s)) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || strings.IndexByte(codeAlphabet, byte(r)) < 0 {
			return "", Invalid("tracking_code", "Mã theo dõi không hợp lệ.", "invalid tracking code")
		}
		out = append(out, byte(r))
		if len(out) > 8 {
			break
		}
	}
	if len(out) != 8 {
		return "", Invalid("tracking_code", "Mã theo dõi không hợp lệ.", "invalid tracking code")
	}
	return TrackingCode(string(out[:4]) + "-" + string(out[4:])), nil
}
