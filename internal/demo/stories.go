package demo

// story is the content of one demo complaint: fictional, in the Dutch the
// complainants and staff would write.
type story struct {
	facts          string
	desiredOutcome string
	service        string
	// commissioning party and its kind (see complaint.Intake).
	commissioning, commissioningKind string
	place, time                      string
	// point is the complaint point the decision judges.
	point string
}

// stories are handed out to the demo cases in turn.
var stories = []story{
	{
		facts:          "Mijn jobcoach is drie afspraken achter elkaar niet gekomen zonder af te bellen. Daardoor kon ik mijn sollicitatiegesprek bij een distributiecentrum niet goed voorbereiden.",
		desiredOutcome: "Excuses en een vaste afspraak per week met een coach die wel komt.",
		service:        "jobcoaching", commissioning: "UWV", commissioningKind: "uwv",
		place: "Werkplek bij de werkgever in Dordrecht", time: "09:30",
		point: "Afspraken niet nagekomen zonder bericht",
	},
	{
		facts:          "In het voortgangsrapport aan mijn opdrachtgever staat dat ik niet gemotiveerd ben. Dat klopt niet: ik heb alle opdrachten gedaan en kan dat met e-mails laten zien.",
		desiredOutcome: "Correctie van het rapport en een nieuwe versie aan de opdrachtgever.",
		service:        "werkfit", commissioning: "UWV", commissioningKind: "uwv",
		place: "Kantoor Rotterdam", time: "14:00",
		point: "Onjuiste weergave van de inzet in het voortgangsrapport",
	},
	{
		facts:          "Tijdens een gesprek op kantoor werd ik in het bijzijn van andere cliënten aangesproken op mijn ziekteverzuim. Ik voelde me vernederd.",
		desiredOutcome: "Een gesprek over wat er is gebeurd en excuses.",
		service:        "spoor 2", commissioning: "Bouwbedrijf Zuidrijk B.V.", commissioningKind: "employer",
		place: "Wachtruimte kantoor Rotterdam", time: "10:15",
		point: "Bejegening in het bijzijn van anderen",
	},
	{
		facts:          "Ik krijg al vier weken geen antwoord op mijn e-mails over de planning van mijn traject. Telefonisch word ik steeds doorverbonden.",
		desiredOutcome: "Een vaste contactpersoon die binnen twee werkdagen reageert.",
		service:        "naar werk", commissioning: "Gemeente Zuidrijk", commissioningKind: "municipality",
		place: "Per e-mail en telefoon", time: "",
		point: "Slechte bereikbaarheid van de begeleiding",
	},
	{
		facts:          "Mijn medische gegevens zijn zonder mijn toestemming doorgestuurd naar mijn werkgever, als bijlage bij het plan van aanpak.",
		desiredOutcome: "Uitleg hoe dit kon gebeuren en de zekerheid dat het niet weer gebeurt.",
		service:        "spoor 1", commissioning: "Transportbedrijf De Waal B.V.", commissioningKind: "employer",
		place: "Per e-mail", time: "11:00",
		point: "Medische gegevens zonder toestemming gedeeld",
	},
	{
		facts:          "De coach wil dat ik solliciteer op functies die niet passen bij mijn beperkingen, terwijl we in het plan van aanpak iets anders hebben afgesproken.",
		desiredOutcome: "Vacatures die passen bij wat in het plan van aanpak staat.",
		service:        "jobcoaching", commissioning: "UWV", commissioningKind: "uwv",
		place: "MS Teams", time: "13:30",
		point: "Afwijken van het plan van aanpak",
	},
	{
		facts:          "Het trajectplan is zonder overleg met mij gewijzigd. Ik zag de nieuwe versie pas nadat de opdrachtgever hem had ondertekend.",
		desiredOutcome: "Dat wijzigingen eerst met mij worden besproken.",
		service:        "outplacement", commissioning: "Zorggroep Noorderlicht", commissioningKind: "employer",
		place: "Kantoor Utrecht", time: "15:45",
		point: "Trajectplan gewijzigd zonder overleg",
	},
	{
		facts:          "De reiskosten voor de assessmentdag zijn na twee maanden nog steeds niet vergoed, hoewel ik alle bonnen heb ingeleverd.",
		desiredOutcome: "Vergoeding van de reiskosten.",
		service:        "assessment", commissioning: "Gemeente Zuidrijk", commissioningKind: "municipality",
		place: "Assessmentcentrum Amersfoort", time: "08:45",
		point: "Reiskosten niet vergoed",
	},
	{
		facts:          "Mijn werkgever kreeg het eindrapport eerder dan ik, en er staan feitelijke onjuistheden in over mijn werkhervatting.",
		desiredOutcome: "Een gecorrigeerd eindrapport dat eerst aan mij wordt voorgelegd.",
		service:        "spoor 2", commissioning: "Installatiebedrijf Vermeulen B.V.", commissioningKind: "employer",
		place: "Per post", time: "",
		point: "Eindrapport met onjuistheden, eerst aan de werkgever gestuurd",
	},
	{
		facts:          "De coach maakte tijdens een telefoongesprek grappen over mijn achtergrond. Ik wil niet meer door deze coach begeleid worden.",
		desiredOutcome: "Een andere coach.",
		service:        "jobcoaching", commissioning: "UWV", commissioningKind: "uwv",
		place: "Telefonisch", time: "16:20",
		point: "Ongepaste opmerkingen van de coach",
	},
	{
		facts:          "Ik ben zonder uitleg overgedragen aan een andere coach en moest mijn hele verhaal opnieuw vertellen.",
		desiredOutcome: "Uitleg over de wissel en een goede overdracht.",
		service:        "werkfit", commissioning: "UWV", commissioningKind: "uwv",
		place: "Kantoor Rotterdam", time: "10:00",
		point: "Wisseling van coach zonder uitleg",
	},
	{
		facts:          "De sollicitatietraining werd op het laatste moment geannuleerd en daarna niet opnieuw ingepland.",
		desiredOutcome: "Een nieuwe datum voor de training.",
		service:        "naar werk", commissioning: "Gemeente Zuidrijk", commissioningKind: "municipality",
		place: "Trainingslocatie Gouda", time: "09:00",
		point: "Training geannuleerd en niet opnieuw gepland",
	},
	{
		facts:          "Een brief over mijn traject is naar mijn oude adres gestuurd, terwijl ik mijn verhuizing had doorgegeven.",
		desiredOutcome: "Dat mijn gegevens worden bijgewerkt en de brief wordt teruggehaald.",
		service:        "outplacement", commissioning: "Zorggroep Noorderlicht", commissioningKind: "employer",
		place: "Per post", time: "",
		point: "Brief naar een verkeerd adres",
	},
	{
		facts:          "Mijn klacht gaat over het intakegesprek van ruim anderhalf jaar geleden: de coach beloofde toen een werkervaringsplaats die er nooit is gekomen.",
		desiredOutcome: "Erkenning dat de toezegging niet is nagekomen.",
		service:        "naar werk", commissioning: "UWV", commissioningKind: "uwv",
		place: "Kantoor Rotterdam", time: "11:30",
		point: "Toezegging werkervaringsplaats niet nagekomen",
	},
}

// remarkText is the demo's remark: a signal for quality work, no complaint.
const remarkText = "De wachtruimte op de eerste verdieping is slecht bereikbaar met een rolstoel: de lift is al twee weken buiten gebruik. Geen klacht, wel iets om op te letten."

// Streets and towns for complainants' addresses: ordinary Dutch street
// names with made-up house numbers and postcodes.
var streets = []string{
	"Lindelaan 12, 3012 AB Rotterdam", "Kastanjestraat 4, 3311 BC Dordrecht", "Molenweg 88, 2801 CD Gouda",
	"Prinsengracht 3, 2512 EF Den Haag", "Beukenhof 21, 3813 GH Amersfoort", "Dorpsstraat 7, 3451 JK Utrecht",
	"Havenkade 15, 3024 LM Rotterdam", "Eikenlaan 30, 3319 NP Dordrecht",
}
