package admin

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/web"
)

// maxBody bounds a request body: a category with all its keywords is the
// largest thing sent here, a few kilobytes.
const maxBody = 256 << 10

// Limits on what an editor may write.
const (
	maxName        = 200
	maxReason      = 500
	maxKeywords    = 1000
	maxKeyword     = 100
	maxID          = 64
	minPassword    = 10
	maxPassword    = 72 // bcrypt ignores what is past 72 bytes; refuse rather than mislead
	maxDeadlineDay = 60
)

// Requests. Every field the client may send is here; anything else is an
// error (web.DecodeJSON).

type officialRequest struct {
	Name     string `json:"name"`
	UnitID   string `json:"unit_id"`
	Role     string `json:"role"`
	Active   *bool  `json:"active"`
	OnDuty   *bool  `json:"on_duty"`
	Phone    string `json:"phone"`
	Password string `json:"password"`
	Reason   string `json:"reason"`
}

type dutyRequest struct {
	OnDuty *bool  `json:"on_duty"`
	Reason string `json:"reason"`
}

type unitRequest struct {
	Name         string   `json:"name"`
	NameEN       string   `json:"name_en"`
	Kind         string   `json:"kind"`
	Ward         string   `json:"ward"`
	OnTimeTarget *float64 `json:"on_time_target"`
	Reason       string   `json:"reason"`
}

type categoryRequest struct {
	Name         string   `json:"name"`
	NameEN       string   `json:"name_en"`
	Owner        string   `json:"owner"`
	Department   string   `json:"department"`
	DeadlineDays int      `json:"deadline_days"`
	Keywords     []string `json:"keywords"`
	Reason       string   `json:"reason"`
	// ContextKeywords may be left out: most categories have none.
	ContextKeywords []string `json:"context_keywords"`
}

type rosterRequest struct {
	Start  string     `json:"start"`
	Shifts [][]string `json:"shifts"`
	Reason string     `json:"reason"`
}

type leaveRequest struct {
	Leave []struct {
		From   string `json:"from"`
		To     string `json:"to"`
		Reason string `json:"reason"`
	} `json:"leave"`
	Reason string `json:"reason"`
}

type holidayRequest struct {
	Name    string `json:"name"`
	Working bool   `json:"working"` // a make-up working weekend day; left out, a day off
	Reason  string `json:"reason"`
}

type routingRuleRequest struct {
	UnitID string `json:"unit_id"`
	Reason string `json:"reason"`
}

// jsonBody checks the content type and reads the body within the limit;
// the decoders below take it from there.
func jsonBody(c echo.Context) ([]byte, error) {
	if err := web.RequireJSON(c.Request()); err != nil {
		return nil, err
	}
	return web.ReadBody(c, maxBody)
}

// decodeOfficial decodes and checks a PUT of an official. Whether the unit
// exists, and whether a new official has a password, need the stored
// organisation: the handler checks those.
func decodeOfficial(body []byte) (officialRequest, error) {
	var r officialRequest
	if err := web.DecodeJSON(body, &r); err != nil {
		return r, err
	}
	r.Name, r.Phone = strings.TrimSpace(r.Name), strings.TrimSpace(r.Phone)
	if err := checkText("name", r.Name, maxName, true); err != nil {
		return r, err
	}
	if err := checkID("unit_id", r.UnitID); err != nil {
		return r, err
	}
	switch feedback.Role(r.Role) {
	case feedback.RoleOfficial, feedback.RoleHead, feedback.RoleCoordinator, feedback.RoleSupervisor:
	default:
		return r, feedback.Invalid("role", "Vai trò phải là official, head, coordinator hoặc supervisor.",
			"role must be official, head, coordinator or supervisor")
	}
	if r.Active == nil {
		return r, feedback.Invalid("active", "Thiếu trường active (true/false).", "active (true or false) is required")
	}
	if r.OnDuty == nil {
		return r, feedback.Invalid("on_duty", "Thiếu trường on_duty (true/false).", "on_duty (true or false) is required")
	}
	if r.Phone != "" && !validPhone(r.Phone) {
		return r, feedback.Invalid("phone", "Số điện thoại phải ở dạng +84 và 9–10 chữ số.",
			"phone must be +84 followed by 9 or 10 digits")
	}
	if r.Password != "" && (utf8.RuneCountInString(r.Password) < minPassword || len(r.Password) > maxPassword) {
		return r, feedback.Invalid("password", "Mật khẩu phải có từ 10 ký tự và không quá 72 byte.",
			"password must be at least 10 characters and at most 72 bytes")
	}
	if r.Password != "" && !utf8.ValidString(r.Password) {
		return r, feedback.Invalid("password", "Mật khẩu không hợp lệ.", "password is not valid UTF-8")
	}
	return r, checkText("reason", r.Reason, maxReason, false)
}

