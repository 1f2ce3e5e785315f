package mailin_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/mailin"
)

// attachment is what a test expects of one attachment.
type attachment struct {
	Filename      string
	ContentType   string
	Size          int64
	Inline        bool
	ContentID     string
	TNEF          bool
	Nested        bool
	NestedSubject string
}

// expected is what a test expects of a parsed fixture.
type expected struct {
	messageID  string
	synthetic  bool
	from       string
	to         []string
	cc         []string
	subject    string
	date       string // RFC 3339, "" for none
	text       string
	html       string
	atts       []attachment
	autoReply  string
	problems   []string
	inReplyTo  []string
	references []string
	caseNumber string
	token      mailin.Token
}

// corpus is the fixture corpus in testdata, with exactly what Parse must
// make of each message.
var corpus = map[string]expected{
	"plain.eml": {
		messageID: "CAF1234.plain@example.nl",
		from:      "Els de Vries-Müller <els@example.nl>",
		to:        []string{"Klachten NextBest <klachten@nextbest.test>"},
		subject:   "Klacht over mijn re-integratietraject",
		date:      "2026-03-02T09:13:55+01:00",
		text:      "Geachte heer, mevrouw,\n\nMijn coach is drie keer niet op de afspraak verschenen.\nIk wil hierover een klacht indienen.\n\nMet vriendelijke groet,\nEls de Vries-Müller",
	},
	"alternative.eml": {
		messageID: "alt.0001@mail.example.nl",
		from:      "Jansen, Piet <piet.jansen@example.nl>",
		to:        []string{"klachten@nextbest.test"},
		cc:        []string{"Advocaat <mr.bakker@advocaat.test>"},
		subject:   "Klacht: geen reactie op mijn e-mails",
		date:      "2026-03-03T14:02:11+01:00",
		text:      "Beste klachtenfunctionaris,\n\nSinds 1 februari krijg ik geen antwoord meer van mijn reïntegratiebegeleider.\n\nPiet Jansen",
		html:      "<p>Beste klachtenfunctionaris,</p><p>Sinds 1 februari krijg ik <b>geen</b> antwoord meer.</p>",
	},
	"html-only.eml": {
		messageID: "html.only@newsletter.example",
		from:      "Karin <karin@example.nl>",
		to:        []string{"klachten@nextbest.test"},
		subject:   "Zie onderstaande",
		date:      "2026-03-04T08:00:00Z",
		text:      "Klacht\n\nMijn begeleider was onbeleefd & kwam te laat.\n\nklik of het verslag <https://www.example.nl/verslag>.\n\nFormuliertekst\n\n- eerste punt\n- tweede punt\n\nkarin@example.nl",
		html: "<h1>Klacht</h1>\n<p>Mijn begeleider was <i>onbeleefd</i> &amp; kwam te laat.</p>\n\n" +
			`<p>klik of <a href="https://www.example.nl/verslag" target="_blank" rel="noopener noreferrer">het verslag</a>.</p>` + "\n\nFormuliertekst\n" +
			"<ul><li>eerste punt</li><li>tweede punt</li></ul>\n" +
			`<a href="mailto:karin@example.nl" target="_blank" rel="noopener noreferrer">karin@example.nl</a>`,
	},
	"nested.eml": {
		messageID: "fwd.77@example.nl",
		from:      "Mohamed El Amrani <m.elamrani@example.nl>",
		to:        []string{"klachten@nextbest.test"},
		subject:   "Fwd: mail van mijn begeleider",
		date:      "2026-03-05T10:30:00+01:00",
		text:      "Hierbij stuur ik de mail door waar mijn klacht over gaat.",
		atts: []attachment{{Filename: "bericht-1.eml", ContentType: "message/rfc822", Size: 243,
			Nested: true, NestedSubject: "Uw traject wordt beëindigd"}},
	},
	"inline-image.eml": {
		messageID: "inline.img@example.nl",
		from:      "sanne@example.nl",
		to:        []string{"klachten@nextbest.test"},
		subject:   "Schermafdruk van de foutmelding",
		date:      "2026-03-06T11:00:00+01:00",
		text:      "Zie de foutmelding:",
		html:      `<p>Zie de foutmelding:</p><p><img src="cid:shot1@example.nl" alt="foutmelding"></p>`,
		atts:      []attachment{{Filename: "bijlage-1.png", ContentType: "image/png", Size: 70, Inline: true, ContentID: "shot1@example.nl"}},
	},
	"latin1.eml": {
		messageID: "latin1@example.nl",
		from:      "Zoë Baïch <zoe@example.nl>",
		to:        []string{"klachten@nextbest.test"},
		subject:   "Reïntegratie",
		date:      "2026-03-11T10:00:00+01:00",
		// =80 in "ISO-8859-1" is Windows-1252's euro sign, as Outlook means it.
		text: "De reïntegratie van mijn cliënt kostte € 1.200,-. Café gesloten.",
		html: "<p>De reïntegratie van mijn cliënt kostte € 1.200,-.</p>",
	},
	"cp1252.eml": {
		messageID: "cp1252@example.nl",
		from:      "François “Frans” Dubois <francois@example.nl>",
		to:        []string{"klachten@nextbest.test"},
		subject:   "Kosten € 250 niet vergoed",
		date:      "2026-03-11T09:00:00+01:00",
		text:      "Mijn cliënt kreeg “geen” vergoeding van € 250,– terwijl dat was afgesproken.",
	},
	"encoded-words.eml": {
		messageID: "ew.1@example.nl",
		from:      "Renée Smit <renee@example.nl>",
		to:        []string{"klachten@nextbest.test"},
		subject:   "Klacht over de casémanager en de coördinator",
		date:      "2026-03-07T12:00:00+01:00",
		text:      "Zie bijlagen.",
		atts: []attachment{
			{Filename: "verslag gesprek – maart.pdf", ContentType: "application/pdf", Size: 19},
			{Filename: "résumé cliënt.txt", ContentType: "application/octet-stream", Size: 5},
			{Filename: "brief aan de coördinator.docx", ContentType: "application/octet-stream", Size: 4},
		},
	},
	"winmail.eml": {
		messageID: "outlook.tnef@example.nl",
		from:      "Outlook Gebruiker <outlook@example.nl>",
		to:        []string{"klachten@nextbest.test"},
		subject:   "Klacht met bijlage",
		date:      "2026-03-08T13:00:00+01:00",
		text:      "Zie bijlage.",
		atts:      []attachment{{Filename: "winmail.dat", ContentType: "application/ms-tnef", Size: 40, TNEF: true}},
	},
	"no-message-id.eml": {
		messageID: "synthetic.9dce45ff8afc7b9192da0bdb01890654@gegrond.invalid",
		synthetic: true,
		from:      "anoniem@example.nl",
		to:        []string{"klachten@nextbest.test"},
		subject:   "zonder message-id",
		date:      "2026-03-09T09:00:00+01:00",
		text:      "Dit bericht heeft geen Message-ID.",
	},
	"autoreply-ooo.eml": {
		messageID:  "ooo.1@example.nl",
		from:       "Coach <coach@example.nl>",
		to:         []string{"klachten@nextbest.test"},
		subject:    "Automatisch antwoord: Ontvangstbevestiging (dossier 2026-0012)",
		date:       "2026-03-09T10:00:00+01:00",
		text:       "Ik ben afwezig tot en met 20 maart.",
		autoReply:  "auto-submitted",
		caseNumber: "2026-0012",
	},
	"bounce.eml": {
		messageID: "bounce.1@mx.example.nl",
		from:      "Mail Delivery System <MAILER-DAEMON@mx.example.nl>",
		to:        []string{"klachten@nextbest.test"},
		subject:   "Undelivered Mail Returned to Sender",
		date:      "2026-03-10T17:00:00+01:00",
		text:      "This is the mail system. Your message could not be delivered.",
		atts:      []attachment{{Filename: "bijlage-1.bin", ContentType: "message/delivery-status", Size: 102}},
		autoReply: "bounce",
	},
	"reply.eml": {
		messageID:  "reply.9@example.nl",
		from:       "Els de Vries <els@example.nl>",
		to:         []string{"Klachten NextBest <klachten@nextbest.test>"},
		subject:    "RE: Ontvangstbevestiging (dossier 2026-0012)",
		date:       "2026-03-10T16:45:00+01:00",
		text:       "Dank voor uw bevestiging. Ik stuur hierbij nog de namen van de getuigen.\n\n> Wij hebben uw klacht ontvangen.",
		inReplyTo:  []string{"CAF-client-thread@example.nl"},
		references: []string{"gegrond.k3xq7abcd.2026-0012.ab12cd34ef56gh78ij90kl12mn@nextbest.test", "CAF-client-thread@example.nl"},
		caseNumber: "2026-0012",
		token:      mailin.Token{OrgID: "k3xq7abcd", CaseNumber: "2026-0012", Nonce: "ab12cd34ef56gh78ij90kl12mn", Host: "nextbest.test"},
	},
	"sloppy.eml": {
		messageID: "CAF-no-brackets@example.nl",
		from:      "els@example.nl",
		to:        []string{"klachten@nextbest.test"},
		subject:   "slordig bericht",
		date:      "2026-03-12T09:05:00+01:00",
		text:      "Tekst met een onbekende tekenset.\nbegin 644 x",
		atts:      []attachment{{Filename: "scan 12 maart.pdf", ContentType: "application/pdf", Size: 9}},
		problems: []string{
			"a multipart part is not closed; the message may be cut off",
			`unknown or wrong charset "x-unknown-charset"; read as UTF-8 or Windows-1252`,
			`unknown transfer encoding "x-uuencode"; part kept as sent`,
		},
	},
}

