package api

import (
	"bytes"
	"net/http"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// postedInput is the body of POST /letters/{id}/posted.
type postedInput struct {
	// On is the date the letter was posted; empty is today.
	On calendar.Date `json:"on"`
}

// letterWriters are the roles that write letters, and so record that a
// letter by post went out: the service's rule for writing them.
var letterWriters = []reglement.Role{reglement.RoleHandler, reglement.RoleBoard, reglement.RoleReceiver}

// markLetterPosted records that a letter by post was posted, and performs
// the case action the letter stands for (an acknowledgement counts as
// given). A letter already marked posted is answered as it is.
func (a *API) markLetterPosted(w http.ResponseWriter, r *http.Request, who *principal) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var in postedInput
	if len(bytes.TrimSpace(body)) > 0 {
		if err := decodeStrict(body, &in); err != nil {
			return err
		}
	}
	if !hasAnyRole(who, letterWriters...) {
		return apperr.New(apperr.Forbidden, "only a handler, the board or a receiver of complaints records that a letter was posted").WithReason("role")
	}
	l, err := a.svc.MarkPosted(r.Context(), who.orgID, r.PathValue("id"), who.caller, in.On)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewLetter(l))
}

// resendLetter queues a failed e-mail again. Only a failed e-mail can be
// sent again: another letter is a conflict with reason letter_<state>.
func (a *API) resendLetter(w http.ResponseWriter, r *http.Request, who *principal) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := checkObject(body); err != nil {
		return err
	}
	l, err := a.svc.ResendLetter(r.Context(), who.orgID, r.PathValue("id"), who.caller)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewLetter(l))
}

// hasAnyRole reports whether the caller holds one of the roles in their
// organisation.
func hasAnyRole(who *principal, roles ...reglement.Role) bool {
	for _, role := range roles {
		if who.caller.Has(role) {
			return true
		}
	}
	return false
}
