package admin

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/mongostore"
)

// Every change answers with its entry in the audit trail: 201 when it
// created something, 200 otherwise. Each handler reads the organisation,
// builds it as it would be after the change, and lets checkChange judge.

// handleOrganisation shows the organisation, with who takes each unit's
// new items now under its roster: heads check the rotation they set, and
// coordinators see whom an item will reach before they assign it.
func handleOrganisation(store Store, loc *time.Location, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		boundaries, err := flag(c, "boundaries")
		if err != nil {
			return err
		}
		org, err := store.Organisation(c.Request().Context())
		if err != nil {
			return err
		}
		cal, err := feedback.NewCalendar(loc, org.Holidays)
		if err != nil {
			return err
		}
		at := now()
		v := toOrganisationView(org, boundaries)
		for i, u := range org.Units {
			v.Units[i].OnDesk = u.OnDesk(cal, at)
		}
		day := cal.DeskDay(at).Format(time.DateOnly)
		for i, o := range org.Officials {
			v.Officials[i].OnLeave = o.OnLeave(day)
		}
		return c.JSON(http.StatusOK, v)
	}
}

func handlePutOfficial(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		username := c.Param("username")
		if err := checkUsername(username); err != nil {
			return err
		}
		in, err := readEdit(c, store, decodeOfficial)
		if err != nil {
			return err
		}
		req, reason, force, org := in.req, in.reason, in.force, in.org
		o := req.official(username)
		if _, ok := findUnit(org, o.UnitID); !ok {
			return unknownUnit("unit_id", o.UnitID)
		}
		old, exists := findOfficial(org, username)
		if !exists && req.Password == "" {
			return noPassword()
		}
		// Open items stay with their assignee: moved to another unit they
		// could no longer see them, deactivated they could not sign in.
		if exists && old.OpenCount > 0 && !force && (old.UnitID != o.UnitID || old.Active && !o.Active) {
			return feedback.Errorf(feedback.ECONFLICT,
				"Cán bộ %s còn %d phản ánh đang xử lý; hãy giao lại trước, hoặc thêm ?force=1.",
				"official %s still holds %d open items; reassign them first or add ?force=1", username, old.OpenCount)
		}
		o.OpenCount, o.LastAssignedAt = old.OpenCount, old.LastAssignedAt
		if err := checkChange(org, withOfficial(org, o), force); err != nil {
			return err
		}
		var hash string
		if req.Password != "" {
			if hash, err = auth.HashPassword(req.Password); err != nil {
				return feedback.Invalid("password", "Mật khẩu không dùng được.", "the password cannot be used")
			}
		}
		var before any
		if exists {
			before = toOfficialRecord(old, false)
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindOfficial, action: "put", target: username, reason: reason, announce: true,
			before: before, after: toOfficialRecord(o, hash != ""),
			apply: func(ctx context.Context) error { return store.PutOfficial(ctx, o, hash) },
		})
		return answer(c, ch, err, !exists)
	}
}

// handleDuty puts an official on or off their unit's feedback desk: the
// rotation heads and coordinators run day to day.
func handleDuty(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		username := c.Param("username")
		if err := checkUsername(username); err != nil {
			return err
		}
		in, err := readEdit(c, store, decodeDuty)
		if err != nil {
			return err
		}
		req, reason, force, org := in.req, in.reason, in.force, in.org
		old, ok := findOfficial(org, username)
		if !ok {
			return feedback.Errorf(feedback.ENOTFOUND, "Không có cán bộ %s.", "no official %s", username)
		}
		if !mayChangeDuty(signedIn(c), old) {
			return feedback.Errorf(feedback.EFORBIDDEN,
				"Chỉ giám sát viên, điều phối viên hoặc trưởng đơn vị của cán bộ này được đổi ca trực.",
				"only supervisors, coordinators and the head of this official's unit may change their duty")
		}
		o := old
		o.OnDuty = *req.OnDuty
		if err := checkChange(org, withOfficial(org, o), force); err != nil {
			return err
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindOfficial, action: "duty", target: username, reason: reason, announce: true,
			before: toOfficialRecord(old, false), after: toOfficialRecord(o, false),
			apply: func(ctx context.Context) error { return store.SetOnDuty(ctx, username, o.OnDuty) },
		})
		return answer(c, ch, err, false)
	}
}

