package jobs_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/mail/mailtest"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// labourExpert is the UWV labour expert of the Standergroep case: a party
// the case holds no person for, addressed by the handler.
var labourExpert = letter.Recipient{Name: "T. Jansen, arbeidsdeskundige UWV", Email: "t.jansen@uwv.test", Party: reglement.PartyLabourExpert}

// sendLetters writes the letter of kind to every party the regulation
// sends it to (and to extra), runs the due jobs, and checks each e-mail
// as the mail server received it. It returns the letters.
func (b *testBundle) sendLetters(number string, who person, kind reglement.LetterKind, extra ...letter.Recipient) []store.Letter {
	b.t.Helper()
	v := b.view(number)
	to := append(letter.Recipients(kind, v.Case, v.Policy), extra...)
	if len(to) == 0 {
		b.t.Fatalf("%s: no recipients for %s", b.org, kind)
	}
	var letters []store.Letter
	for _, r := range to {
		l, err := b.svc.SendLetter(b.ctx, b.org, number, who.caller, kind, r, "")
		if err != nil {
			b.t.Fatalf("%s: %s to %s: %v", b.org, kind, r.Name, err)
		}
		letters = append(letters, l)
	}
	b.runDue()
	for i, l := range letters {
		got, err := b.st.GetLetter(b.ctx, b.org, l.ID)
		if err != nil {
			b.t.Fatal(err)
		}
		if got.State != store.LetterSent || got.SentAt.IsZero() || got.MessageID == "" {
			b.t.Fatalf("%s: %s to %s not sent: %+v", b.org, kind, got.Recipient.Name, got.State)
		}
		letters[i] = got
		b.checkMessage(got)
	}
	return letters
}

// messageOf finds the e-mail of a letter at the mail server.
func (b *testBundle) messageOf(l store.Letter) mailtest.Message {
	b.t.Helper()
	var found []mailtest.Message
	for _, m := range b.letterMails() {
		if strings.Contains(m.MessageID, l.ID) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		b.t.Fatalf("%s: %d e-mails of letter %s (%s), want 1", b.org, len(found), l.ID, l.Kind)
	}
	return found[0]
}

