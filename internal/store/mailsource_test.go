package store_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestMailSourceRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		if _, err := b.st.GetMailSource(b.ctx, b.orgA); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("no mailbox yet: %v", err)
		}
		in := store.MailSource{OrgID: b.orgA, Host: "imap.example.nl", Port: 993, Security: "tls",
			Username: "klachten", PasswordEnc: []byte{1, 2, 3, 0xff}, ProcessedMailbox: "Verwerkt", Enabled: true}
		saved, err := b.st.SaveMailSource(b.ctx, in)
		if err != nil || saved.ID == "" || saved.Mailbox != "INBOX" {
			t.Fatalf("save: %+v %v", saved, err)
		}
		checked := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		if err := b.st.RecordMailSourceStatus(b.ctx, b.orgA, checked, "login failed"); err != nil {
			t.Fatal(err)
		}
		// An update without a password keeps the stored one and the status.
		in.Port, in.PasswordEnc, in.Enabled = 143, nil, false
		if _, err := b.st.SaveMailSource(b.ctx, in); err != nil {
			t.Fatal(err)
		}
		got, err := b.st.GetMailSource(b.ctx, b.orgA)
		if err != nil || got.ID != saved.ID || got.Port != 143 || got.Enabled || !bytes.Equal(got.PasswordEnc, []byte{1, 2, 3, 0xff}) ||
			got.LastError != "login failed" || !got.LastCheckAt.Equal(checked) || got.ProcessedMailbox != "Verwerkt" {
			t.Fatalf("got %+v %v", got, err)
		}
		if list, err := b.st.EnabledMailSources(b.ctx); err != nil || len(list) != 0 {
			t.Fatalf("enabled after disabling: %v %v", list, err)
		}
		in.Enabled = true
		if _, err := b.st.SaveMailSource(b.ctx, in); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.SaveMailSource(b.ctx, store.MailSource{OrgID: b.orgB, Host: "h", Port: 993, Security: "tls", Username: "u"}); apperr.CodeOf(err) == "" {
			t.Fatalf("a new mailbox without password was saved")
		}
		list, err := b.st.EnabledMailSources(b.ctx)
		if err != nil || len(list) != 1 || list[0].OrgID != b.orgA {
			t.Fatalf("enabled: %+v %v", list, err)
		}
	})
}
