package admin

import (
	"fmt"
	"slices"
	"strings"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/seed"
)

// checkChange refuses a change that would break a rule of seed.Validate
// that the organisation kept before it. Problems it already had are not
// this editor's doing and must not block an unrelated fix, so only the new
// ones count.
//
// Staffing (a unit left with no official on duty, or without exactly one
// head) is refused too, but may be forced: a unit is created before its
// staff, and on a public holiday eve the last official on duty does go
// home; the router then gives the unit's items to its head.
func checkChange(before, after feedback.Organisation, force bool) error {
	had := map[string]bool{}
	for _, p := range problems(seed.Validate(before)) {
		had[p] = true
	}
	var broken []string
	for _, p := range problems(seed.Validate(after)) {
		if !had[p] && !staffingProblem(p) {
			broken = append(broken, p)
		}
	}
	if len(broken) > 0 {
		return &feedback.Error{Code: feedback.ECONFLICT,
			Message:   "Thay đổi bị từ chối vì làm dữ liệu tổ chức không còn nhất quán: " + strings.Join(broken, "; "),
			MessageEN: "the change would break the organisation: " + strings.Join(broken, "; ")}
	}
	vi, en := staffingGaps(before, after)
	if len(vi) == 0 || force {
		return nil
	}
	return &feedback.Error{Code: feedback.ECONFLICT,
		Message:   strings.Join(vi, " ") + " Thêm ?force=1 nếu vẫn muốn thay đổi.",
		MessageEN: strings.Join(en, "; ") + "; add ?force=1 to make the change anyway"}
}

// problems splits what seed.Validate reports into one line per problem.
func problems(err error) []string {
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, strings.TrimPrefix(e.Error(), seed.ErrInvalid.Error()+": "))
	}
	return out
}

// staffingProblem tells seed.Validate's two staffing rules, which
// staffingGaps reports in its own words and which may be forced.
func staffingProblem(p string) bool {
	return strings.Contains(p, "no active on-duty official") || strings.Contains(p, "active heads, want exactly 1")
}

// staffingGaps names the units that the change leaves with no active
// official on duty, or without exactly one active head, where they were
// staffed before (a new unit was not). It counts as seed.Validate does.
func staffingGaps(before, after feedback.Organisation) (vi, en []string) {
	dutyBefore, headsBefore := staffing(before)
	dutyAfter, headsAfter := staffing(after)
	known := map[string]bool{}
	for _, u := range before.Units {
		known[u.ID] = true
	}
	for _, u := range after.Units {
		if dutyAfter[u.ID] == 0 && (dutyBefore[u.ID] > 0 || !known[u.ID]) {
			vi = append(vi, fmt.Sprintf("Đơn vị %s sẽ không còn cán bộ nào đang trực để nhận phản ánh mới.", u.ID))
			en = append(en, fmt.Sprintf("unit %s would have no active official on duty to take new items", u.ID))
		}
		if headsAfter[u.ID] != 1 && (headsBefore[u.ID] == 1 || !known[u.ID]) {
			vi = append(vi, fmt.Sprintf("Đơn vị %s sẽ có %d trưởng đơn vị đang hoạt động (cần đúng 1).", u.ID, headsAfter[u.ID]))
			en = append(en, fmt.Sprintf("unit %s would have %d active heads, want exactly 1", u.ID, headsAfter[u.ID]))
		}
	}
	return vi, en
}

func staffing(org feedback.Organisation) (onDuty, heads map[string]int) {
	onDuty, heads = map[string]int{}, map[string]int{}
	for _, o := range org.Officials {
		switch {
		case !o.Active:
		case o.Role == feedback.RoleOfficial && o.OnDuty:
			onDuty[o.UnitID]++
		case o.Role == feedback.RoleHead:
			heads[o.UnitID]++
		}
	}
	return onDuty, heads
}

// The organisation after one change, built in memory to be validated. Each
// copies the one list it changes; the rest is shared and only read.

func withOfficial(org feedback.Organisation, o feedback.Official) feedback.Organisation {
	org.Officials = replaceOrAdd(org.Officials, o, func(x feedback.Official) bool { return x.Username == o.Username })
	return org
}

func withUnit(org feedback.Organisation, u feedback.Unit) feedback.Organisation {
	org.Units = replaceOrAdd(org.Units, u, func(x feedback.Unit) bool { return x.ID == u.ID })
	return org
}

func withCategory(org feedback.Organisation, c feedback.Category) feedback.Organisation {
	org.Categories = replaceOrAdd(org.Categories, c, func(x feedback.Category) bool { return x.Code == c.Code })
	return org
}

func withHoliday(org feedback.Organisation, h feedback.Holiday) feedback.Organisation {
	org.Holidays = replaceOrAdd(org.Holidays, h, func(x feedback.Holiday) bool { return x.Date == h.Date })
	return org
}

func withoutHoliday(org feedback.Organisation, date string) feedback.Organisation {
	org.Holidays = slices.DeleteFunc(slices.Clone(org.Holidays), func(x feedback.Holiday) bool { return x.Date == date })
	return org
}

func withRoutingRule(org feedback.Organisation, r feedback.RoutingRule) feedback.Organisation {
	org.RoutingRules = replaceOrAdd(org.RoutingRules, r, func(x feedback.RoutingRule) bool {
		return x.Category == r.Category && x.Ward == r.Ward
	})
	return org
}

func withoutRoutingRule(org feedback.Organisation, category, ward string) feedback.Organisation {
	org.RoutingRules = slices.DeleteFunc(slices.Clone(org.RoutingRules), func(x feedback.RoutingRule) bool {
		return x.Category == category && x.Ward == ward
	})
	return org
}

func replaceOrAdd[T any](list []T, v T, same func(T) bool) []T {
	out := slices.Clone(list)
	if i := slices.IndexFunc(out, same); i >= 0 {
		out[i] = v
		return out
	}
	return append(out, v)
}

// Lookups in the stored organisation.

func findOfficial(org feedback.Organisation, username string) (feedback.Official, bool) {
	return find(org.Officials, func(o feedback.Official) bool { return o.Username == username })
}

func findUnit(org feedback.Organisation, id string) (feedback.Unit, bool) {
	return find(org.Units, func(u feedback.Unit) bool { return u.ID == id })
}

func findCategory(org feedback.Organisation, code string) (feedback.Category, bool) {
	return find(org.Categories, func(c feedback.Category) bool { return c.Code == code })
}

func findWard(org feedback.Organisation, code string) (feedback.Ward, bool) {
	return find(org.Wards, func(w feedback.Ward) bool { return w.Code == code })
}

func findHoliday(org feedback.Organisation, date string) (feedback.Holiday, bool) {
	return find(org.Holidays, func(h feedback.Holiday) bool { return h.Date == date })
}

func findRoutingRule(org feedback.Organisation, category, ward string) (feedback.RoutingRule, bool) {
	return find(org.RoutingRules, func(r feedback.RoutingRule) bool { return r.Category == category && r.Ward == ward })
}

func find[T any](list []T, match func(T) bool) (T, bool) {
	if i := slices.IndexFunc(list, match); i >= 0 {
		return list[i], true
	}
	var zero T
	return zero, false
}

// unknownUnit is the refusal for a reference to a unit that does not exist.
func unknownUnit(field, id string) error {
	return invalidf(field, "Không có đơn vị %s.", "no unit %s", id)
}

// noPassword is the refusal of a new official without a password.
func noPassword() error {
	return feedback.Invalid("password", "Cán bộ mới cần mật khẩu (trường password, từ 10 ký tự).",
		"a new official needs a password (field password, at least 10 characters)")
}
