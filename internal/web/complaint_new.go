package web

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

var viewComplaintNew = view("complaint_new")

// The form to register a complaint on someone's behalf (received by
// phone, in person or on paper: Work 2 Work 5.1.1, SmartPLUS Punt 3). Its
// fields are the regulation's intake.fields, in the regulation's order,
// with the regulation's labels and help; what the regulation does not ask
// for is under "Overige gegevens". The core (complaint.Receive, through
// service.CreateCase) checks the input as it does the API's.

// intakeInput is one input of the form.
type intakeInput struct {
	name  string
	kind  fieldKind
	label string
}

// The kinds of input the new-complaint form adds to an action form's.
const (
	fkEmail fieldKind = "email"
	fkTel   fieldKind = "tel"
	fkRadio fieldKind = "radio"
)

// intakeInputs are the inputs of each field the regulation can ask for.
var intakeInputs = map[reglement.Field][]intakeInput{
	"complainant_name":    {{"complainant.name", fkText, "intake.f.name"}},
	"complainant_email":   {{"complainant.email", fkEmail, "intake.f.email"}},
	"complainant_phone":   {{"complainant.phone", fkTel, "intake.f.phone"}},
	"complainant_address": {{"complainant.address", fkTextarea, "intake.f.address"}},
	"complainant_contact": {{"complainant.email", fkEmail, "intake.f.email"}, {"complainant.phone", fkTel, "intake.f.phone"}, {"complainant.address", fkTextarea, "intake.f.address"}},
	"representative":      {{"representative.name", fkText, "intake.f.rep.name"}, {"representative.email", fkEmail, "intake.f.email"}, {"representative.phone", fkTel, "intake.f.phone"}},
	"correspondence":      {{"correspondence", fkRadio, "intake.f.correspondence"}},
	"client_name":         {{"client_name", fkText, "intake.f.client"}},
	"commissioning_party": {{"commissioning_party", fkText, "intake.f.commissioning"}, {"commissioning_kind", fkSelect, "intake.f.commissioning_kind"}},
	"service":             {{"service", fkText, "intake.f.service"}},
	"contact_person":      {{"contact_person", fkText, "intake.f.contact_person"}},
	"accused_employees":   {{"accused", fkParties, "intake.f.accused"}, {"accused_names", fkLines, "intake.f.accused_names"}},
	"incident_date":       {{"incident_date", fkDate, "intake.f.incident_date"}},
	"incident_time":       {{"incident_time", fkText, "intake.f.incident_time"}},
	"incident_place":      {{"incident_place", fkText, "intake.f.incident_place"}},
	"facts":               {{"facts", fkTextarea, "intake.f.facts"}},
	"desired_outcome":     {{"desired_outcome", fkTextarea, "intake.f.desired_outcome"}},
	"urgency":             {{"urgency", fkTextarea, "intake.f.urgency"}},
	"claim_amount":        {{"claim_amount", fkText, "intake.f.claim"}},
}

// intakeOrder is the order of the fields the regulation does not ask for.
var intakeOrder = []reglement.Field{
	"complainant_name", "complainant_contact", "representative", "correspondence", "client_name",
	"commissioning_party", "service", "contact_person", "accused_employees", "incident_date",
	"incident_time", "incident_place", "facts", "desired_outcome", "urgency", "claim_amount",
}

// coreIntakeField maps the field a core error names to the form's: an
// input name, or the key of a group of inputs (a regulation field).
var coreIntakeField = map[string]string{
	"complainant_name":    "complainant.name",
	"complainant_email":   "complainant.email",
	"complainant_phone":   "complainant.phone",
	"complainant_address": "complainant.address",
	"claim_amount_eur":    "claim_amount",
	"representative":      "representative.name",
	"record_as_remark":    "",
}

// intakeGroup is one field of the regulation on the form: one input, or a
// fieldset of several (contact details: e-mail, phone, address).
type intakeGroup struct {
	Key            string
	Legend, Hint   string
	Error          string
	Required       bool
	Fields         []fieldData
	Source         string
	RequiredReason string
}

// Group reports whether the field is a fieldset of several inputs.
func (g intakeGroup) Group() bool { return len(g.Fields) > 1 }

// complaintNewData is the new-complaint form.
type complaintNewData struct {
	Form       *form
	Regulation string
	// How are the channel and the date of receipt.
	How []fieldData
	// Asked are the regulation's fields; Other the rest.
	Asked, Other []intakeGroup
	OtherOpen    bool
	Category     *fieldData
	Evidence     string
	Remark       *remarkBox
	Settle       *settleBox
	Key          string
}

