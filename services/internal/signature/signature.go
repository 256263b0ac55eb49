// Package signature signs and verifies the bodies PAKN exchanges with the
// city portal and the Digital Citizen app backend, in both directions. One
// scheme serves both so that an integrator writes one verifier:
//
//	t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//
// The timestamp is inside the MAC, so a captured request cannot be replayed
// outside the tolerance window. A header may carry several v1 values: while
// a secret is being rotated the sender signs with the old and the new one,
// and the receiver accepts either.
package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is the largest clock difference Verify accepts, either
// way, when it is given no positive tolerance.
const DefaultTolerance = 300 * time.Second

// Bounds that keep a hostile header cheap to reject.
const (
	// MaxHeaderBytes is the longest header Verify reads.
	MaxHeaderBytes = 1024
	// MaxSignatures is how many v1 values one header may carry.
	MaxSignatures = 4
)

// ErrMalformed is returned when the header does not follow the scheme: empty,
// too long, a part without "=", no or several t, t not a decimal number, no
// v1, or a v1 that is not 64 hex digits.
var ErrMalformed = errors.New("signature: malformed header")

// ErrSkew is returned when the header is well formed and its MAC is right but
// its timestamp is further from now than the tolerance: a replay, or a
// sender whose clock is wrong. The MAC is checked first so that this error
// tells an operator "fix the clock", never "wrong secret".
var ErrSkew = errors.New("signature: timestamp outside the tolerance")

// ErrMismatch is returned when no v1 value is the MAC of the body under the
// secret: a wrong secret, a body changed in transit, or a forgery.
var ErrMismatch = errors.New("signature: no matching signature")

// ErrNoSecret is returned when the secret is empty: anyone could sign with
// it, so nothing signed with it is believed.
var ErrNoSecret = errors.New("signature: empty secret")

// Sign returns the header value for body at now.
func Sign(secret, body []byte, now time.Time) string {
	t := strconv.FormatInt(now.Unix(), 10)
	return "t=" + t + ",v1=" + hex.EncodeToString(mac(secret, t, body))
}

// Verify checks header against body. It returns nil, or an error that is
// (errors.Is) ErrNoSecret, ErrMalformed, ErrMismatch or ErrSkew.
// A tolerance of zero or less means DefaultTolerance.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if len(secret) == 0 {
		return ErrNoSecret
	}
	h, err := parse(header)
	if err != nil {
		return err
	}
	want := mac(secret, h.t, body)
	ok := 0
	// Every value is compared, in constant time, so the time taken does not
	// tell which one (if any) came close.
	for _, sig := range h.v1 {
		if hmac.Equal(sig, want) {
			ok = 1
		}
	}
	if ok == 0 {
		return ErrMismatch
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	// Sub saturates, so a timestamp in year 292277026596 cannot overflow into
	// a small difference.
	skew := now.Sub(time.Unix(h.unix, 0))
	if skew > tolerance || skew < -tolerance {
		return ErrSkew
	}
	return nil
}

func mac(secret []byte, t string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(t))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

type header struct {
	t    string // as sent: the MAC covers these exact digits
	unix int64
	v1   [][]byte
}

// parse reads "t=...,v1=...[,v1=...]". Parts with other names (v0, a future
// v2) are skipped so that a sender can add a scheme before receivers know it;
// spaces around parts are forgiven because hand-written senders add them.
func parse(s string) (header, error) {
	var h header
	if s == "" || len(s) > MaxHeaderBytes {
		return h, ErrMalformed
	}
	seenT := false
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || k == "" || v == "" {
			return h, ErrMalformed
		}
		switch k {
		case "t":
			if seenT || !digits(v) || len(v) > 18 {
				return h, ErrMalformed
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return h, ErrMalformed
			}
			seenT, h.t, h.unix = true, v, n
		case "v1":
			if len(v) != 2*sha256.Size || len(h.v1) == MaxSignatures {
				return h, ErrMalformed
			}
			b, err := hex.DecodeString(v)
			if err != nil {
				return h, ErrMalformed
			}
			h.v1 = append(h.v1, b)
		}
	}
	if !seenT || len(h.v1) == 0 {
		return h, ErrMalformed
	}
	return h, nil
}

// digits reports whether s is ASCII decimal digits only. ParseInt alone
// would also take "+" and "-": one spelling per timestamp keeps every
// implementation of the scheme in agreement.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
