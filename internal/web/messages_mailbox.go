package web

func init() {
	addMessages(map[string]msg{
		"mailbox.title":           {"Postvak voor klachten (IMAP)", "Complaint mailbox (IMAP)"},
		"mailbox.intro":           {"Gegrond leest dit postvak en zet elk nieuw bericht op de triagelijst.", "Gegrond reads this mailbox and puts every new message on the triage list."},
		"mailbox.host":            {"Server", "Server"},
		"mailbox.port":            {"Poort", "Port"},
		"mailbox.port.invalid":    {"Vul een poortnummer in, zoals 993.", "Enter a port number, such as 993."},
		"mailbox.security":        {"Beveiliging (tls of starttls)", "Security (tls or starttls)"},
		"mailbox.username":        {"Gebruikersnaam", "User name"},
		"mailbox.password":        {"Wachtwoord", "Password"},
		"mailbox.password.saved":  {"••• (opgeslagen) — laat leeg om het te houden", "••• (saved) — leave empty to keep it"},
		"mailbox.mailbox":         {"Map", "Folder"},
		"mailbox.processed":       {"Map voor verwerkte berichten (optioneel)", "Folder for processed messages (optional)"},
		"mailbox.enabled":         {"Postvak lezen (aan)", "Read the mailbox (on)"},
		"mailbox.submit":          {"Opslaan", "Save"},
		"mailbox.saved":           {"Het postvak is opgeslagen.", "The mailbox has been saved."},
		"mailbox.status":          {"Status", "Status"},
		"mailbox.lastcheck":       {"Laatst bekeken", "Last checked"},
		"mailbox.lastcheck.never": {"nog niet", "not yet"},
		"mailbox.lasterror":       {"Laatste fout", "Last error"},
		"mailbox.lasterror.none":  {"geen", "none"},
		"error.no_master_key":     {"Er is geen hoofdsleutel ingesteld (--master-key of GEGROND_MASTER_KEY): het wachtwoord kan niet versleuteld worden opgeslagen.", "No master key is configured (--master-key or GEGROND_MASTER_KEY): the password cannot be stored encrypted."},
	})
}
