package letter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// planned is one content a letter will hold.
type planned struct {
	Item, Text, Source string
	Required           bool
}

// basics are the contents without which a letter of the kind makes no
// sense, whatever the regulation lists: they are always required. The text
// is shown to the handler when one is missing.
var basics = map[reglement.LetterKind][]reglement.ContentItem{
	reglement.LetterAcknowledgement: {{Item: "received_date", Text: "De datum waarop de klacht is ontvangen."}},
	reglement.LetterInadmissibility: {{Item: "ground", Text: "De grond waarop de klacht niet in behandeling wordt genomen."}},
	reglement.LetterExtension:       {{Item: "new_due_date", Text: "De nieuwe datum voor het besluit."}},
	reglement.LetterAccusedNotice:   {{Item: "complaint_summary", Text: "De klacht waarover de medewerker bericht krijgt."}},
	reglement.LetterContactCopy:     {{Item: "complaint_summary", Text: "De klacht waarvan de contactpersoon een afschrift krijgt."}},
	reglement.LetterLabourExpert:    {{Item: "received_date", Text: "De datum waarop de klacht is ontvangen."}},
	reglement.LetterHearingInvite:   {{Item: "hearing_date", Text: "De datum van het gesprek."}},
	reglement.LetterHearingReport:   {{Item: "hearing_report", Text: "Het verslag van het gesprek (een document van de soort hearing_report in het dossier)."}},
	reglement.LetterProposalConfirm: {{Item: "proposal", Text: "Het voorstel tot oplossing."}},
	reglement.LetterDecision:        {{Item: "judgment", Text: "Het oordeel over de klacht."}},
	reglement.LetterClosing:         {{Item: "closing_date", Text: "De datum waarop de klacht is afgesloten."}},
	reglement.LetterReportToParties: {{Item: "resolution_summary", Text: "Hoe en wanneer de klacht is opgelost."}},
}

// defaults are the contents a letter of the kind shows when the case holds
// them, beyond what the regulation requires.
var defaults = map[reglement.LetterKind][]string{
	reglement.LetterAcknowledgement: {"received_date", "incident_date", "incident_place", "complaint_summary",
		"handler_name", "handler_function", "handler_contact", "expected_term", "procedure"},
	reglement.LetterInadmissibility: {"received_date", "complaint_summary", "ground", "motivation", "referral"},
	reglement.LetterExtension:       {"received_date", "extension_reason", "new_due_date"},
	reglement.LetterAccusedNotice:   {"received_date", "complaint_summary", "handler_name", "handler_contact", "procedure"},
	reglement.LetterContactCopy:     {"received_date", "complaint_summary", "handler_name", "handler_contact"},
	reglement.LetterLabourExpert:    {"received_date", "handler_name", "handler_contact"},
	reglement.LetterHearingInvite:   {"hearing_date", "complaint_summary", "handler_name", "handler_contact"},
	reglement.LetterHearingReport:   {"hearing_date", "hearing_report"},
	reglement.LetterProposalConfirm: {"proposal", "complainant_response", "handler_name", "handler_contact"},
	reglement.LetterDecision:        {"complaint_summary", "judgment", "motivation", "measures", "referral"},
	reglement.LetterClosing:         {"closing_date", "outcome", "resolution_summary"},
	reglement.LetterReportToParties: {"resolution_summary", "measures"},
}

// alike are keys that say the same thing: an optional one is left out when
// its twin is already in the letter.
var alike = map[string]string{
	"facts": "complaint_summary", "complaint_summary": "facts",
	"motivation": "motivated_position", "motivated_position": "motivation",
	"judgment": "outcome", "outcome": "judgment",
}

// order is the order of the contents in a letter: a reader first meets the
// complaint, then who handles it, then what was decided, then what comes
// next.
var order = []string{
	"case_number", "received_date", "acknowledgement_date", "incident_date", "incident_place",
	"hearing_date", "new_due_date", "closing_date", "facts", "complaint_summary",
	"incident_circumstances", "handler_name", "handler_function", "handler_contact",
	"hearing_report", "proposal", "complainant_response", "extension_reason", "ground",
	"facts_as_seen", "motivated_position", "judgment", "motivation", "outcome",
	"resolution_summary", "measures", "expected_term", "procedure", "referral",
	"regulation_document",
}

