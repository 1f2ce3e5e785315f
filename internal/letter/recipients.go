package letter

import (
	"strings"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// defaultTo are the parties a letter kind goes to when the regulation does
// not list the kind.
var defaultTo = map[reglement.LetterKind][]reglement.Party{
	reglement.LetterAcknowledgement: {reglement.PartyComplainant},
	reglement.LetterInadmissibility: {reglement.PartyComplainant},
	reglement.LetterExtension:       {reglement.PartyComplainant},
	reglement.LetterAccusedNotice:   {reglement.PartyAccusedEmployee},
	reglement.LetterContactCopy:     {reglement.PartyContactPerson},
	reglement.LetterLabourExpert:    {reglement.PartyLabourExpert},
	reglement.LetterHearingInvite:   {reglement.PartyComplainant},
	reglement.LetterHearingReport:   {reglement.PartyComplainant},
	reglement.LetterProposalConfirm: {reglement.PartyComplainant},
	reglement.LetterDecision:        {reglement.PartyComplainant},
	reglement.LetterClosing:         {reglement.PartyComplainant},
	reglement.LetterReportToParties: {reglement.PartyAllInvolved},
}

// Recipients lists who a letter of kind goes to under the regulation, as
// far as the case knows them: the complainant (and a representative), the
// accused employees, the contact person. Parties the case holds no person
// for (labour expert, insurer, commissioning party, board) are left out;
// the caller addresses them. An extension notice goes to the parties the
// extension named.
func Recipients(kind reglement.LetterKind, st complaint.State, r *reglement.Reglement) []Recipient {
	parties := defaultTo[kind]
	for _, l := range r.Letters {
		if l.Kind == kind && len(l.To) > 0 {
			parties = l.To
			break
		}
	}
	if ext := last(st.Extensions); kind == reglement.LetterExtension && ext != nil && len(ext.SentTo) > 0 {
		parties = ext.SentTo
	}
	var out []Recipient
	add := func(p complaint.Person, party reglement.Party) {
		if strings.TrimSpace(p.Name) == "" {
			return
		}
		for _, o := range out {
			if o.Party == party && strings.EqualFold(o.Name, p.Name) {
				return
			}
		}
		out = append(out, Recipient{Name: strings.TrimSpace(p.Name), Address: p.Address, Email: p.Email, Party: party})
	}
	for _, party := range parties {
		switch party {
		case reglement.PartyComplainant:
			add(st.Intake.Complainant, reglement.PartyComplainant)
		case reglement.PartyRepresentative:
			if rep := st.Intake.Representative; rep != nil {
				add(*rep, reglement.PartyRepresentative)
			}
		case reglement.PartyAccusedEmployee:
			for _, a := range st.Accused {
				add(a, reglement.PartyAccusedEmployee)
			}
		case reglement.PartyContactPerson:
			add(complaint.Person{Name: st.Intake.ContactPerson}, reglement.PartyContactPerson)
		case reglement.PartyAllInvolved:
			add(st.Intake.Complainant, reglement.PartyComplainant)
			for _, a := range st.Accused {
				add(a, reglement.PartyAccusedEmployee)
			}
		}
	}
	// The representative acts for the complainant and gets the
	// complainant's letters too.
	if rep := st.Intake.Representative; rep != nil {
		for _, o := range out {
			if o.Party == reglement.PartyComplainant {
				add(*rep, reglement.PartyRepresentative)
				break
			}
		}
	}
	return out
}
