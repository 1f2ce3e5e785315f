package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Profile names a set of public holidays.
type Profile string

const (
	// ProfileNL is the common Dutch office calendar: Good Friday is a working
	// day and Liberation Day is a day off only in years divisible by 5.
	ProfileNL Profile = "nl"
	// ProfileNLATW follows Algemene termijnenwet art. 3: Good Friday and
	// 5 May every year are holidays too.
	ProfileNLATW Profile = "nl-atw"
)

// Profiles lists the known profiles.
var Profiles = []Profile{ProfileNL, ProfileNLATW}

// Calendar decides which days are working days: Monday to Friday, not a
// public holiday of its profile and not one of its extra closing days.
type Calendar struct {
	profile Profile
	extra   []closingRule
}

// closingRule is one extra closing day of an organisation: a fixed date, a
// yearly month-day, or a day relative to Easter Sunday.
type closingRule struct {
	spec        string
	date        Date       // fixed date, when set
	month       time.Month // yearly, when set
	day         int
	easterShift int // relative to Easter, when isEaster
	isEaster    bool
}

// New returns a calendar for profile with extra closing days. Each extra day
// is one of: "2026-12-31" (that date), "12-31" (every year), or a holiday key
// with an offset in days relative to Easter Sunday: "easter+40" is the
// Friday after Ascension, also written "ascension+1".
func New(profile Profile, extra ...string) (*Calendar, error) {
	switch profile {
	case ProfileNL, ProfileNLATW:
	case "":
		profile = ProfileNL
	default:
		return nil, fmt.Errorf("unknown calendar profile %q; expected nl or nl-atw", profile)
	}
	c := &Calendar{profile: profile}
	for _, s := range extra {
		r, err := parseClosing(s)
		if err != nil {
			return nil, err
		}
		c.extra = append(c.extra, r)
	}
	return c, nil
}

// MustNew is New for known-good arguments; it panics on error.
func MustNew(profile Profile, extra ...string) *Calendar {
	c, err := New(profile, extra...)
	if err != nil {
		panic(err)
	}
	return c
}

// Profile returns the calendar's holiday profile.
func (c *Calendar) Profile() Profile { return c.profile }

// easterKeys maps the names usable in an Easter-relative closing day to their
// offset from Easter Sunday.
var easterKeys = map[string]int{
	"goodfriday": -2,
	"easter":     0,
	"ascension":  39,
	"whitsun":    49,
	"pentecost":  49,
}

func parseClosing(s string) (closingRule, error) {
	orig := s
	s = strings.TrimSpace(strings.ToLower(s))
	bad := fmt.Errorf("invalid closing day %q: expected YYYY-MM-DD, MM-DD or an Easter-relative day such as ascension+1", orig)
	if d, err := ParseDate(s); err == nil {
		return closingRule{spec: orig, date: d}, nil
	}
	if len(s) == 5 && s[2] == '-' {
		m, err1 := strconv.Atoi(s[:2])
		d, err2 := strconv.Atoi(s[3:])
		if err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 || d > daysIn(2024, time.Month(m)) {
			return closingRule{}, bad
		}
		return closingRule{spec: orig, month: time.Month(m), day: d}, nil
	}
	key, off := s, 0
	if i := strings.IndexAny(s, "+-"); i > 0 {
		n, err := strconv.Atoi(s[i:])
		if err != nil {
			return closingRule{}, bad
		}
		key, off = s[:i], n
	}
	base, ok := easterKeys[key]
	if !ok {
		return closingRule{}, bad
	}
	return closingRule{spec: orig, isEaster: true, easterShift: base + off}, nil
}

func (r closingRule) matches(d Date) bool {
	switch {
	case !r.date.IsZero():
		return r.date == d
	case r.isEaster:
		return Easter(d.Year).AddDays(r.easterShift) == d
	default:
		return r.month == d.Month && r.day == d.Day
	}
}

// Easter returns Easter Sunday of year (Gregorian, anonymous computus).
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{year, time.Month(month), day}
}

// Holiday returns the Dutch name of the public holiday or closing day on d,
// if d is one in this calendar.
func (c *Calendar) Holiday(d Date) (string, bool) {
	easter := Easter(d.Year)
	switch {
	case d.Month == time.January && d.Day == 1:
		return "Nieuwjaarsdag", true
	case d == easter.AddDays(-2) && c.profile == ProfileNLATW:
		return "Goede Vrijdag", true
	case d == easter:
		return "Eerste Paasdag", true
	case d == easter.AddDays(1):
		return "Tweede Paasdag", true
	case d == kingsDay(d.Year):
		return "Koningsdag", true
	case d.Month == time.May && d.Day == 5 && (c.profile == ProfileNLATW || d.Year%5 == 0):
		return "Bevrijdingsdag", true
	case d == easter.AddDays(39):
		return "Hemelvaartsdag", true
	case d == easter.AddDays(49):
		return "Eerste Pinksterdag", true
	case d == easter.AddDays(50):
		return "Tweede Pinksterdag", true
	case d.Month == time.December && d.Day == 25:
		return "Eerste Kerstdag", true
	case d.Month == time.December && d.Day == 26:
		return "Tweede Kerstdag", true
	}
	for _, r := range c.extra {
		if r.matches(d) {
			return "sluitingsdag", true
		}
	}
	return "", false
}

// kingsDay is 27 April, or 26 April when the 27th is a Sunday.
func kingsDay(year int) Date {
	d := Date{year, time.April, 27}
	if d.Weekday() == time.Sunday {
		return Date{year, time.April, 26}
	}
	return d
}

// IsWorkingDay reports whether d is Monday to Friday and no holiday.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, hol := c.Holiday(d)
	return !hol
}

// Skipped is a non-weekend day that a computation passed over because it was
// a holiday or closing day.
type Skipped struct {
	Date Date
	Name string
}

// AddWorkingDays returns the nth working day strictly after d (d itself
// never counts), with the holidays on weekdays passed over on the way.
// n must be at least 1; for n <= 0 it returns d.
func (c *Calendar) AddWorkingDays(d Date, n int) (Date, []Skipped) {
	var skipped []Skipped
	for n > 0 {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			n--
			continue
		}
		skipped = c.noteHoliday(skipped, d)
	}
	return d, skipped
}

// NextWorkingDay returns d when it is a working day, otherwise the first
// working day after it (Algemene termijnenwet art. 1), with the holidays on
// weekdays passed over.
func (c *Calendar) NextWorkingDay(d Date) (Date, []Skipped) {
	var skipped []Skipped
	for !c.IsWorkingDay(d) {
		skipped = c.noteHoliday(skipped, d)
		d = d.AddDays(1)
	}
	return d, skipped
}

// WorkingDaysBetween counts the working days in (from, to]: the days after
// from up to and including to. It is negative when to is before from.
func (c *Calendar) WorkingDaysBetween(from, to Date) int {
	if to.Before(from) {
		return -c.WorkingDaysBetween(to, from)
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

func (c *Calendar) noteHoliday(skipped []Skipped, d Date) []Skipped {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return skipped
	}
	if name, ok := c.Holiday(d); ok {
		return append(skipped, Skipped{Date: d, Name: name})
	}
	return skipped
}
