package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommendation of 19 MiB, two passes, one
// lane — about 30 ms on this project's 2-core machine, so a login costs
// a person nothing and a stolen users table costs a guesser dearly.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// MinPasswordLength is the shortest password okit accepts. Length is what
// counts; no rules about digits or symbols (NIST SP 800-63B).
const MinPasswordLength = 12

// CheckNewPassword says what is wrong with a new password, or nil.
func CheckNewPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return fmt.Errorf("a password needs at least %d characters", MinPasswordLength)
	}
	if len(pw) > 1024 {
		return errors.New("a password may have at most 1024 bytes")
	}
	return nil
}

// HashPassword makes the stored form of a password: argon2id in the PHC
// string format, with its parameters, so they can change later.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// dummyHash is checked against when a user does not exist or has no
// password, so that the answer takes as long as for a wrong password. It
// is made on first use: hashing costs 19 MiB and tens of milliseconds,
// which a command that checks no password should not pay at start.
var dummyHash = sync.OnceValue(func() string { return HashPassword("no such user, no such password") })

// CheckPassword reports whether pw matches the stored hash. An empty hash
// (no such user, or no password set) matches nothing, after as much work
// as a real one.
func CheckPassword(hash, pw string) bool {
	if hash == "" {
		matches(dummyHash(), pw)
		return false
	}
	return matches(hash, pw)
}

// matches reports whether pw hashes to the PHC string hash.
func matches(hash, pw string) bool {
	f := strings.Split(hash, "$")
	if len(f) != 6 || f[1] != "argon2id" {
		return false
	}
	var v, m, t int
	var p uint8
	if _, err := fmt.Sscanf(f[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(f[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m <= 0 || m > 1<<20 || t <= 0 || t > 10 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(f[4])
	key, err2 := b64.DecodeString(f[5])
	if err1 != nil || err2 != nil || len(key) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, uint32(t), uint32(m), p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}