// handleLeave sets the days an official is away, planned ahead: the
// router passes them by on those days whatever the roster says.
func handleLeave(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		username := c.Param("username")
		if err := checkUsername(username); err != nil {
			return err
		}
		in, err := readEdit(c, store, decodeLeave)
		if err != nil {
			return err
		}
		old, ok := findOfficial(in.org, username)
		if !ok {
			return feedback.Errorf(feedback.ENOTFOUND, "Không có cán bộ %s.", "no official %s", username)
		}
		if !mayChangeDuty(signedIn(c), old) {
			return feedback.Errorf(feedback.EFORBIDDEN,
				"Chỉ giám sát viên, điều phối viên hoặc trưởng đơn vị của cán bộ này được ghi ngày nghỉ.",
				"only supervisors, coordinators and the head of this official's unit may record their leave")
		}
		leave := in.req.leave()
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindOfficial, action: "leave", target: username, reason: in.reason, announce: true,
			before: toLeaveViews(old.Leave), after: toLeaveViews(leave),
			apply: func(ctx context.Context) error { return store.SetLeave(ctx, username, leave) },
		})
		return answer(c, ch, err, false)
	}
}

func handlePutUnit(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id := c.Param("id")
		if err := checkID("id", id); err != nil {
			return err
		}
		in, err := readEdit(c, store, decodeUnit)
		if err != nil {
			return err
		}
		req, reason, force, org := in.req, in.reason, in.force, in.org
		u := req.unit(id)
		if u.Kind == feedback.UnitWard {
			if _, ok := findWard(org, u.Ward); !ok {
				return invalidf("ward", "Không có phường %s.", "no ward %s", u.Ward)
			}
		}
		old, exists := findUnit(org, id)
		u.Roster = old.Roster // edited on its own route, by the unit's head too
		if err := checkChange(org, withUnit(org, u), force); err != nil {
			return err
		}
		var before any
		if exists {
			before = toUnitView(old)
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindUnit, action: "put", target: id, reason: reason, announce: true,
			before: before, after: toUnitView(u),
			apply: func(ctx context.Context) error { return store.PutUnit(ctx, u) },
		})
		return answer(c, ch, err, !exists)
	}
}

// handlePutRoster sets the rotation of a unit's feedback desk: which of its
// officials take new items on each working day.
func handlePutRoster(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id := c.Param("id")
		if err := checkID("id", id); err != nil {
			return err
		}
		in, err := readEdit(c, store, decodeRoster)
		if err != nil {
			return err
		}
		old, err := rosterUnit(c, in.org, id)
		if err != nil {
			return err
		}
		u := old
		u.Roster = in.req.roster()
		if err := u.Roster.Check(id, in.org.Officials); err != nil {
			return err
		}
		if err := checkChange(in.org, withUnit(in.org, u), in.force); err != nil {
			return err
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindUnit, action: "roster", target: id, reason: in.reason, announce: true,
			before: rosterRecord(old.Roster), after: rosterRecord(u.Roster),
			apply: func(ctx context.Context) error { return store.SetRoster(ctx, id, u.Roster) },
		})
		return answer(c, ch, err, false)
	}
}

// handleDeleteRoster ends a unit's rotation: every official on duty takes
// new items every day again.
func handleDeleteRoster(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id := c.Param("id")
		if err := checkID("id", id); err != nil {
			return err
		}
		reason, _, err := reasonAndForce(c, "")
		if err != nil {
			return err
		}
		org, err := store.Organisation(ctx)
		if err != nil {
			return err
		}
		old, err := rosterUnit(c, org, id)
		if err != nil {
			return err
		}
		if old.Roster == nil {
			return feedback.Errorf(feedback.ENOTFOUND, "Đơn vị %s chưa có lịch trực.", "unit %s has no roster", id)
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindUnit, action: "roster-delete", target: id, reason: reason, announce: true,
			before: rosterRecord(old.Roster),
			apply:  func(ctx context.Context) error { return store.SetRoster(ctx, id, nil) },
		})
		return answer(c, ch, err, false)
	}
}

// rosterRecord is a roster as the audit trail keeps it: nil for none, not
// a nil pointer, which the trail would write as "null".
func rosterRecord(r *feedback.Roster) any {
	if r == nil {
		return nil
	}
	return toRosterView(r)
}