func TestParseCorpus(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(corpus) {
		t.Errorf("%d fixtures in testdata, %d expectations: every fixture needs one", len(files), len(corpus))
	}
	for name, want := range corpus {
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		lf := bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
		for ending, raw := range map[string][]byte{"LF": lf, "CRLF": bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))} {
			t.Run(name+"/"+ending, func(t *testing.T) {
				t.Parallel()
				m, err := mailin.Parse(bytes.NewReader(raw), mailin.Limits{})
				if err != nil {
					t.Fatal(err)
				}
				check(t, m, want, ending == "CRLF")
				if !bytes.Equal(m.Raw, raw) {
					t.Error("Raw is not the message as read")
				}
			})
		}
	}
}

// check compares m with want; crlf says the fixture was given CRLF line
// ends, which the 8-bit content of message/* attachments keeps.
func check(t *testing.T, m *mailin.Message, want expected, crlf bool) {
	t.Helper()
	eq := func(what string, got, want any) {
		t.Helper()
		if !equal(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", what, got, want)
		}
	}
	eq("Message-ID", m.MessageID, want.messageID)
	eq("synthetic", m.SyntheticID, want.synthetic)
	from := ""
	if len(m.From) > 0 {
		from = m.From[0].String()
	}
	eq("From", from, want.from)
	eq("To", addresses(m.To), want.to)
	eq("Cc", addresses(m.Cc), want.cc)
	eq("Subject", m.Subject, want.subject)
	date := ""
	if !m.Date.IsZero() {
		date = m.Date.Format(time.RFC3339)
	}
	eq("Date", date, want.date)
	eq("Text", m.Text, want.text)
	eq("HTML", m.HTML, want.html)
	var atts []attachment
	for _, a := range m.Attachments {
		size := a.Size
		if crlf && strings.HasPrefix(a.ContentType, "message/") {
			size -= int64(bytes.Count(a.Content, []byte("\r\n")))
		}
		atts = append(atts, attachment{a.Filename, a.ContentType, size, a.Inline, a.ContentID, a.TNEF, a.Nested, a.NestedSubject})
		if int64(len(a.Content)) != a.Size {
			t.Errorf("attachment %q: %d bytes of content, Size %d", a.Filename, len(a.Content), a.Size)
		}
	}
	if !slices.Equal(atts, want.atts) {
		t.Errorf("attachments:\n got %+v\nwant %+v", atts, want.atts)
	}
	eq("AutoReplyReason", m.AutoReplyReason(), want.autoReply)
	eq("AutoReply", m.AutoReply(), want.autoReply != "")
	eq("Problems", m.Problems, want.problems)
	eq("In-Reply-To", m.InReplyTo, want.inReplyTo)
	eq("References", m.References, want.references)
	n, _ := mailin.CaseNumberIn(m.Subject)
	eq("case number", n, want.caseNumber)
	tok, ok := m.ReplyToken()
	eq("reply token", tok, want.token)
	eq("reply token found", ok, want.token != mailin.Token{})
}

