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
	Store  auth.Accounts
	// Roles that may pass; empty lets every active official through.
	Roles []feedback.Role
}

// Official returns the signed-in official of a bearer token.
func (s SignIn) Official(ctx context.Context, bearer string) (feedback.Official, error) {
	o, err := s.Tokens.SignedIn(ctx, s.Store, bearer)
	if err != nil {
		return feedback.Official{}, err
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
