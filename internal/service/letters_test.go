package service_test

import (
	"bytes"
	"encoding/json"
	"image"
	pngenc "image/png"
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestSendLetterQueuesWithItsJob(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := t.Context()
		v, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(map[string]any{"handler": map[string]any{"name": "Anna de Vries", "user_id": b.handler.UserID, "email": "anna@acme.test"}})
		if _, err := b.svc.Act(ctx, "acme", v.Number, b.board, complaint.Command{Action: complaint.ActAssignHandler, Input: raw}); err != nil {
			t.Fatal(err)
		}
		to := letter.Recipient{Name: "Zoë Çelik", Email: "zoe@example.nl", Address: "Dorpsstraat 1, Ergens"}

		for name, tc := range map[string]struct {
			to      letter.Recipient
			channel store.LetterChannel
			field   string
		}{
			"e-mail without address": {letter.Recipient{Name: "Zoë"}, store.LetterEmail, "to.email"},
			"post without address":   {letter.Recipient{Name: "Zoë", Email: "zoe@example.nl"}, store.LetterPost, "to.address"},
			"unknown channel":        {to, "pigeon", "channel"},
		} {
			_, err := b.svc.SendLetter(ctx, "acme", v.Number, b.handler, reglement.LetterAcknowledgement, tc.to, tc.channel)
			if e, ok := err.(*apperr.Error); !ok || e.Field != tc.field {
				t.Errorf("%s: want invalid %s, got %v", name, tc.field, err)
			}
		}
		outsider := complaint.Caller{Actor: complaint.Actor{UserID: "x", Name: "Quinten", Kind: "user"}, Roles: []reglement.Role{reglement.RoleQualityOfficer}}
		if _, err := b.svc.SendLetter(ctx, "acme", v.Number, outsider, reglement.LetterAcknowledgement, to, ""); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a quality officer writes letters: %v", err)
		}
		accused := complaint.Caller{Actor: complaint.Actor{Name: "Dirk Smit", Kind: "user"}, Roles: []reglement.Role{reglement.RoleHandler}}
		raw, _ = json.Marshal(map[string]any{"employee": map[string]any{"name": "Dirk Smit"}})
		if _, err := b.svc.Act(ctx, "acme", v.Number, b.handler, complaint.Command{Action: complaint.ActAddAccused, Input: raw}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.svc.SendLetter(ctx, "acme", v.Number, accused, reglement.LetterAcknowledgement, to, ""); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("the accused employee writes letters: %v", err)
		}

		l, err := b.svc.SendLetter(ctx, "acme", v.Number, b.handler, reglement.LetterAcknowledgement, to, "")
		if err != nil {
			t.Fatal(err)
		}
		if l.Channel != store.LetterEmail || l.State != store.LetterQueued || l.BasedOnSeq != 3 || l.Date != calendar.D(2026, 3, 10) ||
			!bytes.HasPrefix(l.PDF, []byte("%PDF-")) || !strings.Contains(l.Text, v.Number) {
			t.Fatalf("letter: %+v", l)
		}
		jobs, _ := b.st.CaseJobs(ctx, "acme", l.CaseID)
		jobs = slices.DeleteFunc(jobs, func(j store.Job) bool { return j.Kind == service.JobPortalLink })
		if len(jobs) != 1 || jobs[0].Kind != service.JobSendLetter || !strings.Contains(string(jobs[0].Payload), l.ID) {
			t.Fatalf("send job: %+v", jobs)
		}
		// NextBest's settings name no complaint address: the regulation's.
		org, err := b.svc.LetterSettings(ctx, "acme")
		if err != nil || org.ComplaintEmail != "info@next-best.nl" {
			t.Fatalf("complaint address: %q %v", org.ComplaintEmail, err)
		}

		// The case moves on; the letter composes the same from its events.
		raw, _ = json.Marshal(map[string]any{"via": "phone"})
		if _, err := b.svc.Act(ctx, "acme", v.Number, b.handler, complaint.Command{Action: complaint.ActAcknowledge, Input: raw}); err != nil {
			t.Fatal(err)
		}
		again, err := b.svc.RegenerateLetter(ctx, "acme", l.ID)
		if err != nil {
			t.Fatal(err)
		}
		pdf, _ := again.PDF()
		if !bytes.Equal(pdf, l.PDF) || again.Text != l.Text {
			t.Fatal("regenerating a letter gives another document")
		}

		// A letter by e-mail is not marked posted.
		if _, err := b.svc.MarkPosted(ctx, "acme", l.ID, b.handler, calendar.Date{}); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("post an e-mail: %v", err)
		}
		// By post; marked posted, the acknowledgement was given by phone
		// already: the posting is a note in the timeline.
		p, err := b.svc.SendLetter(ctx, "acme", v.Number, b.handler, reglement.LetterAcknowledgement, to, store.LetterPost)
		if err != nil {
			t.Fatal(err)
		}
		if p, err = b.svc.MarkPosted(ctx, "acme", p.ID, b.handler, calendar.Date{}); err != nil || p.State != store.LetterPosted || p.PostedOn != calendar.D(2026, 3, 10) {
			t.Fatalf("posted: %+v %v", p, err)
		}
		cv, _ := b.svc.Case(ctx, "acme", v.Number, b.handler)
		last := cv.Events[len(cv.Events)-1]
		if last.Type != complaint.EvNoteAdded || !strings.Contains(string(last.Payload), "verzonden per post op 10-03-2026") {
			t.Fatalf("timeline: %s %s", last.Type, last.Payload)
		}
		if n := cv.Case.AcknowledgedOn; n == nil || *n != calendar.D(2026, 3, 10) {
			t.Fatalf("acknowledged: %v", n)
		}
		ls, err := b.svc.Letters(ctx, "acme", v.Number)
		if err != nil || len(ls) != 2 {
			t.Fatalf("letters: %d %v", len(ls), err)
		}
		if _, err := b.svc.Letters(ctx, "other", v.Number); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("tenancy: %v", err)
		}
		if kinds := service.LetterKindsOf(cv.Policy); len(kinds) == 0 || kinds[0] != reglement.LetterAcknowledgement {
			t.Fatalf("letter kinds: %v", kinds)
		}
	})
}

func TestLetterheadLogoFromSettings(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t))
	ctx := t.Context()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	var png bytes.Buffer
	if err := pngenc.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	org, err := b.st.GetOrganisation(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	org.Settings, _ = json.Marshal(map[string]any{"letters": map[string]any{"logo": png.Bytes()}})
	if _, err := b.st.UpdateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	v, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]any{"handler": map[string]any{"name": "Anna de Vries", "user_id": b.handler.UserID, "email": "anna@acme.test"}})
	if _, err := b.svc.Act(ctx, "acme", v.Number, b.board, complaint.Command{Action: complaint.ActAssignHandler, Input: raw}); err != nil {
		t.Fatal(err)
	}
	l, err := b.svc.SendLetter(ctx, "acme", v.Number, b.handler, reglement.LetterAcknowledgement,
		letter.Recipient{Name: "Zoë Çelik", Email: "zoe@example.nl"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(l.PDF, []byte("/Subtype /Image")) {
		t.Fatal("the organisation's logo is not in the letter's PDF")
	}
}
