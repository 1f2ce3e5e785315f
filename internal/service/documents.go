package service

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/mailin"
)

// SetDocuments gives the service the encrypted store of evidence files
// and the virus scanner that checks what goes in (nil scans nothing).
// Without a store, documents are recorded without files and OpenDocument
// answers not found.
func (s *Service) SetDocuments(st *document.Store, scanner document.Scanner) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs = st
	s.checker = &document.Checker{Scanner: scanner}
	if st != nil {
		s.checker.TempDir = st.TempDir()
	}
}

// Documents returns the encrypted file store and the checker that guards
// it; the store is nil when none is configured.
func (s *Service) Documents() (*document.Store, *document.Checker) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.checker == nil {
		return s.docs, &document.Checker{}
	}
	return s.docs, s.checker
}

// DocumentFile is one document of a case file opened for reading.
type DocumentFile struct {
	complaint.DocumentPayload
	// Body reads the plaintext; the caller closes it.
	Body io.ReadCloser
}

// inboundDocPrefix marks the documents that are attachments of an e-mail
// kept on the triage list: "inbound:<message>/<position>".
const inboundDocPrefix = "inbound:"

// OpenDocument opens a document of a case for caller: a member of the
// organisation who may see the case file's documents (an accused
// employee only after inspection was granted to them). A document of
// another case, or one recorded without a file, is not found.
func (s *Service) OpenDocument(ctx context.Context, orgID, number, documentID string, caller complaint.Caller) (DocumentFile, error) {
	_, events, err := s.store.GetCase(ctx, orgID, number)
	if err != nil {
		return DocumentFile{}, err
	}
	st, err := complaint.Fold(events)
	if err != nil {
		return DocumentFile{}, err
	}
	if !st.MaySeeDocuments(caller.Person()) {
		return DocumentFile{}, apperr.New(apperr.Forbidden, "the documents of case %s are not open to you: you are named in the complaint and were not given inspection", number).WithReason("documents_closed")
	}
	return s.openCaseDocument(ctx, orgID, number, &st, documentID)
}

// openCaseDocument opens documentID when it is one of st's documents.
func (s *Service) openCaseDocument(ctx context.Context, orgID, number string, st *complaint.State, documentID string) (DocumentFile, error) {
	notFound := apperr.New(apperr.NotFound, "case %s has no document %q with a file", number, documentID)
	if documentID == "" {
		return DocumentFile{}, notFound
	}
	var doc *complaint.DocumentPayload
	for i := range st.Documents {
		if st.Documents[i].DocumentID == documentID {
			doc = &st.Documents[i]
		}
	}
	if doc == nil {
		return DocumentFile{}, notFound
	}
	if rest, ok := strings.CutPrefix(documentID, inboundDocPrefix); ok {
		return s.openInboundDocument(ctx, orgID, *doc, rest, notFound)
	}
	docs, _ := s.Documents()
	if docs == nil {
		return DocumentFile{}, notFound
	}
	r, err := docs.Open(documentID)
	if err != nil {
		return DocumentFile{}, err
	}
	f := DocumentFile{DocumentPayload: *doc, Body: r}
	if f.Size == 0 {
		f.Size = r.Size()
	}
	return f, nil
}

// openInboundDocument opens attachment "<message>/<position>" of an
// e-mail: from the encrypted store when it was put there, else from the
// raw message kept as evidence.
func (s *Service) openInboundDocument(ctx context.Context, orgID string, doc complaint.DocumentPayload, ref string, notFound error) (DocumentFile, error) {
	msgID, posText, ok := strings.Cut(ref, "/")
	pos, err := strconv.Atoi(posText)
	if !ok || err != nil || pos < 1 {
		return DocumentFile{}, notFound
	}
	m, err := s.store.GetInbound(ctx, orgID, msgID)
	if err != nil {
		return DocumentFile{}, err
	}
	for _, a := range m.Attachments {
		if a.Position != pos {
			continue
		}
		if doc.MIME == "" {
			doc.MIME = a.MIME
		}
		if a.BlobID != "" {
			docs, _ := s.Documents()
			if docs == nil {
				return DocumentFile{}, notFound
			}
			r, err := docs.Open(a.BlobID)
			if err != nil {
				return DocumentFile{}, err
			}
			doc.Size = r.Size()
			return DocumentFile{DocumentPayload: doc, Body: r}, nil
		}
	}
	parsed, err := mailin.ParseBytes(m.Raw, mailin.Limits{})
	if err != nil || pos > len(parsed.Attachments) {
		return DocumentFile{}, notFound
	}
	a := parsed.Attachments[pos-1]
	doc.Size = int64(len(a.Content))
	return DocumentFile{DocumentPayload: doc, Body: io.NopCloser(bytes.NewReader(a.Content))}, nil
}

// SweepDocuments removes the encrypted files no case references any more
// (Store.BlobReferenced): those an erasure could not delete after its
// commit, and those of an upload whose transaction failed. Only files
// last written before cutoff go; pass now minus an hour or more, so that
// a file whose transaction still runs stays. It returns the removed ids.
// Nothing runs it on a schedule yet: call it from an operator's task.
func (s *Service) SweepDocuments(ctx context.Context, cutoff time.Time) ([]string, error) {
	docs, _ := s.Documents()
	if docs == nil {
		return nil, nil
	}
	return docs.Sweep(ctx, func(id string) (bool, error) { return s.store.BlobReferenced(ctx, id) }, cutoff)
}
