package web

// Messages of the complainant's portal: plain language (B1).
func init() {
	addMessages(map[string]msg{
		"ev.inspection_requested": {"Inzage in de stukken gevraagd op %s", "Inspection of the documents asked for on %s"},
		"ev.hearing_requested":    {"Gevraagd om de klacht mondeling toe te lichten op %s", "Asked to explain the complaint in person on %s"},

		"job.portal_link":           {"Persoonlijke link aan klager", "Personal link to complainant"},
		"dashboard.count.newinput":  {"nieuw van klager", "new from complainant"},
		"dashboard.filter.newinput": {"Nieuw van klager", "New from complainant"},
		"dashboard.newinput":        {"Nieuw van klager", "New from complainant"},

		"pub.done.portal": {"U krijgt ook een e-mail met een persoonlijke link. Daarmee ziet u hoe het met uw klacht gaat, en kunt u iets toevoegen.", "You will also get an e-mail with a personal link. With it you can see how your complaint is doing, and add to it."},

		"portal.brand":          {"Uw klacht volgen", "Follow your complaint"},
		"portal.title":          {"Uw klacht %s", "Your complaint %s"},
		"portal.now":            {"Hoe staat het ervoor?", "Where does it stand?"},
		"portal.state.received": {"Wij hebben uw klacht ontvangen. Wij kijken nu of wij hem in behandeling nemen.", "We have received your complaint. We are now checking whether we can handle it."},
		"portal.state.handling": {"Wij behandelen uw klacht.", "We are handling your complaint."},
		"portal.state.decided":  {"Er is een besluit over uw klacht. U krijgt of kreeg daarover een brief.", "A decision on your complaint has been made. You will get, or got, a letter about it."},
		"portal.state.closed":   {"Uw klacht is afgesloten.", "Your complaint is closed."},
		"portal.state.archived": {"Uw klacht is afgesloten en gearchiveerd.", "Your complaint is closed and archived."},
		"portal.state.remark":   {"Wij hebben uw bericht opgenomen als opmerking. Wij gebruiken het om ons werk te verbeteren.", "We have recorded your message as a remark. We use it to improve our work."},
		"portal.outcome":        {"Uitkomst: %s", "Outcome: %s"},
		"portal.terms":          {"Wanneer hoort u van ons?", "When will you hear from us?"},
		"portal.letters":        {"Brieven aan u", "Letters to you"},
		"portal.letters.none":   {"Wij hebben u nog geen brieven gestuurd.", "We have not sent you any letters yet."},
		"portal.documents":      {"Uw bestanden", "Your files"},
		"portal.documents.none": {"U hebt nog geen bestanden gestuurd.", "You have not sent any files yet."},
		"portal.do":             {"Wat kunt u doen?", "What can you do?"},
		"portal.timeline":       {"Wat is er gebeurd?", "What has happened?"},
		"portal.expires":        {"Deze link werkt tot en met %s. Daarna kunt u een nieuwe link aanvragen.", "This link works until %s. After that you can ask for a new link."},

		"portal.evidence":        {"Bewijs toevoegen", "Add evidence"},
		"portal.evidence.files":  {"Bestanden", "Files"},
		"portal.evidence.note":   {"Wat laten de bestanden zien? (mag leeg)", "What do the files show? (optional)"},
		"portal.evidence.submit": {"Bestanden versturen", "Send files"},

		"portal.statement":        {"Uw zienswijze geven", "Give your statement of view"},
		"portal.statement.intro":  {"Schrijf hier hoe u de zaak ziet. Wij voegen uw tekst toe aan het verslag.", "Write here how you see the matter. We add your text to the report."},
		"portal.statement.text":   {"Uw zienswijze", "Your statement of view"},
		"portal.statement.submit": {"Zienswijze versturen", "Send statement"},

		"portal.inspection":        {"De stukken inzien", "See the documents"},
		"portal.inspection.intro":  {"U mag de stukken van uw klacht inzien. Vraag het hier. De behandelaar neemt contact met u op.", "You may see the documents of your complaint. Ask here. The handler will contact you."},
		"portal.inspection.submit": {"Inzage vragen", "Ask to see the documents"},

		"portal.hearing":        {"Uw klacht mondeling toelichten", "Explain your complaint in person"},
		"portal.hearing.intro":  {"Wilt u uw klacht in een gesprek uitleggen? Vraag het hier. De behandelaar maakt een afspraak met u.", "Would you like to explain your complaint in a conversation? Ask here. The handler will make an appointment with you."},
		"portal.hearing.submit": {"Gesprek vragen", "Ask for a conversation"},
		"portal.request.note":   {"Toelichting (mag leeg)", "Explanation (optional)"},

		"portal.proposal":        {"Voorstel voor een oplossing", "Proposed solution"},
		"portal.proposal.answer": {"Gaat u akkoord met dit voorstel?", "Do you accept this proposal?"},
		"portal.proposal.yes":    {"Ja, ik ga akkoord", "Yes, I accept"},
		"portal.proposal.no":     {"Nee, ik ga niet akkoord", "No, I do not accept"},
		"portal.proposal.reply":  {"Uw reactie (mag leeg)", "Your reply (optional)"},
		"portal.proposal.submit": {"Antwoord versturen", "Send answer"},

		"portal.withdraw":        {"Uw klacht intrekken", "Withdraw your complaint"},
		"portal.withdraw.intro":  {"Wilt u niet meer dat wij uw klacht behandelen? Dan kunt u hem intrekken. Wij sluiten uw klacht dan af.", "Do you no longer want us to handle your complaint? Then you can withdraw it. We will then close your complaint."},
		"portal.withdraw.reason": {"Waarom trekt u de klacht in?", "Why do you withdraw the complaint?"},
		"portal.withdraw.sure":   {"Ik weet dat mijn klacht dan wordt afgesloten", "I know that my complaint will then be closed"},
		"portal.withdraw.submit": {"Klacht intrekken", "Withdraw complaint"},

		"portal.done.bewijs":     {"Dank u. Uw bestanden zijn toegevoegd.", "Thank you. Your files have been added."},
		"portal.done.zienswijze": {"Dank u. Uw zienswijze is toegevoegd.", "Thank you. Your statement of view has been added."},
		"portal.done.inzage":     {"Uw vraag om de stukken in te zien is doorgegeven.", "Your request to see the documents has been passed on."},
		"portal.done.gesprek":    {"Uw vraag om een gesprek is doorgegeven.", "Your request for a conversation has been passed on."},
		"portal.done.voorstel":   {"Dank u. Uw antwoord op het voorstel is doorgegeven.", "Thank you. Your answer to the proposal has been passed on."},
		"portal.done.intrekken":  {"Uw klacht is ingetrokken en afgesloten.", "Your complaint has been withdrawn and closed."},

		"portal.error.summary": {"Dit is nog niet verstuurd. Kijk bij de velden met een melding.", "This has not been sent yet. Look at the fields with a message."},
		"portal.error.answer":  {"Kies ja of nee.", "Choose yes or no."},
		"portal.error.sure":    {"Zet een vinkje als u de klacht echt wilt intrekken.", "Tick the box if you really want to withdraw the complaint."},
		"portal.error.nofile":  {"Kies minstens één bestand.", "Choose at least one file."},
		"portal.error.rate":    {"U hebt de laatste minuten te vaak een nieuwe link gevraagd. Wacht tien minuten en probeer het opnieuw.", "You asked for a new link too often in the last few minutes. Wait ten minutes and try again."},

		"portal.refused.done":              {"Dit hebt u al gevraagd of het is al gebeurd. De behandelaar neemt contact met u op.", "You already asked for this, or it has already happened. The handler will contact you."},
		"portal.refused.not_in_regulation": {"Dit kan niet volgens de klachtenregeling van deze organisatie.", "The complaints procedure of this organisation does not provide for this."},
		"portal.refused.phase":             {"Dit kan nu niet, in deze fase van uw klacht.", "This is not possible now, at this stage of your complaint."},
		"portal.refused.closed":            {"Uw klacht is afgesloten. U kunt niets meer toevoegen. Neem contact op met de organisatie als u nog iets wilt laten weten.", "Your complaint is closed. You cannot add anything. Contact the organisation if you want to tell them something."},
		"portal.refused.paused":            {"De behandeling staat even stil. Dit kan later weer.", "Handling is paused for a while. You can do this later."},
		"portal.refused.role":              {"Dit kunt u niet via deze pagina doen.", "You cannot do this on this page."},

		"portal.dead":              {"Deze link werkt niet (meer). Misschien is hij verlopen of is er een nieuwere link gestuurd. Vraag hieronder een nieuwe link aan.", "This link does not work (any more). It may have expired, or a newer link was sent. Ask for a new link below."},
		"portal.renew.title":       {"Een nieuwe link naar uw klacht", "A new link to your complaint"},
		"portal.renew.intro":       {"Vul uw dossiernummer en uw e-mailadres in. Kloppen de gegevens? Dan sturen wij een nieuwe link naar dat e-mailadres. De oude link werkt dan niet meer.", "Fill in your case number and your e-mail address. If the details are right, we send a new link to that e-mail address. The old link then stops working."},
		"portal.renew.number":      {"Dossiernummer", "Case number"},
		"portal.renew.number.hint": {"Bijvoorbeeld 2026-0012. Het staat in onze e-mail en brieven.", "For example 2026-0012. It is in our e-mail and letters."},
		"portal.renew.email":       {"Uw e-mailadres", "Your e-mail address"},
		"portal.renew.submit":      {"Nieuwe link sturen", "Send new link"},
		"portal.renew.sent":        {"Als het dossiernummer en het e-mailadres bij een klacht horen, krijgt u binnen enkele minuten een e-mail met een nieuwe link. Kijk ook in uw map met ongewenste e-mail.", "If the case number and e-mail address belong to a complaint, you will receive an e-mail with a new link within a few minutes. Also check your junk mail folder."},
	})
}
