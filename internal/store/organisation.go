package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/gegrond/gegrond/internal/apperr"
)

// Organisation is a re-integration company using Gegrond: a tenant.
type Organisation struct {
	// ID is a short name used in URLs: lower-case letters, digits and
	// dashes, such as "smartplus".
	ID string
	// Name is the organisation's name as shown to people.
	Name string
	// ReglementID names the preset regulation the organisation started
	// from.
	ReglementID string
	// Settings is the organisation's settings as JSON; empty is {}.
	Settings json.RawMessage
}

// orgIDPattern is what an organisation id may look like.
var orgIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

func checkOrganisation(o Organisation) (Organisation, error) {
	if !orgIDPattern.MatchString(o.ID) {
		return o, apperr.New(apperr.Invalid, "organisation id %q must be lower-case letters, digits and dashes (at most 63)", o.ID)
	}
	if o.Name == "" {
		return o, apperr.New(apperr.Invalid, "the organisation has no name")
	}
	if len(o.Settings) == 0 {
		o.Settings = json.RawMessage(`{}`)
	}
	if !json.Valid(o.Settings) {
		return o, apperr.New(apperr.Invalid, "the settings of organisation %q are not valid JSON", o.ID)
	}
	return o, nil
}

// CreateOrganisation stores a new organisation. An id in use is a Conflict.
func (s *Store) CreateOrganisation(ctx context.Context, o Organisation) (Organisation, error) {
	o, err := checkOrganisation(o)
	if err != nil {
		return Organisation{}, err
	}
	err = s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO organisations (id, name, reglement_id, settings) VALUES (?, ?, ?, ?)`,
			o.ID, o.Name, o.ReglementID, string(o.Settings))
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "organisation %q exists already", o.ID)
		}
		return err
	})
	if err != nil {
		return Organisation{}, wrap("create organisation", err)
	}
	return o, nil
}

// UpdateOrganisation changes the name, regulation preset and settings of an
// organisation.
func (s *Store) UpdateOrganisation(ctx context.Context, o Organisation) (Organisation, error) {
	o, err := checkOrganisation(o)
	if err != nil {
		return Organisation{}, err
	}
	err = s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE organisations SET name = ?, reglement_id = ?, settings = ? WHERE id = ?`,
			o.Name, o.ReglementID, string(o.Settings), o.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return apperr.New(apperr.NotFound, "organisation %q does not exist", o.ID)
		}
		return err
	})
	if err != nil {
		return Organisation{}, wrap("update organisation", err)
	}
	return o, nil
}

// SetOrganisationSetting replaces one top-level key of an organisation's
// settings JSON with value (null removes it), reading and writing in one
// transaction so that a concurrent change to another key is kept.
func (s *Store) SetOrganisationSetting(ctx context.Context, orgID, key string, value json.RawMessage) error {
	if !json.Valid(value) {
		return apperr.New(apperr.Invalid, "the setting %q is not valid JSON", key)
	}
	err := s.write(ctx, func(t *tx) error {
		var raw []byte
		err := t.queryRow(ctx, `SELECT settings FROM organisations WHERE id = ?`+t.d.forUpdate(), orgID).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "organisation %q does not exist", orgID)
		}
		if err != nil {
			return err
		}
		settings := map[string]json.RawMessage{}
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &settings); err != nil {
				return fmt.Errorf("settings of %s: %w", orgID, err)
			}
		}
		if string(value) == "null" {
			delete(settings, key)
		} else {
			settings[key] = value
		}
		out, err := json.Marshal(settings)
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `UPDATE organisations SET settings = ? WHERE id = ?`, string(out), orgID)
		return err
	})
	return wrap("set organisation setting", err)
}

// GetOrganisation returns the organisation with the id.
func (s *Store) GetOrganisation(ctx context.Context, orgID string) (Organisation, error) {
	var o Organisation
	err := s.read(ctx, func(t *tx) error {
		var err error
		o, err = scanOrganisation(t.queryRow(ctx, `SELECT id, name, reglement_id, settings FROM organisations WHERE id = ?`, orgID))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "organisation %q does not exist", orgID)
		}
		return err
	})
	if err != nil {
		return Organisation{}, wrap("get organisation", err)
	}
	return o, nil
}

// ListOrganisations returns all organisations by id.
func (s *Store) ListOrganisations(ctx context.Context) ([]Organisation, error) {
	var orgs []Organisation
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT id, name, reglement_id, settings FROM organisations ORDER BY id`)
		if err != nil {
			return err
		}
		orgs, err = collect(rows, scanOrganisation)
		return err
	})
	if err != nil {
		return nil, wrap("list organisations", err)
	}
	return orgs, nil
}

func scanOrganisation(row scanner) (Organisation, error) {
	var (
		o        Organisation
		settings []byte
	)
	err := row.Scan(&o.ID, &o.Name, &o.ReglementID, &settings)
	o.Settings = json.RawMessage(settings)
	return o, err
}
