package web

// The messages of Gebruikers.
func init() {
	addMessages(map[string]msg{
		"users.title":      {"Gebruikers", "Users"},
		"users.intro":      {"De mensen van uw organisatie en hun rollen. Een rol bepaalt wat iemand in Gegrond mag.", "The people of your organisation and their roles. A role decides what someone may do in Gegrond."},
		"users.caption":    {"Gebruikers van %s", "Users of %s"},
		"users.new":        {"Gebruiker toevoegen", "Add a user"},
		"users.new.submit": {"Toevoegen", "Add"},
		"users.back":       {"Terug naar Gebruikers", "Back to Users"},

		"user.name":           {"Naam", "Name"},
		"user.email":          {"E-mailadres", "E-mail address"},
		"user.roles":          {"Rollen", "Roles"},
		"user.roles.none":     {"Kies minstens één rol.", "Choose at least one role."},
		"user.roles.save":     {"Rollen opslaan", "Save roles"},
		"user.roles.saved":    {"De rollen zijn opgeslagen.", "The roles are saved."},
		"user.new.intro":      {"Heeft deze persoon al een account bij een andere organisatie, dan krijgt die account hier de gekozen rollen.", "If this person has an account with another organisation already, that account gets the chosen roles here."},
		"user.start":          {"Eerste aanmelding", "First sign-in"},
		"user.start.link":     {"Maak een eenmalige link om een wachtwoord in te stellen (de link komt in het serverlog)", "Make a one-time link to set a password (the link goes to the server log)"},
		"user.start.password": {"Ik kies een eerste wachtwoord", "I choose a first password"},
		"user.password":       {"Eerste wachtwoord", "First password"},
		"user.password.hint":  {"Alleen bij 'Ik kies een eerste wachtwoord'. Minstens 12 tekens.", "Only with 'I choose a first password'. At least 12 characters."},
		"user.password.title": {"Wachtwoord", "Password"},
		"user.exists":         {"Deze persoon hoort al bij uw organisatie.", "This person already belongs to your organisation."},
		"user.added":          {"De gebruiker is toegevoegd.", "The user was added."},
		"user.added.existing": {"De bestaande account heeft de rollen in uw organisatie gekregen.", "The existing account got the roles in your organisation."},
		"user.added.link":     {"De gebruiker is toegevoegd. De link om een wachtwoord in te stellen staat in het serverlog (één uur geldig).", "The user was added. The link to set a password is in the server log (valid for one hour)."},
		"user.reset.intro":    {"Maak een eenmalige link waarmee deze persoon een nieuw wachtwoord instelt. Zolang Gegrond geen e-mail verstuurt, komt de link in het serverlog.", "Make a one-time link for this person to set a new password. Until Gegrond sends e-mail, the link goes to the server log."},
		"user.reset.submit":   {"Herstellink maken", "Make a reset link"},
		"user.reset.logged":   {"De herstellink staat in het serverlog (één uur geldig, één keer te gebruiken).", "The reset link is in the server log (valid for one hour, once)."},
		"user.totp.on":        {"Deze persoon gebruikt tweestapsverificatie. Telefoon en herstelcodes kwijt? Zet het dan uit; bij de volgende aanmelding stelt de persoon het opnieuw in.", "This person uses two-step verification. Lost phone and recovery codes? Remove it; they set it up again at their next sign-in."},
		"user.totp.off":       {"Deze persoon gebruikt geen tweestapsverificatie.", "This person does not use two-step verification."},
		"user.totp.remove":    {"Tweestapsverificatie uitzetten", "Remove two-step verification"},
		"user.totp.removed":   {"De tweestapsverificatie van deze persoon is uitgezet.", "This person's two-step verification was removed."},
		"user.remove.title":   {"Uit de organisatie halen", "Remove from the organisation"},
		"user.remove.intro":   {"De persoon verliest alle rollen in deze organisatie en kan hier niet meer aanmelden. De geschiedenis van zaken blijft.", "The person loses every role in this organisation and can no longer sign in here. The history of cases stays."},
		"user.remove.self":    {"Dit is uw eigen account: u verliest dan zelf de toegang tot deze organisatie.", "This is your own account: you lose access to this organisation yourself."},
		"user.remove.submit":  {"Uit de organisatie halen", "Remove from the organisation"},
		"user.removed":        {"De persoon is uit de organisatie gehaald.", "The person was removed from the organisation."},

		"error.last_admin":     {"De organisatie houdt minstens één beheerder.", "The organisation keeps at least one administrator."},
		"error.user_not_found": {"Deze gebruiker hoort niet bij uw organisatie.", "This user does not belong to your organisation."},
	})
}
