package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"path"
	"slices"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/zipcrypt"
)

// ArchiveRefusal is a file of an opened archive that was not added to the
// case, with the reason (a document.Reason* code) and its Dutch message.
type ArchiveRefusal struct {
	Name    string            `json:"name"`
	Reason  string            `json:"reason"`
	Message string            `json:"message"`
	Refusal *document.Refusal `json:"-"`
}

// ArchiveOpened is what opening a password-protected archive did.
type ArchiveOpened struct {
	// Archive is the archive's name.
	Archive string `json:"archive"`
	// Added are the documents added to the case, in the archive's order.
	Added []complaint.DocumentPayload `json:"added"`
	// Refused are the files that broke the evidence rules.
	Refused []ArchiveRefusal `json:"refused"`
}

// OpenArchiveDocument opens a password-protected ZIP document of the case
// file (Best Match section 3: an encrypted ZIP, the password sent
// separately) with the password the handler types, and adds every file in
// it that passes the regulation's evidence rules (type by content, size,
// clamd when configured) to the case as a document, stored encrypted, in
// one case update. The password is used for this call only: never stored
// or logged. A wrong password is an invalid field "password".
func (s *Service) OpenArchiveDocument(ctx context.Context, orgID, number, documentID, password string, caller complaint.Caller) (ArchiveOpened, error) {
	f, err := s.OpenDocument(ctx, orgID, number, documentID, caller)
	if err != nil {
		return ArchiveOpened{}, err
	}
	defer f.Body.Close()
	if err := s.mayAddDocument(ctx, orgID, number, caller); err != nil {
		return ArchiveOpened{}, err
	}
	return s.openArchive(ctx, orgID, number, f.Name, f.Body, password, caller)
}

// OpenInboundArchive is OpenArchiveDocument for an attachment of an
// e-mail that went to a case (a reply, or a triaged complaint), such as
// an encrypted ZIP the regulation's formats quarantined: its files join
// the message's case.
func (s *Service) OpenInboundArchive(ctx context.Context, orgID, messageID string, position int, password string, caller complaint.Caller) (ArchiveOpened, string, error) {
	m, err := s.InboundMessage(ctx, orgID, messageID, caller)
	if err != nil {
		return ArchiveOpened{}, "", err
	}
	if m.CaseNumber == "" {
		return ArchiveOpened{}, "", apperr.New(apperr.Conflict, "the message belongs to no case yet: triage it first, then open the archive").WithReason("not_triaged")
	}
	if err := s.mayAddDocument(ctx, orgID, m.CaseNumber, caller); err != nil {
		return ArchiveOpened{}, "", err
	}
	f, err := s.OpenInboundAttachment(ctx, orgID, messageID, position, caller)
	if err != nil {
		return ArchiveOpened{}, "", err
	}
	defer f.Body.Close()
	res, err := s.openArchive(ctx, orgID, m.CaseNumber, f.Name, f.Body, password, caller)
	return res, m.CaseNumber, err
}

// mayAddDocument: the regulation's add_document rule (a case worker, the
// case open) decides who opens an archive into the case file.
func (s *Service) mayAddDocument(ctx context.Context, orgID, number string, caller complaint.Caller) error {
	v, err := s.Case(ctx, orgID, number, caller)
	if err != nil {
		return err
	}
	if !slices.Contains(v.Allowed, complaint.ActAddDocument) {
		return apperr.New(apperr.Forbidden, "you may not add documents to case %s now, so you cannot open an archive into it", number).WithReason("add_document_not_allowed")
	}
	return nil
}