// remarkBox offers to record the matter as a remark.
type remarkBox struct{ Text, Source string }

// settleBox offers to record the matter as settled on the spot.
type settleBox struct {
	Field        fieldData
	Note, Source string
}

// newComplaintData builds the form for the regulation in force, from f
// (the posted form, or an empty one).
func newComplaintData(l lang, r *reglement.Reglement, revision int, members []store.Member, f *form, today calendar.Date) complaintNewData {
	d := complaintNewData{Form: f, Key: f.Get("sleutel")}
	if d.Key == "" {
		d.Key = newKey()
	}
	title := r.Title
	if title == "" {
		title = r.Organisation
	}
	d.Regulation = l.t("intake.regulation", title, r.Version, revision)

	channel := fieldData{ID: "f-channel", Name: "channel", Kind: string(fkRadio), Label: l.t("intake.f.channel"), Required: true, Error: f.Err("channel")}
	chosen := f.Get("channel")
	if chosen == "" && len(f.Values) == 0 {
		chosen = string(defaultChannel(r))
	}
	for _, ch := range acceptedChannels(r) {
		channel.Options = append(channel.Options, option{Value: string(ch), Label: channelName(l, ch), Selected: string(ch) == chosen})
	}
	received := fieldData{ID: "f-received_on", Name: "received_on", Kind: string(fkDate), Label: l.t("intake.f.received_on"),
		Hint: l.t("intake.f.received_on.hint"), Required: true, Value: f.Get("received_on"), Error: f.Err("received_on")}
	if received.Value == "" && len(f.Values) == 0 {
		received.Value = today.String()
	}
	if dd, ok := parseFormDate(received.Value); ok {
		received.Value = dd.Dutch()
	}
	d.How = []fieldData{channel, received}

	asked := map[reglement.Field]bool{}
	for _, rule := range r.Intake.Fields {
		inputs, ok := intakeInputs[rule.Field]
		if !ok {
			continue // evidence: added as documents once the case exists
		}
		asked[rule.Field] = true
		d.Asked = append(d.Asked, intakeGroupOf(l, r, rule, withoutOwned(rule.Field, inputs, r.Intake.Fields), members, f))
	}
	for _, fld := range intakeOrder {
		if asked[fld] || overlaps(fld, asked) {
			continue
		}
		g := intakeGroupOf(l, r, reglement.FieldRule{Field: fld}, intakeInputs[fld], members, f)
		for _, fd := range g.Fields {
			if fd.Value != "" || fd.Error != "" || slices.ContainsFunc(fd.Options, func(o option) bool { return o.Selected && fd.Kind == string(fkParties) }) {
				d.OtherOpen = true
			}
		}
		if g.Error != "" {
			d.OtherOpen = true
		}
		d.Other = append(d.Other, g)
	}
	circ := fieldData{ID: "f-circumstances", Name: "circumstances", Kind: string(fkTextarea), Label: l.t("intake.f.circumstances"),
		Value: f.Raw("circumstances"), Error: f.Err("circumstances")}
	d.Other = append(d.Other, intakeGroup{Key: "circumstances", Fields: []fieldData{circ}})
	if circ.Value != "" {
		d.OtherOpen = true
	}
	if len(r.Categories) > 0 {
		cat := fieldData{ID: "f-category", Name: "category", Kind: string(fkSelect), Label: l.t("intake.f.category"),
			Hint: l.t("intake.f.category.hint"), Error: f.Err("category")}
		cat.Options = append(cat.Options, option{Value: "", Label: l.t("fld.choose")})
		for _, c := range r.Categories {
			cat.Options = append(cat.Options, option{Value: c.ID, Label: c.Label, Selected: c.ID == f.Get("category")})
		}
		d.Category = &cat
	}
	if e := r.Intake.Evidence; e != nil {
		d.Evidence = l.t("intake.evidence", strings.Join(e.Formats, ", "), e.MaxFileSizeMB, e.Source)
	}
	if rm := r.Definitions.Remark; rm != nil {
		d.Remark = &remarkBox{Text: rm.Text, Source: rm.Source}
	}
	if s := r.Intake.SettledByReceiver; s.Value {
		d.Settle = &settleBox{Note: s.Note, Source: s.Source, Field: fieldData{ID: "f-settled_on_spot", Name: "settled_on_spot",
			Kind: string(fkTextarea), Label: l.t("intake.settle.text"), Value: f.Raw("settled_on_spot"), Error: f.Err("settled_on_spot")}}
	}
	return d
}

