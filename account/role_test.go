package account

import "testing"

func TestParseRole(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		want  Role
		ok    bool
		works bool
	}{
		{"operator", Operator, true, true},
		{"supervisor", Supervisor, true, true},
		{"admin", Admin, true, false},
		{"", "", false, false},
		{"Admin", "", false, false},
		{"root", "", false, false},
	} {
		got, err := ParseRole(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseRole(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if w := Role(tc.in).WorksCases(); w != tc.works {
			t.Errorf("%q works cases: %v, want %v", tc.in, w, tc.works)
		}
	}
}
