package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// newLetter is the body of POST /cases/{number}/letters.
type newLetter struct {
	Kind reglement.LetterKind `json:"kind"`
	// To is the recipient; nil lets the case name them, when the
	// regulation's recipients of the kind come to exactly one person.
	To *letterTo `json:"to"`
	// Channel is email or post; empty is email when the recipient has an
	// e-mail address, post otherwise.
	Channel store.LetterChannel `json:"channel"`
}

// letterTo is a recipient as the client names them.
type letterTo struct {
	Name    string          `json:"name"`
	Email   string          `json:"email"`
	Address string          `json:"address"`
	Party   reglement.Party `json:"party"`
}

// sendLetter writes a letter of the case and queues it: POST
// /cases/{number}/letters. The answer is the letter, 201. A letter that
// lacks a content the regulation requires is a 409 with reason
// letter_contents_missing and the missing items in the member "missing".
func (a *API) sendLetter(w http.ResponseWriter, r *http.Request, who *principal) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var in newLetter
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	in.Kind = reglement.LetterKind(strings.TrimSpace(string(in.Kind)))
	if in.Kind == "" {
		return apperr.Field("kind", "missing; name the kind of letter, one of %s", kindList())
	}
	if !slices.Contains(reglement.LetterKinds, in.Kind) {
		return apperr.Field("kind", "unknown letter kind %q; expected one of %s", in.Kind, kindList())
	}
	number := r.PathValue("number")
	var to letter.Recipient
	if in.To != nil {
		to = letter.Recipient{Name: in.To.Name, Email: in.To.Email, Address: in.To.Address, Party: in.To.Party}
	} else if to, err = a.deriveRecipient(r.Context(), who, number, in.Kind); err != nil {
		return err
	}
	l, err := a.svc.SendLetter(r.Context(), who.orgID, number, who.caller, in.Kind, to, in.Channel)
	if me, ok := errors.AsType[*letter.MissingError](err); ok {
		return a.writeMissing(w, r, me)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/letters/"+l.ID)
	return writeJSON(w, http.StatusCreated, viewLetter(l))
}

// kindList names the letter kinds for a message.
func kindList() string {
	kinds := make([]string, len(reglement.LetterKinds))
	for i, k := range reglement.LetterKinds {
		kinds[i] = string(k)
	}
	return strings.Join(kinds, ", ")
}

// deriveRecipient is the one person the case and its regulation name as
// the recipient of a letter of kind. None or several is invalid input:
// the client names the recipient in "to".
func (a *API) deriveRecipient(ctx context.Context, who *principal, number string, kind reglement.LetterKind) (letter.Recipient, error) {
	view, err := a.svc.Case(ctx, who.orgID, number, who.caller)
	if err != nil {
		return letter.Recipient{}, err
	}
	rs := letter.Recipients(kind, view.Case, view.Policy)
	switch len(rs) {
	case 1:
		return rs[0], nil
	case 0:
		return letter.Recipient{}, apperr.Field("to", "case %s names nobody to send a %s letter to; name the recipient in \"to\"", number, kind)
	}
	names := make([]string, len(rs))
	for i, rc := range rs {
		names[i] = rc.Name + " (" + string(rc.Party) + ")"
	}
	return letter.Recipient{}, apperr.Field("to", "a %s letter of case %s goes to %s; name one recipient in \"to\" for each letter", kind, number, strings.Join(names, ", "))
}

// missingProblem is the problem of a letter that lacks required contents:
// a conflict with the missing items as the extension member "missing".
type missingProblem struct {
	problem
	Missing []letter.MissingItem `json:"missing"`
}

// writeMissing answers a *letter.MissingError as a conflict listing each
// missing item, its article and the action that records it.
func (a *API) writeMissing(w http.ResponseWriter, r *http.Request, me *letter.MissingError) error {
	code := apperr.CodeOf(me)
	kind, ok := problems[code]
	var e *apperr.Error
	if !ok || code == apperr.Internal || !errors.As(error(me), &e) {
		return me
	}
	p := missingProblem{
		problem: problem{Type: problemTypeBase + string(code), Title: kind.title, Status: kind.status, Code: code,
			Detail: e.Message, Reason: e.Reason, Field: e.Field},
		Missing: me.Items,
	}
	if p.Missing == nil {
		p.Missing = []letter.MissingItem{}
	}
	if err := writeBody(w, "application/problem+json", kind.status, p); err != nil {
		a.log.Error("api: write problem", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return nil
}
