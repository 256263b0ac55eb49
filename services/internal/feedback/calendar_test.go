package feedback_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone must load on machines without /usr/share/zoneinfo

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/seed"
)

// seedCalendar builds the calendar from the demo holidays, closed weekdays:
//
//	2026: 01-01, 01-02 · 02-16..02-20 (Tết) · 04-27 · 04-30, 05-01 · 08-31, 09-01, 09-02 · 11-24
//	2027: 01-01 · 02-04, 02-05, 02-08, 02-09, 02-10 (Tết) · 04-16 · 04-30, 05-03 · 09-02, 09-03 · 11-24
//
// and working Saturdays, made up for the swapped Fri 2/1 and Mon 31/8: 2026-01-10, 2026-08-22.
func seedCalendar(t *testing.T) (*feedback.Calendar, *time.Location) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	org, err := seed.Default()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := feedback.NewCalendar(loc, org.Holidays)
	if err != nil {
		t.Fatal(err)
	}
	return cal, loc
}

func TestDeadline(t *testing.T) {
	cal, loc := seedCalendar(t)
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, loc) }
	utc := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, time.UTC) }
	// A deadline is the last second of its day in Ho Chi Minh City.
	due := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 23, 59, 59, 0, loc) }

	tests := []struct {
		name     string
		received time.Time
		days     int
		want     time.Time
	}{
		// Wed 11/2 counts from Thu 12/2: 12, 13 (2); the Tết break runs Sat 14 to Sun 22;
		// 23..27 (7); 2, 3, 4 March (10).
		{"across Tết 2026", at(2026, 2, 11, 10, 0), 10, due(2026, 3, 4)},
		// Fri 13/2 is the last day before Tết: 23..27 Feb (5), 2..6 Mar (10), 9..13 Mar (15).
		{"15 days across Tết 2026", at(2026, 2, 13, 16, 0), 15, due(2026, 3, 13)},
		// Mùng 1 (Tue 17/2) is closed: taken in on Mon 23/2; 24..27 (4), 2..6 Mar (9), Mon 9 Mar (10).
		{"received during Tết 2026", at(2026, 2, 17, 9, 0), 10, due(2026, 3, 9)},
		// Mon 1/2/2027: 2, 3 (2); closed Thu 4 to Wed 10 (Tết, Saturday mùng 1);
		// 11, 12 (4); 15..19 (9); Mon 22 (10).
		{"across Tết 2027", at(2027, 2, 1, 14, 0), 10, due(2027, 2, 22)},
		// Fri 29/1/2027: 1..3 Feb (3); Tết; 11, 12 (5); 15..19 (10); 22..26 (15).
		{"15 days across Tết 2027", at(2027, 1, 29, 11, 0), 15, due(2027, 2, 26)},
		// Thu 26/3: 27 (1); 30, 31 (3); 1..3 Apr (6); 6..9 Apr (10).
		{"across a month end", at(2026, 3, 26, 15, 0), 10, due(2026, 4, 9)},
		// Thu 25/2/2027 (February has 28 days): 26 (1); 1..5 Mar (6); 8..11 Mar (10).
		{"across the end of February", at(2027, 2, 25, 8, 30), 10, due(2027, 3, 11)},
		// Fri 24/4: Mon 27 is Giỗ Tổ's compensatory day; 28, 29 (2); Thu 30/4 and Fri 1/5 closed;
		// 4..8 May (7); 11, 12, 13 (10).
		{"Giỗ Tổ, 30/4 and 1/5", at(2026, 4, 24, 9, 0), 10, due(2026, 5, 13)},
		// Wed 23/12: 24, 25 (2; Christmas is a working day); 28..31 (6); Fri 1/1/2027 closed;
		// 4..7 Jan (10).
		{"across the year end", at(2026, 12, 23, 10, 0), 10, due(2027, 1, 7)},
		// Fri after hours still counts as Friday: 9..13 Mar (5), 16..20 Mar (10).
		{"Friday evening", at(2026, 3, 6, 19, 30), 10, due(2026, 3, 20)},
		// Sat 7/3 is taken in on Mon 9/3: 10..13 (4), 16..20 (9), Mon 23 (10).
		{"Saturday", at(2026, 3, 7, 10, 0), 10, due(2026, 3, 23)},
		// Thu 30/4 is a holiday and Fri 1/5 too: taken in on Mon 4/5; 5..8 (4), 11..15 (9), Mon 18 (10).
		{"received on a holiday", at(2026, 4, 30, 8, 0), 10, due(2026, 5, 18)},
		// 18:30 UTC on Thu 5/3 is 01:30 on Fri 6/3 in Vietnam: as "Friday evening", not Thu → 19/3.
		{"late Thursday UTC is Friday in Vietnam", utc(2026, 3, 5, 18, 30), 10, due(2026, 3, 20)},
		// 17:30 UTC on Fri 6/3 is 00:30 on Sat 7/3 in Vietnam: as "Saturday", not Fri → 20/3.
		{"late Friday UTC is Saturday in Vietnam", utc(2026, 3, 6, 17, 30), 10, due(2026, 3, 23)},
		// 23:30 UTC on 31/12/2026 is New Year's Day morning in Vietnam, a holiday: taken in on
		// Mon 4/1/2027; 5..8 (4), 11..15 (9), Mon 18 (10).
		{"New Year's Eve UTC is a holiday in Vietnam", utc(2026, 12, 31, 23, 30), 10, due(2027, 1, 18)},
		// Mon 24/8: 25..28 (4); closed Mon 31/8 to Wed 2/9 (Quốc khánh); 3, 4 (6);
		// 7..11 (11); 14..17 (15).
		{"15 days across Quốc khánh 2026", at(2026, 8, 24, 9, 0), 15, due(2026, 9, 17)},
		// No days to count: the end of the working day it came in on.
		{"zero days", at(2026, 3, 9, 8, 0), 0, due(2026, 3, 9)},
		// Make-up Saturdays count as working days.
		// Fri 9/1 afternoon: Sat 10 (1, làm bù); 12..16 (6); 19..22 (10). Not Fri 23.
		{"Friday before the make-up Saturday 10/1/2026", at(2026, 1, 9, 15, 30), 10, due(2026, 1, 22)},
		// Taken in on the make-up Saturday itself, not on Monday: 12..16 (5); 19..23 (10).
		{"received on the make-up Saturday 10/1/2026", at(2026, 1, 10, 9, 0), 10, due(2026, 1, 23)},
		// 17:00 UTC on Fri 9/1 is midnight of the make-up Saturday in Vietnam: as received on it.
		{"make-up Saturday in Vietnam, Friday in UTC", utc(2026, 1, 9, 17, 0), 10, due(2026, 1, 23)},
		{"zero days on the make-up Saturday", at(2026, 1, 10, 16, 0), 0, due(2026, 1, 10)},
		// Sun 11/1 stays closed: taken in on Mon 12; 13..16 (4); 19..23 (9); Mon 26 (10).
		{"Sunday after the make-up Saturday", at(2026, 1, 11, 10, 0), 10, due(2026, 1, 26)},
		// Thu 20/8: Fri 21 (1); Sat 22 (2, làm bù); 24..28 (7); Mon 31/8 to Wed 2/9 closed
		// (Quốc khánh, 31/8 swapped for 22/8); 3, 4 (9); Mon 7 (10). Not Tue 8.
		{"make-up Saturday 22/8 and Quốc khánh 2026", at(2026, 8, 20, 10, 0), 10, due(2026, 9, 7)},
		// Fri 21/8: Sat 22 (1); 24..28 (6); 3, 4 Sep (8); 7, 8 (10). Not Wed 9.
		{"Friday before the make-up Saturday 22/8/2026", at(2026, 8, 21, 16, 45), 10, due(2026, 9, 8)},
		// Received on Sat 22/8 itself: 24..28 (5); 3, 4 Sep (7); 7..9 (10).
		{"received on the make-up Saturday 22/8/2026", at(2026, 8, 22, 8, 0), 10, due(2026, 9, 9)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := cal.Deadline(tc.received, tc.days)
			if !got.Equal(tc.want) {
				t.Errorf("Deadline(%s, %d) = %s, want %s", tc.received.Format(time.RFC3339),
					tc.days, got.In(loc).Format(time.RFC3339), tc.want.Format(time.RFC3339))
			}
		})
	}
}

