package zipcrypt

import (
	"errors"
	"fmt"
)

// ErrWrongPassword means the password does not open an encrypted entry.
var ErrWrongPassword = errors.New("wrong password for the archive: check the password the complainant sent separately (capitals, spaces and punctuation count)")

// ErrCorrupt means the archive is damaged, cut short or was altered: its
// structure is broken, or a checksum or authentication code does not match.
var ErrCorrupt = errors.New("the archive is damaged or was altered: ask the complainant to send it again")

// ErrUnsupported means the archive uses encryption or compression that this
// package cannot read.
var ErrUnsupported = errors.New("the archive uses encryption or compression that cannot be opened here: ask the complainant to send it again as a ZIP encrypted with AES-256 (for example with 7-Zip or WinZip)")

// ErrLimit means the archive holds more than Limits allow: a decompression
// bomb, or simply too much.
var ErrLimit = errors.New("the archive holds more than is allowed: ask the complainant to send fewer or smaller files, spread over several archives")

// entryError reports what is wrong with one entry.
func entryError(name, detail string, kind error) error {
	return fmt.Errorf("zip entry %q: %s: %w", name, detail, kind)
}

// archiveError reports what is wrong with the archive as a whole.
func archiveError(detail string, kind error) error {
	return fmt.Errorf("zip archive: %s: %w", detail, kind)
}
