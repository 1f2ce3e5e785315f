package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/mailin"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// MailSink returns the service as the mailin.Sink of the mail sources.
func (s *Service) MailSink() mailin.Sink { return mailin.SinkFunc(s.DeliverMail) }

// DeliverMail keeps a message that reached the organisation's complaint
// address and routes it, committing before it returns nil (mailin.Sink):
//
//   - a message the organisation stored before (same Message-ID, or for
//     a message without one the same content) is accepted and ignored;
//   - a reply to one of our letters (its In-Reply-To or References name a
//     letter we sent, or carry our reply token) or a message whose subject
//     names one of the organisation's cases ("zaak 2026-0012") is stored
//     as attached to that case and a message_received event appended, in
//     one transaction;
//   - an automatic reply (out of office, bounce, our own letter) that
//     belongs to no case is stored as not_complaint: it never opens a case;
//   - anything else waits on the triage list (to_triage).
//
// Attachments are checked against the evidence rule of the regulation in
// force on the arrival date; those that fail are kept, marked quarantined
// with the refusal's reason. A message that cannot be parsed is kept raw
// on the triage list with the reason.
func (s *Service) DeliverMail(ctx context.Context, orgID string, raw []byte, receivedAt time.Time) error {
	if receivedAt.IsZero() {
		receivedAt = s.now()
	}
	m, perr := mailin.ParseBytes(raw, mailin.Limits{})
	in := store.Inbound{ReceivedAt: receivedAt, Raw: raw}
	if perr != nil {
		sum := sha256.Sum256(raw)
		in.MessageID = "unparsed." + hex.EncodeToString(sum[:16]) + "@" + mailin.DefaultHost
		in.Synthetic = true
		in.ParseProblem = "the message could not be read (" + mailin.ReasonOf(perr) + "): " + apperr.MessageOf(perr)
		_, _, err := s.store.InsertInbound(ctx, orgID, in)
		return err
	}
	in.MessageID, in.Synthetic = m.MessageID, m.SyntheticID
	if len(m.From) > 0 {
		in.FromName, in.FromAddr = m.From[0].Name, strings.ToLower(m.From[0].Email)
	}
	in.Subject, in.Text, in.HTML = m.Subject, m.Text, m.HTML
	in.AutoReplyReason = m.AutoReplyReason()
	in.ParseProblem = strings.Join(m.Problems, "; ")
	// The files are written before the message is committed and removed
	// again unless this delivery stored the message: a failed or
	// duplicate delivery leaves nothing behind, and a crash in between
	// leaves files no row references, which SweepDocuments removes.
	atts, blobs, err := s.checkAttachments(ctx, orgID, calendar.FromTime(receivedAt.In(s.loc)), m.Attachments)
	stored := false
	defer func() {
		if !stored {
			s.discardBlobs(blobs)
		}
	}()
	if err != nil {
		return err
	}
	in.Attachments = atts

	number, err := s.caseOfMessage(ctx, orgID, m)
	if err != nil {
		return err
	}
	if number != "" {
		_, inserted, err := s.attachToCase(ctx, orgID, number, in)
		if err == nil || apperr.CodeOf(err) != apperr.Conflict {
			stored = inserted
			return err
		}
		// The case takes no more messages (archived): a person looks.
	}
	if in.AutoReplyReason != "" {
		in.State = store.InboundNotComplaint
		in.TriageReason = "automatic reply (" + in.AutoReplyReason + ")"
		in.TriagedBy = "Gegrond"
	}
	_, stored, err = s.store.InsertInbound(ctx, orgID, in)
	stored = stored && err == nil
	return err
}

// discardBlobs removes files written for a message that was not stored.
func (s *Service) discardBlobs(ids []string) {
	if len(ids) == 0 {
		return
	}
	docs, _ := s.Documents()
	for _, id := range ids {
		if err := docs.Delete(id); err != nil {
			// Left for SweepDocuments: no row references the file.
			s.log().Warn("inbound: removing an unreferenced attachment file", "blob", id, "err", err)
		}
	}
}