func (r officialRequest) official(username string) feedback.Official {
	return feedback.Official{Username: username, Name: r.Name, UnitID: r.UnitID, Role: feedback.Role(r.Role),
		Active: *r.Active, OnDuty: *r.OnDuty, Phone: feedback.Phone(r.Phone)}
}

func decodeDuty(body []byte) (dutyRequest, error) {
	var r dutyRequest
	if err := web.DecodeJSON(body, &r); err != nil {
		return r, err
	}
	if r.OnDuty == nil {
		return r, feedback.Invalid("on_duty", "Thiếu trường on_duty (true/false).", "on_duty (true or false) is required")
	}
	return r, checkText("reason", r.Reason, maxReason, false)
}

func decodeUnit(body []byte) (unitRequest, error) {
	var r unitRequest
	if err := web.DecodeJSON(body, &r); err != nil {
		return r, err
	}
	r.Name, r.NameEN = strings.TrimSpace(r.Name), strings.TrimSpace(r.NameEN)
	if err := checkText("name", r.Name, maxName, true); err != nil {
		return r, err
	}
	if err := checkText("name_en", r.NameEN, maxName, false); err != nil {
		return r, err
	}
	switch feedback.UnitKind(r.Kind) {
	case feedback.UnitWard:
		if err := checkID("ward", r.Ward); err != nil {
			return r, err
		}
	case feedback.UnitDepartment:
		if r.Ward != "" {
			return r, feedback.Invalid("ward", "Phòng ban không thuộc phường nào; bỏ trường ward.",
				"a department has no ward; leave ward out")
		}
	default:
		return r, feedback.Invalid("kind", "Loại đơn vị phải là ward hoặc department.", "kind must be ward or department")
	}
	if r.OnTimeTarget == nil || !(*r.OnTimeTarget > 0 && *r.OnTimeTarget <= 1) {
		return r, feedback.Invalid("on_time_target", "Chỉ tiêu đúng hạn phải là tỉ lệ trong khoảng (0, 1].",
			"on_time_target must be a share in (0, 1]")
	}
	return r, checkText("reason", r.Reason, maxReason, false)
}

func (r unitRequest) unit(id string) feedback.Unit {
	return feedback.Unit{ID: id, Name: r.Name, NameEN: r.NameEN, Kind: feedback.UnitKind(r.Kind), Ward: r.Ward,
		OnTimeTarget: *r.OnTimeTarget}
}

// decodeCategory decodes and checks a PUT of a category. Keywords may be
// written with or without diacritics: the router folds them.
func decodeCategory(body []byte) (categoryRequest, error) {
	var r categoryRequest
	if err := web.DecodeJSON(body, &r); err != nil {
		return r, err
	}
	r.Name, r.NameEN = strings.TrimSpace(r.Name), strings.TrimSpace(r.NameEN)
	if err := checkText("name", r.Name, maxName, true); err != nil {
		return r, err
	}
	if err := checkText("name_en", r.NameEN, maxName, false); err != nil {
		return r, err
	}
	switch feedback.UnitKind(r.Owner) {
	case feedback.UnitDepartment:
		if err := checkID("department", r.Department); err != nil {
			return r, err
		}
	case feedback.UnitWard:
		if r.Department != "" { // a fallback department for a ward-owned category
			if err := checkID("department", r.Department); err != nil {
				return r, err
			}
		}
	default:
		return r, feedback.Invalid("owner", "Đơn vị phụ trách phải là ward (phường) hoặc department (phòng ban).",
			"owner must be ward or department")
	}
	if r.DeadlineDays < 1 || r.DeadlineDays > maxDeadlineDay {
		return r, feedback.Invalid("deadline_days", "Thời hạn phải từ 1 đến 60 ngày làm việc.",
			"deadline_days must be 1 to 60 working days")
	}
	var err error
	if r.Keywords, err = checkKeywords("keywords", r.Keywords); err != nil {
		return r, err
	}
	if r.ContextKeywords, err = checkKeywords("context_keywords", r.ContextKeywords); err != nil {
		return r, err
	}
	return r, checkText("reason", r.Reason, maxReason, false)
}

