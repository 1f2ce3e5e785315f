package jobs_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/jobs"
	"github.com/gegrond/gegrond/internal/mail/mailtest"
)

var linkRE = regexp.MustCompile(`https://klachten\.example\.nl/portaal/([A-Za-z0-9_-]{43})`)

// portalLinks are the tokens of the portal mails received, in order.
func portalLinks(t *testing.T, s *mailtest.Server) []string {
	t.Helper()
	var out []string
	for _, m := range s.Messages(t) {
		if m.Header.Get("X-Gegrond-Notice") != jobs.KindPortalLink {
			continue
		}
		match := linkRE.FindStringSubmatch(m.Text)
		if match == nil {
			t.Fatalf("portal mail without a link:\n%s", m.Text)
		}
		if !strings.Contains(m.Text, "Beste klager") || !strings.Contains(m.Text, "Dear complainant") {
			t.Errorf("portal mail is not in Dutch and English:\n%s", m.Text)
		}
		out = append(out, match[1])
	}
	return out
}

func TestPortalLinkMailedWithTheCase(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn, "nextbest", setupOptions{cfg: jobs.Config{PortalBase: "https://klachten.example.nl/"}})
		number := b.receive("Ëlif Çelik")
		links := portalLinks(t, b.smtp)
		if len(links) != 1 {
			t.Fatalf("%d portal mails, want 1", len(links))
		}
		pv, err := b.svc.PortalCase(b.ctx, links[0])
		if err != nil || pv.Case.Number != number {
			t.Fatalf("the mailed link: %v", err)
		}
		// The token is made when the mail goes out: the queue never held it.
		rec, _, _ := b.st.GetCase(b.ctx, b.org, number)
		js, _ := b.st.CaseJobs(b.ctx, b.org, rec.ID)
		for _, j := range js {
			if strings.Contains(string(j.Payload), links[0]) {
				t.Fatalf("job %s holds the token", j.Kind)
			}
		}

		// A renewal mails a new link; the old one stops working.
		if err := b.svc.RequestPortalLink(b.ctx, number, pv.Link.Email, "en"); err != nil {
			t.Fatal(err)
		}
		b.runDue()
		links = portalLinks(t, b.smtp)
		if len(links) != 2 {
			t.Fatalf("%d portal mails after renewal, want 2", len(links))
		}
		if _, err := b.svc.PortalCase(b.ctx, links[0]); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the first link after renewal: %v", err)
		}
		if _, err := b.svc.PortalCase(b.ctx, links[1]); err != nil {
			t.Errorf("the renewed link: %v", err)
		}
	})
}
