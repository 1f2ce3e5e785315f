package web

import (
	"errors"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gegrond/gegrond/internal/apperr"
)

// The messages of the case file: its headings and data, the deadline
// statuses, the timeline's events and the errors of its actions.
func init() {
	addMessages(map[string]msg{
		"case.title":           {"Klacht %s", "Complaint %s"},
		"case.title.remark":    {"Opmerking %s", "Remark %s"},
		"case.back":            {"Terug naar Termijnen", "Back to Deadlines"},
		"case.summary":         {"Gegevens", "Details"},
		"case.received":        {"Ontvangen", "Received"},
		"case.received.value":  {"%s, via %s", "%s, by %s"},
		"case.complainant":     {"Klager", "Complainant"},
		"case.representative":  {"Gemachtigde", "Representative"},
		"case.correspondence":  {"Correspondentie per", "Correspondence by"},
		"case.client":          {"Cliënt", "Client"},
		"case.commissioning":   {"Opdrachtgever", "Commissioning party"},
		"case.service":         {"Dienst", "Service"},
		"case.contact_person":  {"Contactpersoon", "Contact person"},
		"case.accused":         {"Betrokken medewerker(s)", "Accused employee(s)"},
		"case.accused.none":    {"niemand genoemd", "nobody named"},
		"case.accused.mark":    {"betrokken medewerker", "accused employee"},
		"case.handler":         {"Behandelaar", "Handler"},
		"case.handler.none":    {"nog niet aangewezen", "not assigned yet"},
		"case.handler.since":   {"%s, sinds %s", "%s, since %s"},
		"case.category":        {"Categorie", "Category"},
		"case.outcome":         {"Uitkomst", "Outcome"},
		"case.reglement":       {"Reglement", "Regulation"},
		"case.reglement.value": {"%s, versie %s (opgeslagen versie %d)", "%s, version %s (stored version %d)"},

		"case.state.received": {"Ontvangen. Ontvangstbevestiging, behandelaar en de beslissing over het in behandeling nemen volgen.", "Received. Acknowledgement, handler and the decision to take it on follow."},
		"case.state.handling": {"In behandeling genomen.", "Taken on and being handled."},
		"case.state.decided":  {"Er is besloten. Maatregelen, nazorg en afsluiting volgen.", "Decided. Measures, aftercare and closing follow."},
		"case.state.closed":   {"Afgesloten op %s.", "Closed on %s."},
		"case.state.archived": {"Gearchiveerd op %s.", "Archived on %s."},
		"case.state.remark":   {"Vastgelegd als opmerking, buiten de klachtprocedure en haar termijnen.", "Recorded as a remark, outside the complaint procedure and its terms."},

		"case.warn.handler_accused":      {"De behandelaar %s is betrokken medewerker in deze klacht. Wijs eerst een andere behandelaar aan (%s).", "The handler %s is an accused employee in this complaint. Assign another handler first (%s)."},
		"case.warn.inspection_requested": {"De klager vroeg op %s om inzage in de stukken. Geef inzage met de actie Inzage geven.", "The complainant asked on %s to see the documents. Give inspection with the action Grant inspection."},
		"case.warn.hearing_requested":    {"De klager vroeg op %s om de klacht mondeling toe te lichten. Gebruik Gesprek plannen, of Afzien van horen met de reden.", "The complainant asked on %s to explain the complaint in person. Use Plan a hearing, or Skip the hearing with the reason."},
		"case.warn.complainant_input":    {"Nieuw van de klager sinds %s (zie de tijdlijn). De markering op Termijnen verdwijnt zodra u een actie vastlegt.", "New from the complainant since %s (see the timeline). The mark on Deadlines goes once you record an action."},
		"case.warn.paused":               {"De klok staat stil sinds %s: de termijnen die op de klager wachten schuiven op.", "The clock is paused since %s: the terms waiting for the complainant move on."},
		"case.warn.time_barred":          {"Het voorval is ouder dan het reglement toestaat (%s). Beslis of de klacht toch in behandeling wordt genomen.", "The incident is older than the regulation allows (%s). Decide whether the complaint is taken on all the same."},

		"case.complaint":      {"De klacht", "The complaint"},
		"case.facts":          {"Wat er gebeurd is", "What happened"},
		"case.incident_date":  {"Datum van het voorval", "Date of the incident"},
		"case.incident_time":  {"Tijd", "Time"},
		"case.incident_place": {"Plaats", "Place"},
		"case.circumstances":  {"Bijzondere omstandigheden", "Special circumstances"},
		"case.desired":        {"Gewenst resultaat", "Desired outcome"},
		"case.urgency":        {"Spoedeisend belang", "Urgency"},
		"case.claim":          {"Schadeclaim", "Damages claimed"},
		"case.resolution":     {"Afspraken bij de afhandeling", "Resolution"},

		"case.next":              {"Volgende termijn", "Next deadline"},
		"case.next.none":         {"Er loopt geen termijn.", "No term is running."},
		"case.deadlines":         {"Termijnen", "Deadlines"},
		"case.deadlines.caption": {"De termijnen van deze zaak volgens het reglement", "The terms of this case under the regulation"},
		"case.col.step":          {"Stap", "Step"},
		"case.col.due":           {"Datum", "Date"},
		"case.col.status":        {"Stand", "Standing"},
		"case.col.explanation":   {"Hoe berekend", "How it is counted"},
		"case.due.none":          {"nog geen datum", "no date yet"},

		"case.status.overdue":  {"Te laat", "Overdue"},
		"case.status.soon":     {"Binnen 2 werkdagen", "Due within 2 working days"},
		"case.status.ok":       {"Op tijd", "On time"},
		"case.status.met":      {"Gehaald op %s", "Met on %s"},
		"case.status.met_late": {"Te laat gehaald op %s", "Met late on %s"},
		"case.status.moot":     {"N.v.t.", "Not applicable"},
		"case.status.pending":  {"Telt vanaf %s", "Counts from %s"},
		"case.status.kept":     {"Bewaard tot deze datum", "Kept until this date"},

		"case.actions":         {"Wat u nu kunt doen", "What you can do now"},
		"case.actions.intro":   {"Alleen de stappen die het reglement u nu toestaat. Open een stap om het formulier te zien.", "Only the steps the regulation allows you now. Open a step to see its form."},
		"case.actions.none":    {"Er is nu geen stap die u in deze zaak kunt zetten.", "There is no step you can take in this case now."},
		"case.action.refused":  {"Deze stap is nu niet (meer) mogelijk.", "This step is not possible (any more)."},
		"case.required":        {"verplicht", "required"},
		"case.limited":         {"U bent betrokken medewerker in deze klacht. U ziet de klacht en wat u aangaat; de behandeling ligt bij iemand die op afstand staat.", "You are an accused employee in this complaint. You see the complaint and what concerns you; someone at a distance handles it."},
		"case.limited.actions": {"Als betrokken medewerker zet u geen stappen in deze zaak (%s). Uw kant van het verhaal komt aan bod in het gesprek met de behandelaar.", "As an accused employee you take no steps in this case (%s). Your side of the story is heard in the hearing with the handler."},

		"case.hearing":              {"Gesprek (horen)", "Hearing"},
		"case.hearing.planned":      {"Gepland op", "Planned on"},
		"case.hearing.held":         {"Gehouden op", "Held on"},
		"case.hearing.form":         {"Vorm", "Form"},
		"case.hearing.participants": {"Deelnemers", "Participants"},
		"case.hearing.summary":      {"Samenvatting", "Summary"},
		"case.hearing.waived":       {"Afgezien van horen op", "Skipped on"},
		"case.hearing.report_sent":  {"Verslag verstuurd op", "Report sent on"},
		"case.hearing.signed_by":    {"Verslag ondertekend door", "Report signed by"},

		"case.decision":            {"Besluit", "Decision"},
		"case.decision.outcome":    {"Oordeel", "Judgment"},
		"case.decision.on":         {"Besloten op", "Decided on"},
		"case.decision.by":         {"Door", "By"},
		"case.decision.motivation": {"Motivering", "Motivation"},
		"case.decision.points":     {"Klachtpunten", "Complaint points"},
		"case.decision.referrals":  {"Verwezen naar", "Referred to"},

		"case.measures":          {"Maatregelen", "Measures"},
		"case.measures.caption":  {"Maatregelen naar aanleiding van de klacht", "Measures taken on the complaint"},
		"case.measure.col.what":  {"Maatregel", "Measure"},
		"case.measure.col.kind":  {"Soort", "Kind"},
		"case.measure.col.owner": {"Uitvoerder", "Owner"},
		"case.measure.col.due":   {"Klaar vóór", "Due by"},
		"case.measure.col.done":  {"Uitgevoerd", "Done"},
		"case.measure.open":      {"nog open", "open"},

		"case.documents":      {"Documenten", "Documents"},
		"case.documents.none": {"Er zijn nog geen documenten vastgelegd.", "No documents are recorded yet."},
		"case.timeline":       {"Tijdlijn", "Timeline"},
		"case.timeline.intro": {"Alles wat er in deze zaak gebeurd is, het nieuwste bovenaan.", "Everything that happened in this case, newest first."},
		"case.timeline.by":    {"door %s", "by %s"},

		// The timeline's events.
		"ev.actor.complainant":            {"de klager", "the complainant"},
		"ev.actor.system":                 {"Gegrond", "Gegrond"},
		"ev.received":                     {"Klacht ontvangen via %s op %s", "Complaint received by %s on %s"},
		"ev.received.remark":              {"Opmerking ontvangen via %s op %s", "Remark received by %s on %s"},
		"ev.recorded_as_remark":           {"Vastgelegd als opmerking, buiten de klachttermijnen", "Recorded as a remark, outside the complaint terms"},
		"ev.settled_by_receiver":          {"Direct afgehandeld door de ontvanger", "Settled on the spot by the receiver"},
		"ev.acknowledged":                 {"Ontvangst bevestigd op %s", "Receipt acknowledged on %s"},
		"ev.acknowledged.via":             {"Ontvangst bevestigd op %s, per %s", "Receipt acknowledged on %s, by %s"},
		"ev.handler_assigned":             {"%s aangewezen als behandelaar per %s", "%s assigned as handler from %s"},
		"ev.accused_added":                {"%s toegevoegd als betrokken medewerker", "%s added as accused employee"},
		"ev.party_informed":               {"%s geïnformeerd op %s", "%s informed on %s"},
		"ev.information_requested":        {"Informatie opgevraagd op %s", "Information requested on %s"},
		"ev.information_received":         {"Informatie ontvangen op %s", "Information received on %s"},
		"ev.clock_paused":                 {"Klok stilgezet op %s", "Clock paused on %s"},
		"ev.clock_resumed":                {"Klok weer gestart op %s", "Clock resumed on %s"},
		"ev.admissible":                   {"In behandeling genomen op %s", "Taken on on %s"},
		"ev.inadmissible":                 {"Niet in behandeling genomen op %s: %s (%s)", "Not taken on, on %s: %s (%s)"},
		"ev.document_added":               {"Document vastgelegd: %s", "Document recorded: %s"},
		"ev.inspection_granted":           {"Inzage gegeven aan %s op %s", "Inspection granted to %s on %s"},
		"ev.hearing_planned":              {"Gesprek gepland op %s", "Hearing planned on %s"},
		"ev.hearing_held":                 {"Gesprek gehouden op %s", "Hearing held on %s"},
		"ev.hearing_held.with":            {"Gesprek gehouden op %s met %s", "Hearing held on %s with %s"},
		"ev.hearing_waived":               {"Afgezien van horen op %s", "Hearing skipped on %s"},
		"ev.hearing_report_sent":          {"Verslag van het horen ter ondertekening verstuurd op %s", "Hearing report sent for signature on %s"},
		"ev.hearing_report_signed":        {"Verslag ondertekend door %s op %s", "Report signed by %s on %s"},
		"ev.statement_of_view_added":      {"Zienswijze toegevoegd op %s", "Statement of view added on %s"},
		"ev.extended":                     {"Besluittermijn verlengd tot %s; bericht aan %s", "Decision term extended to %s; notice to %s"},
		"ev.extended.consent":             {"Met schriftelijke instemming van de klager.", "With the complainant's written consent."},
		"ev.decision_proposed":            {"Gemotiveerd voorstel voor het besluit aan de directie", "Motivated proposal for the decision to the board"},
		"ev.proposal_made":                {"Oplossing voorgesteld aan de klager", "Solution proposed to the complainant"},
		"ev.proposal_accepted":            {"De klager heeft het voorstel aanvaard", "The complainant accepted the proposal"},
		"ev.proposal_rejected":            {"De klager heeft het voorstel niet aanvaard", "The complainant did not accept the proposal"},
		"ev.decided":                      {"Besluit: %s", "Decision: %s"},
		"ev.referral_given":               {"Verwezen naar %s", "Referred to %s"},
		"ev.measure_added":                {"Maatregel %d toegevoegd (%s)", "Measure %d added (%s)"},
		"ev.measure.owner":                {"Uitvoerder: %s", "Owner: %s"},
		"ev.measure.due":                  {"Klaar vóór %s", "Due by %s"},
		"ev.measure_done":                 {"Maatregel %d uitgevoerd op %s", "Measure %d carried out on %s"},
		"ev.aftercare_done":               {"Nazorg afgerond op %s", "Aftercare done on %s"},
		"ev.report_sent":                  {"Verslag aan betrokkenen verstuurd op %s", "Report sent to those involved on %s"},
		"ev.settled_informally":           {"Informeel opgelost op %s", "Settled informally on %s"},
		"ev.withdrawn":                    {"Klacht ingetrokken op %s", "Complaint withdrawn on %s"},
		"ev.message_received":             {"E-mail ontvangen van %s", "E-mail received from %s"},
		"ev.category_set":                 {"Categorie: %s", "Category: %s"},
		"ev.message_received.attachments": {"%d bijlage(n)", "%d attachment(s)"},
		"ev.closed":                       {"Zaak afgesloten op %s", "Case closed on %s"},
		"ev.closed.outcome":               {"Zaak afgesloten op %s: %s", "Case closed on %s: %s"},
		"ev.archived":                     {"Gearchiveerd op %s", "Archived on %s"},
		"ev.note_added":                   {"Notitie van %s", "Note of %s"},

		// Errors of the screens themselves.
		"case.error.date":           {"Vul een datum in, zoals 22-12-2026.", "Enter a date, such as 22-12-2026."},
		"case.error.unknown_person": {"Kies iemand uit de lijst.", "Choose someone from the list."},
		"case.error.number":         {"Kies een nummer uit de lijst.", "Choose a number from the list."},
		"case.error.amount":         {"Vul een bedrag in hele euro's in, zoals 500 of € 1.500,00.", "Enter an amount in whole euros, such as 500 or € 1,500."},
		"error.case_accused":        {"Als betrokken medewerker zet u geen stappen in deze zaak.", "As an accused employee you take no steps in this case."},

		// The core's refusals, by reason (apperr.Error.Reason).
		"case.error.accused_handler":           {"Deze persoon is betrokken medewerker in deze klacht en mag haar nooit behandelen. Kies iemand die op afstand staat.", "This person is an accused employee in this complaint and may never handle it. Choose someone at a distance."},
		"case.error.accused":                   {"U bent betrokken medewerker in deze klacht en kunt haar niet behandelen of erover beslissen.", "You are an accused employee in this complaint and cannot handle or decide it."},
		"case.error.role":                      {"Uw rol laat deze stap in deze zaak niet toe.", "Your role does not allow this step in this case."},
		"case.error.done":                      {"Dit is al gebeurd.", "This was done already."},
		"case.error.phase":                     {"Dit kan niet in de fase waarin de zaak nu is.", "This is not possible in the case's present phase."},
		"case.error.not_in_regulation":         {"Het reglement van uw organisatie kent deze stap niet.", "Your organisation's regulation has no such step."},
		"case.error.term_passed":               {"De besluittermijn is al verstreken; het reglement vraagt te verlengen vóórdat die afloopt.", "The decision term has passed; the regulation asks to extend before it ends."},
		"case.error.notify_party":              {"Het reglement vraagt het bericht van de verlenging ook aan deze partij te sturen.", "The regulation asks to send the extension notice to this party too."},
		"case.error.extension_beyond_maximum":  {"Deze datum ligt voorbij de langste verlenging die het reglement toestaat.", "This date lies beyond the longest extension the regulation allows."},
		"case.error.consent_required":          {"Deze datum ligt voorbij het maximum: dat kan alleen met schriftelijke instemming van de klager.", "This date lies beyond the maximum: that needs the complainant's written consent."},
		"case.error.unknown_ground":            {"Kies een grond uit het reglement.", "Choose a ground from the regulation."},
		"case.error.outcome_not_in_regulation": {"Het reglement kent dit oordeel niet.", "The regulation does not know this judgment."},
		"case.error.hearing_required":          {"Het reglement vraagt eerst een gesprek met beide kanten: houd het, of leg vast waarom het niet doorgaat.", "The regulation asks for a hearing of both sides first: hold it, or record why it does not take place."},
		"case.error.hearing_report_required":   {"Verstuur eerst het verslag van het horen ter ondertekening.", "Send the hearing report for signature first."},
		"case.error.board_proposal_required":   {"De behandelaar legt eerst een gemotiveerd voorstel voor aan de directie.", "The handler first puts a motivated proposal to the board."},
		"case.error.admissibility_first":       {"Neem de klacht eerst in behandeling.", "Take the complaint on first."},
		"case.error.measures_open":             {"Er staan nog maatregelen open; de zaak sluit als ze zijn uitgevoerd.", "Measures are still open; the case closes when they are carried out."},
		"case.error.aftercare_open":            {"Rond eerst de nazorg af; daarna sluit de zaak.", "Complete the aftercare first; then the case closes."},
		"case.error.paused":                    {"De klok staat stil; start haar eerst weer.", "The clock is paused; resume it first."},
		"case.error.closed":                    {"Deze zaak is afgesloten; alleen archiveren kan nog.", "This case is closed; only archiving remains."},
		"case.error.archived":                  {"Deze zaak is gearchiveerd; er kan niets meer veranderen.", "This case is archived; nothing can change any more."},
		"case.error.handler_accused":           {"De behandelaar is betrokken medewerker geworden; wijs eerst een andere behandelaar aan.", "The handler has become an accused employee; assign another handler first."},
		"case.error.remark":                    {"Dit is een opmerking, buiten de klachtprocedure.", "This is a remark, outside the complaint procedure."},
		"case.error.bad_input":                 {"Het formulier kon niet worden gelezen. Controleer de velden.", "The form could not be read. Check the fields."},
		"case.error.unknown_action":            {"Deze stap bestaat niet.", "This step does not exist."},
		"case.error.required_field":            {"Het reglement vraagt dit gegeven.", "The regulation asks for this."},
		"case.error.channel_not_accepted":      {"Het reglement aanvaardt klachten niet op deze manier.", "The regulation does not accept complaints this way."},
		"case.error.no_regulation":             {"Op deze datum is geen reglement van kracht.", "No regulation is in force on this date."},

		// Dutch for the core's messages that carry no reason.
		"case.error.missing":         {"Vul dit veld in.", "Fill in this field."},
		"case.error.future":          {"Deze datum ligt in de toekomst.", "This date lies in the future."},
		"case.error.before_receipt":  {"Deze datum ligt vóór de ontvangst van de klacht.", "This date lies before the complaint was received."},
		"case.error.after_due":       {"De nieuwe datum moet na de huidige besluitdatum liggen.", "The new date must be after the present decision date."},
		"case.error.ground_only":     {"Kies alleen een grond als u de klacht niet in behandeling neemt.", "Choose a ground only when the complaint is not taken on."},
		"case.error.not_handler":     {"Deze persoon heeft in uw organisatie niet de rol klachtbehandelaar.", "This person does not hold the complaint handler role in your organisation."},
		"case.error.function":        {"Het reglement vraagt de functie van de behandelaar vast te leggen.", "The regulation asks to record the handler's function."},
		"case.error.incident_after":  {"De datum van het voorval ligt na de datum van ontvangst.", "The incident date lies after the date of receipt."},
		"case.error.received_future": {"De datum van ontvangst ligt in de toekomst.", "The date of receipt lies in the future."},
		"case.error.before_version":  {"De datum van ontvangst ligt vóór de ingangsdatum van het reglement.", "The date of receipt lies before the regulation took effect."},
		"case.error.no_remarks":      {"Het reglement kent geen opmerkingen buiten de klachtprocedure; registreer het als klacht.", "The regulation knows no remarks outside the complaint procedure; record it as a complaint."},
		"case.error.no_settle":       {"Het reglement laat de ontvanger een klacht niet direct afhandelen.", "The regulation does not let the receiver settle a complaint on the spot."},
		"case.error.negative_claim":  {"Een claim kan niet negatief zijn.", "A claim cannot be negative."},
		"case.error.correspondence":  {"Kies e-mail of post.", "Choose e-mail or post."},
		"case.error.unknown_choice":  {"Kies een van de mogelijkheden.", "Choose one of the options."},
	})
}

