package mailin_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/mailin"
)

func TestNewMessageIDCarriesTheReplyToken(t *testing.T) {
	t.Parallel()
	id, err := mailin.NewMessageID("k3xq7abcdefgh", "2026-0012", "nextbest.test")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^gegrond\.k3xq7abcdefgh\.2026-0012\.[a-z2-7]{26}@nextbest\.test$`).MatchString(id) {
		t.Fatalf("Message-ID %q", id)
	}
	other, _ := mailin.NewMessageID("k3xq7abcdefgh", "2026-0012", "nextbest.test")
	if other == id {
		t.Error("two Message-IDs alike")
	}
	for _, form := range []string{id, "<" + id + ">", " <" + id + "> "} {
		tok, ok := mailin.ParseMessageID(form)
		if !ok || tok.OrgID != "k3xq7abcdefgh" || tok.CaseNumber != "2026-0012" || tok.Host != "nextbest.test" || len(tok.Nonce) != 26 {
			t.Errorf("%q: %+v %v", form, tok, ok)
		}
	}
	tok, ok := mailin.ReplyToken([]string{"CAF123@mail.example", "<" + id + ">", "x@y"})
	if !ok || tok.CaseNumber != "2026-0012" {
		t.Errorf("ReplyToken %+v %v", tok, ok)
	}
	if id, _ := mailin.NewMessageID("org", "2026-0001", ""); !regexp.MustCompile(`@gegrond\.invalid$`).MatchString(id) {
		t.Errorf("default host: %q", id)
	}
}

func TestNewMessageIDRefusesWhatCannotRoundTrip(t *testing.T) {
	t.Parallel()
	for name, args := range map[string][3]string{
		"an organisation with a dot": {"org.x", "2026-0001", "x.test"},
		"an empty organisation":      {"", "2026-0001", "x.test"},
		"a case number of text":      {"org", "klacht-1", "x.test"},
		"a host with a space":        {"org", "2026-0001", "x test"},
		"a host with brackets":       {"org", "2026-0001", "x>y"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := mailin.NewMessageID(args[0], args[1], args[2]); apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("error %v", err)
			}
		})
	}
}

func TestParseMessageIDRefusesOthers(t *testing.T) {
	t.Parallel()
	for _, id := range []string{
		"CAF123@mail.example",
		"gegrond@x",
		"gegrond.org.2026-0012@x",
		"gegrond.org.klacht.abcdefghij@x",
		"2026-0012.acknowledgement.abc@nextbest.test",
		"xgegrond.org.2026-0012.abcdefghij@x",
	} {
		if tok, ok := mailin.ParseMessageID(id); ok {
			t.Errorf("%q read as %+v", id, tok)
		}
	}
}

func TestCaseNumberIn(t *testing.T) {
	t.Parallel()
	for subject, want := range map[string]string{
		"[Gegrond 2026-0012] Ontvangstbevestiging":        "2026-0012",
		"RE: Ontvangstbevestiging (dossier 2026-0012)":    "2026-0012",
		"Re: Re: uw kenmerk: 2026-0345":                   "2026-0345",
		"Aanvulling op zaak nr. 2026-0007":                "2026-0007",
		"Aanvulling op zaaknummer 2025-12345":             "2025-12345",
		"klacht #2026-0099 aanvulling":                    "2026-0099",
		"Vraag over DOSSIER 2026-0001":                    "2026-0001",
		"factuur 2026-0012 klopt niet":                    "",
		"2026-0012":                                       "",
		"dossier 2026-01-15":                              "",
		"dossier 2026-0012345":                            "",
		"dossier 2026-0012-3":                             "",
		"mijndossier 2026-0012":                           "",
		"dossier 1899-0012":                               "",
		"gesprek van 12-03-2026 over dossier 2026-0031 .": "2026-0031",
		"": "",
	} {
		got, ok := mailin.CaseNumberIn(subject)
		if got != want || ok != (want != "") {
			t.Errorf("%q: %q %v, want %q", subject, got, ok, want)
		}
	}
}

func TestMessageIDWithNonceIsFixedAndChecked(t *testing.T) {
	t.Parallel()
	a, err := mailin.MessageIDWithNonce("nextbest", "2026-0012", "k3xq7abcdefgh2345", "nextbest.test")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := mailin.MessageIDWithNonce("nextbest", "2026-0012", "k3xq7abcdefgh2345", "nextbest.test")
	if a != b || a != "gegrond.nextbest.2026-0012.k3xq7abcdefgh2345@nextbest.test" {
		t.Fatalf("Message-IDs %q and %q", a, b)
	}
	for _, nonce := range []string{"", "short", "UPPERCASE123", "with.dot.1234", strings.Repeat("a", 65)} {
		if _, err := mailin.MessageIDWithNonce("nextbest", "2026-0012", nonce, ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("nonce %q: %v, want invalid", nonce, err)
		}
	}
}
