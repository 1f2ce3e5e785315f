package web

// Messages of "Openen met wachtwoord": a password-protected ZIP opened
// into the case file (Best Match section 3).
func init() {
	addMessages(map[string]msg{
		"archive.title":     {"Openen met wachtwoord", "Open with password"},
		"archive.back":      {"Terug", "Back"},
		"archive.intro":     {"Typ het wachtwoord dat de klager apart stuurde. Elk bestand in het archief wordt gecontroleerd zoals het reglement dat voor bewijsstukken vraagt, versleuteld bewaard en aan de zaak toegevoegd. Het wachtwoord wordt niet bewaard.", "Type the password the complainant sent separately. Every file in the archive is checked as the regulation asks for evidence, stored encrypted and added to the case. The password is not kept."},
		"archive.password":  {"Wachtwoord van het archief", "Password of the archive"},
		"archive.submit":    {"Openen", "Open"},
		"archive.done":      {"%d bestand(en) toegevoegd aan zaak %s.", "%d file(s) added to case %s."},
		"archive.added":     {"Toegevoegd", "Added"},
		"archive.refused":   {"Niet toegevoegd", "Not added"},
		"archive.to_case":   {"Naar zaak %s", "To case %s"},
		"archive.open_link": {"Openen met wachtwoord", "Open with password"},

		"error.wrong_password":           {"Het wachtwoord klopt niet. Controleer het wachtwoord dat de klager apart stuurde (hoofdletters, spaties en leestekens tellen mee).", "The password is wrong. Check the password the complainant sent separately (capitals, spaces and punctuation count)."},
		"error.archive_not_encrypted":    {"Dit bestand is geen archief met een wachtwoord.", "This file is not a password-protected archive."},
		"error.archive_unsupported":      {"Het archief gebruikt een versleuteling of compressie die Gegrond niet kan openen: vraag de klager het opnieuw te sturen als ZIP met AES-256 (bijvoorbeeld met 7-Zip of WinZip).", "The archive uses encryption or compression Gegrond cannot open: ask the complainant to send it again as a ZIP with AES-256 (for example with 7-Zip or WinZip)."},
		"error.not_triaged":              {"Het bericht hoort nog bij geen zaak: beoordeel het eerst, open daarna het archief.", "The message belongs to no case yet: triage it first, then open the archive."},
		"error.add_document_not_allowed": {"U mag nu geen documenten aan deze zaak toevoegen, dus ook geen archief openen.", "You may not add documents to this case now, so you cannot open an archive into it."},
		"error.no_document_store":        {"Er is geen opslag voor bestanden ingesteld: bestanden uit een archief kunnen niet worden bewaard.", "No file store is configured: files from an archive cannot be kept."},
	})
}
