package store

import (
	"errors"
	"fmt"

	"github.com/gegrond/gegrond/internal/apperr"
)

// wrap adds the operation to an internal error for the log. An
// *apperr.Error is returned as it is: its message is meant for a person.
func wrap(op string, err error) error {
	var e *apperr.Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("store: %s: %w", op, err)
}