func TestWorkingDay(t *testing.T) {
	cal, loc := seedCalendar(t)
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, loc) }
	utc := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, time.UTC) }
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"Friday before Tết 2026", at(2026, 2, 13), true},
		{"29 Tết 2026 (Monday)", at(2026, 2, 16), false},
		{"mùng 4 Tết 2026 (Friday)", at(2026, 2, 20), false},
		{"first day back after Tết 2026", at(2026, 2, 23), true},
		{"a Saturday", at(2026, 3, 7), false},
		{"Giỗ Tổ 2026 on a Sunday", at(2026, 4, 26), false},
		{"Giỗ Tổ 2026 compensatory Monday", at(2026, 4, 27), false},
		{"Tuesday after Giỗ Tổ", at(2026, 4, 28), true},
		{"Christmas is a working day", at(2026, 12, 25), true},
		{"last compensatory day of Tết 2027", at(2027, 2, 10), false},
		{"first day back after Tết 2027", at(2027, 2, 11), true},
		{"1/5/2027 compensatory Monday", at(2027, 5, 3), false},
		// The date is taken in Vietnam, seven hours ahead of UTC.
		{"Sunday 17:30 UTC is 29 Tết in Vietnam", utc(2026, 2, 15, 17, 30), false},
		{"Sunday 17:30 UTC is a working Monday in Vietnam", utc(2026, 2, 22, 17, 30), true},
		{"Friday 17:30 UTC is Saturday in Vietnam", utc(2026, 2, 13, 17, 30), false},
		{"Friday 16:59 UTC is still Friday in Vietnam", utc(2026, 2, 13, 16, 59), true},
		{"make-up Saturday 10/1/2026", at(2026, 1, 10), true},
		{"Sunday after the make-up Saturday", at(2026, 1, 11), false},
		{"swapped Friday 2/1/2026", at(2026, 1, 2), false},
		{"make-up Saturday 22/8/2026", at(2026, 8, 22), true},
		{"swapped Monday 31/8/2026", at(2026, 8, 31), false},
		{"an ordinary Saturday in August", at(2026, 8, 29), false},
		{"Friday 17:00 UTC is the make-up Saturday in Vietnam", utc(2026, 8, 21, 17, 0), true},
		{"make-up Saturday 16:59 UTC is Saturday in Vietnam", utc(2026, 8, 22, 16, 59), true},
		{"make-up Saturday 17:00 UTC is Sunday in Vietnam", utc(2026, 8, 22, 17, 0), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := cal.WorkingDay(tc.t); got != tc.want {
				t.Errorf("WorkingDay(%s) = %v, want %v", tc.t.Format(time.RFC3339), got, tc.want)
			}
		})
	}
}

