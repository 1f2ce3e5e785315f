package document

import (
	"fmt"
	"path"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
)

// Reasons a file is refused: stable codes under apperr.Error.Reason, part of
// the API, for forms to pick a message and for logs and tests to match.
const (
	ReasonTypeNotAllowed  = "file_type_not_allowed"
	ReasonTooLarge        = "file_too_large"
	ReasonEmpty           = "file_empty"
	ReasonTooManyFiles    = "too_many_files"
	ReasonArchiveEntries  = "archive_too_many_entries"
	ReasonArchiveSize     = "archive_uncompressed_too_large"
	ReasonArchiveRatio    = "archive_compression_ratio"
	ReasonArchiveDepth    = "archive_nesting_too_deep"
	ReasonArchiveDamaged  = "archive_damaged"
	ReasonVirus           = "virus_found"
	ReasonVirusScanFailed = "virus_scan_failed"
)

// FieldEvidence is the form field that refusals concern.
const FieldEvidence = "evidence"

// Refusal is why one uploaded file was not accepted. It wraps an
// *apperr.Error (code invalid, field "evidence", the reason, a Dutch
// message), so apperr.CodeOf and apperr.MessageOf work on it; its other
// fields let a screen say the same in another language (Message) and let
// the caller log what was found.
type Refusal struct {
	// Reason is one of the Reason constants.
	Reason string
	// File is the sanitised name of the file refused; empty for
	// ReasonTooManyFiles.
	File string
	// Detected is the content type found, for ReasonTypeNotAllowed.
	Detected string
	// Allowed are the display names of the allowed formats, for
	// ReasonTypeNotAllowed.
	Allowed []string
	// Limit is the limit that was passed: bytes for sizes, a count for
	// files and entries, a factor for ratios, a depth for nesting.
	Limit int64
	// Virus is the signature clamd found, for ReasonVirus: log it.
	Virus string
	// Cause is the underlying error for ReasonVirusScanFailed and
	// ReasonArchiveDamaged: log it, do not show it.
	Cause error

	err *apperr.Error
}

// Error returns the Dutch message with the field.
func (r *Refusal) Error() string { return r.err.Error() }

// Unwrap gives the *apperr.Error and the cause to errors.Is and errors.As.
func (r *Refusal) Unwrap() []error {
	if r.Cause != nil {
		return []error{r.err, r.Cause}
	}
	return []error{r.err}
}

// Message returns the message for a person in lang: "en" for English,
// anything else for Dutch. Plain language: what happened and what to do.
func (r *Refusal) Message(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return r.english()
	}
	return r.dutch()
}

func newRefusal(reason, file string) *Refusal {
	return &Refusal{Reason: reason, File: file}
}

// done sets the wrapped apperr.Error once the fields are filled in.
func (r *Refusal) done() *Refusal {
	code := apperr.Invalid
	if r.Reason == ReasonVirusScanFailed {
		// Not the person's fault: the scanner is down or misconfigured.
		code = apperr.Internal
	}
	r.err = &apperr.Error{Code: code, Field: FieldEvidence, Reason: r.Reason, Message: r.dutch()}
	return r
}

func mb(n int64) int64 { return (n + megabyte - 1) / megabyte }

