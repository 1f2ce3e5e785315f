package web

import (
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/reglement"
)

var (
	viewPublicForm = view("public_form")
	viewPublicDone = view("public_done")
)

// The public complaint form (/o/{organisation}/klacht): what a
// complainant fills in themselves, built from the regulation in force.
// It shows the regulation's own fields (required only where the
// regulation requires them) with the field-building code of the staff
// form (intakeGroupOf), plus a representative, the choice of
// correspondence, the privacy statement and the evidence uploads.

// Names of the public form's own inputs.
const (
	pubFieldEvidence = "bewijs"
	pubFieldPrivacy  = "privacy"
	pubFieldHoneypot = "website"
	pubFieldKey      = "sleutel"
)

// publicChannel is an accepted way to complain, for a regulation that
// does not take complaints through this form.
type publicChannel struct{ Name, Note string }

// publicTerm is one term of the process, in words.
type publicTerm struct{ Step, Text, Note string }

// publicFormData is the public form's page.
type publicFormData struct {
	Org    string
	Action string
	// Accepts is false when the regulation does not take complaints
	// through the web: the page says how to complain instead.
	Accepts  bool
	Channels []publicChannel
	Form     *form
	Key      string
	// Help texts.
	NotHandled []string
	TimeLimit  string
	Terms      []publicTerm
	Contact    string
	// Fields are the regulation's fields; Rep the representative's;
	// Correspondence the choice of e-mail or post.
	Fields         []intakeGroup
	Rep            *intakeGroup
	Correspondence fieldData
	// Uploads is set when evidence can be sent with the form.
	Uploads          bool
	EvidenceHint     string
	EvidenceRequired bool
	EvidenceError    string
	PrivacyError     string
	PrivacyChecked   bool
}

// publicDoneData is the confirmation page.
type publicDoneData struct {
	Org       string
	Number    string
	Email     bool
	Files     int
	Deadlines []complainantTerm
	// TimeBarred holds the friendly explanation when the incident is
	// older than the regulation's limit.
	TimeBarred string
}

// acceptsWeb reports whether the regulation takes complaints through a
// web form.
func acceptsWeb(r *reglement.Reglement) bool {
	return slices.ContainsFunc(r.Intake.Channels, func(c reglement.ChannelRule) bool { return c.Channel == reglement.ChannelWeb })
}

// publicPolicy is the evidence policy of the regulation.
func publicPolicy(r *reglement.Reglement) (document.Policy, error) {
	return document.PolicyFor(r.Intake.Evidence, document.Limits{})
}

// newPublicFormData builds the form for regulation r from f (the posted
// form, or an empty one).
func newPublicFormData(l lang, orgID string, r *reglement.Reglement, uploads bool, f *form) publicFormData {
	d := publicFormData{Org: r.Organisation, Action: "/o/" + orgID + "/klacht", Accepts: acceptsWeb(r), Form: f, Key: f.Get(pubFieldKey)}
	if d.Org == "" {
		d.Org = orgID
	}
	if d.Key == "" {
		d.Key = newKey()
	}
	for _, c := range r.Intake.Channels {
		if c.Channel != reglement.ChannelWeb {
			d.Channels = append(d.Channels, publicChannel{Name: channelName(l, c.Channel), Note: c.Note})
		}
	}
	d.Contact = contactText(r)
	for _, g := range r.Admissibility.Grounds {
		switch g.Check {
		case reglement.CheckIncidentAge:
			if g.MaxAge != nil {
				d.TimeLimit = l.t("pub.help.timelimit", amountText(l, g.MaxAge.Amount, g.MaxAge.Unit))
			}
		case reglement.CheckJudgement:
			d.NotHandled = append(d.NotHandled, g.Text)
		}
	}
	for _, t := range r.Terms {
		if t.Anchor != reglement.AnchorReceived || t.Step == reglement.StepRetention {
			continue
		}
		text := t.Label
		if text == "" {
			text = l.t("pub.term", amountText(l, t.Amount, t.Unit))
		}
		d.Terms = append(d.Terms, publicTerm{Step: stepName(l, string(t.Step)), Text: text, Note: t.Note})
	}

	for _, rule := range r.Intake.Fields {
		inputs, ok := intakeInputs[rule.Field]
		if !ok {
			if rule.Field == "evidence" {
				d.EvidenceRequired = rule.Required
			}
			continue
		}
		switch rule.Field {
		case "representative", "correspondence":
			continue // always on the form, below
		case "accused_employees":
			// The public does not pick from the staff list: names only.
			inputs = slices.DeleteFunc(slices.Clone(inputs), func(in intakeInput) bool { return in.kind == fkParties })
		}
		rule.Source = "" // the article numbers are for staff
		g := intakeGroupOf(l, r, rule, withoutOwned(rule.Field, inputs, r.Intake.Fields), nil, f)
		d.Fields = append(d.Fields, g)
	}
	rep := intakeGroupOf(l, r, reglement.FieldRule{Field: "representative", Label: l.t("pub.rep"), Help: l.t("pub.rep.hint")}, intakeInputs["representative"], nil, f)
	d.Rep = &rep
	corr := intakeGroupOf(l, r, reglement.FieldRule{Field: "correspondence", Label: l.t("pub.corr"), Required: true, Help: l.t("pub.corr.hint")}, intakeInputs["correspondence"], nil, f)
	d.Correspondence = corr.Fields[0]
	if d.Correspondence.Value == "" {
		for i := range d.Correspondence.Options {
			d.Correspondence.Options[i].Selected = d.Correspondence.Options[i].Value == "email"
		}
	}
	d.Uploads = uploads && r.Intake.Evidence != nil
	if e := r.Intake.Evidence; e != nil {
		if p, err := publicPolicy(r); err == nil && d.Uploads {
			d.EvidenceHint = l.t("pub.evidence.hint", strings.ToUpper(strings.Join(p.Formats, ", ")), e.MaxFileSizeMB, p.MaxFiles)
		} else {
			d.EvidenceHint = l.t("pub.evidence.later")
		}
	}
	d.EvidenceError = f.Err(pubFieldEvidence)
	d.PrivacyError = f.Err(pubFieldPrivacy)
	d.PrivacyChecked = f.Get(pubFieldPrivacy) != ""
	return d
}

// contactText is the organisation's contact details in one line.
func contactText(r *reglement.Reglement) string {
	var parts []string
	for _, v := range []string{r.Contact.Email, r.Contact.Phone} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " · ")
}

// publicRequired checks the fields the regulation requires: a group is
// filled when any of its inputs is.
func publicRequired(l lang, r *reglement.Reglement, f *form) {
	for _, rule := range r.Intake.Fields {
		inputs, ok := intakeInputs[rule.Field]
		if !ok || !rule.Required || rule.Field == "representative" || rule.Field == "correspondence" {
			continue
		}
		filled := false
		var first string
		for _, in := range inputs {
			if in.kind == fkParties {
				continue
			}
			if first == "" {
				first = in.name
			}
			if f.Get(in.name) != "" {
				filled = true
			}
		}
		if filled {
			continue
		}
		if len(inputs) > 1 && rule.Field != "accused_employees" {
			f.Errors[string(rule.Field)] = l.t("pub.error.required_group")
		} else {
			f.Errors[first] = l.t("pub.error.required")
		}
	}
}
