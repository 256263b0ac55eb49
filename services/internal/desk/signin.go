package desk

import (
	"context"

	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/feedback"
)

// SignIn checks a desk bearer token for other surfaces that officials use
// (the hotline's operator form): the same tokens, the same refusal of
// deactivated accounts.
type SignIn struct {
	Tokens *auth.Tokens
	Store  interface {
		Official(ctx context.Context, username string) (feedback.Official, string, error)
	}
	// Roles that may pass; empty lets every active official through.
	Roles []feedback.Role
}

// Official returns the signed-in official of a bearer token.
func (s SignIn) Official(ctx context.Context, bearer string) (feedback.Official, error) {
	claims, err := s.Tokens.Verify(bearer)
	if err != nil {
		return feedback.Official{}, err
	}
	o, _, err := s.Store.Official(ctx, claims.Username)
	if feedback.IsCode(err, feedback.ENOTFOUND) {
		return feedback.Official{}, feedback.Errorf(feedback.EUNAUTHORIZED, "Tài khoản không còn tồn tại.", "account no longer exists")
	}
	if err != nil {
		return feedback.Official{}, err
	}
	if !o.Active {
		return feedback.Official{}, feedback.Errorf(feedback.EFORBIDDEN, "Tài khoản đã bị khoá.", "account is inactive")
	}
	if len(s.Roles) == 0 {
		return o, nil
	}
	for _, r := range s.Roles {
		if o.Role == r {
			return o, nil
		}
	}
	return feedback.Official{}, feedback.Errorf(feedback.EFORBIDDEN, "Tài khoản không có quyền này.", "your role may not do this")
}

// Operator is Official under the name the hotline's Operators interface uses.
func (s SignIn) Operator(ctx context.Context, bearer string) (feedback.Official, error) {
	return s.Official(ctx, bearer)
}