// checkKeywords trims a list of keyword phrases and checks each; the list
// it returns is never nil.
func checkKeywords(field string, list []string) ([]string, error) {
	if len(list) > maxKeywords {
		return nil, feedback.Invalid(field, "Quá nhiều từ khoá (tối đa 1000).", "at most 1000 keywords")
	}
	kws := make([]string, 0, len(list))
	for _, k := range list {
		k = strings.TrimSpace(k)
		if err := checkText(field, k, maxKeyword, true); err != nil {
			return nil, err
		}
		kws = append(kws, k)
	}
	return kws, nil
}

func (r categoryRequest) category(code string) feedback.Category {
	return feedback.Category{Code: code, Name: r.Name, NameEN: r.NameEN, Owner: feedback.UnitKind(r.Owner),
		DepartmentID: r.Department, DeadlineDays: r.DeadlineDays, Keywords: r.Keywords,
		ContextKeywords: r.ContextKeywords}
}

// decodeHoliday decodes and checks a PUT of the calendar entry for date: a
// day off must fall on a weekday and a make-up working day on a Saturday or
// Sunday, as seed.Validate has it; the other way round the entry would
// change nothing, and most likely the date is wrong.
func decodeHoliday(date string, body []byte) (holidayRequest, error) {
	var r holidayRequest
	if err := checkDate(date); err != nil {
		return r, err
	}
	if err := web.DecodeJSON(body, &r); err != nil {
		return r, err
	}
	r.Name = strings.TrimSpace(r.Name)
	if err := checkText("name", r.Name, maxName, true); err != nil {
		return r, err
	}
	d, _ := time.Parse(time.DateOnly, date) // checked above
	switch wd := d.Weekday(); {
	case r.Working && !feedback.Weekend(wd):
		return r, feedback.Invalid("working",
			fmt.Sprintf("Ngày %s là %s, vốn là ngày làm việc: chỉ thứ Bảy hoặc Chủ nhật mới là ngày làm bù (working: true).", date, weekdayVI(wd)),
			fmt.Sprintf("%s is a %s, a working day already: only a Saturday or Sunday can be a make-up working day (working: true)", date, wd))
	case !r.Working && feedback.Weekend(wd):
		return r, feedback.Invalid("working",
			fmt.Sprintf("Ngày %s là %s, vốn đã nghỉ: hãy ghi ngày nghỉ bù vào ngày thường, hoặc gửi working: true nếu đây là ngày làm bù.", date, weekdayVI(wd)),
			fmt.Sprintf("%s is a %s, already closed: list the compensatory weekday instead, or send working: true for a make-up working day", date, wd))
	}
	return r, checkText("reason", r.Reason, maxReason, false)
}

// weekdayVI names a day of the week as the district writes it.
func weekdayVI(d time.Weekday) string {
	switch d {
	case time.Sunday:
		return "Chủ nhật"
	case time.Monday:
		return "thứ Hai"
	case time.Tuesday:
		return "thứ Ba"
	case time.Wednesday:
		return "thứ Tư"
	case time.Thursday:
		return "thứ Năm"
	case time.Friday:
		return "thứ Sáu"
	default:
		return "thứ Bảy"
	}
}

func decodeRoutingRule(body []byte) (routingRuleRequest, error) {
	var r routingRuleRequest
	if err := web.DecodeJSON(body, &r); err != nil {
		return r, err
	}
	if err := checkID("unit_id", r.UnitID); err != nil {
		return r, err
	}
	return r, checkText("reason", r.Reason, maxReason, false)
}

// checkText accepts one line of printable text of at most max runes.
func checkText(field, s string, max int, required bool) error {
	if s == "" {
		if required {
			return feedback.Invalid(field, "Trường \""+field+"\" không được để trống.", "\""+field+"\" is required")
		}
		return nil
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return invalidf(field, "Trường \"%s\" quá dài (tối đa %d ký tự).", "\"%s\" is over %d characters", field, max)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return feedback.Invalid(field, "Trường \""+field+"\" chứa ký tự điều khiển.", "\""+field+"\" holds control characters")
	}
	return nil
}

// invalidf is feedback.Invalid with formatted messages.
func invalidf(field, vi, en string, args ...any) error {
	return feedback.Invalid(field, fmt.Sprintf(vi, args...), fmt.Sprintf(en, args...))
}

