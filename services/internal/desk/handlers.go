package desk

import (
	"context"
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
	signIn := SignIn{Tokens: tokens, Store: store}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			tok, ok := auth.BearerToken(c.Request().Header.Get("Authorization"))
			if !ok {
				return feedback.Errorf(feedback.EUNAUTHORIZED, "Vui lòng đăng nhập.", "sign in first (Authorization: Bearer <token>)")
			}
			o, err := signIn.Official(c.Request().Context(), tok)
			if err != nil {
				return err
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
		var req loginRequest
		if err := decodeBody(c, 4<<10, &req); err != nil {
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

// handleLogout ends every sign-in of the official, on this computer and
// any other: a token is a bearer's, and an office computer is shared, so
// the only sure end is the account's.
func handleLogout(store Store, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := store.SignOut(c.Request().Context(), official(c).Username, now()); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
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
func handleInbox(store Store, org *orgCache, loc *time.Location, now func() time.Time) echo.HandlerFunc {
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
			case feedback.StatusAssigned, feedback.StatusTriage, feedback.StatusAnswered, feedback.StatusResolved, feedback.StatusLinked:
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
			out.Tickets = append(out.Tickets, toSummary(t, org.unitName(c.Request().Context(), t.UnitID), loc, at))
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

func handleTicket(store Store, org *orgCache, loc *time.Location, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		t, err := loadVisible(c, store)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, toTicketView(t, org.unitName(c.Request().Context(), t.UnitID), loc, now()))
	}
}

type replyRequest struct {
	Body   string `json:"body"`
	Public *bool  `json:"public"`
}

// change applies fn to a ticket the caller may see and stores it as one
// versioned write (with its outbox events). If someone else changed the
// ticket meanwhile it reads again and retries, so two officials acting at
// once both get through; then the outbox is published.
func change(c echo.Context, store Store, outbox Flusher, log *slog.Logger, fn func(t *feedback.Ticket) error) (*feedback.Ticket, error) {
	ctx := c.Request().Context()
	for attempt := 0; ; attempt++ {
		t, err := loadVisible(c, store)
		if err != nil {
			return nil, err
		}
		if err := fn(t); err != nil {
			return nil, err
		}
		err = store.UpdateTicket(ctx, t)
		if feedback.IsCode(err, feedback.ECONFLICT) && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := outbox.Flush(ctx, t); err != nil {
			log.Warn("outbox flush failed; the sweeper will retry", "code", t.Code, "err", err)
		}
		return t, nil
	}
}

func decodeBody(c echo.Context, limit int64, v any) error {
	if err := web.RequireJSON(c.Request()); err != nil {
		return err
	}
	body, err := web.ReadBody(c, limit)
	if err != nil {
		return err
	}
	return web.DecodeJSON(body, v)
}

// handleReply adds an answer to the citizen or an internal note.
func handleReply(store Store, outbox Flusher, log *slog.Logger, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req replyRequest
		if err := decodeBody(c, 32<<10, &req); err != nil {
			return err
		}
		if req.Public == nil {
			return feedback.Invalid("public", "Hãy chọn trả lời công dân (public: true) hay ghi chú nội bộ (public: false).",
				"public is required: true answers the citizen, false is an internal note")
		}
		o := official(c)
		var r feedback.Reply
		t, err := change(c, store, outbox, log, func(t *feedback.Ticket) error {
			if !o.CanReply(t) {
				return feedback.Errorf(feedback.EFORBIDDEN, "Bạn không được trả lời phản ánh này.", "you may not answer this ticket")
			}
			if t.Status == feedback.StatusLinked && *req.Public {
				return feedback.Errorf(feedback.ECONFLICT, "Phản ánh này được trả lời cùng phản ánh %s; hãy trả lời ở đó.",
					"this ticket is answered with %s: answer that one", t.LinkedTo)
			}
			var err error
			r, err = t.AddReply(o, req.Body, *req.Public, now().UTC())
			return err
		})
		if err != nil {
			return err
		}
		if r.Public {
			fanOut(c.Request().Context(), store, outbox, log, t.Code, func(l *feedback.Ticket) error {
				_, err := l.AddReply(o, r.Body, true, r.At)
				return err
			})
		}
		return c.JSON(http.StatusCreated, toReplyView(r))
	}
}

type assignRequest struct {
	UnitID      string `json:"unit_id"`
	Assignee    string `json:"assignee"`
	Category    string `json:"category"`
	Ward        string `json:"ward"`
	MultiAgency bool   `json:"multi_agency"`
	Note        string `json:"note"`
}

// handleAssign settles a triage item (coordinators: unit, category, ward)
// or hands a ticket to another official of the unit (its head). Without an
// assignee, the unit's next on-duty official is picked as the router would.
// From triage the deadline is counted from receipt in working days; marking
// it multi-agency gives the longer deadline.
func handleAssign(store Store, outbox Flusher, org *orgCache, log *slog.Logger, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req assignRequest
		if err := decodeBody(c, 8<<10, &req); err != nil {
			return err
		}
		ctx := c.Request().Context()
		view, err := org.get(ctx)
		if err != nil {
			return err
		}
		o := official(c)
		t, err := change(c, store, outbox, log, func(t *feedback.Ticket) error {
			unit := req.UnitID
			if unit == "" {
				unit = t.UnitID
			}
			switch {
			case o.Role == feedback.RoleCoordinator:
			case o.Role == feedback.RoleHead && t.UnitID == o.UnitID && unit == o.UnitID && req.Category == "" && req.Ward == "":
			default:
				return feedback.Errorf(feedback.EFORBIDDEN, "Chỉ điều phối viên hoặc lãnh đạo đơn vị được giao việc.",
					"only coordinators, or the head within their unit, may assign")
			}
			if _, ok := view.units[unit]; !ok {
				return feedback.Invalid("unit_id", "Đơn vị không tồn tại.", "unknown unit")
			}
			category := req.Category
			if category == "" {
				category = t.Category
			}
			cat, ok := view.categories[category]
			if !ok {
				return feedback.Invalid("category", "Hãy chọn lĩnh vực của phản ánh.", "a known category is required")
			}
			if req.Ward != "" {
				if _, ok := view.wards[req.Ward]; !ok {
					return feedback.Invalid("ward", "Phường không tồn tại.", "unknown ward")
				}
			}
			staff, err := store.Officials(ctx, unit)
			if err != nil {
				return err
			}
			at := now()
			to, ok := feedback.PickOfficial(feedback.Available(staff, view.calendar.DeskDay(at)), view.units[unit].OnDesk(view.calendar, at))
			if req.Assignee != "" {
				ok = false
				for _, s := range staff {
					if s.Username == req.Assignee {
						to, ok = s, s.Active
					}
				}
			}
			if !ok {
				return feedback.Invalid("assignee", "Không có cán bộ phù hợp đang trực tại đơn vị.", "no suitable official on duty in the unit")
			}
			a := feedback.Assignment{UnitID: unit, To: to, Category: req.Category, Ward: req.Ward, Note: req.Note}
			if t.Status == feedback.StatusTriage || req.MultiAgency {
				days := cat.DeadlineDays
				if req.MultiAgency {
					days = feedback.MultiAgencyDeadlineDays
				}
				a.Deadline = view.calendar.Deadline(t.ReceivedAt, days)
			}
			return t.Assign(o, a, now().UTC())
		})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, toTicketView(t, org.unitName(ctx, t.UnitID), view.calendar.Location(), now()))
	}
}

