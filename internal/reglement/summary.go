package reglement

import (
	"fmt"
	"io"
	"strings"
)

// stepNL names the steps in Dutch.
var stepNL = map[Step]string{
	StepAcknowledgement:     "Ontvangstbevestiging",
	StepAdmissibilityNotice: "Bericht niet in behandeling nemen",
	StepHandlingStart:       "Start inhoudelijke behandeling",
	StepHearing:             "Gesprek / horen",
	StepDecision:            "Besluit",
	StepDecisionExtended:    "Besluit na verlenging (uiterlijk)",
	StepAftercare:           "Nazorg",
	StepReport:              "Verslag aan betrokkenen",
	StepClosingNotice:       "Bevestiging afsluiting",
	StepRetention:           "Bewaartermijn",
}

// StepNL returns the Dutch name of a step.
func StepNL(s Step) string {
	if n, ok := stepNL[s]; ok {
		return n
	}
	return string(s)
}

var kindNL = map[Kind]string{Aim: "streeftermijn", Limit: "uiterste termijn"}

var modeNL = map[Mode]string{ModeNone: "niet", ModeOptional: "naar keuze", ModeOnRequest: "op verzoek", ModeRequired: "verplicht"}

var roleNL = map[Role]string{
	RoleReceiver: "ontvanger", RoleHandler: "klachtbehandelaar", RoleBoard: "directie",
	RoleQualityOfficer: "kwaliteitsfunctionaris", RoleDPO: "functionaris gegevensbescherming", RoleAdmin: "beheerder",
}

// RoleNL returns the Dutch name of a role.
func RoleNL(r Role) string {
	if n, ok := roleNL[r]; ok {
		return n
	}
	return string(r)
}

var checkNL = map[Check]string{
	CheckIncidentAge:      "het systeem toetst de datum van het voorval",
	CheckEarlierComplaint: "het systeem zoekt een eerdere klacht; een mens bevestigt",
	CheckJudgement:        "een mens beoordeelt",
}

