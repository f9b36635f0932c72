package account

import (
	"strings"
	"testing"
)

func TestCheckNewPassword(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"", false},
		{"elevenchars", false},
		{"twelve chars", true},
		{strings.Repeat("ő", 12), true}, // characters count, not bytes
		{strings.Repeat("ő", 11), false},
		{strings.Repeat("a", 1024), true},
		{strings.Repeat("a", 1025), false},
	} {
		if err := CheckNewPassword(tc.pw); (err == nil) != tc.ok {
			t.Errorf("CheckNewPassword(%d bytes) = %v, want ok %v", len(tc.pw), err, tc.ok)
		}
	}
}

// A hash opens with its own password only; a hash that is not argon2id in
// the PHC format, or asks for absurd work, opens with nothing.
func TestCheckPassword(t *testing.T) {
	t.Parallel()
	const pw = "anna jelszava 2026"
	hash := HashPassword(pw)
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q: not argon2id with the chosen parameters", hash)
	}
	if again := HashPassword(pw); again == hash {
		t.Error("two hashes of one password are equal: no salt")
	}
	f := strings.Split(hash, "$")
	for _, tc := range []struct {
		name, hash, pw string
		want           bool
	}{
		{"right", hash, pw, true},
		{"wrong", hash, pw + "x", false},
		{"empty password", hash, "", false},
		{"no such user", "", pw, false},
		{"dummy's own password", "", "no such user, no such password", false},
		{"argon2i", strings.Replace(hash, "argon2id", "argon2i", 1), pw, false},
		{"other version", strings.Replace(hash, "v=19", "v=16", 1), pw, false},
		{"memory too large", strings.Replace(hash, "m=19456", "m=2097152", 1), pw, false},
		{"no passes", strings.Replace(hash, "t=2", "t=0", 1), pw, false},
		{"no key", strings.Join(f[:5], "$") + "$", pw, false},
		{"salt not base64", strings.Join(append(f[:4:4], "!!", f[5]), "$"), pw, false},
		{"too few fields", strings.Join(f[:5], "$"), pw, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := CheckPassword(tc.hash, tc.pw); got != tc.want {
				t.Errorf("CheckPassword = %v, want %v", got, tc.want)
			}
		})
	}
}
