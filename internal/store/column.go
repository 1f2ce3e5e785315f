package store

import (
	"fmt"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
)

// dateColumn scans a date column of either engine (SQLite text, PostgreSQL
// date) into a calendar.Date; NULL is the zero date.
type dateColumn struct{ d *calendar.Date }

// Scan implements sql.Scanner.
func (c dateColumn) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.d = calendar.Date{}
	case time.Time:
		// PostgreSQL dates arrive as midnight UTC.
		*c.d = calendar.FromTime(v.UTC())
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("cannot scan %T into a date", src)
	}
	return nil
}

func (c dateColumn) parse(s string) error {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return err
	}
	*c.d = d
	return nil
}

// timeColumn scans a timestamp column of either engine (SQLite text in
// timeLayout, PostgreSQL timestamptz) into a UTC time; NULL is the zero time.
type timeColumn struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeColumn) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = v.UTC()
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("cannot scan %T into a time", src)
	}
	return nil
}

func (c timeColumn) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("cannot read time %q: %w", s, err)
	}
	*c.t = t.UTC()
	return nil
}
