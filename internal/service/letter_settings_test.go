package service_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	pngenc "image/png"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestSaveLetterSettings(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := t.Context()
		// Another setting of the organisation must survive.
		if err := b.st.SetOrganisationSetting(ctx, "acme", "other", json.RawMessage(`{"kept":true}`)); err != nil {
			t.Fatal(err)
		}
		var logo bytes.Buffer
		if err := pngenc.Encode(&logo, image.NewRGBA(image.Rect(0, 0, 40, 20))); err != nil {
			t.Fatal(err)
		}
		in := service.LetterSettings{ComplaintEmail: " Klachten@Acme.NL ", Address: "Stationsplein 1\n3511 AA Utrecht", Lang: "en", ReminderDays: 3,
			Logo: logo.Bytes(), Wording: map[reglement.LetterKind]letter.Wording{
				reglement.LetterAcknowledgement: {Intro: "Dank voor uw bericht."},
				reglement.LetterDecision:        {Intro: "  ", Closing: " "},
			}}
		got, err := b.svc.SaveLetterSettings(ctx, "acme", in)
		if err != nil {
			t.Fatal(err)
		}
		if got.ComplaintEmail != "klachten@acme.nl" || got.Settings.Lang != "en" || got.Settings.ReminderDays != 3 ||
			!bytes.Equal(got.Settings.Logo, logo.Bytes()) || len(got.Settings.Wording) != 1 ||
			got.Settings.Wording[reglement.LetterAcknowledgement].Intro != "Dank voor uw bericht." {
			t.Fatalf("saved %+v", got)
		}
		org, err := b.st.GetOrganisation(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		var kept struct {
			Other struct{ Kept bool } `json:"other"`
		}
		if err := json.Unmarshal(org.Settings, &kept); err != nil || !kept.Other.Kept {
			t.Errorf("another setting was lost: %s", org.Settings)
		}

		long := strings.Repeat("a", letter.MaxWordingChars+1)
		for _, tc := range []struct {
			name  string
			in    service.LetterSettings
			field string
		}{
			{"bad address", service.LetterSettings{ComplaintEmail: "klachten@"}, "complaint_email"},
			{"language", service.LetterSettings{Lang: "de"}, "lang"},
			{"reminders", service.LetterSettings{ReminderDays: 40}, "reminder_days"},
			{"long wording", service.LetterSettings{Wording: map[reglement.LetterKind]letter.Wording{reglement.LetterDecision: {Closing: long}}}, "wording.decision.closing"},
			{"unknown kind", service.LetterSettings{Wording: map[reglement.LetterKind]letter.Wording{"brochure": {Intro: "x"}}}, "wording.brochure"},
			{"logo not png", service.LetterSettings{Logo: []byte("GIF89a....")}, "logo"},
		} {
			_, err := b.svc.SaveLetterSettings(ctx, "acme", tc.in)
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.Invalid || e.Field != tc.field {
				t.Errorf("%s: %v, want invalid on %s", tc.name, err, tc.field)
			}
		}
		after, err := b.svc.LetterSettings(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if after.Settings.Lang != "en" || after.ComplaintEmail != "klachten@acme.nl" {
			t.Errorf("a refused save changed the settings: %+v", after.Settings)
		}
	})
}
