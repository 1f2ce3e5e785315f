package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
)

// Tamper kinds VerifyChain reports.
const (
	// Changed: an event's content no longer matches its hash, or its
	// payload no longer matches its digest.
	Changed = "changed"
	// Removed: an event is missing from the chain.
	Removed = "removed"
	// Reordered: events are stored in another order than they were
	// chained in.
	Reordered = "reordered"
)

// VerifyReport is the outcome of VerifyChain.
type VerifyReport struct {
	// Checked is the number of events read.
	Checked int
	// Intact reports that the chain verified; the fields below are then
	// empty.
	Intact bool
	// Kind is Changed, Removed or Reordered.
	Kind string
	// OrgSeq is the place in the organisation's chain where the problem
	// shows; CaseID, CaseNumber and Seq name the event there, when there
	// is one.
	OrgSeq     int64
	CaseID     string
	CaseNumber string
	Seq        int
	// Message says what was found, for a person.
	Message string
}

// VerifyChain checks the organisation's event log against its hash chain,
// in org_seq order, and reports the first changed, removed or reordered
// event. It also checks that the organisation's chain head is the last
// event. Erased payloads are not compared with their digest: erasure
// keeps the digest so that the rest of the chain still verifies; an
// erased payload must instead be followed, in its case, by the
// case_erased event that EraseCase appends with it, so an erasure faked
// by writing to the database shows.
//
// A found problem is a report, not an error; an error means the check
// could not be done.
func (s *Store) VerifyChain(ctx context.Context, orgID string) (VerifyReport, error) {
	var rep VerifyReport
	err := s.read(ctx, func(t *tx) error {
		head, err := readHead(ctx, t, orgID)
		if err != nil {
			return err
		}
		rep, err = verifyChain(ctx, t, head)
		return err
	})
	if err != nil {
		return VerifyReport{}, wrap("verify chain", err)
	}
	return rep, nil
}

// readHead reads the organisation's chain head without locking it.
func readHead(ctx context.Context, t *tx, orgID string) (chainHead, error) {
	h := chainHead{orgID: orgID}
	err := t.queryRow(ctx, `SELECT last_event_seq, last_hash FROM organisations WHERE id = ?`, orgID).Scan(&h.orgSeq, &h.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return h, apperr.New(apperr.NotFound, "organisation %q does not exist", orgID)
	}
	return h, err
}

// storedEvent is an event row as VerifyChain reads it.
type storedEvent struct {
	link
	payload []byte
	salt    string
	erased  bool
	hash    string
	// number is the case's number, looked up for messages.
	number string
}

// String names the event for a person.
func (e storedEvent) String() string {
	c := e.number
	if c == "" {
		c = e.caseID
	}
	return fmt.Sprintf("event %d of the organisation (case %s, event %d, %s)", e.orgSeq, c, e.seq, e.typ)
}

// check names the check an event failed, for explaining it once the log
// is no longer being read.
type check int

const (
	checkPassed check = iota
	checkOrgSeq
	checkLink
	checkHash
	checkDigest
	checkCaseSeq
	checkErasure
)