type resolveRequest struct {
	Note string `json:"note"`
}

// handleResolve closes an answered ticket (its assignee or unit head).
func handleResolve(store Store, outbox Flusher, log *slog.Logger, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req resolveRequest
		if err := decodeBody(c, 8<<10, &req); err != nil {
			return err
		}
		o := official(c)
		t, err := change(c, store, outbox, log, func(t *feedback.Ticket) error {
			if !o.CanReply(t) {
				return feedback.Errorf(feedback.EFORBIDDEN, "Bạn không được kết thúc phản ánh này.", "you may not resolve this ticket")
			}
			return t.Resolve(o, req.Note, now().UTC())
		})
		if err != nil {
			return err
		}
		fanOut(c.Request().Context(), store, outbox, log, t.Code, func(l *feedback.Ticket) error {
			if l.Status != feedback.StatusAnswered {
				return nil
			}
			return l.Resolve(o, req.Note, now().UTC())
		})
		return c.JSON(http.StatusOK, map[string]string{"tracking_code": string(t.Code), "status": string(t.Status)})
	}
}

func handleConsoleRedirect() echo.HandlerFunc {
	return func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/desk/") }
}

// fanOut applies a change (the answer, the resolution) to every ticket
// linked to one, so that each citizen who reported the same thing hears
// it on their own channel. A failure is logged, not returned: the main
// ticket is answered, and the linked one can be answered again by hand.
func fanOut(ctx context.Context, store Store, outbox Flusher, log *slog.Logger, code feedback.TrackingCode, fn func(*feedback.Ticket) error) {
	linked, err := store.LinkedTo(ctx, code)
	if err != nil {
		log.Warn("reading linked tickets failed", "code", code, "err", err)
		return
	}
	for _, l := range linked {
		for attempt := 0; attempt < 3; attempt++ {
			if err = fn(l); err != nil {
				break
			}
			if err = store.UpdateTicket(ctx, l); !feedback.IsCode(err, feedback.ECONFLICT) {
				break
			}
			if l, err = store.Ticket(ctx, l.Code); err != nil {
				break
			}
		}
		if err != nil {
			log.Warn("passing the answer to a linked ticket failed", "code", code, "linked", l.Code, "err", err)
			continue
		}
		if err := outbox.Flush(ctx, l); err != nil {
			log.Warn("outbox flush failed; the sweeper will retry", "code", l.Code, "err", err)
		}
	}
}