func addresses(list []mailin.Address) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.String())
	}
	return out
}

// equal compares values, a nil slice equal to an empty one.
func equal(a, b any) bool {
	if as, ok := a.([]string); ok {
		bs, _ := b.([]string)
		return slices.Equal(as, bs)
	}
	return a == b
}

func TestFixtureDetails(t *testing.T) {
	t.Parallel()
	read := func(t *testing.T, name string) *mailin.Message {
		t.Helper()
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := mailin.ParseBytes(raw, mailin.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	t.Run("a forwarded message is kept whole and parses on its own", func(t *testing.T) {
		t.Parallel()
		m := read(t, "nested.eml")
		inner, err := mailin.ParseBytes(m.Attachments[0].Content, mailin.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if inner.MessageID != "orig.1@nextbest.test" || inner.Text != "Uw traject wordt per direct beëindigd." {
			t.Errorf("inner message %q: %q", inner.MessageID, inner.Text)
		}
	})
	t.Run("attachment content is decoded", func(t *testing.T) {
		t.Parallel()
		m := read(t, "encoded-words.eml")
		if got := string(m.Attachments[0].Content); got != "%PDF-1.4\n%äüöß\n" {
			t.Errorf("pdf content %q", got)
		}
		if got := string(m.Attachments[1].Content); got != "hallo" {
			t.Errorf("txt content %q", got)
		}
		b := new(bytes.Buffer)
		b.ReadFrom(m.Attachments[2].Open())
		if b.String() != "PK\x03\x04" {
			t.Errorf("Open reads %q", b.String())
		}
	})
	t.Run("the synthetic Message-ID ignores relaying and line ends", func(t *testing.T) {
		t.Parallel()
		raw, err := os.ReadFile("testdata/no-message-id.eml")
		if err != nil {
			t.Fatal(err)
		}
		relayed := append([]byte("Received: from relay.example by mx.example; Tue, 10 Mar 2026 09:00:00 +0100\r\nReturn-Path: <x@example.nl>\r\n"),
			bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))...)
		a, _ := mailin.ParseBytes(raw, mailin.Limits{})
		b, _ := mailin.ParseBytes(relayed, mailin.Limits{})
		if a.MessageID != b.MessageID {
			t.Errorf("%q relayed is %q", a.MessageID, b.MessageID)
		}
		changed := bytes.Replace(raw, []byte("geen Message-ID"), []byte("geen Message-Id"), 1)
		c, _ := mailin.ParseBytes(changed, mailin.Limits{})
		if c.MessageID == a.MessageID {
			t.Error("another body has the same synthetic Message-ID")
		}
	})
	t.Run("the whole header is available", func(t *testing.T) {
		t.Parallel()
		m := read(t, "autoreply-ooo.eml")
		if m.Header.Get("X-Auto-Response-Suppress") != "All" || m.Header.Get("Subject") != m.Subject {
			t.Errorf("header %v", m.Header)
		}
	})
}

func TestAutoReply(t *testing.T) {
	t.Parallel()
	ourID, err := mailin.NewMessageID("org1", "2026-0001", "nextbest.test")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		header string
		want   string
	}{
		"a person's mail is no auto-reply":                 {"From: a@example.nl\n", ""},
		"Auto-Submitted: no is a person's mail":            {"Auto-Submitted: no\n", ""},
		"Auto-Submitted: auto-generated":                   {"Auto-Submitted: auto-generated\n", "auto-submitted"},
		"Auto-Submitted: Auto-Replied (case and comments)": {"Auto-Submitted: Auto-Replied (vacation)\n", "auto-submitted"},
		"Precedence: bulk":                                 {"Precedence: bulk\n", "precedence"},
		"Precedence: junk":                                 {"Precedence: junk\n", "precedence"},
		"Precedence: list":                                 {"Precedence: list\n", "precedence"},
		"Precedence: first-class is a person's mail":       {"Precedence: first-class\n", ""},
		"X-Autoreply":                                      {"X-Autoreply: yes\n", "x-autoreply"},
		"X-Autorespond":                                    {"X-Autorespond: Out of office\n", "x-autoreply"},
		"a null Return-Path is a bounce":                   {"Return-Path: <>\n", "bounce"},
		"our own letter":                                   {mailin.OwnHeader + ": acknowledgement\n", "own-letter"},
		"our own staff notice":                             {"X-Gegrond-Notice: digest\n", "own-letter"},
		"our own Message-ID come back":                     {"Message-ID: <" + ourID + ">\n", "own-letter"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, err := mailin.ParseBytes([]byte(tc.header+"Subject: x\n\nbody\n"), mailin.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := m.AutoReplyReason(); got != tc.want {
				t.Errorf("reason %q, want %q", got, tc.want)
			}
			if m.AutoReply() != (tc.want != "") {
				t.Errorf("AutoReply %v", m.AutoReply())
			}
		})
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	parts := func(n int) string {
		var b strings.Builder
		b.WriteString("Content-Type: multipart/mixed; boundary=b\n\n")
		for i := 0; i < n; i++ {
			b.WriteString("--b\nContent-Type: text/plain\n\ndeel\n")
		}
		b.WriteString("--b--\n")
		return b.String()
	}
	nested := func(depth int) string {
		var b strings.Builder
		for i := 0; i < depth; i++ {
			b.WriteString("Content-Type: multipart/mixed; boundary=b" + strings.Repeat("x", i) + "\n\n--b" + strings.Repeat("x", i) + "\n")
		}
		b.WriteString("Content-Type: text/plain\n\ndiep\n")
		return b.String()
	}
	attachment := "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nzie bijlage\n--b\n" +
		"Content-Type: application/pdf\nContent-Disposition: attachment; filename=groot.pdf\nContent-Transfer-Encoding: base64\n\n" +
		strings.Repeat("QUFB", 400) + "\n--b--\n"
	small := mailin.Limits{MaxMessageBytes: 4096, MaxParts: 10, MaxDepth: 5, MaxAttachmentBytes: 1000}
	for name, tc := range map[string]struct {
		raw    string
		limits mailin.Limits
		reason string
	}{
		"a message over the size limit":   {"Subject: groot\n\n" + strings.Repeat("x", 5000), small, mailin.ReasonTooLarge},
		"a message at the size limit":     {"Subject: net\n\n" + strings.Repeat("x", 4096-len("Subject: net\n\n")), small, ""},
		"too many parts":                  {parts(10), small, mailin.ReasonTooManyParts},
		"as many parts as allowed":        {parts(9), small, ""},
		"parts nested too deep":           {nested(6), small, mailin.ReasonTooDeep},
		"parts nested as deep as allowed": {nested(5), small, ""},
		"an attachment over its limit":    {attachment, small, mailin.ReasonAttachmentTooLarge},
		"an attachment within its limit":  {attachment, mailin.Limits{MaxAttachmentBytes: 1200}, ""},
		"an empty message":                {" \r\n", mailin.Limits{}, mailin.ReasonEmpty},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := mailin.Parse(strings.NewReader(tc.raw), tc.limits)
			if got := mailin.ReasonOf(err); got != tc.reason {
				t.Fatalf("reason %q, want %q (%v)", got, tc.reason, err)
			}
			if err != nil && err.Error() == "" {
				t.Error("an error without a message")
			}
		})
	}
}

func TestParseReadFailure(t *testing.T) {
	t.Parallel()
	_, err := mailin.Parse(failingReader{}, mailin.Limits{})
	if mailin.ReasonOf(err) != mailin.ReasonRead {
		t.Errorf("%v", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, os.ErrDeadlineExceeded }
