package store_test

import (
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestRegulations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		r1, err := b.st.SaveRegulation(b.ctx, b.orgA, store.Regulation{ValidFrom: calendar.D(2024, 1, 1), YAML: "id: a\n"})
		if err != nil || r1.Version != 1 {
			t.Fatalf("first SaveRegulation = %+v, %v", r1, err)
		}
		r2, err := b.st.SaveRegulation(b.ctx, b.orgA, store.Regulation{ValidFrom: calendar.D(2026, 7, 1), YAML: "id: a\nversion: 2\n"})
		if err != nil || r2.Version != 2 {
			t.Fatalf("second SaveRegulation = %+v, %v", r2, err)
		}
		_, err = b.st.SaveRegulation(b.ctx, b.orgA, store.Regulation{Version: 2, ValidFrom: calendar.D(2027, 1, 1), YAML: "x"})
		wantCode(t, err, apperr.Conflict)
		_, err = b.st.SaveRegulation(b.ctx, b.orgA, store.Regulation{YAML: "x"})
		wantCode(t, err, apperr.Invalid)
		_, err = b.st.SaveRegulation(b.ctx, "nobody", store.Regulation{ValidFrom: calendar.D(2026, 1, 1), YAML: "x"})
		wantCode(t, err, apperr.NotFound)

		regs, err := b.st.Regulations(b.ctx, b.orgA)
		if err != nil || len(regs) != 2 || regs[0] != r1 || regs[1] != r2 {
			t.Fatalf("Regulations = %+v, %v", regs, err)
		}
		if regs, err := b.st.Regulations(b.ctx, b.orgB); err != nil || len(regs) != 0 {
			t.Fatalf("Regulations of B = %+v, %v", regs, err)
		}
	})
}
