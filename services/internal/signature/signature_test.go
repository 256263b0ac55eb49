package signature_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"pakn.local/services/internal/signature"
)

var (
	secret    = []byte("whsec_binhtan_portal_2026")
	oldSecret = []byte("whsec_binhtan_portal_2025")
	body      = []byte(`{"event_id":"DVC-2026-000123","content":"Đèn đường hẻm 12 Tên Lửa không sáng"}`)
	now       = time.Date(2026, 3, 9, 8, 30, 0, 0, time.UTC)
)

// macHex computes the scheme by hand, independently of Sign.
func macHex(key []byte, t int64, b []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strconv.FormatInt(t, 10) + "."))
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil))
}

func TestSignFormat(t *testing.T) {
	got := signature.Sign(secret, body, now)
	want := "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=" + macHex(secret, now.Unix(), body)
	if got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
}

func TestVerify(t *testing.T) {
	ts := now.Unix()
	good := macHex(secret, ts, body)
	old := macHex(oldSecret, ts, body)
	tsStr := strconv.FormatInt(ts, 10)
	cases := []struct {
		name      string
		secret    []byte
		header    string
		body      []byte
		tolerance time.Duration
		want      error
	}{
		{name: "signed by Sign", header: signature.Sign(secret, body, now)},
		{name: "uppercase hex", header: "t=" + tsStr + ",v1=" + strings.ToUpper(good)},
		{name: "spaces around parts", header: "t=" + tsStr + ", v1=" + good},
		{name: "rotation: old then new", header: "t=" + tsStr + ",v1=" + old + ",v1=" + good},
		{name: "rotation: new then old", header: "t=" + tsStr + ",v1=" + good + ",v1=" + old},
		{name: "v1 before t", header: "v1=" + good + ",t=" + tsStr},
		{name: "unknown scheme ignored", header: "t=" + tsStr + ",v0=abc,v1=" + good},
		{name: "300 s past", header: signature.Sign(secret, body, now.Add(-300*time.Second))},
		{name: "300 s future", header: signature.Sign(secret, body, now.Add(300*time.Second))},
		{name: "301 s past", header: signature.Sign(secret, body, now.Add(-301*time.Second)), want: signature.ErrSkew},
		{name: "301 s future", header: signature.Sign(secret, body, now.Add(301*time.Second)), want: signature.ErrSkew},
		{name: "replay a day later", header: signature.Sign(secret, body, now.Add(-24*time.Hour)), want: signature.ErrSkew},
		{name: "own tolerance", header: signature.Sign(secret, body, now.Add(-90*time.Second)), tolerance: time.Minute, want: signature.ErrSkew},
		{name: "timestamp zero", header: "t=0,v1=" + macHex(secret, 0, body), want: signature.ErrSkew},
		{name: "timestamp far future", header: "t=999999999999999999,v1=" + macHex(secret, 999999999999999999, body), want: signature.ErrSkew},
		{name: "old secret only", header: "t=" + tsStr + ",v1=" + old, want: signature.ErrMismatch},
		{name: "bare hex, no names", header: good, want: signature.ErrMalformed},
		{name: "MAC over other body", header: signature.Sign(secret, []byte(`{}`), now), want: signature.ErrMismatch},
		{name: "body with trailing newline", header: signature.Sign(secret, body, now), body: append(append([]byte{}, body...), '\n'), want: signature.ErrMismatch},
		{name: "timestamp changed", header: "t=" + strconv.FormatInt(ts+1, 10) + ",v1=" + good, want: signature.ErrMismatch},
		{name: "one bit flipped", header: "t=" + tsStr + ",v1=" + flip(good), want: signature.ErrMismatch},
		{name: "wrong secret", secret: []byte("guess"), header: signature.Sign(secret, body, now), want: signature.ErrMismatch},
		{name: "empty secret", secret: []byte{}, header: signature.Sign(nil, body, now), want: signature.ErrNoSecret},
		{name: "empty", header: "", want: signature.ErrMalformed},
		{name: "no t", header: "v1=" + good, want: signature.ErrMalformed},
		{name: "no v1", header: "t=" + tsStr, want: signature.ErrMalformed},
		{name: "two t", header: "t=" + tsStr + ",t=" + tsStr + ",v1=" + good, want: signature.ErrMalformed},
		{name: "signed t", header: "t=+" + tsStr + ",v1=" + good, want: signature.ErrMalformed},
		{name: "negative t", header: "t=-" + tsStr + ",v1=" + good, want: signature.ErrMalformed},
		{name: "t not a number", header: "t=yesterday,v1=" + good, want: signature.ErrMalformed},
		{name: "t overflows", header: "t=99999999999999999999,v1=" + good, want: signature.ErrMalformed},
		{name: "short v1", header: "t=" + tsStr + ",v1=" + good[:40], want: signature.ErrMalformed},
		{name: "v1 not hex", header: "t=" + tsStr + ",v1=" + strings.Repeat("zz", 32), want: signature.ErrMalformed},
		{name: "empty v1", header: "t=" + tsStr + ",v1=", want: signature.ErrMalformed},
		{name: "part without =", header: "t=" + tsStr + ",v1" + good, want: signature.ErrMalformed},
		{name: "trailing comma", header: "t=" + tsStr + ",v1=" + good + ",", want: signature.ErrMalformed},
		{name: "semicolons", header: "t=" + tsStr + ";v1=" + good, want: signature.ErrMalformed},
		{name: "too many v1", header: "t=" + tsStr + strings.Repeat(",v1="+old, 4) + ",v1=" + good, want: signature.ErrMalformed},
		{name: "too long", header: "t=" + tsStr + ",v1=" + good + ",x=" + strings.Repeat("a", 1024), want: signature.ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key := secret
			if tc.secret != nil {
				key = tc.secret
			}
			b := body
			if tc.body != nil {
				b = tc.body
			}
			err := signature.Verify(key, tc.header, b, now, tc.tolerance)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("Verify(%q) = %v, want %v", tc.header, err, tc.want)
			}
		})
	}
}

