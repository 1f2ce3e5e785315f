package complaint

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// secret marks every text in the samples that must not survive erasure.
const secret = "GEHEIM"

// redactionSamples has a payload for every event type, with personal data
// and story (marked secret) in every field that can hold them.
var redactionSamples = map[EventType]string{
	EvReceived: `{"kind":"complaint","channel":"email","received_on":"2026-03-02","complainant":{"name":"GEHEIM Zoë","email":"GEHEIM@example.nl","phone":"GEHEIM 06","address":"GEHEIM straat"},
		"representative":{"name":"GEHEIM rep"},"correspondence":"email","client_name":"GEHEIM client","commissioning_party":"GEHEIM Bakkerij","commissioning_kind":"employer",
		"service":"jobcoaching","contact_person":"GEHEIM Dirk","accused_employees":[{"name":"GEHEIM Coen","user_id":"u-coen"}],"incident_date":"2026-02-20","incident_time":"GEHEIM 10:00",
		"incident_place":"GEHEIM Utrecht","circumstances":"GEHEIM","facts":"GEHEIM facts","desired_outcome":"GEHEIM","urgency":"high","claim_amount_eur":600,"category":"traagheid",
		"reglement_id":"nextbest","reglement_version":"1","reglement_revision":1}`,
	EvRecordedAsRemark:     `{"on":"2026-03-02","text":"GEHEIM"}`,
	EvSettledByReceiver:    `{"on":"2026-03-02","text":"GEHEIM"}`,
	EvAcknowledged:         `{"on":"2026-03-03","via":"email"}`,
	EvHandlerAssigned:      `{"handler":{"name":"GEHEIM Hanna","function":"GEHEIM coordinator","user_id":"u-hanna"},"on":"2026-03-03"}`,
	EvAccusedAdded:         `{"employee":{"name":"GEHEIM Els","function":"GEHEIM coach"}}`,
	EvPartyInformed:        `{"party":"accused_employee","on":"2026-03-03","name":"GEHEIM Els","text":"GEHEIM"}`,
	EvInformationRequested: `{"text":"GEHEIM","on":"2026-03-04"}`,
	EvInformationReceived:  `{"text":"GEHEIM","on":"2026-03-05"}`,
	EvClockPaused:          `{"on":"2026-03-04","text":"GEHEIM"}`,
	EvClockResumed:         `{"on":"2026-03-05","text":"GEHEIM"}`,
	EvAdmissibilityDecided: `{"admissible":true,"motivation":"GEHEIM","on":"2026-03-05"}`,
	EvDocumentAdded:        `{"document_id":"0123456789abcdef0123456789abcdef","name":"GEHEIM brief.pdf","kind":"evidence","note":"GEHEIM","mime":"application/pdf","size":99}`,
	EvInspectionGranted:    `{"to":["complainant"],"on":"2026-03-06"}`,
	EvHearingPlanned:       `{"on":"2026-03-09","participants":["GEHEIM Zoë"],"form":"teams"}`,
	EvHearingHeld:          `{"on":"2026-03-09","participants":["GEHEIM Zoë"],"summary":"GEHEIM","form":"teams"}`,
	EvHearingWaived:        `{"on":"2026-03-09","text":"GEHEIM"}`,
	EvHearingReportSent:    `{"on":"2026-03-10","text":"GEHEIM"}`,
	EvHearingReportSigned:  `{"by":"GEHEIM Zoë","on":"2026-03-10"}`,
	EvStatementOfView:      `{"text":"GEHEIM","on":"2026-03-10"}`,
	EvExtended:             `{"new_due":"2026-05-01","motivation":"GEHEIM","sent_to":["complainant"],"consent":true,"on":"2026-03-11"}`,
	EvDecisionProposed:     `{"text":"GEHEIM","on":"2026-03-12"}`,
	EvProposalMade:         `{"text":"GEHEIM","via":"email","on":"2026-03-12"}`,
	EvProposalAnswered:     `{"text":"GEHEIM","on":"2026-03-13","reply":"GEHEIM","accepted":false}`,
	EvDecided: `{"points":[{"point":"GEHEIM point","judgment":"upheld","motivation":"GEHEIM"},{"point":"GEHEIM 2","judgment":"not_upheld","motivation":"GEHEIM"}],
		"outcome":"partly_upheld","motivation":"GEHEIM","on":"2026-03-16","decided_by":{"name":"GEHEIM Cees","user_id":"u-cees"}}`,
	EvReferralGiven:     `{"body":"Nationale Ombudsman","source":"Art. 9"}`,
	EvMeasureAdded:      `{"id":1,"description":"GEHEIM","kind":"corrective","owner":"GEHEIM Teamleider","due":"2026-04-01"}`,
	EvMeasureDone:       `{"id":1,"on":"2026-03-20"}`,
	EvAftercareDone:     `{"on":"2026-03-23","text":"GEHEIM"}`,
	EvReportSent:        `{"on":"2026-03-23","text":"GEHEIM"}`,
	EvSettledInformally: `{"on":"2026-03-24","text":"GEHEIM"}`,
	EvWithdrawn:         `{"on":"2026-03-24","text":"GEHEIM"}`,
	EvClosed:            `{"on":"2026-03-25","outcome":"partly_upheld","reason":"GEHEIM"}`,
	EvArchived:          `{"on":"2026-03-26","text":"GEHEIM"}`,
	EvNoteAdded:         `{"text":"GEHEIM"}`,
	EvMessageReceived:   `{"inbound_id":"m1","message_id":"GEHEIM@example.nl","from":"GEHEIM@example.nl","subject":"GEHEIM","received_at":"2026-03-05T10:00:00Z","attachments":2}`,
	EvCategorySet:       `{"category":"traagheid","label":"Traagheid"}`,
	EvCaseErased:        `{"on":"2026-03-27","reason":"erasure_request","source":"AVG art. 17","events":36}`,
}

