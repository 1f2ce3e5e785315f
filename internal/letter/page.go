package letter

import (
	"encoding/base64"
	htmltemplate "html/template"
	"slices"
	"strings"
	texttemplate "text/template"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// view is what the wording templates see: the case data, the recipient,
// the sender and the letter's date.
type view struct {
	set *texttemplate.Template
	r   *reglement.Reglement

	Kind reglement.LetterKind
	Lang string
	D    *Data
	To   Recipient
	Org  Org
	Date calendar.Date
	// ToComplainant: the letter speaks to the complainant ("uw klacht");
	// otherwise it speaks about the complainant's complaint.
	ToComplainant bool
	// Source is the article of the regulation that asks for the letter.
	Source string

	// shown are the content items the letter holds.
	shown map[string]bool
}

// Shows reports whether the letter holds the content item, so one item's
// text need not repeat another's.
func (v *view) Shows(item string) bool { return v.shown[item] }

// ProposalAnswer is "accepted", "declined" or "" while unanswered.
func (v *view) ProposalAnswer() string {
	switch p := v.D.Proposal; {
	case p == nil || p.Accepted == nil:
		return ""
	case *p.Accepted:
		return "accepted"
	}
	return "declined"
}

// RepresentativeAllowed: the complainant may bring someone to assist.
func (v *view) RepresentativeAllowed() bool { return v.r.Intake.RepresentativeAllowed.Value }

// ReportForSignature: the regulation sends the hearing report to all
// involved for signature.
func (v *view) ReportForSignature() bool {
	for _, s := range v.r.Process.Steps {
		if s.Kind == reglement.ProcessHearing && s.ReportForSignature {
			return true
		}
	}
	return false
}

// stepView is a procedure step with the letter's view, for the step
// sentences.
type stepView struct {
	*view
	S ProcedureStep
}

// WithStep pairs a procedure step with the view.
func (v *view) WithStep(s ProcedureStep) stepView { return stepView{view: v, S: s} }

// Complainant is the complainant's name.
func (v *view) Complainant() string { return strings.TrimSpace(v.D.Complainant.Name) }

// ToAccused: the letter goes to an employee the complaint is about.
func (v *view) ToAccused() bool { return v.To.Party == reglement.PartyAccusedEmployee }

// OutcomeLabel names an outcome: in Dutch the regulation's own label,
// otherwise the language's word.
func (v *view) OutcomeLabel(k reglement.OutcomeKind) (string, error) {
	if v.Lang == Dutch {
		for _, o := range v.r.Outcomes {
			if o.Outcome == k && o.Label != "" {
				return o.Label, nil
			}
		}
	}
	s, err := v.exec("outcome:" + string(k))
	return strings.TrimSpace(s), err
}

// page is a composed letter laid out for the layouts and the PDF.
type page struct {
	Lang string

	OrgName     string
	OrgLines    []string
	OrgContact  []string
	Logo        []byte
	LogoURI     htmltemplate.URL
	ToName      string
	ToLines     []string
	Meta        []field
	Subject     string
	Salutation  string
	Intro       []block
	Details     string
	Fields      []field
	Sections    []section
	Closing     []block
	Greeting    string
	Signature   []string
	EnclosedBy  string
	Enclosures  []string
	Footer      string
	PageWord    string
	CaseNumber  string
	SubjectWord string

	// Contents is the contents block as the Letter reports it.
	Contents []pageContent
}

type field struct{ Label, Value string }

type section struct {
	Heading string
	Blocks  []block
}

type pageContent struct {
	Content
	blocks []block
}

// fieldItems are shown as one line in the details table; the others get a
// heading and paragraphs.
var fieldItems = []string{
	"received_date", "acknowledgement_date", "incident_date", "incident_place",
	"handler_name", "handler_function", "handler_contact", "hearing_date", "new_due_date", "closing_date",
}

func (v *view) page(plan []planned, w Wording) (*page, error) {
	p := &page{Lang: v.Lang, OrgName: v.Org.Name, OrgLines: lines(v.Org.Address),
		ToName: strings.TrimSpace(v.To.Name), ToLines: lines(v.To.Address), CaseNumber: v.D.CaseNumber}
	if ph := strings.TrimSpace(v.Org.Phone); ph != "" {
		p.OrgContact = append(p.OrgContact, "T "+ph)
	}
	if em := strings.TrimSpace(v.Org.Email); em != "" {
		p.OrgContact = append(p.OrgContact, "E "+em)
	}
	if len(v.Org.Logo) > 0 {
		p.Logo = v.Org.Logo
		// The logo was checked to be a PNG; a data URI keeps the e-mail
		// body self-contained.
		p.LogoURI = htmltemplate.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(v.Org.Logo))
	}
	words := map[string]*string{
		"word:date": new(string), "word:case_number": new(string), "word:subject": &p.SubjectWord,
		"word:details": &p.Details, "word:greeting": &p.Greeting,
		"word:page": &p.PageWord, "salutation": &p.Salutation,
		string(v.Kind) + ":subject": &p.Subject,
	}
	for name, dst := range words {
		s, err := v.exec(name)
		if err != nil {
			return nil, err
		}
		*dst = squash(s)
	}
	p.Meta = append(p.Meta, field{*words["word:date"], v.Date.Dutch()})
	if v.D.CaseNumber != "" {
		p.Meta = append(p.Meta, field{*words["word:case_number"], v.D.CaseNumber})
	}

	var err error
	if p.Intro, err = v.paragraphs(w.Intro, string(v.Kind)+":intro"); err != nil {
		return nil, err
	}
	if p.Closing, err = v.paragraphs(w.Closing, string(v.Kind)+":closing"); err != nil {
		return nil, err
	}

	v.shown = map[string]bool{}
	for _, pl := range plan {
		v.shown[pl.Item] = v.D.Has(pl.Item)
	}
	for _, pl := range plan {
		if !v.D.Has(pl.Item) {
			continue
		}
		label, err := v.exec("label:" + pl.Item)
		if err != nil {
			return nil, err
		}
		text, err := v.exec("item:" + pl.Item)
		if err != nil {
			return nil, err
		}
		c := pageContent{Content: Content{Item: pl.Item, Label: squash(label), Required: pl.Required}, blocks: parseBlocks(text)}
		if pl.Required {
			c.Rule, c.Source = pl.Text, pl.Source
		}
		c.Text = plainBlocks(c.blocks)
		p.Contents = append(p.Contents, c)
		switch {
		case pl.Item == "case_number":
			// Shown in the letter's reference lines.
		case slices.Contains(fieldItems, pl.Item):
			p.Fields = append(p.Fields, field{c.Label, squash(c.Text)})
		default:
			p.Sections = append(p.Sections, section{Heading: c.Label, Blocks: c.blocks})
		}
		switch pl.Item {
		case "regulation_document":
			enc, err := v.exec("enclosure:regulation_document")
			if err != nil {
				return nil, err
			}
			p.Enclosures = append(p.Enclosures, squash(enc))
		case "hearing_report":
			p.Enclosures = append(p.Enclosures, squash(v.D.HearingReport.Name))
		}
	}

	if len(p.Enclosures) > 0 {
		name := "word:enclosure"
		if len(p.Enclosures) > 1 {
			name = "word:enclosures"
		}
		s, err := v.exec(name)
		if err != nil {
			return nil, err
		}
		p.EnclosedBy = squash(s)
	}
	p.Signature = v.signature()
	if p.Signature == nil || p.Signature[len(p.Signature)-1] != p.OrgName {
		p.Signature = append(p.Signature, p.OrgName)
	}
	if v.Source != "" {
		s, err := v.exec("word:footer")
		if err != nil {
			return nil, err
		}
		p.Footer = squash(s)
	}
	return p, nil
}