// withoutOwned drops from a combined field's inputs those that another
// field the regulation asks for owns on its own: NextBest asks contact
// details (Art. 4 lid 2a) and, separately, the postal address when post is
// wanted (lid 2b). A form has one input per name.
func withoutOwned(fld reglement.Field, inputs []intakeInput, rules []reglement.FieldRule) []intakeInput {
	if len(inputs) < 2 {
		return inputs
	}
	owned := map[string]bool{}
	for _, other := range rules {
		if ins := intakeInputs[other.Field]; other.Field != fld && len(ins) == 1 {
			owned[ins[0].name] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(inputs), func(in intakeInput) bool { return owned[in.name] })
}

// overlaps reports whether a field the regulation does not name is
// covered by one it does: complainant_contact covers the e-mail address,
// and the other way round.
func overlaps(fld reglement.Field, asked map[reglement.Field]bool) bool {
	names := map[string]bool{}
	for a := range asked {
		for _, in := range intakeInputs[a] {
			names[in.name] = true
		}
	}
	for _, in := range intakeInputs[fld] {
		if names[in.name] {
			return true
		}
	}
	return false
}

// intakeGroupOf builds the inputs of one field, with the regulation's
// label and help and whether (and when) it is required.
func intakeGroupOf(l lang, r *reglement.Reglement, rule reglement.FieldRule, inputs []intakeInput, members []store.Member, f *form) intakeGroup {
	g := intakeGroup{Key: string(rule.Field), Required: rule.Required, Source: rule.Source, Error: f.Err(string(rule.Field))}
	g.Legend = rule.Label
	if g.Legend == "" {
		g.Legend = msgOr(l, "intake.field."+string(rule.Field), string(rule.Field))
	}
	var hints []string
	if rule.Help != "" {
		hints = append(hints, rule.Help)
	}
	if !rule.Required && rule.RequiredWhen != "" {
		g.RequiredReason = l.t("intake.required_when", msgOr(l, "cond."+rule.RequiredWhen, rule.RequiredWhen))
		hints = append(hints, g.RequiredReason)
	}
	if rule.Source != "" {
		hints = append(hints, l.t("intake.source", rule.Source))
	}
	g.Hint = strings.Join(hints, " ")
	for _, in := range inputs {
		fd := fieldData{ID: "f-" + strings.ReplaceAll(in.name, ".", "-"), Name: in.name, Kind: string(in.kind),
			Label: l.t(in.label), Value: f.Raw(in.name), Error: f.Err(in.name)}
		if in.kind != fkTextarea && in.kind != fkLines {
			fd.Value = f.Get(in.name)
		}
		switch in.name {
		case "accused":
			for _, m := range members {
				fd.Options = append(fd.Options, option{Value: m.ID, Label: m.Name, Selected: slices.Contains(f.Values["accused"], m.ID)})
			}
		case "correspondence":
			for _, v := range []string{"email", "post"} {
				fd.Options = append(fd.Options, option{Value: v, Label: l.t("via." + v), Selected: fd.Value == v})
			}
		case "commissioning_kind":
			fd.Options = append(fd.Options, option{Value: "", Label: l.t("fld.choose")})
			for _, v := range []string{"uwv", "employer", "municipality", "insurer", "private", "other"} {
				fd.Options = append(fd.Options, option{Value: v, Label: l.t("intake.commissioning." + v), Selected: fd.Value == v})
			}
		case "claim_amount":
			fd.Hint = l.t("intake.f.claim.hint")
		case "accused_names":
			fd.Hint = l.t("fld.lines.hint")
		case "incident_date":
			if dd, ok := parseFormDate(fd.Value); ok {
				fd.Value = dd.Dutch()
			}
		}
		g.Fields = append(g.Fields, fd)
	}
	if len(g.Fields) == 1 {
		// One input: the regulation's label is the input's label (or a
		// radio group's legend), its help the input's hint, and the error
		// sits on the input.
		fd := &g.Fields[0]
		fd.Label, fd.Required = g.Legend, g.Required
		fd.Hint = joinNonEmpty(" ", fd.Hint, g.Hint)
		if fd.Error == "" {
			fd.Error = g.Error
		}
		g.Error, g.Hint = "", ""
	}
	return g
}

// acceptedChannels are the channels the regulation accepts, and the oral
// ones when staff write down oral complaints.
func acceptedChannels(r *reglement.Reglement) []reglement.Channel {
	var out []reglement.Channel
	for _, c := range r.Intake.Channels {
		out = append(out, c.Channel)
	}
	if r.Intake.OralWrittenDownByStaff.Value {
		for _, c := range []reglement.Channel{reglement.ChannelPhone, reglement.ChannelInPerson} {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// defaultChannel is the channel the form starts with: a complaint taken
// on someone's behalf came by phone, in person or on paper.
func defaultChannel(r *reglement.Reglement) reglement.Channel {
	accepted := acceptedChannels(r)
	for _, c := range []reglement.Channel{reglement.ChannelPhone, reglement.ChannelInPerson, reglement.ChannelPost} {
		if slices.Contains(accepted, c) {
			return c
		}
	}
	if len(accepted) > 0 {
		return accepted[0]
	}
	return ""
}

// newKey is a fresh idempotency key for the form: a form sent twice (a
// double click, a reload) registers one complaint.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// intakeFromForm reads the posted form into a new complaint. It records
// on f what the screen itself cannot read (a date, an amount, an unknown
// person); the rest is the core's to check.
func intakeFromForm(l lang, f *form, members []store.Member) complaint.NewComplaint {
	var in complaint.NewComplaint
	in.Channel = reglement.Channel(f.Get("channel"))
	date := func(name string) *calendar.Date {
		v := f.Get(name)
		if v == "" {
			return nil
		}
		d, ok := parseFormDate(v)
		if !ok {
			f.Errors[name] = l.t("case.error.date")
			return nil
		}
		return &d
	}
	if d := date("received_on"); d != nil {
		in.ReceivedOn = *d
	}
	in.Complainant = complaint.Person{Name: f.Get("complainant.name"), Email: f.Get("complainant.email"),
		Phone: f.Get("complainant.phone"), Address: strings.TrimSpace(f.Raw("complainant.address"))}
	rep := complaint.Person{Name: f.Get("representative.name"), Email: f.Get("representative.email"), Phone: f.Get("representative.phone")}
	if rep != (complaint.Person{}) {
		if rep.Name == "" {
			f.Errors["representative.name"] = l.t("intake.error.rep_name")
		}
		in.Representative = &rep
	}
	in.Correspondence = f.Get("correspondence")
	in.ClientName, in.CommissioningParty, in.CommissioningKind = f.Get("client_name"), f.Get("commissioning_party"), f.Get("commissioning_kind")
	in.Service, in.ContactPerson = f.Get("service"), f.Get("contact_person")
	for _, uid := range f.Values["accused"] {
		i := slices.IndexFunc(members, func(m store.Member) bool { return m.ID == uid })
		if i < 0 {
			f.Errors["accused"] = l.t("case.error.unknown_person")
			continue
		}
		in.AccusedEmployees = append(in.AccusedEmployees, complaint.Person{Name: members[i].Name, UserID: uid})
	}
	for _, name := range strings.Split(f.Raw("accused_names"), "\n") {
		if name = strings.TrimSpace(name); name != "" {
			in.AccusedEmployees = append(in.AccusedEmployees, complaint.Person{Name: name})
		}
	}
	in.IncidentDate = date("incident_date")
	in.IncidentTime, in.IncidentPlace = f.Get("incident_time"), f.Get("incident_place")
	in.Circumstances = strings.TrimSpace(f.Raw("circumstances"))
	in.Facts = strings.TrimSpace(f.Raw("facts"))
	in.DesiredOutcome = strings.TrimSpace(f.Raw("desired_outcome"))
	in.Urgency = strings.TrimSpace(f.Raw("urgency"))
	if v := f.Get("claim_amount"); v != "" {
		if n, ok := parseEUR(v); ok {
			in.ClaimAmountEUR = n
		} else {
			f.Errors["claim_amount"] = l.t("case.error.amount")
		}
	}
	in.Category = f.Get("category")
	switch f.Get("soort") {
	case "opmerking":
		in.RecordAsRemark = true
	case "direct":
		in.SettledOnSpot = strings.TrimSpace(f.Raw("settled_on_spot"))
		if in.SettledOnSpot == "" {
			f.Errors["settled_on_spot"] = l.t("intake.error.settle_text")
		}
	}
	return in
}

// intakeErrorField is where the form shows a core error about field: an
// input, or the group of a regulation field.
func intakeErrorField(field string) string {
	if to, ok := coreIntakeField[field]; ok {
		return to
	}
	return field
}

// knownIntakeField reports whether the form shows an error for name next
// to an input or group.
func knownIntakeField(name string) bool {
	switch name {
	case "channel", "received_on", "category", "circumstances", "settled_on_spot":
		return true
	}
	for fld, inputs := range intakeInputs {
		if string(fld) == name {
			return true
		}
		for _, in := range inputs {
			if in.name == name {
				return true
			}
		}
	}
	return false
}