func (r *Refusal) dutch() string {
	f := r.File
	switch r.Reason {
	case ReasonTypeNotAllowed:
		msg := fmt.Sprintf("We kunnen %q niet aannemen: dit soort bestand is niet toegestaan. U kunt deze soorten bestanden sturen: %s.", f, joinList(r.Allowed, "en"))
		if ext := renamedAs(f, r.Allowed); ext != "" {
			msg += fmt.Sprintf(" De naam eindigt op .%s, maar het bestand is geen %s.", strings.ToLower(ext), ext)
		}
		return msg
	case ReasonTooLarge:
		return fmt.Sprintf("%q is te groot. Een bestand mag ten hoogste %d MB zijn. Maak het bestand kleiner of stuur het in delen.", f, mb(r.Limit))
	case ReasonEmpty:
		return fmt.Sprintf("%q is leeg. Kies het bestand opnieuw.", f)
	case ReasonTooManyFiles:
		return fmt.Sprintf("U kunt ten hoogste %d bestanden meesturen.", r.Limit)
	case ReasonArchiveEntries:
		return fmt.Sprintf("%q bevat te veel bestanden (ten hoogste %d). Stuur minder bestanden tegelijk.", f, r.Limit)
	case ReasonArchiveSize:
		return fmt.Sprintf("%q wordt uitgepakt te groot (ten hoogste %d MB). Stuur de bestanden los of in delen.", f, mb(r.Limit))
	case ReasonArchiveRatio:
		return fmt.Sprintf("%q wordt uitgepakt meer dan %d keer zo groot. Zo'n bestand nemen we niet aan, omdat het computers kan overbelasten. Stuur de bestanden los.", f, r.Limit)
	case ReasonArchiveDepth:
		return fmt.Sprintf("%q bevat ingepakte bestanden in ingepakte bestanden, meer dan %d lagen diep. Pak ze uit en stuur de bestanden los.", f, r.Limit)
	case ReasonArchiveDamaged:
		return fmt.Sprintf("%q is beschadigd of kunnen we niet openen. Sla het opnieuw op en probeer het nog eens, of stuur de bestanden los.", f)
	case ReasonVirus:
		return fmt.Sprintf("In %q is een virus gevonden. We hebben het bestand niet aangenomen. Laat uw computer of telefoon controleren en stuur daarna een schoon bestand.", f)
	case ReasonVirusScanFailed:
		return fmt.Sprintf("We konden %q nu niet op virussen controleren. Probeer het later opnieuw.", f)
	}
	return fmt.Sprintf("We kunnen %q niet aannemen.", f)
}

func (r *Refusal) english() string {
	f := r.File
	switch r.Reason {
	case ReasonTypeNotAllowed:
		msg := fmt.Sprintf("We cannot accept %q: this kind of file is not allowed. You can send these kinds of files: %s.", f, joinList(r.Allowed, "and"))
		if ext := renamedAs(f, r.Allowed); ext != "" {
			msg += fmt.Sprintf(" Its name ends in .%s, but it is not a %s file.", strings.ToLower(ext), ext)
		}
		return msg
	case ReasonTooLarge:
		return fmt.Sprintf("%q is too large. A file may be at most %d MB. Make the file smaller or send it in parts.", f, mb(r.Limit))
	case ReasonEmpty:
		return fmt.Sprintf("%q is empty. Please choose the file again.", f)
	case ReasonTooManyFiles:
		return fmt.Sprintf("You can send at most %d files.", r.Limit)
	case ReasonArchiveEntries:
		return fmt.Sprintf("%q holds too many files (at most %d). Send fewer files at once.", f, r.Limit)
	case ReasonArchiveSize:
		return fmt.Sprintf("%q becomes too large when unpacked (at most %d MB). Send the files separately or in parts.", f, mb(r.Limit))
	case ReasonArchiveRatio:
		return fmt.Sprintf("%q becomes more than %d times larger when unpacked. We do not accept such files, because they can overload computers. Send the files separately.", f, r.Limit)
	case ReasonArchiveDepth:
		return fmt.Sprintf("%q holds packed files inside packed files, more than %d levels deep. Unpack them and send the files separately.", f, r.Limit)
	case ReasonArchiveDamaged:
		return fmt.Sprintf("%q is damaged or cannot be opened. Save it again and retry, or send the files separately.", f)
	case ReasonVirus:
		return fmt.Sprintf("A virus was found in %q. We did not accept the file. Have your computer or phone checked, then send a clean file.", f)
	case ReasonVirusScanFailed:
		return fmt.Sprintf("We could not check %q for viruses just now. Please try again later.", f)
	}
	return fmt.Sprintf("We cannot accept %q.", f)
}

// renamedAs returns the label of an allowed format that the file's name
// claims (".pdf") although its content is something else; "" otherwise.
func renamedAs(name string, allowed []string) string {
	ext := strings.TrimPrefix(path.Ext(name), ".")
	if ext == "" {
		return ""
	}
	for _, a := range allowed {
		if strings.EqualFold(a, ext) {
			return a
		}
	}
	return ""
}