// coreMessages turn the core's messages that carry no reason into the
// catalogue's words: the core speaks English to developers and API
// clients; the screens speak the reader's language. A message not listed
// here is shown as the core wrote it. TestCoreMessagesAreTranslated keeps
// the list in step with the core.
var coreMessages = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^missing\b`), "case.error.missing"},
	{regexp.MustCompile(`^the date of receipt .* lies in the future`), "case.error.received_future"},
	{regexp.MustCompile(`^the date of receipt .* lies before regulation version`), "case.error.before_version"},
	{regexp.MustCompile(`lies in the future$`), "case.error.future"},
	{regexp.MustCompile(`lies before the complaint was received|cannot be before the complaint was received`), "case.error.before_receipt"},
	{regexp.MustCompile(`must be after the current decision date`), "case.error.after_due"},
	{regexp.MustCompile(`^a ground is only given`), "case.error.ground_only"},
	{regexp.MustCompile(`does not hold the handler role`), "case.error.not_handler"},
	{regexp.MustCompile(`asks to record the handler's function`), "case.error.function"},
	{regexp.MustCompile(`^the incident date .* lies after the date of receipt`), "case.error.incident_after"},
	{regexp.MustCompile(`knows no remarks outside the complaint procedure`), "case.error.no_remarks"},
	{regexp.MustCompile(`does not let the receiver settle`), "case.error.no_settle"},
	{regexp.MustCompile(`^a claim cannot be negative`), "case.error.negative_claim"},
	{regexp.MustCompile(`^unknown choice .*; expected email or post`), "case.error.correspondence"},
	{regexp.MustCompile(`^unknown (way|kind|judgment) `), "case.error.unknown_choice"},
}

// caseErrorText is the message to show for an error of a case screen:
// the catalogue's words for its reason, or for its message, or the
// message itself.
func caseErrorText(l lang, err error) string {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return l.t("error.internal")
	}
	if e.Reason != "" && hasMessage("case.error."+e.Reason) {
		return l.t("case.error." + e.Reason)
	}
	for _, cm := range coreMessages {
		if cm.re.MatchString(e.Message) {
			return l.t(cm.key)
		}
	}
	if e.Reason != "" && hasMessage("error."+e.Reason) {
		return l.t("error." + e.Reason)
	}
	return sentence(e.Message)
}

// sentence starts a message with a capital and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