func verifyChain(ctx context.Context, t *tx, head chainHead) (VerifyReport, error) {
	rep, failed, e, last, err := walkChain(ctx, t, head)
	if err != nil || failed == checkPassed {
		return rep, err
	}
	// The explanations below query the database again, which a
	// connection can only do once the walk's rows are closed.
	err = t.queryRow(ctx, `SELECT number FROM cases WHERE id = ?`, e.caseID).Scan(&e.number)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return VerifyReport{}, err
	}
	problem := func(kind string, format string, args ...any) (VerifyReport, error) {
		rep.Kind, rep.OrgSeq, rep.CaseID, rep.CaseNumber, rep.Seq = kind, e.orgSeq, e.caseID, e.number, e.seq
		rep.Message = fmt.Sprintf(format, args...)
		return rep, nil
	}
	switch failed {
	case checkOrgSeq:
		// Reported at the first missing place; the event there is gone.
		rep.Kind, rep.OrgSeq = Removed, last.orgSeq+1
		if e.orgSeq == last.orgSeq+2 {
			rep.Message = fmt.Sprintf("event %d of the organisation is missing: the log jumps from %d to %d",
				last.orgSeq+1, last.orgSeq, e.orgSeq)
		} else {
			rep.Message = fmt.Sprintf("events %d to %d of the organisation are missing: the log jumps from %d to %d",
				last.orgSeq+1, e.orgSeq-1, last.orgSeq, e.orgSeq)
		}
		return rep, nil
	case checkLink:
		// The event was chained after another one. If that one is still in
		// the log, the events were moved; if not, it was removed (or
		// rewritten, which leaves its old hash nowhere either).
		at, ok, err := eventWithHash(ctx, t, head.orgID, e.prevHash)
		if err != nil {
			return VerifyReport{}, err
		}
		if ok {
			return problem(Reordered, "%s was chained after event %d of the organisation but is stored after event %d",
				e, at, last.orgSeq)
		}
		return problem(Removed, "%s was chained after an event that is no longer in the log: an event before it was removed or rewritten", e)
	case checkHash:
		// An event renumbered within its case still hashes under its old
		// number: that is a reordering, anything else a change.
		var maxSeq int
		if err := t.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events WHERE case_id = ?`, e.caseID).Scan(&maxSeq); err != nil {
			return VerifyReport{}, err
		}
		for seq := 1; seq <= maxSeq+1; seq++ {
			l := e.link
			l.seq = seq
			if seq != e.seq && l.hash() == e.hash {
				return problem(Reordered, "%s was written as event %d of its case: the events of the case were reordered", e, seq)
			}
		}
		return problem(Changed, "%s was changed: its content no longer matches its hash", e)
	case checkDigest:
		return problem(Changed, "the payload of %s was changed: it no longer matches its digest", e)
	case checkCaseSeq:
		prevSeq := last.caseSeq
		at, ok, err := caseEventAt(ctx, t, e.caseID, prevSeq+1)
		if err != nil {
			return VerifyReport{}, err
		}
		if e.seq <= prevSeq || ok {
			return problem(Reordered, "%s is stored after event %d of the same case (event %d of the case is at %d of the organisation)",
				e, prevSeq, prevSeq+1, at)
		}
		return problem(Removed, "%s follows event %d of the same case: events in between are missing", e, prevSeq)
	case checkErasure:
		return problem(Changed, "the payload of %s is marked erased, but its case records no erasure (case_erased) after it: it was changed outside Gegrond's erasure", e)
	}
	return VerifyReport{}, fmt.Errorf("unknown check %d", failed)
}

// walkPosition is where the walk stands: the last event that verified, and
// for a failed event the last number seen of its case.
type walkPosition struct {
	orgSeq  int64
	hash    string
	caseSeq int
}

// walkChain reads the organisation's events in org_seq order and checks
// each, stopping at the first that fails; checkPassed means the whole log
// verified, and rep is then complete (with the chain head compared).
func walkChain(ctx context.Context, t *tx, head chainHead) (rep VerifyReport, failed check, e storedEvent, last walkPosition, err error) {
	rows, err := t.query(ctx, `SELECT case_id, seq, org_seq, type, actor, at, payload, payload_salt, payload_digest,
		erased, prev_hash, hash FROM events WHERE org_id = ? ORDER BY org_seq`, head.orgID)
	if err != nil {
		return rep, failed, e, last, err
	}
	defer rows.Close()
	caseSeq := map[string]int{} // last seq seen per case
	// An erased payload is only sanctioned by a case_erased event later in
	// its case (EraseCase writes both in one transaction): per case, the
	// last erased event and the seq of its case_erased.
	erasedLast := map[string]storedEvent{}
	erasureSeq := map[string]int{}
	for rows.Next() {
		e = storedEvent{link: link{orgID: head.orgID}}
		if err := rows.Scan(&e.caseID, &e.seq, &e.orgSeq, &e.typ, &e.actor, timeColumn{&e.at}, &e.payload, &e.salt,
			&e.payloadDigest, &e.erased, &e.prevHash, &e.hash); err != nil {
			return rep, failed, e, last, err
		}
		rep.Checked++
		last.caseSeq = caseSeq[e.caseID]
		switch {
		case e.orgSeq != last.orgSeq+1:
			failed = checkOrgSeq
		case e.prevHash != last.hash:
			failed = checkLink
		case e.link.hash() != e.hash:
			failed = checkHash
		case !e.erased && !e.digestMatches():
			failed = checkDigest
		case e.seq != last.caseSeq+1:
			failed = checkCaseSeq
		}
		if failed != checkPassed {
			return rep, failed, e, last, nil
		}
		caseSeq[e.caseID] = e.seq
		last.orgSeq, last.hash = e.orgSeq, e.hash
		if e.erased {
			erasedLast[e.caseID] = e
		}
		if e.typ == string(complaint.EvCaseErased) {
			erasureSeq[e.caseID] = e.seq
		}
	}
	if err := rows.Err(); err != nil {
		return rep, failed, e, last, err
	}
	var unsanctioned *storedEvent
	for caseID, er := range erasedLast {
		if er.seq >= erasureSeq[caseID] && (unsanctioned == nil || er.orgSeq < unsanctioned.orgSeq) {
			unsanctioned = &er
		}
	}
	if unsanctioned != nil {
		return rep, checkErasure, *unsanctioned, last, nil
	}
	switch {
	case head.orgSeq > last.orgSeq:
		rep.Kind, rep.OrgSeq = Removed, last.orgSeq+1
		rep.Message = fmt.Sprintf("the log ends at event %d of the organisation, but %d events were written: the last ones were removed",
			last.orgSeq, head.orgSeq)
	case head.orgSeq != last.orgSeq || head.hash != last.hash:
		rep.Kind, rep.OrgSeq = Changed, last.orgSeq
		rep.Message = fmt.Sprintf("the organisation's chain head (event %d) does not match the last event in the log (event %d)",
			head.orgSeq, last.orgSeq)
	default:
		rep.Intact = true
	}
	return rep, checkPassed, e, last, nil
}

// digestMatches reports whether the payload still matches its digest.
func (e storedEvent) digestMatches() bool {
	salt, err := hex.DecodeString(e.salt)
	return err == nil && payloadDigest(salt, e.payload) == e.payloadDigest
}

// eventWithHash returns the org_seq of the organisation's event with the
// hash. It scans the log: it runs only once a problem has been found.
func eventWithHash(ctx context.Context, t *tx, orgID, hash string) (int64, bool, error) {
	if hash == "" {
		return 0, false, nil
	}
	var orgSeq int64
	err := t.queryRow(ctx, `SELECT org_seq FROM events WHERE org_id = ? AND hash = ?`, orgID, hash).Scan(&orgSeq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return orgSeq, err == nil, err
}

// caseEventAt returns the org_seq of event seq of a case. Like
// eventWithHash it runs only once a problem has been found.
func caseEventAt(ctx context.Context, t *tx, caseID string, seq int) (int64, bool, error) {
	var orgSeq int64
	err := t.queryRow(ctx, `SELECT org_seq FROM events WHERE case_id = ? AND seq = ?`, caseID, seq).Scan(&orgSeq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return orgSeq, err == nil, err
}
