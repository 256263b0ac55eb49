package feedback

import (
	"fmt"
	"time"
)

// Default answer deadlines in working days (HCMC rules for the 1022 system).
const (
	DefaultDeadlineDays     = 10
	MultiAgencyDeadlineDays = 15
	TriageDeadline          = time.Hour // to settle unclear jurisdiction
)

// Calendar counts working days in Ho Chi Minh City: Monday to Friday, less
// public holidays.
type Calendar struct {
	loc      *time.Location
	holidays map[string]bool
}

// NewCalendar builds a calendar; loc is Asia/Ho_Chi_Minh in production.
func NewCalendar(loc *time.Location, holidays []Holiday) (*Calendar, error) {
	c := &Calendar{loc: loc, holidays: make(map[string]bool, len(holidays))}
	for _, h := range holidays {
		if _, err := time.ParseInLocation(time.DateOnly, h.Date, loc); err != nil {
			return nil, fmt.Errorf("holiday %q: %w", h.Date, err)
		}
		c.holidays[h.Date] = true
	}
	return c, nil
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// WorkingDay reports whether the offices are open on t's date.
func (c *Calendar) WorkingDay(t time.Time) bool {
	t = t.In(c.loc)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !c.holidays[t.Format(time.DateOnly)]
}

// Deadline returns the end of the n-th working day after the day the item
// was received: received on a Monday with n = 10, it is due at the end of the
// Monday two weeks on. An item received on a closed day counts from the next
// working day, as the office only takes it in then.
func (c *Calendar) Deadline(received time.Time, n int) time.Time {
	d := received.In(c.loc)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, c.loc)
	for !c.WorkingDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	for counted := 0; counted < n; {
		day = day.AddDate(0, 0, 1)
		if c.WorkingDay(day) {
			counted++
		}
	}
	// End of that day: the last instant before the next midnight.
	return day.AddDate(0, 0, 1).Add(-time.Second)
}