// checkMessage checks an e-mailed letter as its recipient would read it.
func (b *testBundle) checkMessage(l store.Letter) {
	t := b.t
	t.Helper()
	m := b.messageOf(l)
	complaintAddr := "klachten@" + b.org + ".test"
	if len(m.From) != 1 || m.From[0].Address != complaintAddr || !strings.HasPrefix(m.From[0].Name, "Reïntegratie") {
		t.Errorf("%s %s: From %v", b.org, l.Kind, m.From)
	}
	if len(m.ReplyTo) != 1 || m.ReplyTo[0].Address != complaintAddr {
		t.Errorf("%s %s: replies must reach the complaint address, Reply-To %v", b.org, l.Kind, m.ReplyTo)
	}
	if len(m.To) != 1 || m.To[0].Address != l.Recipient.Email || m.To[0].Name != l.Recipient.Name {
		t.Errorf("%s %s: To %v, want %s", b.org, l.Kind, m.To, l.Recipient.Email)
	}
	if m.MessageID != l.MessageID || !strings.Contains(m.MessageID, l.CaseNumber) || !strings.HasSuffix(m.MessageID, "@"+b.org+".test") {
		t.Errorf("%s %s: Message-ID %q (letter records %q) must name the case %s", b.org, l.Kind, m.MessageID, l.MessageID, l.CaseNumber)
	}
	if !slices.Contains(m.References, l.CaseNumber+"@"+b.org+".test") {
		t.Errorf("%s %s: References %v lack the case's thread", b.org, l.Kind, m.References)
	}
	if !strings.Contains(m.Subject, l.Subject) || !strings.Contains(m.Subject, l.CaseNumber) {
		t.Errorf("%s %s: Subject %q", b.org, l.Kind, m.Subject)
	}
	if m.Header.Get("X-Gegrond-Case") != l.CaseNumber || m.Header.Get("X-Gegrond-Letter") != l.Kind {
		t.Errorf("%s %s: X-Gegrond headers %q %q", b.org, l.Kind, m.Header.Get("X-Gegrond-Case"), m.Header.Get("X-Gegrond-Letter"))
	}
	body := strings.ReplaceAll(m.Text, "\r\n", "\n")
	if strings.TrimSpace(body) != strings.TrimSpace(l.Text) {
		t.Errorf("%s %s: the e-mail's text is not the letter's:\n%s\n---\n%s", b.org, l.Kind, body, l.Text)
	}
	if !strings.Contains(m.HTML, l.CaseNumber) {
		t.Errorf("%s %s: the HTML body lacks the case number", b.org, l.Kind)
	}

	// The required contents: what the regulation asks for this kind is in
	// the letter as sent.
	again, err := b.svc.RegenerateLetter(b.ctx, b.org, l.ID)
	if err != nil {
		t.Fatalf("%s %s: regenerate: %v", b.org, l.Kind, err)
	}
	flat := flatten(body)
	for _, want := range b.requiredItems(reglement.LetterKind(l.Kind)) {
		i := slices.IndexFunc(again.Contents, func(c letter.Content) bool { return c.Item == want })
		if i < 0 || !again.Contents[i].Required || strings.TrimSpace(again.Contents[i].Text) == "" {
			t.Errorf("%s %s: required content %s not in the letter", b.org, l.Kind, want)
			continue
		}
		if c := again.Contents[i]; !strings.Contains(flat, flatten(c.Text)) {
			t.Errorf("%s %s: required content %s (%q) not in the e-mail", b.org, l.Kind, want, c.Text)
		}
	}

	// The PDF: attached, the stored one, and the one the events compose
	// again.
	if len(m.Attachments) != 1 {
		t.Fatalf("%s %s: %d attachments", b.org, l.Kind, len(m.Attachments))
	}
	a := m.Attachments[0]
	if a.ContentType != "application/pdf" || !strings.HasSuffix(a.Name, l.CaseNumber+".pdf") || !bytes.HasPrefix(a.Data, []byte("%PDF-")) {
		t.Errorf("%s %s: attachment %s %s", b.org, l.Kind, a.Name, a.ContentType)
	}
	if !bytes.Equal(a.Data, l.PDF) {
		t.Errorf("%s %s: the attached PDF is not the stored one", b.org, l.Kind)
	}
	pdf, err := again.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pdf, l.PDF) || again.Text != l.Text || again.HTML != l.HTML {
		t.Errorf("%s %s: composing the letter again from its events gives another document", b.org, l.Kind)
	}
	if text := flatten(pdfText(t, a.Data)); !strings.Contains(text, l.CaseNumber) || !strings.Contains(text, flatten(l.Subject)) {
		t.Errorf("%s %s: the PDF's text lacks the case number or subject:\n%s", b.org, l.Kind, text)
	}
}

// requiredItems are the content items the regulation requires in a letter
// of kind.
func (b *testBundle) requiredItems(kind reglement.LetterKind) []string {
	var out []string
	for _, l := range b.r.Letters {
		if l.Kind == kind {
			for _, c := range l.Contents {
				out = append(out, c.Item)
			}
		}
	}
	return out
}

// flatten folds runs of white space to one space: the text wraps lines.
func flatten(s string) string { return strings.Join(strings.Fields(s), " ") }

// pdfText extracts the text of a PDF with poppler's pdftotext. Without it
// the test fails (GEGROND_TEST_SKIP_PDFTOTEXT=1 skips it deliberately).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("GEGROND_TEST_SKIP_PDFTOTEXT") == "1" {
			t.Skip("pdftotext not installed and GEGROND_TEST_SKIP_PDFTOTEXT=1")
		}
		t.Fatal("pdftotext not found: install poppler-utils, or set GEGROND_TEST_SKIP_PDFTOTEXT=1 to skip")
	}
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// bodyOf is the flattened text of the first e-mail of the letters.
func (b *testBundle) bodyOf(ls []store.Letter) string {
	b.t.Helper()
	return flatten(b.messageOf(ls[0]).Text)
}

func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, flatten(w)) {
			t.Errorf("%s lacks %q:\n%s", what, w, body)
		}
	}
}

