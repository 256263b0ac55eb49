package desk

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/web"
)

const officialKey = "official"

// requireOfficial checks the bearer token and loads the official, so that a
// deactivated account is refused at once rather than when its token expires.
func requireOfficial(tokens *auth.Tokens, store Store) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			tok, ok := auth.BearerToken(c.Request().Header.Get("Authorization"))
			if !ok {
				return feedback.Errorf(feedback.EUNAUTHORIZED, "Vui lòng đăng nhập.", "sign in first (Authorization: Bearer <token>)")
			}
			claims, err := tokens.Verify(tok)
			if err != nil {
				return err
			}
			o, _, err := store.Official(c.Request().Context(), claims.Username)
			if err != nil {
				if feedback.IsCode(err, feedback.ENOTFOUND) {
					return feedback.Errorf(feedback.EUNAUTHORIZED, "Tài khoản không còn tồn tại.", "account no longer exists")
				}
				return err
			}
			if !o.Active {
				return feedback.Errorf(feedback.EFORBIDDEN, "Tài khoản đã bị khoá.", "account is inactive")
			}
			c.Set(officialKey, o)
			return next(c)
		}
	}
}

func official(c echo.Context) feedback.Official {
	o, _ := c.Get(officialKey).(feedback.Official)
	return o
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token    string       `json:"token"`
	Expires  time.Time    `json:"expires_at"`
	Official officialView `json:"official"`
}

func handleLogin(store Store, tokens *auth.Tokens) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := web.RequireJSON(c.Request()); err != nil {
			return err
		}
		body, err := web.ReadBody(c, 4<<10)
		if err != nil {
			return err
		}
		var req loginRequest
		if err := web.DecodeJSON(body, &req); err != nil {
			return err
		}
		wrong := feedback.Errorf(feedback.EUNAUTHORIZED, "Sai tên đăng nhập hoặc mật khẩu.", "wrong username or password")
		o, hash, err := store.Official(c.Request().Context(), req.Username)
		if err != nil && !feedback.IsCode(err, feedback.ENOTFOUND) {
			return err
		}
		if !auth.CheckPassword(hash, req.Password) || !o.Active {
			return wrong
		}
		tok := tokens.Issue(o)
		claims, _ := tokens.Verify(tok)
		return c.JSON(http.StatusOK, loginResponse{Token: tok, Expires: claims.Expires.UTC(), Official: toOfficialView(o)})
	}
}

func handleMe() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.JSON(http.StatusOK, toOfficialView(official(c)))
	}
}

type inboxResponse struct {
	Scope   string          `json:"scope"`
	Tickets []ticketSummary `json:"tickets"`
}

// handleInbox lists open tickets, earliest deadline first. scope=mine is
// what is assigned to the caller; scope=unit the caller's unit (heads and
// officials alike see their unit); scope=all every unit, for supervisors
// and coordinators.
func handleInbox(store Store, names *unitNames, loc *time.Location, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		o := official(c)
		scope := c.QueryParam("scope")
		if scope == "" {
			scope = "mine"
			if o.SeesAllUnits() {
				scope = "all"
			} else if o.Role == feedback.RoleHead {
				scope = "unit"
			}
		}
		f := mongostore.InboxFilter{}
		switch scope {
		case "mine":
			f.Assignee = o.Username
		case "unit":
			f.UnitID = o.UnitID
		case "all":
			if !o.SeesAllUnits() {
				return feedback.Errorf(feedback.EFORBIDDEN, "Chỉ giám sát viên được xem mọi đơn vị.", "only supervisors see every unit")
			}
		default:
			return feedback.Invalid("scope", "Phạm vi phải là mine, unit hoặc all.", "scope must be mine, unit or all")
		}
		if st := c.QueryParam("status"); st != "" {
			f.Status = feedback.Status(st)
			switch f.Status {
			case feedback.StatusAssigned, feedback.StatusTriage, feedback.StatusAnswered, feedback.StatusResolved:
			default:
				return feedback.Invalid("status", "Trạng thái không hợp lệ.", "unknown status")
			}
		}
		limit := 200
		if l := c.QueryParam("limit"); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil || n < 1 || n > 1000 {
				return feedback.Invalid("limit", "Giới hạn phải từ 1 đến 1000.", "limit must be 1..1000")
			}
			limit = n
		}
		list, err := store.Inbox(c.Request().Context(), f, limit)
		if err != nil {
			return err
		}
		out := inboxResponse{Scope: scope, Tickets: make([]ticketSummary, 0, len(list))}
		at := now()
		for _, t := range list {
			out.Tickets = append(out.Tickets, toSummary(t, names.name(c.Request().Context(), t.UnitID), loc, at))
		}
		return c.JSON(http.StatusOK, out)
	}
}

func parseCode(c echo.Context) (feedback.TrackingCode, error) {
	return feedback.ParseTrackingCode(c.Param("code"))
}

// loadVisible reads a ticket the caller may see. A ticket of another unit
// is "not found": officials learn nothing of other units' items.
func loadVisible(c echo.Context, store Store) (*feedback.Ticket, error) {
	code, err := parseCode(c)
	if err != nil {
		return nil, err
	}
	t, err := store.Ticket(c.Request().Context(), code)
	if err != nil {
		return nil, err
	}
	if !official(c).CanRead(t) {
		return nil, feedback.Errorf(feedback.ENOTFOUND, "Không tìm thấy phản ánh %s.", "no ticket %s", code)
	}
	return t, nil
}

func handleTicket(store Store, names *unitNames, loc *time.Location, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		t, err := loadVisible(c, store)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, toTicketView(t, names.name(c.Request().Context(), t.UnitID), loc, now()))
	}
}

type replyRequest struct {
	Body   string `json:"body"`
	Public *bool  `json:"public"`
}

// handleReply adds an answer or a note. The change is one versioned write
// of the ticket (with its outbox event); on a concurrent change it reads
// again and retries, so two officials typing at once both get through.
func handleReply(store Store, outbox Flusher, log *slog.Logger, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := web.RequireJSON(c.Request()); err != nil {
			return err
		}
		body, err := web.ReadBody(c, 32<<10)
		if err != nil {
			return err
		}
		var req replyRequest
		if err := web.DecodeJSON(body, &req); err != nil {
			return err
		}
		if req.Public == nil {
			return feedback.Invalid("public", "Hãy chọn trả lời công dân (public: true) hay ghi chú nội bộ (public: false).",
				"public is required: true answers the citizen, false is an internal note")
		}
		o := official(c)
		ctx := c.Request().Context()
		for attempt := 0; ; attempt++ {
			t, err := loadVisible(c, store)
			if err != nil {
				return err
			}
			if !o.CanReply(t) {
				return feedback.Errorf(feedback.EFORBIDDEN, "Bạn không được trả lời phản ánh này.", "you may not answer this ticket")
			}
			r, err := t.AddReply(o, req.Body, *req.Public, now().UTC())
			if err != nil {
				return err
			}
			err = store.UpdateTicket(ctx, t)
			if feedback.IsCode(err, feedback.ECONFLICT) && attempt < 3 {
				continue
			}
			if err != nil {
				return err
			}
			if err := outbox.Flush(ctx, t); err != nil {
				log.Warn("outbox flush failed; the sweeper will retry", "code", t.Code, "err", err)
			}
			return c.JSON(http.StatusCreated, toReplyView(r))
		}
	}
}

func handleConsoleRedirect() echo.HandlerFunc {
	return func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/desk/") }
}