// rosterUnit finds the unit whose roster is edited and checks that the
// signed-in official may run its desk.
func rosterUnit(c echo.Context, org feedback.Organisation, id string) (feedback.Unit, error) {
	u, ok := findUnit(org, id)
	if !ok {
		return u, feedback.Errorf(feedback.ENOTFOUND, "Không có đơn vị %s.", "no unit %s", id)
	}
	if !mayRunDesk(signedIn(c), id) {
		return u, feedback.Errorf(feedback.EFORBIDDEN,
			"Chỉ giám sát viên, điều phối viên hoặc trưởng đơn vị được sửa lịch trực của đơn vị.",
			"only supervisors, coordinators and the unit's head may change its roster")
	}
	return u, nil
}

func handlePutCategory(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		code := c.Param("code")
		if err := checkID("code", code); err != nil {
			return err
		}
		in, err := readEdit(c, store, decodeCategory)
		if err != nil {
			return err
		}
		req, reason, force, org := in.req, in.reason, in.force, in.org
		cat := req.category(code)
		if cat.DepartmentID != "" {
			switch u, ok := findUnit(org, cat.DepartmentID); {
			case !ok:
				return unknownUnit("department", cat.DepartmentID)
			case u.Kind != feedback.UnitDepartment:
				return invalidf("department", "Đơn vị %s không phải là phòng ban.", "unit %s is not a department", u.ID)
			}
		}
		if err := checkChange(org, withCategory(org, cat), force); err != nil {
			return err
		}
		old, exists := findCategory(org, code)
		var before any
		if exists {
			before = toCategoryView(old)
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindCategory, action: "put", target: code, reason: reason, announce: true,
			before: before, after: toCategoryView(cat),
			apply: func(ctx context.Context) error { return store.PutCategory(ctx, cat) },
		})
		return answer(c, ch, err, !exists)
	}
}

func handlePutHoliday(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		date := c.Param("date")
		if err := checkDate(date); err != nil {
			return err
		}
		in, err := readEdit(c, store, func(body []byte) (holidayRequest, error) { return decodeHoliday(date, body) })
		if err != nil {
			return err
		}
		req, reason, force, org := in.req, in.reason, in.force, in.org
		h := feedback.Holiday{Date: date, Name: req.Name, Working: req.Working}
		if err := checkChange(org, withHoliday(org, h), force); err != nil {
			return err
		}
		old, exists := findHoliday(org, date)
		var before any
		if exists {
			before = toHolidayView(old)
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindHoliday, action: "put", target: date, reason: reason, announce: true,
			before: before, after: toHolidayView(h),
			apply: func(ctx context.Context) error { return store.PutHoliday(ctx, h) },
		})
		return answer(c, ch, err, !exists)
	}
}

func handleDeleteHoliday(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		date := c.Param("date")
		if err := checkDate(date); err != nil {
			return err
		}
		reason, force, err := reasonAndForce(c, "")
		if err != nil {
			return err
		}
		org, err := store.Organisation(ctx)
		if err != nil {
			return err
		}
		old, ok := findHoliday(org, date)
		if !ok {
			return feedback.Errorf(feedback.ENOTFOUND, "Không có ngày nghỉ %s.", "no holiday on %s", date)
		}
		if err := checkChange(org, withoutHoliday(org, date), force); err != nil {
			return err
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindHoliday, action: "delete", target: date, reason: reason, announce: true,
			before: toHolidayView(old),
			apply:  func(ctx context.Context) error { return store.DeleteHoliday(ctx, date) },
		})
		return answer(c, ch, err, false)
	}
}

// ruleTarget checks the category and ward a routing rule is for: both must
// exist, since a rule for nothing would never apply and hide a typo.
func ruleTarget(c echo.Context, org feedback.Organisation) (category, ward string, err error) {
	category, ward = c.Param("category"), c.Param("ward")
	if err := checkID("category", category); err != nil {
		return "", "", err
	}
	if err := checkID("ward", ward); err != nil {
		return "", "", err
	}
	if _, ok := findCategory(org, category); !ok {
		return "", "", invalidf("category", "Không có lĩnh vực %s.", "no category %s", category)
	}
	if _, ok := findWard(org, ward); !ok {
		return "", "", invalidf("ward", "Không có phường %s.", "no ward %s", ward)
	}
	return category, ward, nil
}

