package demo

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"

	"github.com/gegrond/gegrond/internal/reglement"
)

// AdminEmail is the demo administrator's sign-in, a member of every demo
// organisation. The .example domain is reserved: no mail can ever reach a
// real person (RFC 2606).
const AdminEmail = "beheer@gegrond.example"

// adminName is the demo administrator's display name.
const adminName = "Demo Beheerder"

// Person is a demo staff member of one organisation.
type Person struct {
	// Key is the person's part in the demo: handler1, handler2, board,
	// quality, receiver or accused.
	Key      string
	Name     string
	Email    string
	Function string
	Roles    []reglement.Role
}

// The keys of the demo staff.
const (
	keyHandler1 = "handler1"
	keyHandler2 = "handler2"
	keyBoard    = "board"
	keyQuality  = "quality"
	keyReceiver = "receiver"
	// keyAccused is the employee the complaints are about: staff, so that
	// the independence rules (Awb 9:7) have someone to protect.
	keyAccused = "accused"
	keyAdmin   = "admin"
)

// Fictional Dutch-sounding names: common first names and surnames,
// combined per organisation by a seed of its id, so no combination stands
// for a real person.
var (
	firstNames = []string{
		"Anouk", "Bas", "Daan", "Eline", "Fenna", "Gijs", "Hanneke", "Ilse", "Jeroen", "Joost",
		"Karin", "Lotte", "Maarten", "Marloes", "Niels", "Noor", "Pieter", "Roos", "Sanne", "Sem",
		"Thijs", "Tessa", "Willemijn", "Youssef", "Yara", "Bram", "Femke", "Koen", "Mirjam", "Ruud",
	}
	lastNames = []string{
		"Bakker", "Brouwer", "de Boer", "de Graaf", "Dekker", "de Wit", "Hendriks", "Jansen",
		"Kok", "Koster", "Maas", "Meijer", "Mulder", "Peeters", "Postma", "Smit", "van Dam",
		"van den Berg", "van der Linden", "van Leeuwen", "Verhoeven", "Visser", "Vos", "Willems",
	}
)

// names hands out distinct fictional names from a seeded source.
type names struct {
	rng  *rand.Rand
	used map[string]bool
}

func newNames(seed string) *names {
	h := fnv.New64a()
	h.Write([]byte(seed))
	return &names{rng: rand.New(rand.NewPCG(h.Sum64(), 0x9e3779b97f4a7c15)), used: map[string]bool{}}
}

// next returns a name whose first and last names were not handed out
// before, while there are such; after that, a full name not handed out
// before.
func (n *names) next() (first, last string) {
	for try := 0; ; try++ {
		first = firstNames[n.rng.IntN(len(firstNames))]
		last = lastNames[n.rng.IntN(len(lastNames))]
		fresh := !n.used["f/"+first] && !n.used["l/"+last]
		if (fresh || try > 1000) && !n.used[first+" "+last] {
			n.used["f/"+first], n.used["l/"+last], n.used[first+" "+last] = true, true, true
			return first, last
		}
	}
}

// reserve marks a full name as handed out, so that no complainant gets a
// staff member's name or part of it.
func (n *names) reserve(full string) {
	first, last, _ := strings.Cut(full, " ")
	n.used["f/"+first], n.used["l/"+last], n.used[full] = true, true, true
}

// emailLocal makes the local part of an address from a name: lower case,
// no spaces ("Jeroen van Dam" is jeroen.vandam).
func emailLocal(first, last string) string {
	return strings.ToLower(first + "." + strings.ReplaceAll(last, " ", ""))
}

// Staff returns the demo staff of the organisation seeded from preset r,
// always the same for the same preset.
func Staff(r *reglement.Reglement) []Person {
	n := newNames("staff/" + r.ID)
	handlerTitle := r.Roles.HandlerTitle
	if handlerTitle == "" {
		handlerTitle = "klachtbehandelaar"
	}
	parts := []struct {
		key, function string
		role          reglement.Role
	}{
		{keyHandler1, handlerTitle, reglement.RoleHandler},
		{keyHandler2, handlerTitle, reglement.RoleHandler},
		{keyBoard, "directeur", reglement.RoleBoard},
		{keyQuality, "kwaliteitsfunctionaris", reglement.RoleQualityOfficer},
		{keyReceiver, "medewerker backoffice", reglement.RoleReceiver},
		{keyAccused, "jobcoach", reglement.RoleReceiver},
	}
	out := make([]Person, 0, len(parts))
	for _, p := range parts {
		first, last := n.next()
		out = append(out, Person{
			Key: p.key, Name: first + " " + last, Function: p.function,
			Email: emailLocal(first, last) + "@" + r.ID + ".example",
			Roles: []reglement.Role{p.role},
		})
	}
	return out
}