// planContents lists the contents of a letter of kind: the regulation's
// required contents and the kind's basics (required), then the kind's
// defaults (optional), in reading order. It also returns the regulation's
// letter, nil when the regulation does not list the kind.
func planContents(kind reglement.LetterKind, r *reglement.Reglement) ([]planned, *reglement.Letter) {
	var reg *reglement.Letter
	for i := range r.Letters {
		if r.Letters[i].Kind == kind {
			reg = &r.Letters[i]
			break
		}
	}
	var out []planned
	has := func(item string) bool {
		return slices.ContainsFunc(out, func(p planned) bool { return p.Item == item })
	}
	if reg != nil {
		for _, c := range reg.Contents {
			if i := slices.IndexFunc(out, func(p planned) bool { return p.Item == c.Item }); i >= 0 {
				// Two rules for one item: the letter holds it once and names both.
				out[i].Text += " " + c.Text
				if c.Source != out[i].Source {
					out[i].Source += "; " + c.Source
				}
				continue
			}
			out = append(out, planned{Item: c.Item, Text: c.Text, Source: c.Source, Required: true})
		}
	}
	for _, c := range basics[kind] {
		if !has(c.Item) {
			out = append(out, planned{Item: c.Item, Text: c.Text, Source: c.Source, Required: true})
		}
	}
	for _, item := range defaults[kind] {
		if !has(item) && !has(alike[item]) {
			out = append(out, planned{Item: item})
		}
	}
	slices.SortStableFunc(out, func(a, b planned) int { return rank(a.Item) - rank(b.Item) })
	return out, reg
}

func rank(item string) int {
	if i := slices.Index(order, item); i >= 0 {
		return i
	}
	return len(order)
}

// missing lists the required contents the data does not fill.
func (d *Data) missing(kind reglement.LetterKind, plan []planned) []MissingItem {
	var out []MissingItem
	for _, p := range plan {
		if p.Required && !d.Has(p.Item) {
			out = append(out, MissingItem{Item: p.Item, Text: p.Text, Source: p.Source, Action: fixAction(p.Item, kind, d)})
		}
	}
	return out
}

// MissingItem is a required content a letter lacks, with the regulation's
// wording and article, and the case action that records it.
type MissingItem struct {
	Item   string `json:"item"`
	Text   string `json:"text"`
	Source string `json:"source,omitempty"`
	// Action is the case action that fills the item, empty when the item
	// comes from the intake or the regulation itself.
	Action complaint.Action `json:"action,omitempty"`
}

// MissingError refuses a letter that lacks required contents.
type MissingError struct {
	Kind         reglement.LetterKind
	Organisation string
	Items        []MissingItem
}

// Error lists what is missing, each with the regulation's words and
// article.
func (e *MissingError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the %s letter lacks what %s's regulation requires:", e.Kind, e.Organisation)
	for i, it := range e.Items {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " %s (%q", it.Item, it.Text)
		if it.Source != "" {
			fmt.Fprintf(&b, ", %s", it.Source)
		} else {
			b.WriteString(", basic content of this letter")
		}
		b.WriteString(")")
		if it.Action != "" {
			fmt.Fprintf(&b, ", recorded by %s", it.Action)
		}
	}
	return b.String()
}

// Unwrap gives the error its place in the error vocabulary: a conflict
// between the case and the letter, so apperr.CodeOf and the API treat it
// like any refused step.
func (e *MissingError) Unwrap() error {
	return apperr.New(apperr.Conflict, "%s", e.Error()).WithReason("letter_contents_missing")
}

// fixAction names the case action that records a content item.
func fixAction(item string, kind reglement.LetterKind, d *Data) complaint.Action {
	switch item {
	case "acknowledgement_date":
		return complaint.ActAcknowledge
	case "handler_name", "handler_function", "handler_contact":
		return complaint.ActAssignHandler
	case "facts_as_seen", "motivated_position", "judgment", "motivation":
		if d.Inadmissible || kind == reglement.LetterInadmissibility {
			return complaint.ActDecideAdmissibility
		}
		return complaint.ActDecide
	case "ground":
		return complaint.ActDecideAdmissibility
	case "measures":
		return complaint.ActAddMeasure
	case "referral":
		return complaint.ActGiveReferral
	case "new_due_date", "extension_reason":
		return complaint.ActExtend
	case "proposal":
		return complaint.ActMakeProposal
	case "complainant_response":
		return complaint.ActAnswerProposal
	case "hearing_date":
		return complaint.ActPlanHearing
	case "hearing_report":
		return complaint.ActAddDocument
	case "closing_date":
		return complaint.ActClose
	case "resolution_summary":
		return complaint.ActDecide
	}
	return ""
}
