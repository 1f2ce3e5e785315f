package reglement

import "github.com/gegrond/gegrond/internal/calendar"

type calendarDate = calendar.Date

var fuzzDay = calendar.D(2026, 12, 22)
