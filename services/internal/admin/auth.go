package admin

import (
	"sync"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/feedback"
)

const officialKey = "admin.official"

// requireOfficial checks the bearer token and loads the official, as the
// desk does, so that a deactivated account or a changed role counts at once
// rather than when its token expires (tokens live 12 hours; an official
// demoted here must lose the right now).
func requireOfficial(tokens *auth.Tokens, store Store) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			tok, ok := auth.BearerToken(c.Request().Header.Get("Authorization"))
			if !ok {
				return feedback.Errorf(feedback.EUNAUTHORIZED, "Vui lòng đăng nhập.", "sign in first (Authorization: Bearer <token>)")
			}
			o, err := tokens.SignedIn(c.Request().Context(), store, tok)
			if err != nil {
				return err
			}
			c.Set(officialKey, o)
			return next(c)
		}
	}
}

// signedIn is the official requireOfficial loaded.
func signedIn(c echo.Context) feedback.Official {
	o, _ := c.Get(officialKey).(feedback.Official)
	return o
}

// requireSupervisor lets only supervisors through: they keep the
// organisation and the queues; everyone else answers feedback.
func requireSupervisor() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if signedIn(c).Role != feedback.RoleSupervisor {
				return feedback.Errorf(feedback.EFORBIDDEN, "Chỉ giám sát viên được thay đổi tổ chức.",
					"only supervisors may do this")
			}
			return next(c)
		}
	}
}

// mayChangeDuty reports whether by may put target on or off the feedback
// desk: supervisors and coordinators for anyone (they staff the district's
// triage), a unit head for the officials of their own unit.
func mayChangeDuty(by, target feedback.Official) bool {
	return mayRunDesk(by, target.UnitID)
}

// mayRunDesk reports whether by may staff a unit's feedback desk (duty
// switches, the roster): supervisors and coordinators for any unit, a head
// for their own.
func mayRunDesk(by feedback.Official, unitID string) bool {
	switch by.Role {
	case feedback.RoleSupervisor, feedback.RoleCoordinator:
		return true
	case feedback.RoleHead:
		return by.UnitID != "" && by.UnitID == unitID
	}
	return false
}

// oneAtATime makes this process's changes of the organisation one after
// another, so that two made at once cannot each pass validation against
// the organisation the other is changing (the last two officials of a unit
// going off duty together). Between processes the window stays open; edits
// are rare, and the trail shows both.
func oneAtATime() echo.MiddlewareFunc {
	var mu sync.Mutex
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			mu.Lock()
			defer mu.Unlock()
			return next(c)
		}
	}
}