func TestNewCalendarRejectsBadDates(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	for _, date := range []string{"2026-02-30", "17/02/2026", "2026-2-17", ""} {
		if _, err := feedback.NewCalendar(loc, []feedback.Holiday{{Date: date, Name: "x"}}); err == nil {
			t.Errorf("NewCalendar accepted holiday date %q", date)
		}
	}
}

// TestCalendarEntryDecidesItsDate: an entry says what its date is; the
// pointless ones seed.Validate refuses (a working weekday, a closed weekend
// day) leave the day as its weekday makes it.
func TestCalendarEntryDecidesItsDate(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := feedback.NewCalendar(loc, []feedback.Holiday{
		{Date: "2026-03-07", Name: "Làm bù", Working: true}, // Saturday
		{Date: "2026-03-08", Name: "Làm bù", Working: true}, // Sunday
		{Date: "2026-03-10", Name: "Làm bù", Working: true}, // Tuesday: open anyway
		{Date: "2026-03-14", Name: "Nghỉ"},                  // Saturday: closed anyway
		{Date: "2026-03-11", Name: "Nghỉ"},                  // Wednesday
	})
	if err != nil {
		t.Fatal(err)
	}
	for date, want := range map[string]bool{
		"2026-03-06": true, "2026-03-07": true, "2026-03-08": true, "2026-03-09": true, "2026-03-10": true,
		"2026-03-11": false, "2026-03-12": true, "2026-03-14": false, "2026-03-15": false,
	} {
		d, err := time.ParseInLocation(time.DateOnly, date, loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := cal.WorkingDay(d.Add(12 * time.Hour)); got != want {
			t.Errorf("WorkingDay(%s) = %v, want %v", date, got, want)
		}
	}
	// Fri 6/3 evening: Sat 7, Sun 8, Mon 9, Tue 10 (4); Wed 11 closed; Thu 12, Fri 13 (6);
	// 16..19 (10).
	if got, want := cal.Deadline(time.Date(2026, 3, 6, 18, 0, 0, 0, loc), 10), time.Date(2026, 3, 19, 23, 59, 59, 0, loc); !got.Equal(want) {
		t.Errorf("Deadline = %s, want %s", got.In(loc).Format(time.RFC3339), want.Format(time.RFC3339))
	}
}
