// Package auth signs in officials: bcrypt password hashes and signed,
// expiring bearer tokens. Tokens are HMAC-signed with a key every desk
// process shares (kept in the database), so any process can check them
// without a database read.
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"pakn.local/services/internal/feedback"
)

// TokenTTL is how long a sign-in lasts: one working day and a bit.
const TokenTTL = 12 * time.Hour

// ErrInvalidToken is wrapped in the EUNAUTHORIZED error for any bad token.
var ErrInvalidToken = errors.New("auth: invalid token")

// Claims is what a token says about its holder.
type Claims struct {
	Username string
	Role     feedback.Role
	UnitID   string
	IssuedAt time.Time // to the millisecond: a sign-out ends the tokens issued before it
	Expires  time.Time
}

// Tokens issues and checks bearer tokens.
type Tokens struct {
	key []byte
	now func() time.Time
}

// NewTokens returns a token signer; key must be at least 32 bytes.
func NewTokens(key []byte, now func() time.Time) (*Tokens, error) {
	if len(key) < 32 {
		return nil, errors.New("auth: signing key shorter than 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &Tokens{key: key, now: now}, nil
}

var b64 = base64.RawURLEncoding

// Issue returns a token for an official.
func (t *Tokens) Issue(o feedback.Official) string {
	now := t.now()
	exp := now.Add(TokenTTL).Unix()
	payload := strings.Join([]string{o.Username, string(o.Role), o.UnitID, strconv.FormatInt(exp, 10),
		strconv.FormatInt(now.UnixMilli(), 10)}, "|")
	p := b64.EncodeToString([]byte(payload))
	return p + "." + b64.EncodeToString(t.mac(p))
}

func (t *Tokens) mac(p string) []byte {
	h := hmac.New(sha256.New, t.key)
	h.Write([]byte(p))
	return h.Sum(nil)
}

// Verify checks a token's signature and expiry.
func (t *Tokens) Verify(token string) (Claims, error) {
	bad := &feedback.Error{Code: feedback.EUNAUTHORIZED, Message: "Phiên đăng nhập không hợp lệ hoặc đã hết hạn.",
		MessageEN: "invalid or expired sign-in", Err: ErrInvalidToken}
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return Claims{}, bad
	}
	got, err := b64.DecodeString(sig)
	if err != nil || !hmac.Equal(got, t.mac(p)) {
		return Claims{}, bad
	}
	raw, err := b64.DecodeString(p)
	if err != nil {
		return Claims{}, bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 5 {
		return Claims{}, bad
	}
	exp, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || t.now().Unix() >= exp {
		return Claims{}, bad
	}
	iat, err := strconv.ParseInt(parts[4], 10, 64)
	if err != nil {
		return Claims{}, bad
	}
	return Claims{Username: parts[0], Role: feedback.Role(parts[1]), UnitID: parts[2],
		IssuedAt: time.UnixMilli(iat), Expires: time.Unix(exp, 0)}, nil
}

// Accounts reads the official a token names.
type Accounts interface {
	Official(ctx context.Context, username string) (feedback.Official, string, error)
}

// SignedIn checks a bearer token and the account it names, read afresh on
// every request: an account deactivated, removed or signed out since the
// token was issued no longer signs in, whatever the token says.
func (t *Tokens) SignedIn(ctx context.Context, accounts Accounts, token string) (feedback.Official, error) {
	claims, err := t.Verify(token)
	if err != nil {
		return feedback.Official{}, err
	}
	o, _, err := accounts.Official(ctx, claims.Username)
	if feedback.IsCode(err, feedback.ENOTFOUND) {
		return feedback.Official{}, feedback.Errorf(feedback.EUNAUTHORIZED, "Tài khoản không còn tồn tại.", "account no longer exists")
	}
	if err != nil {
		return feedback.Official{}, err
	}
	if !o.Active {
		return feedback.Official{}, feedback.Errorf(feedback.EFORBIDDEN, "Tài khoản đã bị khoá.", "account is inactive")
	}
	if !claims.IssuedAt.After(o.SignedOutAt) {
		return feedback.Official{}, &feedback.Error{Code: feedback.EUNAUTHORIZED,
			Message: "Phiên đăng nhập đã kết thúc; vui lòng đăng nhập lại.", MessageEN: "signed out; sign in again", Err: ErrInvalidToken}
	}
	return o, nil
}

// BearerToken takes the token out of an Authorization header value.
func BearerToken(header string) (string, bool) {
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// HashPassword hashes a password with bcrypt.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// dummyHash is compared against when the username is unknown, so that a
// wrong username costs as long as a wrong password and reveals nothing.
// It is made on first use, at the default cost, so it costs what a real one does.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no such official"), bcrypt.DefaultCost)
	return h
})

// CheckPassword reports whether pw matches hash; an empty hash (unknown
// user) still costs one bcrypt comparison.
func CheckPassword(hash, pw string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}
