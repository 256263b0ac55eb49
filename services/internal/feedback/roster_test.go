package feedback_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"pakn.local/services/internal/feedback"
)

func TestDeskDay(t *testing.T) {
	cal, loc := seedCalendar(t)
	at := func(m time.Month, d, hh, mm int) time.Time { return time.Date(2026, m, d, hh, mm, 0, 0, loc) }
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, loc) }
	cases := []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{"a working morning", at(11, 25, 8, 0), day(11, 25)},
		{"a minute before the desk closes", at(11, 25, 16, 59), day(11, 25)},
		{"at closing, the next day's shift", at(11, 25, 17, 0), day(11, 26)},
		{"in UTC, still the local day", time.Date(2026, 11, 25, 9, 59, 0, 0, time.UTC), day(11, 25)},
		{"friday evening waits for monday", at(11, 27, 19, 0), day(11, 30)},
		{"sunday", at(11, 29, 10, 0), day(11, 30)},
		{"tết: the monday after", at(2, 13, 18, 0), day(2, 23)},
		{"the make-up saturday is a desk day", at(1, 10, 9, 0), day(1, 10)},
		{"friday evening before the make-up saturday", at(1, 9, 18, 0), day(1, 10)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := cal.DeskDay(tc.in); !got.Equal(tc.want) {
				t.Fatalf("DeskDay(%s) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestRosterOnDesk(t *testing.T) {
	cal, loc := seedCalendar(t)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	// Three shifts from Monday 2026-02-09: Tết closes 16–20 February.
	r := &feedback.Roster{Start: "2026-02-09", Shifts: [][]string{{"a"}, {"b", "c"}, {"d"}}}
	cases := []struct {
		name string
		on   time.Time
		want []string
		ok   bool
	}{
		{"the first day", day(2026, 2, 9), []string{"a"}, true},
		{"the second", day(2026, 2, 10), []string{"b", "c"}, true},
		{"round again on the fourth", day(2026, 2, 12), []string{"a"}, true},
		{"friday", day(2026, 2, 13), []string{"b", "c"}, true},
		{"after tết, the next in turn", day(2026, 2, 23), []string{"d"}, true},
		{"before the start", day(2026, 2, 6), nil, false},
		// 2026-02-09 .. 2026-11-27: every working day takes one turn.
		{"months later", day(2026, 11, 27), [][]string{{"a"}, {"b", "c"}, {"d"}}[workingDays(cal, day(2026, 2, 9), day(2026, 11, 27))%3], true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := r.OnDesk(cal, tc.on)
			if ok != tc.ok || !slices.Equal(got, tc.want) {
				t.Fatalf("OnDesk(%s) = %v, %v; want %v, %v", tc.on.Format(time.DateOnly), got, ok, tc.want, tc.ok)
			}
		})
	}
	var none *feedback.Roster
	if got, ok := none.OnDesk(cal, day(2026, 2, 9)); ok || got != nil {
		t.Fatalf("no roster: %v, %v", got, ok)
	}
	// Start on a closed day: shift 0 takes the first working day after it.
	sun := &feedback.Roster{Start: "2026-02-08", Shifts: [][]string{{"a"}, {"b"}}}
	if got, _ := sun.OnDesk(cal, day(2026, 2, 9)); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("a roster starting on a sunday gives monday to %v, want [a]", got)
	}
}

// workingDays counts the working days in [from, to), the slow and obvious way.
func workingDays(cal *feedback.Calendar, from, to time.Time) int {
	n := 0
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if cal.WorkingDay(d) {
			n++
		}
	}
	return n
}

func TestUnitOnDesk(t *testing.T) {
	cal, loc := seedCalendar(t)
	u := feedback.Unit{ID: "ward-x", Roster: &feedback.Roster{Start: "2026-11-23", Shifts: [][]string{{"a"}, {"b"}}}}
	// Monday 23/11 is a, Tuesday 24/11 is a holiday, Wednesday 25/11 is b;
	// an item on Monday evening waits for Wednesday's shift.
	if got := u.OnDesk(cal, time.Date(2026, 11, 23, 18, 30, 0, 0, loc)); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("monday evening: %v, want [b]", got)
	}
	if got := (feedback.Unit{}).OnDesk(cal, time.Now()); got != nil {
		t.Fatalf("no roster: %v, want nil", got)
	}
}

