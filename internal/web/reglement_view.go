package web

import (
	"fmt"
	"strings"

	"github.com/gegrond/gegrond/internal/reglement"
)

// rgSection is one part of the regulation as the page shows it: a
// heading, a few sentences, and items that each cite their article.
type rgSection struct {
	ID, Title string
	Intro     []rgItem
	Items     []rgItem
	// Terms is the table of terms (only in the terms section).
	Terms []rgTerm
}

// rgItem is one rule: a lead ("Gegrond"), its text, a note, the article.
type rgItem struct {
	Lead, Text, Note, Source string
	List                     []string
}

// rgTerm is one term of the regulation.
type rgTerm struct {
	Step, Length, Kind, Label, Note, Source string
}

// reglementSections renders a regulation in readable words, grouped as
// people look for them: what a complaint is, how it comes in, the terms,
// the grounds not to take it on, who does what, the steps, the outcomes,
// referrals, letters, closing and keeping, and categories. Every rule
// keeps its article. The regulation's own texts stay as written (Dutch);
// the words around them follow the page's language.
func reglementSections(l lang, r *reglement.Reglement) []rgSection {
	var out []rgSection
	add := func(s rgSection) {
		if len(s.Items) > 0 || len(s.Intro) > 0 || len(s.Terms) > 0 {
			out = append(out, s)
		}
	}

	// What a complaint is.
	def := rgSection{ID: "definities", Title: l.t("rg.s.definitions")}
	def.Items = append(def.Items, rgItem{Lead: l.t("rg.complaint"), Text: r.Definitions.Complaint.Text, Source: r.Definitions.Complaint.Source})
	if rm := r.Definitions.Remark; rm != nil {
		def.Items = append(def.Items, rgItem{Lead: l.t("rg.remark"), Text: rm.Text, Source: rm.Source})
	}
	if w := r.Definitions.WhoMayComplain; w.Text != "" {
		def.Items = append(def.Items, rgItem{Lead: l.t("rg.who_may_complain"), Text: w.Text, Source: w.Source})
	}
	for _, o := range r.Definitions.Other {
		def.Items = append(def.Items, rgItem{Lead: o.Term, Text: o.Text, Source: o.Source})
	}
	add(def)

	// How a complaint comes in.
	in := rgSection{ID: "indienen", Title: l.t("rg.s.intake")}
	for _, c := range r.Intake.Channels {
		in.Items = append(in.Items, rgItem{Lead: l.t("rg.channel", channelName(l, c.Channel)), Text: c.Note, Source: c.Source})
	}
	for _, fl := range []struct {
		key string
		f   reglement.Flag
	}{{"rg.oral", r.Intake.OralWrittenDownByStaff}, {"rg.settled_by_receiver", r.Intake.SettledByReceiver}, {"rg.representative", r.Intake.RepresentativeAllowed}} {
		if fl.f.Value {
			in.Items = append(in.Items, rgItem{Lead: l.t(fl.key), Text: fl.f.Note, Source: fl.f.Source})
		}
	}
	if len(r.Intake.Fields) > 0 {
		item := rgItem{Lead: l.t("rg.fields")}
		for _, f := range r.Intake.Fields {
			label := f.Label
			if label == "" {
				label = msgOr(l, "intake.field."+string(f.Field), string(f.Field))
			}
			req := l.t("rg.field.asked")
			switch {
			case f.Required:
				req = l.t("rg.field.required")
			case f.RequiredWhen != "":
				req = l.t("rg.field.required_when", msgOr(l, "cond."+f.RequiredWhen, f.RequiredWhen))
			}
			item.List = append(item.List, fmt.Sprintf("%s: %s (%s)", label, req, f.Source))
		}
		in.Items = append(in.Items, item)
	}
	if e := r.Intake.Evidence; e != nil {
		in.Items = append(in.Items, rgItem{Lead: l.t("rg.evidence"), Text: l.t("rg.evidence.text", strings.Join(e.Formats, ", "), e.MaxFileSizeMB), Note: e.Note, Source: e.Source})
	}
	add(in)

	// Terms.
	terms := rgSection{ID: "termijnen", Title: l.t("rg.s.terms"), Intro: []rgItem{{Text: l.t("rg.terms.intro", calendarName(l, r))}}}
	for _, t := range r.Terms {
		terms.Terms = append(terms.Terms, rgTerm{Step: stepName(l, string(t.Step)), Length: l.t("rg.term.length", amountText(l, t.Amount, t.Unit), anchorText(l, t.Anchor)),
			Kind: msgOr(l, "kind."+string(t.Kind), string(t.Kind)), Label: t.Label, Note: t.Note, Source: t.Source})
	}
	if e := r.Extension; e.Allowed {
		text := l.t("rg.extension.none_max")
		if e.Max != nil {
			text = l.t("rg.extension.max", amountText(l, e.Max.Amount, e.Max.Unit))
		}
		var how []string
		if e.Written {
			how = append(how, l.t("rg.extension.written"))
		}
		if e.Motivated {
			how = append(how, l.t("rg.extension.motivated"))
		}
		if e.BeforeTermEnds {
			how = append(how, l.t("rg.extension.before"))
		}
		if len(e.NotifyParties) > 0 {
			how = append(how, l.t("rg.extension.notify", partyList(l, e.NotifyParties)))
		}
		if e.BeyondMaxWithConsent {
			how = append(how, l.t("rg.extension.consent"))
		}
		terms.Items = append(terms.Items, rgItem{Lead: l.t("rg.extension"), Text: text, List: how, Note: e.Note, Source: e.Source})
	} else {
		terms.Items = append(terms.Items, rgItem{Lead: l.t("rg.extension"), Text: l.t("rg.extension.not")})
	}
	add(terms)

	// Grounds not to take a complaint on.
	gr := rgSection{ID: "gronden", Title: l.t("rg.s.grounds")}
	if a := r.Admissibility; a.DecidedBy != "" {
		gr.Intro = append(gr.Intro, rgItem{Text: l.t("rg.grounds.by", roleName(l, string(a.DecidedBy))), Source: a.Source})
	}
	for _, g := range r.Admissibility.Grounds {
		note := msgOr(l, "rg.check."+string(g.Check), string(g.Check))
		if g.MaxAge != nil {
			note = l.t("rg.check.max_age", amountText(l, g.MaxAge.Amount, g.MaxAge.Unit)) + " " + note
		}
		gr.Items = append(gr.Items, rgItem{Text: g.Text, Note: note, Source: g.Source})
	}
	add(gr)

	// Who does what.
	roles := rgSection{ID: "rollen", Title: l.t("rg.s.roles")}
	for _, rr := range []struct {
		key  string
		rule reglement.RoleRule
	}{{"rg.role.acknowledges", r.Roles.Acknowledges}, {"rg.role.assigns", r.Roles.Assigns}, {"rg.role.handles", r.Roles.Handles}, {"rg.role.decides", r.Roles.Decides}} {
		if rr.rule.Role != "" {
			roles.Items = append(roles.Items, rgItem{Lead: l.t(rr.key), Text: roleName(l, string(rr.rule.Role)), Note: rr.rule.Note, Source: rr.rule.Source})
		}
	}
	if ind := r.Roles.Independence; ind.AccusedNeverHandles || ind.Text != "" {
		roles.Items = append(roles.Items, rgItem{Lead: l.t("rg.independence"), Text: ind.Text, Source: ind.Source})
	}
	for _, inf := range r.Roles.InformAtOnce {
		roles.Items = append(roles.Items, rgItem{Lead: l.t("rg.inform", partyName(l, inf.Party)), Text: inf.How,
			Note: l.t("rg.inform.when", msgOr(l, "cond."+inf.When, inf.When)), Source: inf.Source})
	}
	add(roles)

	// Steps.
	steps := rgSection{ID: "stappen", Title: l.t("rg.s.steps")}
	for _, s := range r.Process.Steps {
		lead := msgOr(l, "rg.process."+string(s.Kind), string(s.Kind)) + " (" + msgOr(l, "rg.mode."+string(s.Mode), string(s.Mode)) + ")"
		note := s.Who
		if s.ReportForSignature {
			note = joinNonEmpty("; ", note, l.t("rg.process.report"))
		}
		steps.Items = append(steps.Items, rgItem{Lead: lead, Text: s.Text, Note: note, Source: s.Source})
	}
	add(steps)

	// Outcomes and referrals.
	outs := rgSection{ID: "uitkomsten", Title: l.t("rg.s.outcomes")}
	for _, o := range r.Outcomes {
		outs.Items = append(outs.Items, rgItem{Lead: outcomeName(l, r, o.Outcome), Text: o.Text, Source: o.Source})
	}
	for _, ref := range r.Referrals {
		outs.Items = append(outs.Items, rgItem{Lead: l.t("rg.referral", ref.Body), Text: ref.Text, Note: l.t("rg.inform.when", msgOr(l, "cond."+ref.When, ref.When)), Source: ref.Source})
	}
	add(outs)

	// Letters.
	letters := rgSection{ID: "brieven", Title: l.t("rg.s.letters")}
	for _, lt := range r.Letters {
		item := rgItem{Lead: msgOr(l, "rg.letter."+string(lt.Kind), string(lt.Kind)), Text: l.t("rg.letter.to", partyList(l, lt.To)), Source: lt.Source}
		if lt.Written {
			item.Text += " " + l.t("rg.letter.written")
		}
		for _, c := range lt.Contents {
			item.List = append(item.List, joinNonEmpty(" ", orText(c.Text, c.Item), "("+c.Source+")"))
		}
		letters.Items = append(letters.Items, item)
	}
	add(letters)

	// Closing, keeping and reporting.
	cl := rgSection{ID: "afsluiten", Title: l.t("rg.s.closing")}
	if c := r.Closing; c.Condition != "" {
		cl.Items = append(cl.Items, rgItem{Lead: l.t("rg.closing"), Text: msgOr(l, "rg.closing."+c.Condition, c.Condition), Source: c.Source})
		if c.EarlyOnRequest.Value {
			cl.Items = append(cl.Items, rgItem{Lead: l.t("rg.closing.early"), Text: c.EarlyOnRequest.Note, Source: c.EarlyOnRequest.Source})
		}
	}
	ret := r.Retention
	if ret.Period != nil {
		then := msgOr(l, "rg.retention.then."+ret.Then, ret.Then)
		cl.Items = append(cl.Items, rgItem{Lead: l.t("rg.retention"), Text: l.t("rg.retention.text", amountText(l, ret.Period.Amount, ret.Period.Unit), anchorText(l, ret.Anchor), then), Note: ret.Note, Source: ret.Source})
	} else {
		cl.Items = append(cl.Items, rgItem{Lead: l.t("rg.retention"), Text: l.t("rg.retention.none"), Note: ret.Note, Source: ret.Source})
	}
	for _, rep := range r.Reporting {
		cl.Items = append(cl.Items, rgItem{Lead: msgOr(l, "rg.report."+rep.Kind, rep.Kind), Text: rep.Text, Note: strings.Join(rep.To, ", "), Source: rep.Source})
	}
	add(cl)

	cats := rgSection{ID: "categorieen", Title: l.t("rg.s.categories")}
	for _, c := range r.Categories {
		cats.Items = append(cats.Items, rgItem{Text: c.Label, Source: c.Source})
	}
	add(cats)
	return out
}

// calendarName says which working days the terms count.
func calendarName(l lang, r *reglement.Reglement) string {
	key := "rg.calendar." + string(r.Calendar.Profile)
	if r.Calendar.Profile == "" {
		key = "rg.calendar.nl"
	}
	name := msgOr(l, key, string(r.Calendar.Profile))
	if len(r.Calendar.ExtraClosingDays) > 0 {
		name += " " + l.t("rg.calendar.extra", strings.Join(r.Calendar.ExtraClosingDays, ", "))
	}
	return name
}

// orText returns s, or alt when s is empty.
func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