// checkAttachments runs every attachment through the document checks
// under the regulation in force on the arrival date (type by content,
// size, archive limits, clamd when configured). With an encrypted
// document store, every attachment is kept there, accepted or
// quarantined, and blobs lists the files written; without one, nothing
// is kept by the checks and the content stays in the raw message. An
// attachment cut short by the parser's size limit is quarantined
// without a file: only its beginning arrived.
func (s *Service) checkAttachments(ctx context.Context, orgID string, on calendar.Date, list []mailin.Attachment) (atts []store.InboundAttachment, blobs []string, err error) {
	if len(list) == 0 {
		return nil, nil, nil
	}
	docs, checker := s.Documents()
	defer func() {
		if err != nil {
			s.discardBlobs(blobs)
			blobs = nil
		}
	}()
	var rule *reglement.EvidenceRule
	if r, _, err := s.Regulation(ctx, orgID, on); err == nil {
		rule = r.Intake.Evidence
	} else if apperr.CodeOf(err) != apperr.Conflict {
		return nil, nil, err
	}
	policy, err := document.PolicyFor(rule, document.Limits{})
	if err != nil {
		return nil, nil, err
	}
	out := make([]store.InboundAttachment, 0, len(list))
	for _, a := range list {
		att := store.InboundAttachment{Name: a.Filename, MIME: a.ContentType, Size: a.Size}
		upload := document.Upload{Name: a.Filename, Body: bytes.NewReader(a.Content)}
		switch {
		case a.Size > int64(len(a.Content)):
			att.Quarantined, att.QuarantineReason = true, document.ReasonTooLarge
			out = append(out, att)
			continue
		case a.TNEF:
			att.Quarantined, att.QuarantineReason = true, "tnef"
		case docs == nil:
			_, err = checker.Check(ctx, policy, upload)
		default:
			var doc document.Document
			if doc, err = checker.Accept(ctx, policy, docs, upload); err == nil {
				att.BlobID, att.MIME = doc.ID, doc.MIME
				blobs = append(blobs, doc.ID)
			}
		}
		var refusal *document.Refusal
		switch {
		case errors.As(err, &refusal):
			att.Quarantined, att.QuarantineReason = true, refusal.Reason
			if refusal.Virus != "" {
				s.log().Warn("inbound: attachment quarantined with a virus", "org", orgID, "virus", refusal.Virus)
			}
		case err != nil:
			return nil, blobs, err
		}
		err = nil
		if att.Quarantined && docs != nil {
			// Kept as received, encrypted, for the handler to judge.
			b, err := docs.Put(ctx, bytes.NewReader(a.Content), a.Filename)
			if err != nil {
				return nil, blobs, err
			}
			att.BlobID = b.ID
			blobs = append(blobs, b.ID)
		}
		out = append(out, att)
	}
	return out, blobs, nil
}

// caseOfMessage finds the case a message belongs to: a letter we sent
// that it replies to, our reply token, or a case number in its subject;
// "" when none of the organisation's cases is named.
func (s *Service) caseOfMessage(ctx context.Context, orgID string, m *mailin.Message) (string, error) {
	ids := append([]string(nil), m.InReplyTo...)
	for i := len(m.References) - 1; i >= 0; i-- {
		ids = append(ids, m.References[i])
	}
	for _, id := range ids {
		number, ok, err := s.store.CaseOfLetterMessageID(ctx, orgID, id)
		if err != nil || ok {
			return number, err
		}
	}
	var candidates []string
	if tok, ok := m.ReplyToken(); ok && tok.OrgID == orgID {
		candidates = append(candidates, tok.CaseNumber)
	}
	if n, ok := mailin.CaseNumberIn(m.Subject); ok {
		candidates = append(candidates, n)
	}
	for _, n := range candidates {
		_, _, err := s.store.GetCase(ctx, orgID, n)
		switch {
		case err == nil:
			return n, nil
		case apperr.CodeOf(err) != apperr.NotFound:
			return "", err
		}
	}
	return "", nil
}

// attachToCase stores the message as attached to the case and appends
// message_received, in one transaction. An archived case is a conflict.
func (s *Service) attachToCase(ctx context.Context, orgID, number string, in store.Inbound) (store.Inbound, bool, error) {
	rec, _, err := s.store.GetCase(ctx, orgID, number)
	if err != nil {
		return store.Inbound{}, false, err
	}
	r, err := s.caseRegulation(ctx, orgID, rec)
	if err != nil {
		return store.Inbound{}, false, err
	}
	now := s.Now()
	from := in.FromAddr
	if in.FromName != "" {
		from = mailin.Address{Name: in.FromName, Email: in.FromAddr}.String()
	}
	return s.store.InsertInboundToCase(ctx, orgID, number, in, func(history []complaint.Event, inboundID string) ([]complaint.Event, store.Projection, error) {
		st, err := complaint.Fold(history)
		if err != nil {
			return nil, store.Projection{}, err
		}
		if st.ErasedOn != nil {
			return nil, store.Projection{}, apperr.New(apperr.Conflict, "case %s was erased", number).WithReason("erased")
		}
		if st.Phase == complaint.PhaseArchived {
			return nil, store.Projection{}, apperr.New(apperr.Conflict, "case %s is archived", number).WithReason("archived")
		}
		ev := complaint.MessageReceived(now, complaint.MessageReceivedPayload{
			InboundID: inboundID, MessageID: in.MessageID, From: from, Subject: in.Subject,
			ReceivedAt: in.ReceivedAt.UTC(), Attachments: len(in.Attachments),
		})
		ev.Seq = st.LastSeq + 1
		if st, err = complaint.Apply(st, ev); err != nil {
			return nil, store.Projection{}, err
		}
		return []complaint.Event{ev}, project(&st, r, calendar.FromTime(now)), nil
	})
}

