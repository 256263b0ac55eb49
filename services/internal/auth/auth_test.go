package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/feedback"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func TestTokenRoundTripAndTampering(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tok, err := auth.NewTokens(key, clock)
	if err != nil {
		t.Fatal(err)
	}
	o := feedback.Official{Username: "anlac.lan", Role: feedback.RoleOfficial, UnitID: "ward-an-lac"}
	s := tok.Issue(o)
	c, err := tok.Verify(s)
	if err != nil || c.Username != o.Username || c.Role != o.Role || c.UnitID != o.UnitID {
		t.Fatalf("verify: %+v %v", c, err)
	}
	other, _ := auth.NewTokens([]byte("another-key-another-key-another!!"), clock)
	p, sig, _ := strings.Cut(s, ".")
	cases := map[string]struct {
		tokens *auth.Tokens
		token  string
	}{
		"empty":          {tok, ""},
		"no signature":   {tok, p},
		"other key":      {other, s},
		"edited payload": {tok, "YWRtaW58c3VwZXJ2aXNvcnx8OTk5OTk5OTk5OQ." + sig},
		"garbage":        {tok, "%%%.%%%"},
		"truncated sig":  {tok, p + "." + sig[:10]},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := tc.tokens.Verify(tc.token)
			if !feedback.IsCode(err, feedback.EUNAUTHORIZED) || !errors.Is(err, auth.ErrInvalidToken) {
				t.Fatalf("got %v", err)
			}
		})
	}
	now = now.Add(auth.TokenTTL)
	if _, err := tok.Verify(s); !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("expired token: %v", err)
	}
}

func TestShortKeyRefused(t *testing.T) {
	if _, err := auth.NewTokens([]byte("short"), nil); err == nil {
		t.Fatal("a short key was accepted")
	}
}

func TestPasswords(t *testing.T) {
	h, err := auth.HashPassword("mật khẩu đúng")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bcrypt.Cost([]byte(h)); err != nil {
		t.Fatal(err)
	}
	if !auth.CheckPassword(h, "mật khẩu đúng") || auth.CheckPassword(h, "sai") || auth.CheckPassword("", "anything") {
		t.Fatal("password check wrong")
	}
}

func TestBearerToken(t *testing.T) {
	for in, want := range map[string]string{"Bearer abc": "abc", "bearer  abc ": "abc", "Basic abc": "", "Bearer": "", "": ""} {
		got, ok := auth.BearerToken(in)
		if got != want || ok != (want != "") {
			t.Errorf("%q: got %q %v", in, got, ok)
		}
	}
}

// accounts is a fixed set of officials, as the store would return them.
type accounts map[string]feedback.Official

func (a accounts) Official(_ context.Context, username string) (feedback.Official, string, error) {
	o, ok := a[username]
	if !ok {
		return o, "", feedback.Errorf(feedback.ENOTFOUND, "Không có cán bộ %s.", "no official %s", username)
	}
	return o, "hash", nil
}

func TestSignedIn(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	tok, err := auth.NewTokens(key, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	lan := feedback.Official{Username: "anlac.lan", Role: feedback.RoleOfficial, UnitID: "ward-an-lac", Active: true}
	issued := tok.Issue(lan)
	cases := []struct {
		name     string
		official *feedback.Official // nil: no such account
		code     string             // "" when it signs in
	}{
		{"active, never signed out", &lan, ""},
		{"signed out before this sign-in", &feedback.Official{Username: lan.Username, Active: true, SignedOutAt: now.Add(-time.Minute)}, ""},
		{"signed out in the same millisecond", &feedback.Official{Username: lan.Username, Active: true, SignedOutAt: now}, feedback.EUNAUTHORIZED},
		{"signed out after", &feedback.Official{Username: lan.Username, Active: true, SignedOutAt: now.Add(time.Second)}, feedback.EUNAUTHORIZED},
		{"deactivated", &feedback.Official{Username: lan.Username}, feedback.EFORBIDDEN},
		{"removed", nil, feedback.EUNAUTHORIZED},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := accounts{}
			if tc.official != nil {
				a[lan.Username] = *tc.official
			}
			o, err := tok.SignedIn(context.Background(), a, issued)
			if tc.code == "" {
				if err != nil || o.Username != lan.Username {
					t.Fatalf("got %+v, %v; want signed in", o, err)
				}
				return
			}
			if !feedback.IsCode(err, tc.code) {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
	// A token of the old four-part form is refused.
	if _, err := tok.Verify("YW5sYWMubGFufG9mZmljaWFsfHdhcmQtYW4tbGFjfDk5OTk5OTk5OTk.x"); !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("a four-part token: %v", err)
	}
}
