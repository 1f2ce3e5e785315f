package calendar

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestEaster(t *testing.T) {
	t.Parallel()
	for year, want := range map[int]Date{
		1818: D(1818, 3, 22), // earliest possible
		2000: D(2000, 4, 23),
		2024: D(2024, 3, 31),
		2025: D(2025, 4, 20),
		2026: D(2026, 4, 5),
		2027: D(2027, 3, 28),
		2030: D(2030, 4, 21),
		2038: D(2038, 4, 25), // latest possible
		2285: D(2285, 3, 22),
	} {
		if got := Easter(year); got != want {
			t.Errorf("Easter(%d) = %s, want %s", year, got, want)
		}
	}
}

func TestHolidays(t *testing.T) {
	t.Parallel()
	nl, atw := MustNew(ProfileNL), MustNew(ProfileNLATW)
	tests := []struct {
		name    string
		cal     *Calendar
		date    Date
		holiday string // "" means a working day
	}{
		{"New Year 2027 (Friday)", nl, D(2027, 1, 1), "Nieuwjaarsdag"},
		{"nl: Good Friday 2026 is a working day", nl, D(2026, 4, 3), ""},
		{"nl-atw: Good Friday 2026 is a holiday (Atw art. 3)", atw, D(2026, 4, 3), "Goede Vrijdag"},
		{"Easter Monday 2026", nl, D(2026, 4, 6), "Tweede Paasdag"},
		{"King's Day 2026 on Monday 27 April", nl, D(2026, 4, 27), "Koningsdag"},
		{"King's Day 2025: 27 April is a Sunday, so Saturday 26 April", nl, D(2025, 4, 26), "Koningsdag"},
		{"King's Day 2025: Monday 28 April is a working day", nl, D(2025, 4, 28), ""},
		{"nl: Liberation Day 2025 (divisible by 5) is a holiday", nl, D(2025, 5, 5), "Bevrijdingsdag"},
		{"nl: Liberation Day 2026 is a working day", nl, D(2026, 5, 5), ""},
		{"nl-atw: Liberation Day 2026 is a holiday every year", atw, D(2026, 5, 5), "Bevrijdingsdag"},
		{"nl: Liberation Day 2030", nl, D(2030, 5, 5), "Bevrijdingsdag"},
		{"Ascension Day 2026 (Thursday 14 May)", nl, D(2026, 5, 14), "Hemelvaartsdag"},
		{"Friday after Ascension 2026 is a working day by default", nl, D(2026, 5, 15), ""},
		{"Whit Monday 2026", nl, D(2026, 5, 25), "Tweede Pinksterdag"},
		{"Christmas Day 2026", nl, D(2026, 12, 25), "Eerste Kerstdag"},
		{"Boxing Day 2025 (Friday)", nl, D(2025, 12, 26), "Tweede Kerstdag"},
		{"an ordinary Wednesday", nl, D(2026, 11, 25), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			name, ok := tt.cal.Holiday(tt.date)
			if tt.holiday == "" {
				if ok || !tt.cal.IsWorkingDay(tt.date) {
					t.Fatalf("%s: got holiday %q, want a working day", tt.date, name)
				}
				return
			}
			if !ok || name != tt.holiday {
				t.Fatalf("%s: got %q (%v), want %q", tt.date, name, ok, tt.holiday)
			}
			if tt.cal.IsWorkingDay(tt.date) {
				t.Fatalf("%s is a holiday but counted as a working day", tt.date)
			}
		})
	}
}