func (s *Service) openArchive(ctx context.Context, orgID, number, archive string, body io.Reader, password string, caller complaint.Caller) (ArchiveOpened, error) {
	docs, checker := s.Documents()
	if docs == nil {
		return ArchiveOpened{}, apperr.New(apperr.Conflict, "no document store is configured: files from an archive cannot be kept").WithReason("no_document_store")
	}
	if password == "" {
		return ArchiveOpened{}, apperr.Field("password", "type the password the complainant sent separately")
	}
	rec, _, err := s.store.GetCase(ctx, orgID, number)
	if err != nil {
		return ArchiveOpened{}, err
	}
	r, err := s.caseRegulation(ctx, orgID, rec)
	if err != nil {
		return ArchiveOpened{}, err
	}
	policy, err := document.PolicyFor(r.Intake.Evidence, document.Limits{})
	if err != nil {
		return ArchiveOpened{}, err
	}
	// The archive itself is at most as large as a file may be; it is
	// read into memory (it is encrypted by its password).
	limit := policy.MaxFileSize
	if limit <= 0 {
		limit = 64 << 20
	}
	data, err := io.ReadAll(io.LimitReader(body, 4*limit+1))
	if err != nil {
		return ArchiveOpened{}, err
	}
	if int64(len(data)) > 4*limit {
		return ArchiveOpened{}, apperr.New(apperr.Invalid, "the archive is too large to open here").WithReason(document.ReasonTooLarge)
	}
	entries, err := zipcrypt.List(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ArchiveOpened{}, archiveError(err)
	}
	if !slices.ContainsFunc(entries, func(e zipcrypt.Entry) bool { return e.Encrypted }) {
		return ArchiveOpened{}, apperr.New(apperr.Invalid, "%s is not protected by a password", archive).WithReason("archive_not_encrypted")
	}

	out := ArchiveOpened{Archive: archive, Added: []complaint.DocumentPayload{}, Refused: []ArchiveRefusal{}}
	var kept []string
	committed := false
	defer func() {
		if !committed {
			for _, id := range kept {
				if err := docs.Delete(id); err != nil {
					s.log().Warn("archive: removing a file of a failed opening", "blob", id, "err", err)
				}
			}
		}
	}()
	lim := zipcrypt.Limits{MaxEntries: policy.Archive.MaxEntries, MaxTotal: policy.Archive.MaxUncompressed}
	note := "uit " + archive + " geopend"
	// Opening the same archive again adds only what is not in the case
	// file yet.
	before, err := s.Case(ctx, orgID, number, caller)
	if err != nil {
		return ArchiveOpened{}, err
	}
	have := map[string]bool{}
	for _, d := range before.Case.Documents {
		if d.Note == note {
			have[d.Name] = true
		}
	}
	err = zipcrypt.Extract(ctx, bytes.NewReader(data), int64(len(data)), password, lim, func(e zipcrypt.Entry, body io.Reader) error {
		name := path.Base(e.Name)
		if have[document.SanitizeName(name)] {
			out.Refused = append(out.Refused, ArchiveRefusal{Name: e.Name, Reason: "already_added",
				Message: "staat al in het dossier (eerder uit dit archief geopend)"})
			return nil
		}
		doc, err := checker.Accept(ctx, policy, docs, document.Upload{Name: name, Body: body})
		var refusal *document.Refusal
		switch {
		case errors.As(err, &refusal):
			out.Refused = append(out.Refused, ArchiveRefusal{Name: e.Name, Reason: refusal.Reason, Message: refusal.Message("nl"), Refusal: refusal})
			return nil
		case err != nil:
			return err
		}
		kept = append(kept, doc.ID)
		out.Added = append(out.Added, complaint.DocumentPayload{DocumentID: doc.ID, Name: doc.Name, Kind: "evidence",
			Note: note, MIME: doc.MIME, Size: doc.Size})
		return nil
	})
	if err != nil {
		return ArchiveOpened{}, archiveError(err)
	}
	if len(out.Added) == 0 {
		committed = true // nothing kept
		return out, nil
	}
	now := s.Now()
	_, err = s.store.UpdateCase(ctx, orgID, number, func(history []complaint.Event) ([]complaint.Event, store.Projection, error) {
		st, err := complaint.Fold(history)
		if err != nil {
			return nil, store.Projection{}, err
		}
		st.Number = number
		var added []complaint.Event
		for _, d := range out.Added {
			in, _ := json.Marshal(d)
			evs, err := complaint.Decide(st, r, complaint.Command{Action: complaint.ActAddDocument, Input: in}, caller, now)
			if err != nil {
				return nil, store.Projection{}, err
			}
			for i := range evs {
				evs[i].Seq = st.LastSeq + 1
				if st, err = complaint.Apply(st, evs[i]); err != nil {
					return nil, store.Projection{}, err
				}
				added = append(added, evs[i])
			}
		}
		return added, project(&st, r, calendar.FromTime(now)), nil
	})
	if err != nil {
		return ArchiveOpened{}, err
	}
	committed = true
	return out, nil
}

// archiveError turns zipcrypt's errors into messages a handler can act on.
func archiveError(err error) error {
	switch {
	case errors.Is(err, zipcrypt.ErrWrongPassword):
		return apperr.Field("password", "the password is wrong; check the password the complainant sent separately (capitals, spaces and punctuation count)").WithReason("wrong_password")
	case errors.Is(err, zipcrypt.ErrCorrupt):
		return apperr.New(apperr.Invalid, "the archive is damaged or was changed; ask the complainant to send it again").WithReason(document.ReasonArchiveDamaged)
	case errors.Is(err, zipcrypt.ErrUnsupported):
		return apperr.New(apperr.Invalid, "the archive uses an encryption or compression Gegrond cannot open; ask the complainant to send it again as a ZIP with AES-256 (for example made with 7-Zip or WinZip)").WithReason("archive_unsupported")
	case errors.Is(err, zipcrypt.ErrLimit):
		return apperr.New(apperr.Invalid, "the archive holds more than is allowed; ask the complainant for fewer or smaller files, spread over more archives").WithReason(document.ReasonArchiveSize)
	}
	return err
}

// IsArchiveCandidate reports whether a document may be a password-protected
// ZIP worth offering "Openen met wachtwoord" for: a ZIP by its recorded
// type or name. The service checks the content when it is opened.
func IsArchiveCandidate(name, mime string) bool {
	return mime == "application/zip" || len(name) > 4 && (name[len(name)-4:] == ".zip" || name[len(name)-4:] == ".ZIP")
}