// Inbox lists the organisation's inbound messages in a state ("" for all).
func (s *Service) Inbox(ctx context.Context, orgID string, caller complaint.Caller, state store.InboundState) ([]store.Inbound, error) {
	if err := mayTriage(caller); err != nil {
		return nil, err
	}
	return s.store.ListInbox(ctx, orgID, state)
}

// InboundMessage returns one inbound message.
func (s *Service) InboundMessage(ctx context.Context, orgID, id string, caller complaint.Caller) (store.Inbound, error) {
	if err := mayTriage(caller); err != nil {
		return store.Inbound{}, err
	}
	return s.store.GetInbound(ctx, orgID, id)
}

// TriageInput is the decision on a message on the triage list.
type TriageInput struct {
	// As is complaint, remark or not_complaint.
	As string `json:"as"`
	// Reason says why; required for not_complaint.
	Reason string `json:"reason,omitempty"`
	// Intake completes what the e-mail does not say (the fields the
	// regulation requires, such as the incident date) for a complaint or a
	// remark. Its channel and date of receipt are ignored: e-mail, and the
	// day the message arrived. An empty complainant is taken from the From
	// header, empty facts from the subject and body.
	Intake *complaint.Intake `json:"intake,omitempty"`
}

// TriageResult is a triaged message with the case it opened, if any.
type TriageResult struct {
	Message store.Inbound `json:"message"`
	Case    *CaseView     `json:"case,omitempty"`
}

// mayTriage: receivers, handlers, the board and administrators triage.
func mayTriage(c complaint.Caller) error {
	for _, r := range []reglement.Role{reglement.RoleReceiver, reglement.RoleHandler, reglement.RoleBoard, reglement.RoleAdmin} {
		if c.Has(r) {
			return nil
		}
	}
	return apperr.New(apperr.Forbidden, "only receivers, handlers, the board and administrators see and triage incoming mail")
}

// TriageInbound records a person's decision on a message waiting on the
// triage list. A complaint opens a case on the channel e-mail whose date
// of receipt is the day the message arrived (its clock runs from then,
// not from the triage); a remark opens a remark where the regulation
// knows remarks; not_complaint needs a reason. The attachments that
// passed the evidence checks are recorded on the new case as documents.
//
// Opening the case and marking the message are two transactions: the
// case is created with the idempotency key inbound:{id} and its documents
// carry the ids inbound:{id}/{position}, so a retry after a crash in
// between finds the case and the documents and only marks the message.
func (s *Service) TriageInbound(ctx context.Context, orgID, id string, caller complaint.Caller, in TriageInput) (TriageResult, error) {
	if err := mayTriage(caller); err != nil {
		return TriageResult{}, err
	}
	as := store.InboundState(in.As)
	reason := strings.TrimSpace(in.Reason)
	switch as {
	case store.InboundComplaint, store.InboundRemark:
	case store.InboundNotComplaint:
		if reason == "" {
			return TriageResult{}, apperr.Field("reason", "say why the message is not a complaint")
		}
	default:
		return TriageResult{}, apperr.Field("as", "unknown choice %q; expected complaint, remark or not_complaint", in.As)
	}
	m, err := s.store.GetInbound(ctx, orgID, id)
	if err != nil {
		return TriageResult{}, err
	}
	if m.State != store.InboundToTriage && (m.State != as || m.CaseNumber == "" && as != store.InboundNotComplaint) {
		return TriageResult{}, apperr.New(apperr.Conflict, "the message was triaged already (%s)", m.State).WithReason("already_triaged")
	}
	tr := store.Triage{State: as, Reason: reason, By: caller.Name}
	var view *CaseView
	if as != store.InboundNotComplaint {
		if m.AutoReplyReason != "" {
			return TriageResult{}, apperr.New(apperr.Conflict, "an automatic reply (%s) never opens a case", m.AutoReplyReason).WithReason("auto_reply")
		}
		v, err := s.caseFromInbound(ctx, orgID, m, caller, in.Intake, as == store.InboundRemark)
		if err != nil {
			return TriageResult{}, err
		}
		view, tr.CaseNumber = &v, v.Number
	}
	out, err := s.store.TriageInbound(ctx, orgID, id, tr)
	if err != nil {
		return TriageResult{}, err
	}
	return TriageResult{Message: out, Case: view}, nil
}

