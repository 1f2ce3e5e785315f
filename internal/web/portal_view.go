package web

import (
	"slices"
	"strconv"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/service"
)

var (
	viewPortal      = view("portal")
	viewPortalRenew = view("portal_renew")
)

// portalData is the portal page of one case.
type portalData struct {
	Org    string
	Token  string
	Number string
	// State says in plain words where the case stands; Outcome how it
	// ended, when it did.
	State, Outcome string
	Expires        string
	Deadlines      []complainantTerm
	Letters        []portalFile
	Documents      []portalFile
	Timeline       []timelineEntry
	// Done is the message after an action succeeded.
	Done string

	// The forms the regulation offers the complainant now.
	Evidence     bool
	EvidenceHint string
	Statement    bool
	Inspection   bool
	Hearing      bool
	Withdraw     bool
	// Proposal is the proposed solution awaiting an answer.
	Proposal string
	Answer   bool

	// Refused is the message of a refused action whose form is not
	// offered any more (asked twice, the case moved on): shown at the top.
	Refused string
	// Form holds what was posted and its messages; FormFor names the form
	// it belongs to (an action slug, or "bewijs").
	Form    *form
	FormFor string
}

// portalFile is a letter or document to download.
type portalFile struct {
	Name, Date, Size, URL string
}

// FormOf returns the posted form when it belongs to the form named, else
// an empty one: each form shows only its own messages and values.
func (d portalData) FormOf(name string) *form {
	if d.FormFor == name && d.Form != nil {
		return d.Form
	}
	return newForm()
}

// newPortalData builds the page from the case as the complainant sees it.
func newPortalData(l lang, token string, pv service.PortalView, today calendar.Date, f *form, formFor string) portalData {
	v := pv.Case
	st := &v.Case
	d := portalData{Org: v.Policy.Organisation, Token: token, Number: v.Number, Form: f, FormFor: formFor,
		Expires: formatDate(calendar.FromTime(pv.Link.ExpiresAt))}
	phase := string(st.Phase)
	if st.IsRemark() {
		phase = "remark"
	}
	d.State = l.t("portal.state." + phase)
	if !st.IsOpen() && st.Outcome != "" {
		d.Outcome = outcomeName(l, v.Policy, st.Outcome)
	}
	d.Deadlines = complainantTerms(l, v, today)
	for _, lt := range pv.Letters {
		d.Letters = append(d.Letters, portalFile{Name: msgOr(l, "rg.letter."+lt.Kind, lt.Subject), Date: formatDate(lt.Date),
			URL: portalPath(token, "brieven", lt.ID)})
	}
	for _, doc := range pv.Documents {
		if doc.DocumentID == "" {
			continue
		}
		d.Documents = append(d.Documents, portalFile{Name: doc.Name, Size: sizeText(doc.Size),
			URL: portalPath(token, "documenten", doc.DocumentID)})
	}
	for _, e := range pv.Timeline {
		entry := eventEntry(l, v.Policy, e)
		entry.Who = ""
		// Only the complainant's own words are shown; staff texts stay
		// in the case file.
		if e.Actor.Kind != complaint.ActorComplainant || e.Type == complaint.EvReceived {
			entry.Text = ""
		}
		d.Timeline = append(d.Timeline, entry)
	}
	slices.Reverse(d.Timeline)
	allowed := func(a complaint.Action) bool { return slices.Contains(v.Allowed, a) }
	if allowed(complaint.ActAddDocument) {
		if p, err := publicPolicy(v.Policy); err == nil {
			d.Evidence, d.EvidenceHint = true, evidencePolicyText(l, p)
		}
	}
	d.Statement = allowed(complaint.ActAddStatementOfView)
	d.Inspection = allowed(complaint.ActRequestInspection)
	d.Hearing = allowed(complaint.ActRequestHearing)
	d.Withdraw = allowed(complaint.ActWithdraw)
	if allowed(complaint.ActAnswerProposal) && st.Proposal != nil {
		d.Answer, d.Proposal = true, st.Proposal.Text
	}
	shown := map[string]bool{"bewijs": d.Evidence, "zienswijze": d.Statement, "inzage": d.Inspection,
		"gesprek": d.Hearing, "voorstel": d.Answer, "intrekken": d.Withdraw}
	if formFor != "" && f != nil && f.Error != "" && !shown[formFor] {
		d.Refused = f.Error
	}
	return d
}

// sizeText writes a file size for people: 12 kB, 3.4 MB.
func sizeText(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1<<20:
		return strconv.FormatInt(max(n>>10, 1), 10) + " kB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}
