package service

import (
	"bytes"
	"context"
	"io"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/mailin"
	"github.com/gegrond/gegrond/internal/store"
)

// InboundFile is an attachment of an inbound message opened for reading.
type InboundFile struct {
	store.InboundAttachment
	// Body reads the content; the caller closes it.
	Body io.ReadCloser
}

// OpenInboundAttachment opens attachment position (from 1) of an inbound
// message for a person who triages mail, quarantined or not: Postvak
// shows a quarantined file's reason before it is downloaded. The file
// comes from the encrypted document store when it was kept there, else
// from the raw message. A file cut short on arrival (too large) cannot
// be opened.
func (s *Service) OpenInboundAttachment(ctx context.Context, orgID, messageID string, position int, caller complaint.Caller) (InboundFile, error) {
	if err := mayTriage(caller); err != nil {
		return InboundFile{}, err
	}
	m, err := s.store.GetInbound(ctx, orgID, messageID)
	if err != nil {
		return InboundFile{}, err
	}
	notFound := apperr.New(apperr.NotFound, "the message has no attachment %d", position)
	var att *store.InboundAttachment
	for i := range m.Attachments {
		if m.Attachments[i].Position == position {
			att = &m.Attachments[i]
		}
	}
	if att == nil {
		return InboundFile{}, notFound
	}
	if att.BlobID != "" {
		docs, _ := s.Documents()
		if docs == nil {
			return InboundFile{}, apperr.New(apperr.NotFound, "attachment %q is kept in the document store, which is not configured", att.Name).WithReason("no_document_store")
		}
		r, err := docs.Open(att.BlobID)
		if err != nil {
			return InboundFile{}, err
		}
		f := InboundFile{InboundAttachment: *att, Body: r}
		f.Size = r.Size()
		return f, nil
	}
	parsed, err := mailin.ParseBytes(m.Raw, mailin.Limits{})
	if err != nil || position > len(parsed.Attachments) {
		return InboundFile{}, notFound
	}
	a := parsed.Attachments[position-1]
	if a.Size > int64(len(a.Content)) {
		return InboundFile{}, apperr.New(apperr.NotFound, "attachment %q was too large to keep; ask the sender for it another way", att.Name).WithReason("attachment_not_kept")
	}
	f := InboundFile{InboundAttachment: *att, Body: io.NopCloser(bytes.NewReader(a.Content))}
	f.Size = int64(len(a.Content))
	return f, nil
}