// TestDemoComplaintLetters runs a SmartPLUS and a Standergroep complaint
// from receipt to closing, and a second one that is not taken on, sending
// every letter the regulation requires through a real SMTP server; each
// is received with its required contents and PDF, and its sending records
// the matching case action.
func TestDemoComplaintLetters(t *testing.T) {
	t.Parallel()
	for _, preset := range []string{"smartplus", "standergroep"} {
		t.Run(preset, func(t *testing.T) {
			t.Parallel()
			eachEngine(t, func(t *testing.T, dsn string) {
				b := setup(t, dsn, preset, setupOptions{})
				sent := map[reglement.LetterKind]bool{}
				record := func(ls []store.Letter) []store.Letter {
					for _, l := range ls {
						sent[reglement.LetterKind(l.Kind)] = true
					}
					return ls
				}
				D := calendar.D
				number := b.receive("Ëlif Çelik")
				b.assign(number)

				ack := record(b.sendLetters(number, b.handler, reglement.LetterAcknowledgement))
				v := b.view(number)
				if v.Case.AcknowledgedOn == nil || *v.Case.AcknowledgedOn != D(2026, 11, 23) {
					t.Fatalf("the acknowledgement counts as given when the mail server took it: %v", v.Case.AcknowledgedOn)
				}
				last := v.Events[len(v.Events)-1]
				if last.Type != complaint.EvAcknowledged || !strings.Contains(string(last.Payload), `"via":"email"`) || last.Actor.UserID != b.handler.user.ID {
					t.Fatalf("acknowledged event: %+v %s", last, last.Payload)
				}
				switch preset {
				case "smartplus":
					// Punt 5: the date the complaint is about, the date of
					// acknowledgement, the handler, the facts, the term.
					wantIn(t, "SmartPLUS acknowledgement", b.bodyOf(ack), "13-11-2026", "23-11-2026", "Anna de Vries",
						"De coach kwam drie afspraken niet na.", "4 weken")
				case "standergroep":
					// Procedure 3: date, place, circumstances, procedure, term.
					wantIn(t, "Standergroep acknowledgement", b.bodyOf(ack), "13-11-2026", "Kantoor Utrecht", "jobcoaching", "21 werkdagen")
					record(b.sendLetters(number, b.handler, reglement.LetterLabourExpert, labourExpert))
					if d, ok := b.view(number).Case.Informed[reglement.PartyLabourExpert]; !ok || d != D(2026, 11, 23) {
						t.Fatalf("the labour expert notice informs the labour expert: %v", b.view(number).Case.Informed)
					}
				}
				record(b.sendLetters(number, b.handler, reglement.LetterAccusedNotice))
				if _, ok := b.view(number).Case.Informed[reglement.PartyAccusedEmployee]; !ok {
					t.Fatal("the notice to the accused employee records that they were informed")
				}

				b.at(D(2026, 11, 24), 10)
				b.act(number, b.handler, complaint.ActDecideAdmissibility, map[string]any{"admissible": true})
				if b.allowed(number, b.handler, complaint.ActMakeProposal) {
					b.act(number, b.handler, complaint.ActMakeProposal, map[string]any{"text": "Een nieuwe coach en vergoeding van de reiskosten.", "via": "phone"})
					b.at(D(2026, 11, 25), 10)
					b.act(number, b.handler, complaint.ActAnswerProposal, map[string]any{"accepted": true, "reply": "Akkoord."})
					record(b.sendLetters(number, b.handler, reglement.LetterProposalConfirm))
				}

				b.at(D(2026, 11, 26), 10)
				b.act(number, b.handler, complaint.ActPlanHearing, map[string]any{"on": D(2026, 12, 3)})
				record(b.sendLetters(number, b.handler, reglement.LetterHearingInvite))
				b.at(D(2026, 12, 3), 15)
				b.act(number, b.handler, complaint.ActHoldHearing, map[string]any{"summary": "Klager en coach gehoord.", "participants": []string{"Ëlif Çelik", "Dirk Smit", "Anna de Vries"}})
				b.act(number, b.handler, complaint.ActAddDocument, complaint.DocumentPayload{Name: "Verslag gesprek 03-12-2026.pdf", Kind: letter.HearingReportKind})
				record(b.sendLetters(number, b.handler, reglement.LetterHearingReport))
				if st := b.view(number).Case; preset == "smartplus" && (st.HearingReportSent == nil || *st.HearingReportSent != D(2026, 12, 3)) {
					t.Fatalf("SmartPLUS Punt 6: sending the report records it sent for signature: %v", st.HearingReportSent)
				}

				b.at(D(2026, 12, 7), 10)
				newDue := map[string]calendar.Date{"smartplus": D(2027, 1, 25), "standergroep": D(2027, 1, 15)}[preset]
				b.act(number, b.handler, complaint.ActExtend, map[string]any{"new_due": newDue,
					"motivation": "Wij wachten op de verklaring van een collega die op vakantie is.", "sent_to": b.r.Extension.NotifyParties})
				ext := record(b.sendLetters(number, b.handler, reglement.LetterExtension))
				wantIn(t, "extension notice", b.bodyOf(ext), newDue.Dutch(), "Wij wachten op de verklaring van een collega die op vakantie is.")

				b.at(D(2026, 12, 14), 10)
				b.act(number, b.handler, complaint.ActDecide, map[string]any{
					"points":     []map[string]any{{"point": "Drie afspraken niet nagekomen", "judgment": "upheld", "motivation": "Uit de agenda blijkt dat drie afspraken zonder bericht vervielen."}},
					"motivation": "De coach heeft de afspraken niet nagekomen en u daarover niet op tijd bericht.",
				})
				b.act(number, b.handler, complaint.ActAddMeasure, complaint.MeasurePayload{Description: "U krijgt een nieuwe coach.", Kind: "corrective"})
				dec := record(b.sendLetters(number, b.handler, reglement.LetterDecision))
				wantIn(t, "decision", b.bodyOf(dec), "De coach heeft de afspraken niet nagekomen en u daarover niet op tijd bericht.", "gegrond")
				if preset == "smartplus" {
					wantIn(t, "SmartPLUS decision (Punt 8)", b.bodyOf(dec), "Nationale Ombudsman", "Uit de agenda blijkt dat drie afspraken zonder bericht vervielen.")
				}
				if slices.ContainsFunc(b.r.Letters, func(l reglement.Letter) bool { return l.Kind == reglement.LetterReportToParties }) {
					record(b.sendLetters(number, b.handler, reglement.LetterReportToParties))
					if st := b.view(number).Case; st.ReportSentOn == nil || *st.ReportSentOn != D(2026, 12, 14) {
						t.Fatalf("Standergroep Procedure 5: the report to the parties is recorded sent: %v", st.ReportSentOn)
					}
				}

				b.at(D(2026, 12, 21), 10)
				b.act(number, b.handler, complaint.ActCompleteMeasure, map[string]any{"id": 1})
				if b.allowed(number, b.handler, complaint.ActCompleteAftercare) {
					b.act(number, b.handler, complaint.ActCompleteAftercare, map[string]any{"text": "De nieuwe coach is gestart."})
				}
				b.act(number, b.handler, complaint.ActClose, map[string]any{"text": "Afgehandeld"})
				if b.r.Closing.Confirmation || slices.ContainsFunc(b.r.Letters, func(l reglement.Letter) bool { return l.Kind == reglement.LetterClosing }) {
					record(b.sendLetters(number, b.handler, reglement.LetterClosing))
				}

				// A second complaint, not taken on.
				b.at(D(2026, 12, 22), 9)
				second := b.receive("Zoë de Boer")
				b.assign(second)
				var ground string
				for _, g := range b.r.Admissibility.Grounds {
					if g.Check == reglement.CheckJudgement {
						ground = g.ID
					}
				}
				b.act(second, b.handler, complaint.ActDecideAdmissibility, map[string]any{"admissible": false, "ground": ground,
					"motivation": "Uw klacht gaat over de aanpak die wij samen met u hebben afgesproken."})
				inadm := record(b.sendLetters(second, b.handler, reglement.LetterInadmissibility))
				wantIn(t, "inadmissibility notice", b.bodyOf(inadm), "Uw klacht gaat over de aanpak die wij samen met u hebben afgesproken.")

				for _, l := range b.r.Letters {
					if !sent[l.Kind] {
						t.Errorf("%s requires a %s letter; the demo sent none", preset, l.Kind)
					}
				}
				letters, err := b.svc.Letters(b.ctx, b.org, number)
				if err != nil || len(letters) < len(b.r.Letters)-1 {
					t.Fatalf("the case file holds %d letters (%v)", len(letters), err)
				}
				if n := len(b.letterMails()); n != countSent(t, b, number, second) {
					t.Fatalf("the mail server received %d e-mails, the case files record %d letters sent", n, countSent(t, b, number, second))
				}
				if failed, _ := b.st.FailedJobs(b.ctx, b.org); len(failed) != 0 {
					t.Fatalf("failed jobs: %+v", failed)
				}
				// Every sent letter stands in the timeline.
				for _, e := range b.view(number).Events {
					if e.Type == complaint.EvNoteAdded && !strings.Contains(string(e.Payload), "verzonden per e-mail") {
						t.Errorf("unexpected note: %s", e.Payload)
					}
				}
			})
		})
	}
}

func countSent(t *testing.T, b *testBundle, numbers ...string) int {
	t.Helper()
	n := 0
	for _, num := range numbers {
		ls, err := b.svc.Letters(b.ctx, b.org, num)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			if l.State == store.LetterSent {
				n++
			}
		}
	}
	return n
}
