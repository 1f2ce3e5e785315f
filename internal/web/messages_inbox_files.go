package web

// Messages of Postvak's attachment downloads and the HTML body.
func init() {
	addMessages(map[string]msg{
		"inbox.download":           {"Downloaden", "Download"},
		"inbox.quarantine.open":    {"Bekijk waarom", "See why"},
		"inbox.html":               {"Bericht zoals opgemaakt (veilig weergegeven: geen scripts, geen afbeeldingen van buiten)", "Message as formatted (shown safely: no scripts, no outside images)"},
		"inbox.show_text":          {"Toon als tekst", "Show as text"},
		"inbox.show_html":          {"Toon zoals opgemaakt", "Show as formatted"},
		"inbox.attachment.title":   {"Bijlage in quarantaine: %s", "Quarantined attachment: %s"},
		"inbox.attachment.warn":    {"Deze bijlage voldoet niet aan de regels voor bewijsstukken en is daarom niet bij de zaak gevoegd. Reden: %s", "This attachment breaks the rules for evidence and was therefore not added to the case. Reason: %s"},
		"inbox.attachment.advice":  {"Open het bestand alleen als u de afzender vertrouwt, en bij voorkeur op een afgeschermde computer. Gegrond voert het bestand nooit zelf uit.", "Open the file only if you trust the sender, preferably on an isolated computer. Gegrond never runs the file itself."},
		"inbox.attachment.confirm": {"Ik begrijp het risico: downloaden", "I understand the risk: download"},

		"inbox.quarantine_reason.file_type_not_allowed":          {"dit soort bestand is als bewijsstuk niet toegestaan (bepaald aan de inhoud)", "this kind of file is not allowed as evidence (judged by its content)"},
		"inbox.quarantine_reason.file_too_large":                 {"het bestand is groter dan het reglement toestaat", "the file is larger than the regulation allows"},
		"inbox.quarantine_reason.already_added":                  {"staat al in het dossier (eerder uit dit archief geopend)", "is in the case file already (opened from this archive before)"},
		"inbox.quarantine_reason.file_empty":                     {"het bestand is leeg", "the file is empty"},
		"inbox.quarantine_reason.too_many_files":                 {"te veel bestanden", "too many files"},
		"inbox.quarantine_reason.archive_too_many_entries":       {"het archief bevat te veel bestanden", "the archive holds too many files"},
		"inbox.quarantine_reason.archive_uncompressed_too_large": {"het archief is uitgepakt te groot", "the archive is too large when unpacked"},
		"inbox.quarantine_reason.archive_compression_ratio":      {"het archief is verdacht sterk gecomprimeerd (mogelijk een zip-bom)", "the archive is suspiciously highly compressed (possibly a zip bomb)"},
		"inbox.quarantine_reason.archive_nesting_too_deep":       {"het archief zit te diep in andere archieven", "the archive is nested too deeply"},
		"inbox.quarantine_reason.archive_damaged":                {"het archief is beschadigd", "the archive is damaged"},
		"inbox.quarantine_reason.virus_found":                    {"de virusscanner vond een virus", "the virus scanner found a virus"},
		"inbox.quarantine_reason.virus_scan_failed":              {"de virusscan kon niet worden uitgevoerd", "the virus scan could not be run"},
		"inbox.quarantine_reason.tnef":                           {"een Outlook-bestand (winmail.dat) dat Gegrond niet uitpakt", "an Outlook file (winmail.dat) that Gegrond does not unpack"},
	})
}
