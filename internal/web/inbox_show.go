package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/mailin"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

var viewInboxMessage = view("inbox_message")

// inboxIntakeFields are the intake fields the triage form offers, when the
// regulation asks for them: what an e-mail usually lacks. Name, e-mail
// address and facts come from the message itself.
var inboxIntakeFields = []struct {
	field reglement.Field
	typ   string
}{
	{"contact_person", "text"},
	{"client_name", "text"},
	{"commissioning_party", "text"},
	{"service", "text"},
	{"incident_date", "date"},
	{"incident_place", "text"},
	{"complainant_phone", "tel"},
	{"desired_outcome", "text"},
}

// inboxField is one intake input of the triage form.
type inboxField struct {
	Name, Label, Type string
	Required          bool
}

// inboxMessageData is the message page with its triage form.
type inboxMessageData struct {
	Message     store.Inbound
	To          string
	Quarantined int
	// CanRemark: the regulation knows remarks.
	CanRemark bool
	// Open: the message still waits for its triage.
	Open   bool
	Fields []inboxField
	Form   *form
	// ShowText: the person asked for the text body of a message that has
	// an HTML body too ("Toon als tekst").
	ShowText bool
}

// inboxShow shows one message and, while it waits, the triage form.
func (a *app) inboxShow(w http.ResponseWriter, r *http.Request) error {
	d, err := a.inboxMessage(r.Context(), r, newForm())
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, viewInboxMessage, "inbox", d)
}

// inboxMessage loads the message page's data for the request's message.
func (a *app) inboxMessage(ctx context.Context, r *http.Request, f *form) (*inboxMessageData, error) {
	id := auth.FromContext(ctx)
	l := requestLang(r)
	m, err := a.svc.InboundMessage(ctx, id.OrgID(), r.PathValue("id"), id.Caller())
	if err != nil {
		return nil, err
	}
	reg, _, err := a.svc.Regulation(ctx, id.OrgID(), a.svc.Today())
	if err != nil {
		return nil, err
	}
	d := &inboxMessageData{Message: m, Form: f, Open: m.State == store.InboundToTriage,
		CanRemark: reg.Definitions.Remark != nil, ShowText: m.HTML == "" || r.URL.Query().Get("weergave") == "tekst"}
	if len(m.Raw) > 0 {
		if msg, err := mailin.ParseBytes(m.Raw, mailin.Limits{}); err == nil {
			var to []string
			for _, ad := range msg.To {
				to = append(to, ad.String())
			}
			d.To = strings.Join(to, ", ")
		}
	}
	for _, at := range m.Attachments {
		if at.Quarantined {
			d.Quarantined++
		}
	}
	for _, in := range inboxIntakeFields {
		i := slices.IndexFunc(reg.Intake.Fields, func(fr reglement.FieldRule) bool { return fr.Field == in.field })
		if i < 0 {
			continue
		}
		rule := reg.Intake.Fields[i]
		label := rule.Label
		if label == "" {
			label = msgOr(l, "intake.field."+string(rule.Field), string(rule.Field))
		}
		name := string(in.field)
		if in.field == "complainant_phone" {
			name = "complainant.phone"
		}
		d.Fields = append(d.Fields, inboxField{Name: name, Label: label, Type: in.typ, Required: rule.Required})
	}
	return d, nil
}
