package store

import (
	"context"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
)

// Regulation is one version of an organisation's complaint regulation.
type Regulation struct {
	// Version numbers the organisation's regulations from 1. SaveRegulation
	// gives the next number when it is 0.
	Version int
	// ValidFrom is the first day the version is in force.
	ValidFrom calendar.Date
	// YAML is the regulation as written (see reglement).
	YAML string
}

// SaveRegulation stores a new version of the organisation's regulation.
// Versions are never overwritten: a case decided under a version must be
// explainable by it later. An existing version is a Conflict.
func (s *Store) SaveRegulation(ctx context.Context, orgID string, r Regulation) (Regulation, error) {
	if r.Version < 0 {
		return Regulation{}, apperr.New(apperr.Invalid, "regulation version %d is negative", r.Version)
	}
	if r.ValidFrom.IsZero() {
		return Regulation{}, apperr.New(apperr.Invalid, "the regulation has no date from which it is valid")
	}
	if r.YAML == "" {
		return Regulation{}, apperr.New(apperr.Invalid, "the regulation is empty")
	}
	err := s.write(ctx, func(t *tx) error {
		if err := orgExists(ctx, t, orgID); err != nil {
			return err
		}
		if r.Version == 0 {
			if err := t.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM regulations WHERE org_id = ?`,
				orgID).Scan(&r.Version); err != nil {
				return err
			}
		}
		_, err := t.exec(ctx, `INSERT INTO regulations (org_id, version, valid_from, yaml) VALUES (?, ?, ?, ?)`,
			orgID, r.Version, dateArg(r.ValidFrom), r.YAML)
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "version %d of the regulation exists already", r.Version)
		}
		return err
	})
	if err != nil {
		return Regulation{}, wrap("save regulation", err)
	}
	return r, nil
}

// Regulations returns all versions of the organisation's regulation by
// version. The caller picks the one in force on a date.
func (s *Store) Regulations(ctx context.Context, orgID string) ([]Regulation, error) {
	var regs []Regulation
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT version, valid_from, yaml FROM regulations WHERE org_id = ? ORDER BY version`, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r Regulation
			if err := rows.Scan(&r.Version, dateColumn{&r.ValidFrom}, &r.YAML); err != nil {
				return err
			}
			regs = append(regs, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap("regulations", err)
	}
	return regs, nil
}