func handlePutRoutingRule(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		in, err := readEdit(c, store, decodeRoutingRule)
		if err != nil {
			return err
		}
		req, reason, force, org := in.req, in.reason, in.force, in.org
		category, ward, err := ruleTarget(c, org)
		if err != nil {
			return err
		}
		if _, ok := findUnit(org, req.UnitID); !ok {
			return unknownUnit("unit_id", req.UnitID)
		}
		r := feedback.RoutingRule{Category: category, Ward: ward, UnitID: req.UnitID}
		if err := checkChange(org, withRoutingRule(org, r), force); err != nil {
			return err
		}
		old, exists := findRoutingRule(org, category, ward)
		var before any
		if exists {
			before = toRoutingRuleView(old)
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindRoutingRule, action: "put", target: mongostore.RoutingRuleID(category, ward), reason: reason,
			announce: true, before: before, after: toRoutingRuleView(r),
			apply: func(ctx context.Context) error { return store.PutRoutingRule(ctx, r) },
		})
		return answer(c, ch, err, !exists)
	}
}

func handleDeleteRoutingRule(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		reason, force, err := reasonAndForce(c, "")
		if err != nil {
			return err
		}
		org, err := store.Organisation(ctx)
		if err != nil {
			return err
		}
		category, ward := c.Param("category"), c.Param("ward")
		old, ok := findRoutingRule(org, category, ward)
		if !ok {
			return feedback.Errorf(feedback.ENOTFOUND, "Không có quy tắc phân công %s.", "no routing rule %s",
				mongostore.RoutingRuleID(category, ward))
		}
		if err := checkChange(org, withoutRoutingRule(org, category, ward), force); err != nil {
			return err
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindRoutingRule, action: "delete", target: mongostore.RoutingRuleID(category, ward), reason: reason,
			announce: true, before: toRoutingRuleView(old),
			apply: func(ctx context.Context) error { return store.DeleteRoutingRule(ctx, category, ward) },
		})
		return answer(c, ch, err, false)
	}
}

type changesResponse struct {
	Changes []changeView `json:"changes"`
}

func handleChanges(store Store) echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, err := limitOf(c, 50, 500)
		if err != nil {
			return err
		}
		list, err := store.OrgChanges(c.Request().Context(), limit)
		if err != nil {
			return err
		}
		out := changesResponse{Changes: make([]changeView, 0, len(list))}
		for _, ch := range list {
			out.Changes = append(out.Changes, toChangeView(ch))
		}
		return c.JSON(http.StatusOK, out)
	}
}

// answer writes a committed change, or the error that stopped it.
func answer(c echo.Context, ch mongostore.OrgChange, err error, created bool) error {
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return c.JSON(status, toChangeView(ch))
}

// reasonAndForce reads why the change is made (the body's reason field, or
// else ?reason=) and whether ?force=1 accepts a staffing gap.
func reasonAndForce(c echo.Context, fromBody string) (string, bool, error) {
	reason := fromBody
	if reason == "" {
		reason = c.QueryParam("reason")
		if err := checkText("reason", reason, maxReason, false); err != nil {
			return "", false, err
		}
	}
	force, err := flag(c, "force")
	return reason, force, err
}

// flag reads a yes/no query parameter: 1 or true, 0 or false, or absent.
func flag(c echo.Context, name string) (bool, error) {
	switch c.QueryParam(name) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, invalidf(name, "Tham số %s phải là 1 hoặc 0.", "%s must be 1 or 0", name)
}

// limitOf reads ?limit= within 1..most.
func limitOf(c echo.Context, def, most int) (int, error) {
	s := c.QueryParam("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > most {
		return 0, invalidf("limit", "limit phải là số từ 1 đến %d.", "limit must be a number from 1 to %d", most)
	}
	return n, nil
}

// editInput is what every edit reads before deciding: the decoded body,
// why the change is made and whether it is forced, and the organisation as
// it stands (to check the change against).
type editInput[T reasoned] struct {
	req    T
	reason string
	force  bool
	org    feedback.Organisation
}

// reasoned is a request that may say why it is made.
type reasoned interface{ why() string }

func readEdit[T reasoned](c echo.Context, store Store, decode func([]byte) (T, error)) (editInput[T], error) {
	var in editInput[T]
	body, err := jsonBody(c)
	if err != nil {
		return in, err
	}
	if in.req, err = decode(body); err != nil {
		return in, err
	}
	if in.reason, in.force, err = reasonAndForce(c, in.req.why()); err != nil {
		return in, err
	}
	in.org, err = store.Organisation(c.Request().Context())
	return in, err
}