// paragraphs are the organisation's own text when it set one, otherwise
// the template's.
func (v *view) paragraphs(own, name string) ([]block, error) {
	if strings.TrimSpace(own) != "" {
		return parseBlocks(own), nil
	}
	s, err := v.exec(name)
	if err != nil {
		return nil, err
	}
	return parseBlocks(s), nil
}

// signature: the decision is signed by who took it, with the board's name
// when the board decides; other letters by the handler.
func (v *view) signature() []string {
	if v.Kind == reglement.LetterDecision && v.D.Decision != nil && strings.TrimSpace(v.D.Decision.DecidedBy.Name) != "" {
		out := []string{strings.TrimSpace(v.D.Decision.DecidedBy.Name)}
		if v.r.Roles.Decides.Role == reglement.RoleBoard {
			if s, err := v.exec("word:board"); err == nil {
				out = append(out, squash(s))
			}
		} else if v.D.Handler != nil && v.D.Handler.Name == v.D.Decision.DecidedBy.Name && v.D.Handler.Function != "" {
			out = append(out, upFirst(v.D.Handler.Function))
		}
		return out
	}
	if h := v.D.Handler; h != nil && strings.TrimSpace(h.Name) != "" {
		out := []string{strings.TrimSpace(h.Name)}
		if f := strings.TrimSpace(h.Function); f != "" {
			out = append(out, upFirst(f))
		}
		return out
	}
	return nil
}

// lines splits an address into its lines: at line breaks, or else at
// commas ("Dorpsstraat 1, 1234 AB Ergens").
func lines(address string) []string {
	address = strings.TrimSpace(address)
	if address == "" {
		return nil
	}
	sep := "\n"
	if !strings.Contains(address, "\n") {
		sep = ","
	}
	var out []string
	for _, l := range strings.Split(address, sep) {
		if l = squash(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