func TestExtraClosingDays(t *testing.T) {
	t.Parallel()
	c, err := New(ProfileNL, "ascension+1", "12-31", "2026-12-24")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []Date{D(2026, 5, 15), D(2027, 5, 7), D(2026, 12, 31), D(2026, 12, 24)} {
		if c.IsWorkingDay(d) {
			t.Errorf("%s should be a closing day", d)
		}
	}
	if !c.IsWorkingDay(D(2027, 12, 24)) {
		t.Errorf("2027-12-24 is only closed in 2026")
	}
	for _, bad := range []string{"ascension+x", "13-01", "christmas+1", "2026-02-30"} {
		if _, err := New(ProfileNL, bad); err == nil {
			t.Errorf("New(%q) accepted an invalid closing day", bad)
		}
	}
	if _, err := New("be"); err == nil {
		t.Error("New accepted an unknown profile")
	}
}

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	nl := MustNew(ProfileNL)
	tests := []struct {
		name    string
		from    Date
		n       int
		want    Date
		skipped int
	}{
		{"the day itself never counts", D(2026, 11, 23), 1, D(2026, 11, 24), 0},
		{"received on Saturday counts from Monday", D(2026, 12, 19), 2, D(2026, 12, 22), 0},
		{"over Christmas 2026", D(2026, 12, 22), 5, D(2026, 12, 30), 1},
		{"over Christmas and New Year", D(2026, 12, 22), 21, D(2027, 1, 22), 2},
		{"over Easter 2026 (Good Friday works)", D(2026, 4, 2), 2, D(2026, 4, 7), 1},
		{"over Liberation Day 2025", D(2025, 5, 1), 3, D(2025, 5, 7), 1},
		{"over Ascension 2026", D(2026, 5, 11), 5, D(2026, 5, 19), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, skipped := nl.AddWorkingDays(tt.from, tt.n)
			if got != tt.want || len(skipped) != tt.skipped {
				t.Fatalf("AddWorkingDays(%s, %d) = %s with %d skipped %v, want %s with %d", tt.from, tt.n, got, len(skipped), skipped, tt.want, tt.skipped)
			}
		})
	}
}

func TestAddMonths(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		from Date
		n    int
		want Date
	}{
		{D(2026, 1, 31), 1, D(2026, 2, 28)},
		{D(2028, 1, 31), 1, D(2028, 2, 29)},
		{D(2028, 2, 29), 12, D(2029, 2, 28)},
		{D(2026, 11, 30), 3, D(2027, 2, 28)},
		{D(2026, 3, 15), -3, D(2025, 12, 15)},
		{D(2026, 1, 15), -13, D(2024, 12, 15)},
		{D(2026, 8, 31), 84, D(2033, 8, 31)},
	} {
		if got := tt.from.AddMonths(tt.n); got != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	d, err := ParseDate("2024-02-29")
	if err != nil || d != D(2024, 2, 29) {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	for _, bad := range []string{"2025-02-29", "29-02-2024", "", "2024-2-1"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted an invalid date", bad)
		}
	}
}

func genDate(t *rapid.T, label string) Date {
	return D(2020, 1, 1).AddDays(rapid.IntRange(0, 365*30).Draw(t, label))
}

func TestWorkingDayProperties(t *testing.T) {
	t.Parallel()
	cals := []*Calendar{MustNew(ProfileNL), MustNew(ProfileNLATW, "ascension+1")}
	rapid.Check(t, func(t *rapid.T) {
		cal := cals[rapid.IntRange(0, 1).Draw(t, "cal")]
		from := genDate(t, "from")
		n := rapid.IntRange(1, 60).Draw(t, "n")
		due, _ := cal.AddWorkingDays(from, n)
		if !cal.IsWorkingDay(due) {
			t.Fatalf("due %s is not a working day", due)
		}
		if got := cal.WorkingDaysBetween(from, due); got != n {
			t.Fatalf("%d working days between %s and %s, want %d", got, from, due, n)
		}
		next, _ := cal.AddWorkingDays(from, n+1)
		if !next.After(due) {
			t.Fatalf("N+1 working days (%s) does not end after N (%s)", next, due)
		}
		later := from.AddDays(rapid.IntRange(1, 40).Draw(t, "later"))
		if due2, _ := cal.AddWorkingDays(later, n); due2.Before(due) {
			t.Fatalf("receipt moved later (%s -> %s) but due moved earlier (%s -> %s)", from, later, due, due2)
		}
		nwd, _ := cal.NextWorkingDay(from)
		if !cal.IsWorkingDay(nwd) || nwd.Before(from) || nwd.DaysUntil(from) > 0 {
			t.Fatalf("NextWorkingDay(%s) = %s", from, nwd)
		}
	})
}

func TestDateProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		d := genDate(t, "d")
		n := rapid.IntRange(-500, 500).Draw(t, "n")
		if got := d.AddDays(n); d.DaysUntil(got) != n {
			t.Fatalf("%s + %d days = %s, DaysUntil = %d", d, n, got, d.DaysUntil(got))
		}
		m := rapid.IntRange(0, 120).Draw(t, "m")
		am := d.AddMonths(m)
		if am.Before(d) || am.Day > d.Day {
			t.Fatalf("%s + %d months = %s", d, m, am)
		}
		back, err := ParseDate(d.String())
		if err != nil || back != d {
			t.Fatalf("round trip of %s gave %s, %v", d, back, err)
		}
		if d.Weekday() != time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Weekday() {
			t.Fatalf("weekday of %s", d)
		}
	})
}
