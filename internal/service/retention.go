package service

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// RetentionCase is a closed case on the data protection officer's list.
type RetentionCase struct {
	Number     string         `json:"number"`
	ClosedOn   *calendar.Date `json:"closed_on,omitempty"`
	ArchivedOn *calendar.Date `json:"archived_on,omitempty"`
	// Ends is the date the retention period ends; nil when the regulation
	// sets no period.
	Ends *calendar.Date `json:"ends,omitempty"`
}

// RetentionOverview is what the data protection officer sees: the closed
// cases whose retention period ended, and, when the regulation sets no
// period, the closed cases nobody can say the end of.
type RetentionOverview struct {
	// Retention is the rule of the regulation in force today, with its
	// source.
	Retention reglement.Retention `json:"retention"`
	// Due are the closed cases, not erased, whose period ended on or
	// before today, oldest first.
	Due []RetentionCase `json:"due"`
	// Undetermined are the closed cases, not erased, when the regulation
	// sets no period ("bewaartermijn niet bepaald").
	Undetermined []RetentionCase `json:"undetermined"`
	// Running counts the closed cases whose period has not ended;
	// Erased those erased already.
	Running int `json:"running"`
	Erased  int `json:"erased"`
}

// mayErase refuses a caller who is neither data protection officer nor
// administrator.
func mayErase(caller complaint.Caller) error {
	if caller.Has(reglement.RoleDPO) || caller.Has(reglement.RoleAdmin) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "only the data protection officer or an administrator sees the retention of case files and erases them").WithReason("erase_forbidden")
}

// Retention lists the organisation's closed cases by their retention,
// under the retention rule of the regulation in force today: it is the
// organisation's current privacy policy, and a period set later applies
// to the cases closed before it.
func (s *Service) Retention(ctx context.Context, orgID string, caller complaint.Caller) (RetentionOverview, error) {
	if err := mayErase(caller); err != nil {
		return RetentionOverview{}, err
	}
	today := s.Today()
	r, _, err := s.Regulation(ctx, orgID, today)
	if err != nil {
		return RetentionOverview{}, err
	}
	ov := RetentionOverview{Retention: r.Retention, Due: []RetentionCase{}, Undetermined: []RetentionCase{}}
	err = s.store.CaseHistories(ctx, orgID, calendar.D(1, 1, 1), calendar.D(9999, 12, 31),
		func(rec store.CaseRecord, events []complaint.Event) error {
			if !rec.Closed {
				return nil
			}
			st, err := complaint.Fold(events)
			if err != nil {
				return err
			}
			if st.ErasedOn != nil {
				ov.Erased++
				return nil
			}
			if st.IsOpen() {
				return nil
			}
			c := RetentionCase{Number: rec.Number, ClosedOn: st.ClosedOn, ArchivedOn: st.ArchivedOn}
			if r.Retention.Period == nil {
				ov.Undetermined = append(ov.Undetermined, c)
				return nil
			}
			end, ok := st.RetentionEnd(r, today)
			if !ok || end.After(today) {
				ov.Running++
				return nil
			}
			c.Ends = &end
			ov.Due = append(ov.Due, c)
			return nil
		})
	if err != nil {
		return RetentionOverview{}, err
	}
	return ov, nil
}

// EraseCase erases the personal data of a case (see complaint.Erase for
// who and when, complaint.Redact for what stays) in one transaction, and
// then deletes its encrypted document files. reason is
// complaint.ErasureRetention or complaint.ErasureRequest; note explains an
// erasure request.
func (s *Service) EraseCase(ctx context.Context, orgID, number string, caller complaint.Caller, reason, note string) (CaseView, error) {
	if err := mayErase(caller); err != nil {
		return CaseView{}, err
	}
	now := s.Now()
	today := calendar.FromTime(now)
	current, _, err := s.Regulation(ctx, orgID, today)
	if err != nil {
		return CaseView{}, err
	}
	rec, _, err := s.store.GetCase(ctx, orgID, number)
	if err != nil {
		return CaseView{}, err
	}
	own, err := s.caseRegulation(ctx, orgID, rec)
	if err != nil {
		return CaseView{}, err
	}
	var files []string
	res, err := s.store.EraseCase(ctx, orgID, number, func(_ store.CaseRecord, history []complaint.Event) (store.Erasure, error) {
		st, err := complaint.Fold(history)
		if err != nil {
			return store.Erasure{}, err
		}
		st.Number = number
		ev, err := complaint.Erase(st, current, reason, note, caller, now)
		if err != nil {
			return store.Erasure{}, err
		}
		er := store.Erasure{Event: ev}
		after := make([]complaint.Event, 0, len(history)+1)
		for _, e := range history {
			p, err := complaint.Redact(e)
			if err != nil {
				return store.Erasure{}, err
			}
			er.Redacted = append(er.Redacted, p)
			e.Payload = p
			after = append(after, e)
			if e.Type == complaint.EvMessageReceived {
				var m complaint.MessageReceivedPayload
				if json.Unmarshal(history[len(after)-1].Payload, &m) == nil && m.InboundID != "" {
					er.InboundIDs = append(er.InboundIDs, m.InboundID)
				}
			}
		}
		for _, d := range st.Documents {
			if ref, ok := strings.CutPrefix(d.DocumentID, inboundDocPrefix); ok {
				msg, _, _ := strings.Cut(ref, "/")
				er.InboundIDs = append(er.InboundIDs, msg)
			} else if d.DocumentID != "" {
				files = append(files, d.DocumentID)
			}
		}
		erased, err := complaint.Fold(append(after, ev))
		if err != nil {
			return store.Erasure{}, err
		}
		erased.Number = number
		er.Projection = project(&erased, own, today)
		return er, nil
	})
	if err != nil {
		return CaseView{}, err
	}
	// The files go after the commit: deleting them first would lose them
	// when the transaction fails. A crash here leaves files no erased
	// payload refers to; document.Store.Sweep with Store.ReferencedBlobs
	// removes them.
	if docs, _ := s.Documents(); docs != nil {
		for _, id := range append(files, res.Blobs...) {
			if err := docs.Delete(id); err != nil {
				slog.Warn("erase case: document file left for the sweep", "org", orgID, "case", number, "file", id, "err", err)
			}
		}
	}
	return s.Case(ctx, orgID, number, caller)
}
