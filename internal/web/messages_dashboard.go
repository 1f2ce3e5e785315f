package web

// The messages of Termijnen and of the deadline signs.
func init() {
	addMessages(map[string]msg{
		"dashboard.title":             {"Termijnen", "Deadlines"},
		"dashboard.intro":             {"Open klachten, de eerstvolgende termijn bovenaan. Vandaag is het %s.", "Open complaints, the nearest deadline first. Today is %s."},
		"dashboard.counts":            {"Aantallen", "Counts"},
		"dashboard.count.open":        {"open", "open"},
		"dashboard.count.overdue":     {"te laat", "overdue"},
		"dashboard.count.soon":        {"binnen 2 werkdagen", "due within 2 working days"},
		"dashboard.count.unassigned":  {"zonder behandelaar", "without a handler"},
		"dashboard.filter":            {"Filteren", "Filter"},
		"dashboard.filter.mine":       {"Mijn zaken", "My cases"},
		"dashboard.filter.unassigned": {"Zonder behandelaar", "Without a handler"},
		"dashboard.filter.overdue":    {"Te laat", "Overdue"},
		"dashboard.filter.state":      {"Status", "State"},
		"dashboard.filter.state.all":  {"Alle", "All"},
		"dashboard.filter.apply":      {"Toon", "Show"},
		"dashboard.filter.clear":      {"Alles tonen", "Show all"},
		"dashboard.filter.conflict":   {"Kies 'Mijn zaken' of 'Zonder behandelaar', niet allebei.", "Choose 'My cases' or 'Without a handler', not both."},
		"dashboard.table.caption":     {"Open klachten op volgorde van termijn", "Open complaints by deadline"},
		"dashboard.col.number":        {"Dossier", "Case"},
		"dashboard.col.complainant":   {"Klager", "Complainant"},
		"dashboard.col.state":         {"Status", "State"},
		"dashboard.col.handler":       {"Behandelaar", "Handler"},
		"dashboard.col.step":          {"Volgende stap", "Next step"},
		"dashboard.col.due":           {"Termijn", "Due"},
		"dashboard.col.sign":          {"Stand", "Standing"},
		"dashboard.nobody":            {"nog niemand", "nobody yet"},
		"dashboard.empty":             {"Geen open klachten die bij dit filter passen.", "No open complaints match this filter."},
		"dashboard.pages":             {"Pagina's", "Pages"},
		"dashboard.page":              {"pagina %d", "page %d"},
		"dashboard.prev":              {"Vorige pagina", "Previous page"},
		"dashboard.next":              {"Volgende pagina", "Next page"},

		"sign.overdue": {"Te laat", "Overdue"},
		"sign.soon":    {"Binnenkort", "Due soon"},
		"sign.ok":      {"Op tijd", "On time"},
		"sign.none":    {"Geen termijn", "No deadline"},
	})
}
