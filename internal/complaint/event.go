// Package complaint is the case as a fold over its events: Apply folds an
// event into a state, Decide turns a command into events under the case's
// regulation, and the deadlines and allowed actions of a state are computed
// from the two. It reads no clock and does no I/O.
package complaint

import (
	"encoding/json"
	"time"
)

// EventType names what happened in a case.
type EventType string

// Event is one entry of a case's log. Payload is the type's JSON body; it
// may hold personal data, which retention can erase later (see store).
type Event struct {
	// Seq numbers the events of one case from 1.
	Seq     int             `json:"seq"`
	Type    EventType       `json:"type"`
	Actor   Actor           `json:"actor"`
	At      time.Time       `json:"at"`
	Payload json.RawMessage `json:"payload"`
}

// Actor is who caused an event.
type Actor struct {
	// UserID is the staff member, empty for the complainant or the system.
	UserID string `json:"user_id,omitempty"`
	// Name is shown in the timeline.
	Name string `json:"name"`
	// Kind is "user", "complainant" or "system".
	Kind string `json:"kind"`
}