// declaredEventTypes reads the event types of payload.go, so that a new
// one fails TestRedactEveryEventType until its redaction is decided.
func declaredEventTypes(t *testing.T) []EventType {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "payload.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []EventType
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "EventType" {
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, EventType(s))
				}
			}
		}
		return true
	})
	return out
}

func TestRedactEveryEventType(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var original, redacted []Event
	for i, typ := range declaredEventTypes(t) {
		sample, ok := redactionSamples[typ]
		if !ok {
			t.Errorf("event type %s has no redaction sample: decide what of it stays after erasure (Redact) and add one", typ)
			continue
		}
		e := Event{Seq: i + 1, Type: typ, Actor: Actor{Name: "Anna", Kind: "user"}, At: at, Payload: json.RawMessage(sample)}
		p, err := Redact(e)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if strings.Contains(string(p), secret) || strings.Contains(string(p), "Bakkerij") {
			t.Errorf("%s keeps personal data after redaction: %s", typ, p)
		}
		if again, _ := Redact(Event{Seq: e.Seq, Type: typ, Payload: p}); string(again) != string(p) {
			t.Errorf("%s: redacting twice gives %s, then %s", typ, p, again)
		}
		original = append(original, e)
		e.Payload = p
		redacted = append(redacted, e)
	}
	before, err := Fold(original)
	if err != nil {
		t.Fatal(err)
	}
	after, err := Fold(redacted)
	if err != nil {
		t.Fatalf("the redacted history does not fold: %v", err)
	}
	// What the register, the report and the deadlines read is unchanged.
	r := mustPreset(t, "nextbest")
	today := calendar.D(2026, 4, 1)
	same := func(what string, a, b any) {
		t.Helper()
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("%s changed by redaction:\n before %s\n after  %s", what, ja, jb)
		}
	}
	same("deadlines", before.Deadlines(r, today), after.Deadlines(r, today))
	same("phase, outcome, dates", []any{before.Phase, before.Outcome, before.ClosedOn, before.ArchivedOn, before.ResolvedOn, before.AcknowledgedOn},
		[]any{after.Phase, after.Outcome, after.ClosedOn, after.ArchivedOn, after.ResolvedOn, after.AcknowledgedOn})
	same("intake kind, channel, category, commissioning kind", []any{before.Intake.Kind, before.Intake.Channel, before.Intake.Category, before.Intake.CommissioningKind, before.Intake.ReceivedOn},
		[]any{after.Intake.Kind, after.Intake.Channel, after.Intake.Category, after.Intake.CommissioningKind, after.Intake.ReceivedOn})
	same("counts", []int{before.Notes, before.Messages, before.StatementsOfView, len(before.HearingSignedBy), len(before.Documents), len(before.Measures), len(before.Extensions)},
		[]int{after.Notes, after.Messages, after.StatementsOfView, len(after.HearingSignedBy), len(after.Documents), len(after.Measures), len(after.Extensions)})
	same("judgments", judgments(before.Decision), judgments(after.Decision))
	same("referrals", before.Referrals, after.Referrals)
	if after.Erasure == nil || after.Erasure.Reason != ErasureRequest {
		t.Errorf("erasure not folded: %+v", after.Erasure)
	}
	for _, p := range after.Accused {
		if p.Name != "" {
			t.Errorf("accused %q kept", p.Name)
		}
	}
}

func judgments(d *DecidedPayload) []reglement.OutcomeKind {
	var out []reglement.OutcomeKind
	if d == nil {
		return out
	}
	for _, p := range d.Points {
		out = append(out, p.Judgment)
	}
	return append(out, d.Outcome)
}

func mustPreset(t *testing.T, id string) *reglement.Reglement {
	t.Helper()
	r, err := reglement.Preset(id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
