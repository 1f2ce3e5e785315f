package store_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestOrganisations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		o, err := b.st.CreateOrganisation(b.ctx, store.Organisation{
			ID: "smartplus", Name: "SmartPlus B.V.", ReglementID: "smartplus-2024",
			Settings: json.RawMessage(`{"calendar":"nl"}`),
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.st.GetOrganisation(b.ctx, "smartplus")
		if err != nil || got.Name != o.Name || got.ReglementID != "smartplus-2024" {
			t.Fatalf("GetOrganisation = %+v, %v", got, err)
		}
		var settings map[string]string
		if err := json.Unmarshal(got.Settings, &settings); err != nil || settings["calendar"] != "nl" {
			t.Fatalf("settings = %s", got.Settings)
		}
		got.Name = "SmartPlus"
		if _, err := b.st.UpdateOrganisation(b.ctx, got); err != nil {
			t.Fatal(err)
		}
		orgs, err := b.st.ListOrganisations(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, o := range orgs {
			names = append(names, o.ID+"="+o.Name)
		}
		if want := []string{"org-a=Organisation org-a", "org-b=Organisation org-b", "smartplus=SmartPlus"}; !slices.Equal(names, want) {
			t.Fatalf("ListOrganisations = %v, want %v", names, want)
		}

		for _, tt := range []struct {
			name string
			err  error
			want apperr.Code
		}{
			{"an id in use", second(b.st.CreateOrganisation(b.ctx, store.Organisation{ID: "smartplus", Name: "Other"})), apperr.Conflict},
			{"an id with capitals", second(b.st.CreateOrganisation(b.ctx, store.Organisation{ID: "SmartPlus", Name: "X"})), apperr.Invalid},
			{"no name", second(b.st.CreateOrganisation(b.ctx, store.Organisation{ID: "x"})), apperr.Invalid},
			{"settings that are not JSON", second(b.st.CreateOrganisation(b.ctx, store.Organisation{ID: "x", Name: "X", Settings: json.RawMessage(`{`)})), apperr.Invalid},
			{"an unknown organisation", second(b.st.GetOrganisation(b.ctx, "nobody")), apperr.NotFound},
			{"updating an unknown organisation", second(b.st.UpdateOrganisation(b.ctx, store.Organisation{ID: "nobody", Name: "X"})), apperr.NotFound},
		} {
			if got := apperr.CodeOf(tt.err); got != tt.want {
				t.Errorf("%s: code %q (%v), want %q", tt.name, got, tt.err, tt.want)
			}
		}
	})
}

// second returns the error of a call that returns a value and an error.
func second[T any](_ T, err error) error { return err }