// handleUnlink makes a linked ticket one of its own (supervisors,
// coordinators, or the head of its unit), assigned to the unit's next
// on-duty official with its own deadline.
func handleUnlink(store Store, outbox Flusher, org *orgCache, log *slog.Logger, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		view, err := org.get(ctx)
		if err != nil {
			return err
		}
		o := official(c)
		t, err := change(c, store, outbox, log, func(t *feedback.Ticket) error {
			if !(o.SeesAllUnits() || (o.Role == feedback.RoleHead && o.UnitID == t.UnitID)) {
				return feedback.Errorf(feedback.EFORBIDDEN, "Chỉ giám sát viên, điều phối viên hoặc lãnh đạo đơn vị được tách phản ánh.",
					"only supervisors, coordinators or the unit's head may unlink")
			}
			staff, err := store.Officials(ctx, t.UnitID)
			if err != nil {
				return err
			}
			at := now()
			to, ok := feedback.PickOfficial(feedback.Available(staff, view.calendar.DeskDay(at)), view.units[t.UnitID].OnDesk(view.calendar, at))
			if !ok {
				return feedback.Invalid("assignee", "Không có cán bộ đang trực tại đơn vị.", "no official on duty in the unit")
			}
			days := feedback.DefaultDeadlineDays
			if cat, ok := view.categories[t.Category]; ok && cat.DeadlineDays > 0 {
				days = cat.DeadlineDays
			}
			return t.Unlink(o, feedback.Assignment{UnitID: t.UnitID, To: to,
				Deadline: view.calendar.Deadline(t.ReceivedAt, days)}, now().UTC())
		})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, toTicketView(t, org.unitName(ctx, t.UnitID), view.calendar.Location(), now()))
	}
}
