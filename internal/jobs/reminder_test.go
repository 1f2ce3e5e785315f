package jobs_test

import (
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/jobs"
)

func TestReminderAndOverdueDays(t *testing.T) {
	t.Parallel()
	nl := calendar.MustNew(calendar.ProfileNL)
	atw := calendar.MustNew(calendar.ProfileNLATW)
	D := calendar.D
	for _, tc := range []struct {
		name            string
		cal             *calendar.Calendar
		due             calendar.Date
		remind, overdue calendar.Date
		days            int
	}{
		{"an ordinary Thursday: Tuesday before, Friday after", nl, D(2026, 11, 26), D(2026, 11, 24), D(2026, 11, 27), 2},
		{"due Monday: Thursday before, Tuesday after", nl, D(2026, 11, 30), D(2026, 11, 26), D(2026, 12, 1), 2},
		{"due after Christmas: the holidays do not count", nl, D(2026, 12, 29), D(2026, 12, 24), D(2026, 12, 30), 2},
		{"due on Christmas Eve, a Thursday: overdue on Monday 28 December", nl, D(2026, 12, 24), D(2026, 12, 22), D(2026, 12, 28), 2},
		{"due after New Year's Day", nl, D(2027, 1, 4), D(2026, 12, 30), D(2027, 1, 5), 2},
		{"due the Tuesday after Easter", nl, D(2027, 3, 30), D(2027, 3, 25), D(2027, 3, 31), 2},
		{"due on Maundy Thursday: Good Friday works in the office calendar", nl, D(2027, 3, 25), D(2027, 3, 23), D(2027, 3, 26), 2},
		{"due on Maundy Thursday under the Algemene termijnenwet: overdue on Tuesday", atw, D(2027, 3, 25), D(2027, 3, 23), D(2027, 3, 30), 2},
		{"due the day after King's Day", nl, D(2027, 4, 28), D(2027, 4, 23), D(2027, 4, 29), 2},
		{"due the Friday after Ascension", nl, D(2027, 5, 7), D(2027, 5, 4), D(2027, 5, 10), 2},
		{"due before Whit Monday: overdue on Tuesday", nl, D(2027, 5, 14), D(2027, 5, 12), D(2027, 5, 18), 2},
		{"five working days before", nl, D(2027, 1, 4), D(2026, 12, 24), D(2027, 1, 5), 5},
		{"no days before: on the day", nl, D(2026, 11, 26), D(2026, 11, 26), D(2026, 11, 27), 0},
	} {
		if got := jobs.ReminderDay(tc.cal, tc.due, tc.days); got != tc.remind {
			t.Errorf("%s: reminder on %s, want %s", tc.name, got, tc.remind)
		}
		if got := jobs.OverdueDay(tc.cal, tc.due); got != tc.overdue {
			t.Errorf("%s: overdue notice on %s, want %s", tc.name, got, tc.overdue)
		}
	}
}