// WriteSummary writes a readable Dutch summary of the regulation: terms,
// grounds, steps, outcomes, letters and retention, each with its source.
func (r *Reglement) WriteSummary(w io.Writer) error {
	var b strings.Builder
	title := r.Title
	if title == "" {
		title = "Klachtenreglement"
	}
	fmt.Fprintf(&b, "%s — %s\nVersie %s, geldig vanaf %s (%s)\n\n", title, r.Organisation, r.Version, r.ValidFrom.Dutch(), r.ID)

	fmt.Fprintf(&b, "Wat is een klacht\n  %s [%s]\n", r.Definitions.Complaint.Text, r.Definitions.Complaint.Source)
	if r.Definitions.Remark != nil {
		fmt.Fprintf(&b, "  Opmerking (buiten de klachttermijnen): %s [%s]\n", r.Definitions.Remark.Text, r.Definitions.Remark.Source)
	}
	b.WriteString("\nIndienen\n")
	for _, c := range r.Intake.Channels {
		fmt.Fprintf(&b, "  - via %s%s [%s]\n", channelNL[c.Channel], suffix(c.Note), c.Source)
	}
	for _, f := range r.Intake.Fields {
		req := "gevraagd"
		switch {
		case f.Required:
			req = "verplicht"
		case f.RequiredWhen != "":
			req = "verplicht bij " + f.RequiredWhen
		}
		label := f.Label
		if label == "" {
			label = string(f.Field)
		}
		fmt.Fprintf(&b, "  - %s: %s [%s]\n", label, req, f.Source)
	}
	if e := r.Intake.Evidence; e != nil {
		fmt.Fprintf(&b, "  - bewijsstukken: %s, ten hoogste %d MB per bestand [%s]\n", strings.Join(e.Formats, ", "), e.MaxFileSizeMB, e.Source)
	}

	b.WriteString("\nTermijnen\n")
	for _, t := range r.Terms {
		fmt.Fprintf(&b, "  - %s: %s na %s (%s) [%s]\n", StepNL(t.Step), amountNL(t.Amount, t.Unit), anchorNL[t.Anchor], kindNL[t.Kind], t.Source)
	}
	if e := r.Extension; e.Allowed {
		max := "geen maximum genoemd"
		if e.Max != nil {
			max = "ten hoogste " + amountNL(e.Max.Amount, e.Max.Unit)
		}
		fmt.Fprintf(&b, "  - Verlenging: %s%s%s [%s]\n", max, ifText(e.Motivated, ", schriftelijk en gemotiveerd"), ifText(e.BeyondMaxWithConsent, "; langer alleen met instemming van de klager"), e.Source)
	} else {
		b.WriteString("  - Verlenging: niet voorzien in het reglement\n")
	}

	if len(r.Admissibility.Grounds) > 0 {
		b.WriteString("\nNiet in behandeling nemen\n")
		for _, g := range r.Admissibility.Grounds {
			fmt.Fprintf(&b, "  - %s (%s) [%s]\n", g.Text, checkNL[g.Check], g.Source)
		}
	}

	b.WriteString("\nRollen\n")
	fmt.Fprintf(&b, "  - behandelt: %s [%s]\n", RoleNL(r.Roles.Handles.Role), r.Roles.Handles.Source)
	fmt.Fprintf(&b, "  - beslist: %s [%s]\n", RoleNL(r.Roles.Decides.Role), r.Roles.Decides.Source)
	if ind := r.Roles.Independence; ind.AccusedNeverHandles {
		fmt.Fprintf(&b, "  - onafhankelijkheid: %s [%s]\n", orText(ind.Text, "de betrokken medewerker behandelt de klacht nooit"), ind.Source)
	}
	for _, in := range r.Roles.InformAtOnce {
		fmt.Fprintf(&b, "  - direct informeren: %s (%s) [%s]\n", in.Party, in.When, in.Source)
	}

	if len(r.Process.Steps) > 0 {
		b.WriteString("\nStappen\n")
		for _, s := range r.Process.Steps {
			fmt.Fprintf(&b, "  - %s (%s): %s [%s]\n", s.Kind, modeNL[s.Mode], s.Text, s.Source)
		}
	}
	b.WriteString("\nUitkomsten\n")
	for _, o := range r.Outcomes {
		fmt.Fprintf(&b, "  - %s [%s]\n", orText(o.Label, string(o.Outcome)), o.Source)
	}
	if len(r.Referrals) > 0 {
		b.WriteString("\nVerwijzing na het besluit\n")
		for _, ref := range r.Referrals {
			fmt.Fprintf(&b, "  - %s (%s) [%s]\n", ref.Body, ref.When, ref.Source)
		}
	}
	if len(r.Letters) > 0 {
		b.WriteString("\nBrieven en verplichte inhoud\n")
		for _, l := range r.Letters {
			items := make([]string, len(l.Contents))
			for i, c := range l.Contents {
				items[i] = orText(c.Text, c.Item)
			}
			fmt.Fprintf(&b, "  - %s: %s [%s]\n", l.Kind, strings.Join(items, "; "), l.Source)
		}
	}
	b.WriteString("\nBewaren\n")
	if p := r.Retention.Period; p != nil {
		fmt.Fprintf(&b, "  - %s na %s, daarna %s [%s]\n", amountNL(p.Amount, p.Unit), anchorNL[r.Retention.Anchor], orText(r.Retention.Then, "vernietigen"), r.Retention.Source)
	} else {
		fmt.Fprintf(&b, "  - geen termijn in het reglement%s [%s]\n", suffix(r.Retention.Note), r.Retention.Source)
	}
	for _, rep := range r.Reporting {
		fmt.Fprintf(&b, "  - rapportage %s%s [%s]\n", rep.Kind, suffix(strings.Join(rep.To, ", ")), rep.Source)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var channelNL = map[Channel]string{
	ChannelWeb: "webformulier", ChannelEmail: "e-mail", ChannelPost: "post",
	ChannelPhone: "telefoon / mondeling", ChannelInPerson: "persoonlijk",
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func ifText(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
