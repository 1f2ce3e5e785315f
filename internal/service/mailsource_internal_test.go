package service

import (
	"github.com/gegrond/gegrond/internal/mailin/imapsource"
	"github.com/gegrond/gegrond/internal/store"
)

// MailboxConfigForTest returns the source configuration of m, with the
// password decrypted.
func MailboxConfigForTest(s *Service, m store.MailSource) (imapsource.Config, error) {
	return s.NewMailSupervisor(nil).config(m)
}