// checkID accepts the codes the district uses for units, wards and
// categories: lower-case letters, digits and inner hyphens ("ward-an-lac").
func checkID(field, s string) error {
	ok := s != "" && len(s) <= maxID && s[0] != '-' && s[len(s)-1] != '-'
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
	}
	if !ok {
		return invalidf(field, "Mã \"%s\" chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (tối đa %d ký tự).",
			"%s must be lower-case letters, digits and inner hyphens, at most %d characters", field, maxID)
	}
	return nil
}

// checkUsername accepts what seed.Validate does: lower-case letters, digits
// and inner dots ("anlac.lan").
func checkUsername(s string) error {
	ok := s != "" && len(s) <= maxID && s[0] != '.' && s[len(s)-1] != '.' && !strings.Contains(s, "..")
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.'
	}
	if !ok {
		return invalidf("username", "Tên đăng nhập chỉ gồm chữ thường không dấu, chữ số và dấu chấm ở giữa.",
			"username must be lower-case letters, digits and inner dots, at most %d characters", maxID)
	}
	return nil
}

// checkDate accepts a holiday's date, YYYY-MM-DD.
func checkDate(s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return feedback.Invalid("date", "Ngày phải ở dạng YYYY-MM-DD.", "date must be YYYY-MM-DD")
	}
	return nil
}

// validPhone accepts what seed.Validate does: +84 and the 9 or 10 digits
// of a Vietnamese number.
func validPhone(s string) bool {
	d, ok := strings.CutPrefix(s, "+84")
	if !ok || len(d) < 9 || len(d) > 10 || d[0] == '0' {
		return false
	}
	return strings.Trim(d, "0123456789") == ""
}

func (r officialRequest) why() string { return r.Reason }

func (r dutyRequest) why() string { return r.Reason }

func (r unitRequest) why() string { return r.Reason }

func (r categoryRequest) why() string { return r.Reason }

func (r holidayRequest) why() string { return r.Reason }

func (r routingRuleRequest) why() string { return r.Reason }

func (r rosterRequest) why() string { return r.Reason }

func (r leaveRequest) why() string { return r.Reason }

// decodeLeave decodes and checks a PUT of an official's days away; an
// empty list ends every leave.
func decodeLeave(body []byte) (leaveRequest, error) {
	var r leaveRequest
	if err := web.DecodeJSON(body, &r); err != nil {
		return r, err
	}
	if r.Leave == nil {
		return r, feedback.Invalid("leave", "Thiếu danh sách ngày nghỉ (leave; [] để xoá hết).", "leave is required ([] to clear it)")
	}
	for i := range r.Leave {
		r.Leave[i].Reason = strings.TrimSpace(r.Leave[i].Reason)
		if err := checkText(fmt.Sprintf("leave[%d].reason", i), r.Leave[i].Reason, maxReason, false); err != nil {
			return r, err
		}
	}
	if err := feedback.CheckLeave(r.leave()); err != nil {
		return r, err
	}
	return r, checkText("reason", r.Reason, maxReason, false)
}

func (r leaveRequest) leave() []feedback.Leave {
	out := make([]feedback.Leave, 0, len(r.Leave))
	for _, l := range r.Leave {
		out = append(out, feedback.Leave{From: l.From, To: l.To, Reason: l.Reason})
	}
	return out
}

// decodeRoster decodes and checks a PUT of a unit's desk roster. Whether
// its officials belong to the unit needs the stored organisation:
// feedback.Roster.Check, in the handler, sees to that.
func decodeRoster(body []byte) (rosterRequest, error) {
	var r rosterRequest
	if err := web.DecodeJSON(body, &r); err != nil {
		return r, err
	}
	if err := r.roster().CheckShape(); err != nil {
		return r, err
	}
	for i, shift := range r.Shifts {
		for _, u := range shift {
			if err := checkUsername(u); err != nil {
				return r, feedback.Invalid(fmt.Sprintf("shifts[%d]", i), "Tên đăng nhập cán bộ không hợp lệ.",
					"a shift names an invalid username")
			}
		}
	}
	return r, checkText("reason", r.Reason, maxReason, false)
}

func (r rosterRequest) roster() *feedback.Roster {
	return &feedback.Roster{Start: r.Start, Shifts: r.Shifts}
}