func TestRosterCheck(t *testing.T) {
	staff := []feedback.Official{
		{Username: "a", UnitID: "u", Role: feedback.RoleOfficial, Active: true},
		{Username: "b", UnitID: "u", Role: feedback.RoleOfficial},
		{Username: "h", UnitID: "u", Role: feedback.RoleHead, Active: true},
		{Username: "x", UnitID: "other", Role: feedback.RoleOfficial, Active: true},
		{Username: "op", UnitID: "u", Role: feedback.RoleOperator, Active: true},
	}
	long := make([][]string, feedback.MaxRosterShifts+1)
	for i := range long {
		long[i] = []string{"a"}
	}
	cases := []struct {
		name  string
		r     feedback.Roster
		field string // "" when it is fine
	}{
		{"fine, with an inactive member and the head", feedback.Roster{Start: "2026-01-05", Shifts: [][]string{{"a", "b"}, {"h"}}}, ""},
		{"no start", feedback.Roster{Shifts: [][]string{{"a"}}}, "start"},
		{"a bad start", feedback.Roster{Start: "2026-13-01", Shifts: [][]string{{"a"}}}, "start"},
		{"no shifts", feedback.Roster{Start: "2026-01-05"}, "shifts"},
		{"too many shifts", feedback.Roster{Start: "2026-01-05", Shifts: long}, "shifts"},
		{"an empty shift", feedback.Roster{Start: "2026-01-05", Shifts: [][]string{{"a"}, {}}}, "shifts[1]"},
		{"someone else's official", feedback.Roster{Start: "2026-01-05", Shifts: [][]string{{"x"}}}, "shifts[0]"},
		{"nobody of that name", feedback.Roster{Start: "2026-01-05", Shifts: [][]string{{"a"}, {"zz"}}}, "shifts[1]"},
		{"an operator takes no items", feedback.Roster{Start: "2026-01-05", Shifts: [][]string{{"op"}}}, "shifts[0]"},
		{"twice in one shift", feedback.Roster{Start: "2026-01-05", Shifts: [][]string{{"a", "a"}}}, "shifts[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.Check("u", staff)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var fe *feedback.Error
			if !feedback.IsCode(err, feedback.EINVALID) || !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("got %v, want EINVALID on %s", err, tc.field)
			}
			if strings.TrimSpace(fe.Message) == "" || strings.TrimSpace(fe.MessageEN) == "" {
				t.Fatalf("messages missing: %+v", fe)
			}
		})
	}
}

func TestLeave(t *testing.T) {
	lan := feedback.Official{Username: "lan", Leave: []feedback.Leave{{From: "2026-12-01", To: "2026-12-03", Reason: "phép năm"}}}
	for day, want := range map[string]bool{"2026-11-30": false, "2026-12-01": true, "2026-12-03": true, "2026-12-04": false} {
		if got := lan.OnLeave(day); got != want {
			t.Errorf("OnLeave(%s) = %v, want %v", day, got, want)
		}
	}
	thu := feedback.Official{Username: "thu"}
	at := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	if got := feedback.Available([]feedback.Official{lan, thu}, at); len(got) != 1 || got[0].Username != "thu" {
		t.Fatalf("Available on 2/12: %+v, want thu only", got)
	}
	if got := feedback.Available([]feedback.Official{lan, thu}, at.AddDate(0, 0, 5)); len(got) != 2 {
		t.Fatalf("Available on 7/12: %+v, want both", got)
	}

	many := make([]feedback.Leave, feedback.MaxLeaves+1)
	for i := range many {
		many[i] = feedback.Leave{From: "2026-12-01", To: "2026-12-01"}
	}
	cases := []struct {
		name  string
		list  []feedback.Leave
		field string
	}{
		{"none", nil, ""},
		{"one day", []feedback.Leave{{From: "2026-12-01", To: "2026-12-01"}}, ""},
		{"overlapping", []feedback.Leave{{From: "2026-12-01", To: "2026-12-10"}, {From: "2026-12-05", To: "2026-12-06"}}, ""},
		{"a year", []feedback.Leave{{From: "2026-01-01", To: "2026-12-31"}}, ""},
		{"longer than 366 days", []feedback.Leave{{From: "2026-01-01", To: "2027-01-02"}}, "leave[0]"},
		{"backwards", []feedback.Leave{{From: "2026-12-01", To: "2026-12-01"}, {From: "2026-12-05", To: "2026-12-04"}}, "leave[1]"},
		{"a bad date", []feedback.Leave{{From: "1/12/2026", To: "2026-12-04"}}, "leave[0]"},
		{"no end", []feedback.Leave{{From: "2026-12-01"}}, "leave[0]"},
		{"too many", many, "leave"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := feedback.CheckLeave(tc.list)
			var fe *feedback.Error
			if tc.field == "" && err != nil || tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field) {
				t.Fatalf("CheckLeave = %v, want field %q", err, tc.field)
			}
		})
	}
}
