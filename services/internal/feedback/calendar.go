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
// the weekdays the district's calendar closes, plus the weekend days it
// opens to make up for a swapped holiday.
type Calendar struct {
	loc *time.Location
	// open holds the dates the calendar lists, each with whether the
	// offices are open on it; any other date follows the weekday.
	open map[string]bool
}

// NewCalendar builds a calendar; loc is Asia/Ho_Chi_Minh in production.
// An entry says what its date is, whichever weekday it falls on: a closed
// weekend day or a working weekday changes nothing, and seed.Validate
// refuses both as the mistakes they are.
func NewCalendar(loc *time.Location, holidays []Holiday) (*Calendar, error) {
	c := &Calendar{loc: loc, open: make(map[string]bool, len(holidays))}
	for _, h := range holidays {
		if _, err := time.ParseInLocation(time.DateOnly, h.Date, loc); err != nil {
			return nil, fmt.Errorf("holiday %q: %w", h.Date, err)
		}
		c.open[h.Date] = h.Working
	}
	return c, nil
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// WorkingDay reports whether the offices are open on t's date.
func (c *Calendar) WorkingDay(t time.Time) bool {
	t = t.In(c.loc)
	if open, listed := c.open[t.Format(time.DateOnly)]; listed {
		return open
	}
	return !Weekend(t.Weekday())
}

// Weekend reports whether a day of the week is a Saturday or a Sunday, on
// which the offices are closed unless the calendar lists it as working.
func Weekend(d time.Weekday) bool { return d == time.Saturday || d == time.Sunday }

// Deadline returns the end of the n-th working day after the day the item
// was received: received on a Monday with n = 10, it is due at the end of the
// Monday two weeks on. An item received on a closed day counts from the next
// working day, as the office only takes it in then; a make-up Saturday is a
// working day like any other, both to take an item in and to count.
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
