package api

import (
	"fmt"
	"net/http"
	"slices"
	"unicode"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
)

// maxIdempotencyKey is the longest Idempotency-Key accepted, in bytes.
const maxIdempotencyKey = 200

// createCase registers a complaint: POST /cases with a NewComplaint body.
// The Idempotency-Key header makes a retry safe: the same key in the
// organisation returns the case the first request created, with 200
// instead of 201.
func (a *API) createCase(w http.ResponseWriter, r *http.Request, who *principal) error {
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var in complaint.NewComplaint
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	if err := refuseDerived(body); err != nil {
		return err
	}
	for i, d := range in.Documents {
		if err := refuseFileFields(fmt.Sprintf("documents[%d].", i), d); err != nil {
			return err
		}
	}
	view, created, err := a.svc.CreateCase(r.Context(), who.orgID, who.caller, in, key)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/cases/"+view.Number)
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	return writeJSON(w, status, view)
}

// refuseFileFields refuses a document that names a stored file: the id,
// type and size of a file are Gegrond's to record when it receives one
// (web form, portal, e-mail), never a client's, so that no case can claim
// a file it did not receive.
func refuseFileFields(prefix string, d complaint.DocumentPayload) error {
	for _, f := range []struct {
		name string
		set  bool
	}{{"document_id", d.DocumentID != ""}, {"mime", d.MIME != ""}, {"size", d.Size != 0}} {
		if f.set {
			return apperr.Field(prefix+f.name, "is set by Gegrond when it receives a file; record the document without it").WithReason("derived_field")
		}
	}
	return nil
}

// derivedFields are members of the intake that Gegrond sets itself (the
// kind, the regulation, the time bar): a client that sends them is told,
// rather than have them overwritten or, worse, kept.
var derivedFields = []string{"kind", "reglement_id", "reglement_version", "reglement_revision",
	"time_barred", "time_bar_ground", "time_bar_source"}

// refuseDerived refuses a top-level member of body that is a derived field.
func refuseDerived(body []byte) error {
	var err error
	walkJSON(body, func(path string, key bool, start, _ int64) bool {
		if key && slices.Contains(derivedFields, path) {
			err = apperr.Field(path, "is set by Gegrond, not by the client (at %s)", position(body, skipSeparators(body, start))).WithReason("derived_field")
			return false
		}
		return true
	})
	return err
}

// idempotencyKey reads the optional Idempotency-Key header.
func idempotencyKey(r *http.Request) (string, error) {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey {
		return "", apperr.Field("Idempotency-Key", "the key is %d bytes long; at most %d are allowed", len(key), maxIdempotencyKey).WithReason("idempotency_key")
	}
	for _, c := range key {
		if c > unicode.MaxASCII || !unicode.IsPrint(c) {
			return "", apperr.Field("Idempotency-Key", "the key may hold only printable ASCII characters").WithReason("idempotency_key")
		}
	}
	return key, nil
}
