package feedback

import (
	"fmt"
	"time"
)

// Roster is a unit's rotating feedback desk (lịch trực tiếp nhận phản ánh):
// from Start, each working day the next shift of officials staffs the desk,
// and after the last shift the first comes round again. New items go to the
// shift; the others keep working on what they hold.
type Roster struct {
	Start  string     // YYYY-MM-DD: shift 0 staffs the first working day on or after it
	Shifts [][]string // usernames on the desk, one list per working day
}

// Limits of a roster, so that a mistyped one is refused, not looped over.
const (
	MaxRosterShifts   = 62 // two months of working days in one cycle
	MaxShiftOfficials = 20
)

// DeskCloses is when the day's shift hands over: an item that comes in
// after 17:00 local time, or on a closed day, waits for the next working
// day's shift, who will be at the desk when it is read.
const DeskCloses = 17 * time.Hour

// DeskDay returns the date (midnight, local time) of the working day whose
// shift takes an item that comes in at t.
func (c *Calendar) DeskDay(t time.Time) time.Time {
	l := t.In(c.loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, c.loc)
	if l.Sub(day) >= DeskCloses {
		day = day.AddDate(0, 0, 1)
	}
	for !c.WorkingDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// OnDesk returns who staffs the desk on the working day deskDay (see
// DeskDay), and false when the roster says nothing of that day: it has no
// shifts, or starts later. Its cost grows with the days since Start; the
// router asks once a day per unit.
func (r *Roster) OnDesk(c *Calendar, deskDay time.Time) ([]string, bool) {
	if r == nil || len(r.Shifts) == 0 {
		return nil, false
	}
	start, err := time.ParseInLocation(time.DateOnly, r.Start, c.loc)
	if err != nil || start.After(deskDay) {
		return nil, false
	}
	n := 0
	for d := start; d.Before(deskDay); d = d.AddDate(0, 0, 1) {
		if c.WorkingDay(d) {
			n++
		}
	}
	return r.Shifts[n%len(r.Shifts)], true
}

// Check reports what is wrong with a roster of unit, given the unit's
// officials: a start date, at least one shift, no empty or overlong shift,
// and only active members of the unit who answer items (officials and the
// head). Messages are Vietnamese first, for the head who wrote it.
func (r *Roster) Check(unit string, staff []Official) error {
	if err := r.CheckShape(); err != nil {
		return err
	}
	byName := make(map[string]Official, len(staff))
	for _, o := range staff {
		byName[o.Username] = o
	}
	for i, shift := range r.Shifts {
		field := fmt.Sprintf("shifts[%d]", i)
		seen := make(map[string]bool, len(shift))
		for _, u := range shift {
			o, ok := byName[u]
			switch {
			case !ok || o.UnitID != unit:
				return Invalid(field, fmt.Sprintf("%s không phải cán bộ của đơn vị %s.", u, unit),
					fmt.Sprintf("%s is not an official of unit %s", u, unit))
			case o.Role != RoleOfficial && o.Role != RoleHead:
				return Invalid(field, fmt.Sprintf("%s không nhận phản ánh (vai trò %s).", u, o.Role),
					fmt.Sprintf("%s does not take items (role %s)", u, o.Role))
			case seen[u]:
				return Invalid(field, fmt.Sprintf("%s có hai lần trong một ca.", u),
					fmt.Sprintf("%s is twice in one shift", u))
			}
			seen[u] = true
		}
	}
	return nil
}

// CheckShape is the part of Check that needs no staff: a start date and
// 1 to MaxRosterShifts shifts of 1 to MaxShiftOfficials names each.
func (r *Roster) CheckShape() error {
	if _, err := time.Parse(time.DateOnly, r.Start); err != nil {
		return Invalid("start", "Ngày bắt đầu lịch trực phải có dạng YYYY-MM-DD.", "start must be a date, YYYY-MM-DD")
	}
	if len(r.Shifts) == 0 || len(r.Shifts) > MaxRosterShifts {
		return Invalid("shifts", fmt.Sprintf("Lịch trực cần từ 1 đến %d ca.", MaxRosterShifts),
			fmt.Sprintf("a roster has 1 to %d shifts", MaxRosterShifts))
	}
	for i, shift := range r.Shifts {
		if len(shift) == 0 || len(shift) > MaxShiftOfficials {
			return Invalid(fmt.Sprintf("shifts[%d]", i), fmt.Sprintf("Mỗi ca trực cần từ 1 đến %d cán bộ.", MaxShiftOfficials),
				fmt.Sprintf("a shift has 1 to %d officials", MaxShiftOfficials))
		}
	}
	return nil
}

// OnDesk returns who staffs the unit's desk for an item that comes in at t,
// for PickOfficial: nil when the unit has no roster for that day.
func (u Unit) OnDesk(c *Calendar, t time.Time) []string {
	shift, ok := u.Roster.OnDesk(c, c.DeskDay(t))
	if !ok {
		return nil
	}
	return shift
}

// Leave is a stretch of days an official is away (nghỉ phép, công tác,
// ốm): new items pass them by, whatever the roster or the duty switch say,
// so that a head can plan an absence ahead instead of remembering to flip
// the switch that morning.
type Leave struct {
	From, To string // YYYY-MM-DD, both days included, Asia/Ho_Chi_Minh
	Reason   string
}

// Limits of an official's leave list.
const (
	MaxLeaves    = 50
	MaxLeaveDays = 366
)

// OnLeave reports whether the official is away on day (YYYY-MM-DD).
// Dates in that form compare as strings.
func (o Official) OnLeave(day string) bool {
	for _, l := range o.Leave {
		if l.From <= day && day <= l.To {
			return true
		}
	}
	return false
}

// Available returns the officials of staff who are not on leave on the
// desk day (see Calendar.DeskDay), for PickOfficial and
// PickOfficialWithRole.
func Available(staff []Official, deskDay time.Time) []Official {
	day := deskDay.Format(time.DateOnly)
	out := make([]Official, 0, len(staff))
	for _, o := range staff {
		if !o.OnLeave(day) {
			out = append(out, o)
		}
	}
	return out
}

// CheckLeave reports what is wrong with a list of leave: dates in order,
// no stretch longer than a year, not too many. Overlaps are allowed (an
// illness inside a holiday).
func CheckLeave(list []Leave) error {
	if len(list) > MaxLeaves {
		return Invalid("leave", fmt.Sprintf("Tối đa %d đợt nghỉ.", MaxLeaves), fmt.Sprintf("at most %d leaves", MaxLeaves))
	}
	for i, l := range list {
		field := fmt.Sprintf("leave[%d]", i)
		from, err1 := time.Parse(time.DateOnly, l.From)
		to, err2 := time.Parse(time.DateOnly, l.To)
		switch {
		case err1 != nil || err2 != nil:
			return Invalid(field, "Ngày nghỉ phải có dạng YYYY-MM-DD.", "leave dates must be YYYY-MM-DD")
		case to.Before(from):
			return Invalid(field, "Ngày kết thúc nghỉ phải sau ngày bắt đầu.", "a leave must end on or after its first day")
		case to.Sub(from) >= MaxLeaveDays*24*time.Hour:
			return Invalid(field, fmt.Sprintf("Một đợt nghỉ không quá %d ngày.", MaxLeaveDays),
				fmt.Sprintf("a leave lasts at most %d days", MaxLeaveDays))
		}
	}
	return nil
}
