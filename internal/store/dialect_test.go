package store

import "testing"

func TestRebind(t *testing.T) {
	t.Parallel()
	pg := &dialect{engine: enginePostgres}
	lite := &dialect{engine: engineSQLite}
	tests := []struct{ name, in, want string }{
		{"placeholders numbered in order", `SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{"a ? in a string literal is left alone", `SELECT '?' WHERE x = ?`, `SELECT '?' WHERE x = $1`},
		{"a ? in a quoted identifier is left alone", `SELECT "a?" FROM t WHERE x = ?`, `SELECT "a?" FROM t WHERE x = $1`},
		{"an escape clause does not confuse", `WHERE s LIKE ? ESCAPE '\' AND t = ?`, `WHERE s LIKE $1 ESCAPE '\' AND t = $2`},
	}
	for _, tt := range tests {
		if got := pg.rebind(tt.in); got != tt.want {
			t.Errorf("%s: rebind = %q, want %q", tt.name, got, tt.want)
		}
		if got := pg.rebind(tt.in); got != tt.want {
			t.Errorf("%s: cached rebind = %q, want %q", tt.name, got, tt.want)
		}
		if got := lite.rebind(tt.in); got != tt.in {
			t.Errorf("%s: SQLite rebind changed the query to %q", tt.name, got)
		}
	}
}
