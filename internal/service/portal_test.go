package service_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// portalJobs are the portal_link jobs of a case.
func portalJobs(t *testing.T, b *bundle, org, number string) []store.Job {
	t.Helper()
	rec, _, err := b.st.GetCase(context.Background(), org, number)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := b.st.CaseJobs(context.Background(), org, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(jobs, func(j store.Job) bool { return j.Kind != service.JobPortalLink })
}

func isDeadLink(err error) bool {
	e, ok := err.(*apperr.Error)
	return ok && e.Code == apperr.NotFound && e.Reason == "portal_link"
}

func TestPortalLinkIsHashedExpiresAndIsReplaced(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := t.Context()
		v, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "")
		if err != nil {
			t.Fatal(err)
		}
		// The link mail is queued with the case, to the address given.
		jobs := portalJobs(t, b, "acme", v.Number)
		if len(jobs) != 1 || !strings.Contains(string(jobs[0].Payload), "zoe@example.nl") {
			t.Fatalf("portal jobs: %+v", jobs)
		}
		// A complainant who asked for post gets no link.
		byPost := intake(calendar.D(2026, 3, 9))
		byPost.Correspondence, byPost.Complainant.Address = "post", "Dorpsstraat 1, Ergens"
		vp, _, err := b.svc.CreateCase(ctx, "acme", b.board, byPost, "")
		if err != nil {
			t.Fatal(err)
		}
		if jobs := portalJobs(t, b, "acme", vp.Number); len(jobs) != 0 {
			t.Fatalf("a complainant by post got a link: %+v", jobs)
		}

		first, l, err := b.svc.IssuePortalLink(ctx, "acme", v.Number, "zoe@example.nl")
		if err != nil {
			t.Fatal(err)
		}
		if !service.ValidPortalToken(first) || len(first) != 43 {
			t.Fatalf("token %q", first)
		}
		if want := b.clock.Add(service.PortalLinkLifetime); !l.ExpiresAt.Equal(want) {
			t.Errorf("expires %v, want %v", l.ExpiresAt, want)
		}
		pv, err := b.svc.PortalCase(ctx, first)
		if err != nil || pv.Case.Number != v.Number {
			t.Fatalf("portal case: %v %+v", err, pv.Case.Number)
		}
		// Only the hash is stored.
		links, err := b.st.PortalLinks(ctx, "acme", v.Number)
		if err != nil || len(links) != 1 || links[0].Email != "zoe@example.nl" || links[0].LastUsedAt.IsZero() {
			t.Fatalf("links: %+v %v", links, err)
		}
		if _, err := b.st.PortalLinkByToken(ctx, first, b.svc.Now()); !isDeadLink(err) {
			t.Fatalf("the token itself is a stored key: %v", err)
		}

		// A new link replaces the old one.
		second, _, err := b.svc.IssuePortalLink(ctx, "acme", v.Number, "zoe@example.nl")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.svc.PortalCase(ctx, first); !isDeadLink(err) {
			t.Fatalf("the replaced link still works: %v", err)
		}
		// Valid until the end of its lifetime, not a moment longer.
		start := *b.clock
		*b.clock = start.Add(service.PortalLinkLifetime - time.Minute)
		if _, err := b.svc.PortalCase(ctx, second); err != nil {
			t.Fatalf("a link a minute before expiry: %v", err)
		}
		*b.clock = start.Add(service.PortalLinkLifetime)
		if _, err := b.svc.PortalCase(ctx, second); !isDeadLink(err) {
			t.Fatalf("an expired link works: %v", err)
		}
		*b.clock = start
		for _, bad := range []string{"", "abc", strings.Repeat("A", 44), strings.Repeat("!", 43), service.NewPortalToken()} {
			if _, err := b.svc.PortalCase(ctx, bad); !isDeadLink(err) {
				t.Errorf("token %q: %v", bad, err)
			}
		}
	})
}

func TestPortalLinkRevokedWhenArchived(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := t.Context()
		v, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "")
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := b.svc.IssuePortalLink(ctx, "acme", v.Number, "zoe@example.nl")
		if err != nil {
			t.Fatal(err)
		}
		// NextBest Art. 10: the complainant closes the case early.
		if _, err := b.svc.PortalAct(ctx, token, complaint.Command{Action: complaint.ActWithdraw, Input: json.RawMessage(`{"reason":"Opgelost met mijn coach."}`)}); err != nil {
			t.Fatal(err)
		}
		pv, err := b.svc.PortalCase(ctx, token)
		if err != nil || pv.Case.Case.Phase != complaint.PhaseClosed {
			t.Fatalf("after withdrawal: %v %s", err, pv.Case.Case.Phase)
		}
		if _, err := b.svc.Act(ctx, "acme", v.Number, b.board, complaint.Command{Action: complaint.ActArchive}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.svc.PortalCase(ctx, token); !isDeadLink(err) {
			t.Fatalf("the link of an archived case works: %v", err)
		}
		links, _ := b.st.PortalLinks(ctx, "acme", v.Number)
		if len(links) != 1 || links[0].RevokedAt.IsZero() {
			t.Fatalf("links after archiving: %+v", links)
		}
		if _, _, err := b.svc.IssuePortalLink(ctx, "acme", v.Number, "zoe@example.nl"); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("a link to an archived case: %v", err)
		}
		if err := b.svc.RequestPortalLink(ctx, v.Number, "zoe@example.nl", "nl"); err != nil || len(portalJobs(t, b, "acme", v.Number)) != 1 {
			t.Fatalf("renewal for an archived case queued a link: %v", err)
		}
	})
}

func TestPortalRenewalTellsNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := t.Context()
		v, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, number, email string
			queued              int
		}{
			{"wrong address", v.Number, "someone@example.nl", 1},
			{"unknown case", "2026-9999", "zoe@example.nl", 1},
			{"empty", "", "", 1},
			{"match, other case", v.Number, "ZOE@example.nl ", 2},
		} {
			if err := b.svc.RequestPortalLink(ctx, tc.number, tc.email, "nl"); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := len(portalJobs(t, b, "acme", v.Number)); got != tc.queued {
				t.Errorf("%s: %d link jobs, want %d", tc.name, got, tc.queued)
			}
		}
		// The renewal's job goes to the address asked with.
		renewed := slices.ContainsFunc(portalJobs(t, b, "acme", v.Number), func(j store.Job) bool {
			var p service.PortalLinkPayload
			return json.Unmarshal(j.Payload, &p) == nil && p.Email == "ZOE@example.nl" && p.Lang == "nl"
		})
		if !renewed {
			t.Fatalf("no renewal job to the address asked with: %+v", portalJobs(t, b, "acme", v.Number))
		}
	})
}

// presetOrg adds an organisation on a preset with one person holding
// every staff role, who is assigned as handler to each new case.
func presetOrg(t *testing.T, b *bundle, preset string) complaint.Caller {
	t.Helper()
	ctx := context.Background()
	if _, err := b.st.CreateOrganisation(ctx, store.Organisation{ID: preset, Name: preset, ReglementID: preset}); err != nil {
		t.Fatal(err)
	}
	src, err := reglement.PresetSource(preset)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.st.SaveRegulation(ctx, preset, store.Regulation{ValidFrom: calendar.D(2020, 1, 1), YAML: string(src)}); err != nil {
		t.Fatal(err)
	}
	u, err := b.st.CreateUser(ctx, store.User{Email: "all@" + preset + ".test", Name: "Alle Rollen " + preset})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []reglement.Role{reglement.RoleReceiver, reglement.RoleHandler, reglement.RoleBoard, reglement.RoleAdmin} {
		if err := b.st.AddMembership(ctx, preset, u.ID, string(r)); err != nil {
			t.Fatal(err)
		}
	}
	c, err := b.svc.Caller(ctx, preset, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func act(t *testing.T, b *bundle, org, number string, c complaint.Caller, a complaint.Action, input any) {
	t.Helper()
	raw, _ := json.Marshal(input)
	if _, err := b.svc.Act(context.Background(), org, number, c, complaint.Command{Action: a, Input: raw}); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
}

func TestPortalActionsFollowTheRegulation(t *testing.T) {
	t.Parallel()
	portalOnly := []complaint.Action{complaint.ActAddStatementOfView, complaint.ActRequestInspection,
		complaint.ActRequestHearing, complaint.ActAnswerProposal, complaint.ActWithdraw}
	for _, tc := range []struct {
		preset string
		// allowed are the complainant's actions (besides adding evidence)
		// once the case is in handling.
		allowed []complaint.Action
		// proposal makes a proposal first (Standergroep).
		proposal bool
	}{
		{"bestmatch", []complaint.Action{complaint.ActAddStatementOfView, complaint.ActRequestHearing}, false},
		{"nextbest", []complaint.Action{complaint.ActRequestHearing, complaint.ActWithdraw}, false},
		{"smartplus", []complaint.Action{complaint.ActRequestInspection, complaint.ActRequestHearing}, false},
		{"standergroep", []complaint.Action{complaint.ActRequestHearing, complaint.ActAnswerProposal}, true},
		{"work2work", nil, false},
	} {
		t.Run(tc.preset, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, dsn string) {
				b := setup(t, dsn)
				ctx := t.Context()
				staff := presetOrg(t, b, tc.preset)
				in := intake(calendar.D(2026, 3, 9))
				in.Correspondence = "email"
				// What every preset's form may require.
				in.IncidentTime, in.IncidentPlace, in.DesiredOutcome = "10:00", "Utrecht", "Excuses."
				in.ClientName, in.CommissioningParty, in.Service = "Zoë Çelik", "UWV", "jobcoaching"
				in.Complainant.Address = "Dorpsstraat 1, Ergens"
				in.AccusedEmployees = []complaint.Person{{Name: "Coach Jansen"}}
				v, _, err := b.svc.CreateCase(ctx, tc.preset, staff, in, "")
				if err != nil {
					t.Fatal(err)
				}
				act(t, b, tc.preset, v.Number, staff, complaint.ActAssignHandler, map[string]any{"handler": map[string]any{"name": staff.Name, "user_id": staff.UserID, "function": "Coördinator"}})
				act(t, b, tc.preset, v.Number, staff, complaint.ActDecideAdmissibility, map[string]any{"admissible": true})
				if tc.proposal {
					act(t, b, tc.preset, v.Number, staff, complaint.ActMakeProposal, map[string]any{"text": "Een gesprek met een andere coach.", "via": "phone"})
				}
				token, _, err := b.svc.IssuePortalLink(ctx, tc.preset, v.Number, "zoe@example.nl")
				if err != nil {
					t.Fatal(err)
				}
				pv, err := b.svc.PortalCase(ctx, token)
				if err != nil {
					t.Fatal(err)
				}
				want := append([]complaint.Action{complaint.ActAddDocument}, tc.allowed...)
				slices.Sort(want)
				got := slices.Clone(pv.Case.Allowed)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Fatalf("complainant may %v, want %v", got, want)
				}
				inputs := map[complaint.Action]string{
					complaint.ActAddStatementOfView: `{"text":"Zo zie ik het."}`,
					complaint.ActRequestInspection:  `{"text":"Ik wil de stukken zien."}`,
					complaint.ActRequestHearing:     `{"text":"Ik leg het graag uit."}`,
					complaint.ActAnswerProposal:     `{"accepted":true,"reply":"Goed."}`,
					complaint.ActWithdraw:           `{"reason":"Het is opgelost."}`,
				}
				// Refused where the regulation has no such step: nothing
				// is written.
				for _, a := range portalOnly {
					if slices.Contains(tc.allowed, a) {
						continue
					}
					before, _, _ := b.st.GetCase(ctx, tc.preset, v.Number)
					_, err := b.svc.PortalAct(ctx, token, complaint.Command{Action: a, Input: json.RawMessage(inputs[a])})
					if code := apperr.CodeOf(err); code != apperr.Conflict {
						t.Errorf("%s where the regulation has none: %v", a, err)
					}
					after, events, _ := b.st.GetCase(ctx, tc.preset, v.Number)
					if !after.UpdatedAt.Equal(before.UpdatedAt) || events[len(events)-1].Actor.Kind == complaint.ActorComplainant {
						t.Errorf("%s refused but written", a)
					}
				}
				// A staff action is never the complainant's.
				if _, err := b.svc.PortalAct(ctx, token, complaint.Command{Action: complaint.ActAddNote, Input: json.RawMessage(`{"text":"x"}`)}); apperr.CodeOf(err) != apperr.Forbidden {
					t.Errorf("add_note from the portal: %v", err)
				}
				if _, err := complaint.Decide(pv.Case.Case, pv.Case.Policy, complaint.Command{Action: complaint.ActAddNote, Input: json.RawMessage(`{"text":"x"}`)},
					complaint.ComplainantCaller(), b.svc.Now()); apperr.CodeOf(err) != apperr.Forbidden {
					t.Errorf("the core lets the complainant add a note: %v", err)
				}
				// And the complainant's requests are never staff's.
				for _, a := range complaint.ComplainantOnly {
					if slices.Contains(complaint.Allowed(pv.Case.Case, pv.Case.Policy, staff, b.svc.Now()), a) {
						t.Errorf("staff may %s", a)
					}
				}

				for _, a := range tc.allowed {
					pv, err := b.svc.PortalAct(ctx, token, complaint.Command{Action: a, Input: json.RawMessage(inputs[a])})
					if err != nil {
						t.Fatalf("%s: %v", a, err)
					}
					last := pv.Case.Events[len(pv.Case.Events)-1]
					if last.Actor.Kind != complaint.ActorComplainant {
						t.Errorf("%s: the last event %s is by %+v", a, last.Type, last.Actor)
					}
					// The chain covers the actor: it names no one, so that
					// erasure can remove the person from the case.
					if last.Actor.Name != "" || last.Actor.UserID != "" {
						t.Errorf("%s: the complainant's event names its actor %+v", a, last.Actor)
					}
					// It reaches the handler's screen: marked until staff acts.
					marked, err := b.svc.Cases(ctx, tc.preset, store.CaseFilter{ComplainantInput: true})
					if err != nil || len(marked) != 1 || marked[0].Number != v.Number || marked[0].ComplainantInputAt.IsZero() {
						t.Fatalf("%s: marked cases %+v %v", a, marked, err)
					}
					if !pv.Case.Case.IsOpen() {
						break
					}
					act(t, b, tc.preset, v.Number, staff, complaint.ActAddNote, map[string]any{"text": "Gezien."})
					if marked, _ := b.svc.Cases(ctx, tc.preset, store.CaseFilter{ComplainantInput: true}); len(marked) != 0 {
						t.Fatalf("%s: still marked after the handler acted", a)
					}
				}
			})
		})
	}
}

func TestPortalTimelineLeavesOutInternalEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := t.Context()
		v, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "")
		if err != nil {
			t.Fatal(err)
		}
		act(t, b, "acme", v.Number, b.board, complaint.ActAddAccused, map[string]any{"employee": map[string]any{"name": "Verborgen Medewerker"}})
		act(t, b, "acme", v.Number, b.board, complaint.ActAddNote, map[string]any{"text": "Interne notitie"})
		act(t, b, "acme", v.Number, b.board, complaint.ActInformParty, map[string]any{"party": "accused_employee", "text": "Brief aan medewerker"})
		act(t, b, "acme", v.Number, b.board, complaint.ActAddDocument, map[string]any{"name": "intern-verslag.pdf"})
		token, _, err := b.svc.IssuePortalLink(ctx, "acme", v.Number, "zoe@example.nl")
		if err != nil {
			t.Fatal(err)
		}
		pv, err := b.svc.PortalCase(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		var types []complaint.EventType
		for _, e := range pv.Timeline {
			types = append(types, e.Type)
			if !slices.Contains(service.PortalEvents, e.Type) {
				t.Errorf("the portal shows %s", e.Type)
			}
		}
		for _, hidden := range []complaint.EventType{complaint.EvAccusedAdded, complaint.EvNoteAdded, complaint.EvPartyInformed, complaint.EvDocumentAdded} {
			if slices.Contains(types, hidden) {
				t.Errorf("the portal timeline shows %s: %v", hidden, types)
			}
		}
		if !slices.Contains(types, complaint.EvReceived) {
			t.Errorf("the portal timeline lacks the complaint: %v", types)
		}
		if len(pv.Documents) != 0 {
			t.Errorf("the portal lists staff documents: %+v", pv.Documents)
		}
	})
}