// caseFromInbound opens the case of a message triaged as a complaint or a
// remark, with its accepted attachments as documents.
func (s *Service) caseFromInbound(ctx context.Context, orgID string, m store.Inbound, caller complaint.Caller, base *complaint.Intake, remark bool) (CaseView, error) {
	var it complaint.Intake
	if base != nil {
		it = *base
	}
	it.Channel = reglement.ChannelEmail
	it.ReceivedOn = calendar.FromTime(m.ReceivedAt.In(s.loc))
	if strings.TrimSpace(it.Complainant.Name) == "" {
		it.Complainant.Name = cmpOr(m.FromName, m.FromAddr)
	}
	if strings.TrimSpace(it.Complainant.Email) == "" {
		it.Complainant.Email = m.FromAddr
	}
	if strings.TrimSpace(it.Facts) == "" {
		it.Facts = strings.TrimSpace(strings.TrimSpace(m.Subject) + "\n\n" + strings.TrimSpace(m.Text))
	}
	view, _, err := s.CreateCase(ctx, orgID, caller, complaint.NewComplaint{Intake: it, RecordAsRemark: remark}, "inbound:"+m.ID)
	if err != nil {
		return CaseView{}, err
	}
	if err := s.addInboundDocuments(ctx, orgID, view.Number, m, caller); err != nil {
		return CaseView{}, err
	}
	return s.Case(ctx, orgID, view.Number, caller)
}

// addInboundDocuments records the message's accepted attachments on the
// case as documents, those recorded before excepted. They are part of the
// intake, recorded for the person who triaged, who need not be a case
// worker: the events are written as add_document writes them, without
// its role check.
func (s *Service) addInboundDocuments(ctx context.Context, orgID, number string, m store.Inbound, caller complaint.Caller) error {
	if !slices.ContainsFunc(m.Attachments, func(a store.InboundAttachment) bool { return !a.Quarantined }) {
		return nil
	}
	rec, _, err := s.store.GetCase(ctx, orgID, number)
	if err != nil {
		return err
	}
	r, err := s.caseRegulation(ctx, orgID, rec)
	if err != nil {
		return err
	}
	now := s.Now()
	_, err = s.store.UpdateCase(ctx, orgID, number, func(history []complaint.Event) ([]complaint.Event, store.Projection, error) {
		have := map[string]bool{}
		for _, e := range history {
			if e.Type == complaint.EvDocumentAdded {
				var p complaint.DocumentPayload
				if json.Unmarshal(e.Payload, &p) == nil {
					have[p.DocumentID] = true
				}
			}
		}
		st, err := complaint.Fold(history)
		if err != nil {
			return nil, store.Projection{}, err
		}
		var added []complaint.Event
		for _, a := range m.Attachments {
			docID := "inbound:" + m.ID + "/" + strconv.Itoa(a.Position)
			if a.Quarantined || have[docID] {
				continue
			}
			payload, _ := json.Marshal(complaint.DocumentPayload{DocumentID: docID, Name: a.Name, Kind: "email_attachment",
				Note: "attachment of the e-mail of " + m.ReceivedAt.In(s.loc).Format("2006-01-02 15:04")})
			ev := complaint.Event{Seq: st.LastSeq + 1, Type: complaint.EvDocumentAdded, Actor: caller.Actor, At: now.UTC(), Payload: payload}
			if st, err = complaint.Apply(st, ev); err != nil {
				return nil, store.Projection{}, err
			}
			added = append(added, ev)
		}
		return added, project(&st, r, calendar.FromTime(now)), nil
	})
	return err
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// ComplaintAddressOrg returns the organisation whose complaint address
// (letters.complaint_email in its settings, else its regulation's contact
// e-mail) is address; ok is false when it is nobody's. It reads the store
// on every call, so that a changed address counts at once.
func (s *Service) ComplaintAddressOrg(ctx context.Context, address string) (orgID string, ok bool, err error) {
	address = strings.ToLower(strings.TrimSpace(address))
	orgs, err := s.store.ListOrganisations(ctx)
	if err != nil {
		return "", false, err
	}
	for _, o := range orgs {
		l, err := s.LetterSettings(ctx, o.ID)
		if err != nil {
			return "", false, err
		}
		if l.ComplaintEmail != "" && strings.ToLower(l.ComplaintEmail) == address {
			return o.ID, true, nil
		}
	}
	return "", false, nil
}
