package web

func init() {
	addMessages(map[string]msg{
		"account.password":             {"Wachtwoord wijzigen", "Change password"},
		"password.title":               {"Wachtwoord wijzigen", "Change your password"},
		"password.intro":               {"Kies een nieuw wachtwoord van minstens 12 tekens. Daarna wordt u op uw andere apparaten afgemeld; hier blijft u aangemeld.", "Choose a new password of at least 12 characters. You are then signed out on your other devices; here you stay signed in."},
		"password.current":             {"Huidig wachtwoord", "Current password"},
		"password.new":                 {"Nieuw wachtwoord", "New password"},
		"password.repeat":              {"Herhaal het nieuwe wachtwoord", "Repeat the new password"},
		"password.submit":              {"Wachtwoord opslaan", "Save password"},
		"password.changed":             {"Uw wachtwoord is gewijzigd. Op uw andere apparaten bent u afgemeld.", "Your password was changed. You were signed out on your other devices."},
		"error.wrong_current_password": {"Uw huidige wachtwoord klopt niet.", "Your current password is not right."},
	})
}

func init() {
	addMessages(map[string]msg{
		"nav.admin":                      {"Beheer", "Administration"},
		"lettersettings.title":           {"Brieven en huisstijl", "Letters and letterhead"},
		"lettersettings.intro":           {"Zo zien uw brieven eruit. De inhoud die het klachtenreglement voorschrijft, zet Gegrond er altijd zelf in; hier kiest u uw briefhoofd, uw eigen openings- en slotzinnen en wanneer behandelaars een herinnering krijgen. Brieven die al gemaakt zijn, blijven zoals ze zijn.", "This is how your letters look. Gegrond always adds the contents the complaint regulation requires; here you choose your letterhead, your own opening and closing words and when handlers are reminded. Letters already made stay as they are."},
		"lettersettings.head":            {"Briefhoofd", "Letterhead"},
		"lettersettings.email":           {"E-mailadres voor klachten", "Complaint e-mail address"},
		"lettersettings.email.hint":      {"Afzender en antwoordadres van uw brieven. Leeg: het adres uit het reglement (%s).", "Sender and reply address of your letters. Empty: the address of the regulation (%s)."},
		"lettersettings.email.hint0":     {"Afzender en antwoordadres van uw brieven.", "Sender and reply address of your letters."},
		"lettersettings.address":         {"Postadres", "Postal address"},
		"lettersettings.phone":           {"Telefoonnummer", "Phone number"},
		"lettersettings.lang":            {"Taal van de brieven", "Language of the letters"},
		"lettersettings.lang.nl":         {"Nederlands", "Dutch"},
		"lettersettings.lang.en":         {"Engels", "English"},
		"lettersettings.days":            {"Herinnering aan de behandelaar (werkdagen vóór een termijn)", "Reminder to the handler (working days before a limit)"},
		"lettersettings.days.hint":       {"Leeg: 2 werkdagen. Ten hoogste 20.", "Empty: 2 working days. At most 20."},
		"lettersettings.logo":            {"Logo (PNG)", "Logo (PNG)"},
		"lettersettings.logo.hint":       {"Een PNG-bestand van ten hoogste 256 kB en 2000 pixels breed en hoog. Leeg laten houdt het huidige logo.", "A PNG file of at most 256 kB and 2000 pixels each way. Leave empty to keep the current logo."},
		"lettersettings.logo.now":        {"Huidig logo: %s.", "Current logo: %s."},
		"lettersettings.logo.none":       {"Er is nog geen logo.", "There is no logo yet."},
		"lettersettings.logo.remove":     {"Logo verwijderen", "Remove the logo"},
		"lettersettings.wording":         {"Eigen tekst per brief", "Your own words per letter"},
		"lettersettings.wording.intro":   {"Een eigen opening en slot, ten hoogste 1200 tekens elk. Wat het reglement voorschrijft, staat er altijd tussen.", "Your own opening and closing, at most 1200 characters each. What the regulation requires always stands in between."},
		"lettersettings.opening":         {"Opening", "Opening"},
		"lettersettings.closing":         {"Slot", "Closing"},
		"lettersettings.submit":          {"Instellingen opslaan", "Save settings"},
		"lettersettings.saved":           {"De instellingen voor brieven zijn opgeslagen.", "The letter settings were saved."},
		"lettersettings.error.days":      {"Vul een aantal werkdagen in, bijvoorbeeld 2.", "Fill in a number of working days, for example 2."},
		"lettersettings.error.logo_read": {"Het logo kon niet gelezen worden. Probeer het opnieuw.", "The logo could not be read. Try again."},
		"error.bad_email":                {"Dit is geen geldig e-mailadres.", "This is not a valid e-mail address."},
		"error.reminder_days":            {"Kies 0 tot en met 20 werkdagen.", "Choose 0 to 20 working days."},
		"error.letter_lang":              {"Kies Nederlands of Engels.", "Choose Dutch or English."},
		"error.logo_too_big":             {"Het logo is te groot: ten hoogste 256 kB en 2000 pixels breed en hoog.", "The logo is too large: at most 256 kB and 2000 pixels each way."},
		"error.logo_not_png":             {"Het logo moet een PNG-afbeelding zijn.", "The logo must be a PNG image."},
		"error.wording_too_long":         {"Deze tekst is te lang: ten hoogste 1200 tekens.", "This text is too long: at most 1200 characters."},
		"error.wording_unreadable":       {"Deze tekst bevat tekens die niet in een brief passen.", "This text holds characters that do not fit in a letter."},
	})
}