func TestPortalLettersAreThoseSentToTheComplainant(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := t.Context()
		v, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "")
		if err != nil {
			t.Fatal(err)
		}
		act(t, b, "acme", v.Number, b.board, complaint.ActAssignHandler, map[string]any{"handler": map[string]any{"name": "Anna de Vries", "user_id": b.handler.UserID, "email": "anna@acme.test"}})
		token, _, err := b.svc.IssuePortalLink(ctx, "acme", v.Number, "zoe@example.nl")
		if err != nil {
			t.Fatal(err)
		}
		l, err := b.svc.SendLetter(ctx, "acme", v.Number, b.handler, reglement.LetterAcknowledgement,
			letter.Recipient{Name: "Zoë Çelik", Email: "zoe@example.nl"}, "")
		if err != nil {
			t.Fatal(err)
		}
		// Queued, not sent yet: not in the portal.
		if pv, err := b.svc.PortalCase(ctx, token); err != nil || len(pv.Letters) != 0 {
			t.Fatalf("letters before sending: %d %v", len(pv.Letters), err)
		}
		if _, _, err := b.svc.PortalLetter(ctx, token, l.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("an unsent letter downloads: %v", err)
		}
		if _, err := b.svc.LetterSent(ctx, "acme", l.ID, "<m@acme.test>", b.svc.Now()); err != nil {
			t.Fatal(err)
		}
		pv, err := b.svc.PortalCase(ctx, token)
		if err != nil || len(pv.Letters) != 1 || pv.Letters[0].ID != l.ID {
			t.Fatalf("letters after sending: %+v %v", pv.Letters, err)
		}
		got, pdf, err := b.svc.PortalLetter(ctx, token, l.ID)
		if err != nil || got.ID != l.ID || !strings.HasPrefix(string(pdf), "%PDF-") {
			t.Fatalf("letter download: %v", err)
		}
		// Another case's link does not open this letter.
		other, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "")
		if err != nil {
			t.Fatal(err)
		}
		otherToken, _, err := b.svc.IssuePortalLink(ctx, "acme", other.Number, "zoe@example.nl")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := b.svc.PortalLetter(ctx, otherToken, l.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("another case's link opens the letter: %v", err)
		}
	})
}
