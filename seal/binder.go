package seal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ConsoleKeyFile is the console key's file name in a key folder.
const ConsoleKeyFile = "console.key"

const consoleKeyLen = 32

// Credential kinds a Binder binds.
const (
	CredentialPassword = "password"
	CredentialTOTP     = "totp"
)

// A Binder binds a user's credentials (the password hash, the sealed
// second-factor secret) to their user id with HMAC-SHA-256 under the
// console key. The console key is held only by the console: not derived
// from the OpenPGP key, which is rotated, nor from the index key, which
// intake holds. So a row written into the users table by anyone else —
// the intake host, a stolen database login — carries no valid MAC and
// logs nobody in; and a hash copied from one user to another does not
// verify either.
type Binder struct{ key []byte }

// GenerateConsoleKey writes a new console key, 32 random bytes as 64 hex
// digits and a newline, into dir as console.key (mode 0600; the folder is
// made 0700 if missing). It never overwrites an existing file.
func GenerateConsoleKey(dir string) (string, error) {
	key := make([]byte, consoleKeyLen)
	rand.Read(key)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("console key: %w", err)
	}
	path := filepath.Join(dir, ConsoleKeyFile)
	if err := writeNewFiles([]newFile{{path, []byte(hex.EncodeToString(key) + "\n")}}); err != nil {
		return "", fmt.Errorf("console key: %w", err)
	}
	return path, nil
}

// LoadBinder reads the console key file GenerateConsoleKey wrote. A file
// that group or others may access is refused.
func LoadBinder(file string) (*Binder, error) {
	data, err := readKeyFile(file, "console key", true)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimRight(string(data), "\r\n"))
	if err != nil || len(key) != consoleKeyLen {
		return nil, fmt.Errorf("console key file %s: want %d hex digits", file, 2*consoleKeyLen)
	}
	return NewBinder(key)
}

// NewBinder makes a Binder of a 32-byte key, for tests and the demo.
func NewBinder(key []byte) (*Binder, error) {
	if len(key) != consoleKeyLen {
		return nil, fmt.Errorf("console key: want %d bytes, got %d", consoleKeyLen, len(key))
	}
	return &Binder{key: append([]byte(nil), key...)}, nil
}

// MAC is the MAC of a credential of kind (CredentialPassword,
// CredentialTOTP) with value for the user userID.
func (b *Binder) MAC(userID int64, kind string, value []byte) []byte {
	m := hmac.New(sha256.New, b.key)
	m.Write([]byte("okit credential\x00" + kind + "\x00"))
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(userID)))
	m.Write(value)
	return m.Sum(nil)
}

// Valid reports whether mac is the MAC of the credential.
func (b *Binder) Valid(userID int64, kind string, value, mac []byte) bool {
	return hmac.Equal(mac, b.MAC(userID, kind, value))
}