func flip(h string) string {
	b, _ := hex.DecodeString(h)
	b[7] ^= 0x10
	return hex.EncodeToString(b)
}

// FuzzVerify feeds arbitrary headers to the parser. Whatever it gets, Verify
// must not panic, must answer with one of its sentinel errors, and must only
// accept a header that really carries the body's MAC.
func FuzzVerify(f *testing.F) {
	ts := now.Unix()
	f.Add(signature.Sign(secret, body, now))
	f.Add("t=" + strconv.FormatInt(ts, 10) + ",v1=" + macHex(oldSecret, ts, body) + ",v1=" + macHex(secret, ts, body))
	f.Add("t=1,v1=00")
	f.Add("t=,v1=")
	f.Add(",,,")
	f.Add("t=1741509000 , v1=" + strings.Repeat("a", 64))
	f.Add("v1=" + strings.Repeat("0", 64) + ",t=-5")
	f.Add("t=1\x00,v1=" + strings.Repeat("f", 64))
	f.Fuzz(func(t *testing.T, header string) {
		err := signature.Verify(secret, header, body, now, 0)
		switch {
		case err == nil:
			if !strings.Contains(strings.ToLower(header), macHexFromHeader(header)) {
				t.Fatalf("accepted %q without the body's MAC", header)
			}
		case errors.Is(err, signature.ErrMalformed), errors.Is(err, signature.ErrMismatch), errors.Is(err, signature.ErrSkew):
		default:
			t.Fatalf("Verify(%q) = %v: not a sentinel error", header, err)
		}
	})
}

// macHexFromHeader recomputes the MAC for the header's own t, so that the
// fuzz check does not trust the parser it is checking.
func macHexFromHeader(header string) string {
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if k == "t" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return "\x00never"
			}
			return macHex(secret, n, body)
		}
	}
	return "\x00never"
}
