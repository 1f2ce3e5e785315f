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
