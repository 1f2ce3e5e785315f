package reglement

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

//go:embed presets
var presetFS embed.FS

var presets = sync.OnceValues(func() (map[string]*Reglement, error) {
	out := map[string]*Reglement{}
	files, err := fs.Glob(presetFS, "presets/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := presetFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		r, _, err := Load(data)
		if err != nil {
			return nil, fmt.Errorf("preset %s: %w", f, err)
		}
		if want := strings.TrimSuffix(path.Base(f), ".yaml"); r.ID != want {
			return nil, fmt.Errorf("preset %s has id %q; expected %q", f, r.ID, want)
		}
		out[r.ID] = r
	}
	return out, nil
})

// Presets returns the regulations shipped with Gegrond, ordered by id.
func Presets() ([]*Reglement, error) {
	m, err := presets()
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]*Reglement, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out, nil
}

// Preset returns the shipped regulation with the given id.
func Preset(id string) (*Reglement, error) {
	m, err := presets()
	if err != nil {
		return nil, err
	}
	r, ok := m[id]
	if !ok {
		ids := make([]string, 0, len(m))
		for k := range m {
			ids = append(ids, k)
		}
		slices.Sort(ids)
		return nil, fmt.Errorf("unknown regulation %q; the presets are %s", id, strings.Join(ids, ", "))
	}
	return r, nil
}

// PresetSource returns the YAML text of a preset, for copying and editing.
func PresetSource(id string) ([]byte, error) {
	return presetFS.ReadFile("presets/" + id + ".yaml")
}
