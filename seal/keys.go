package seal

import (
	"crypto"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/ProtonMail/go-crypto/openpgp/s2k"
	pgp "github.com/ProtonMail/gopenpgp/v2/crypto"
)

// KeyType is the kind of OpenPGP key GenerateKeys makes.
type KeyType string

const (
	// Curve25519 is an Ed25519 primary key with an X25519 encryption subkey:
	// small, fast, and the default.
	Curve25519 KeyType = "x25519"
	// RSA4096 is a 4096-bit RSA key, for organisations whose policy or
	// tooling requires RSA. Generating it takes seconds, opening is ~50x slower.
	RSA4096 KeyType = "rsa"
)

// File names GenerateKeys writes inside its directory.
const (
	PublicKeyFile  = "public.asc"
	PrivateKeyFile = "private.asc"
	IndexKeyFile   = "index.key"
)

// MinPassphraseLen is the shortest passphrase GenerateKeys accepts, in bytes.
const MinPassphraseLen = 12

// s2kCount is the number of bytes hashed to turn the passphrase into the key
// that protects private.asc: the largest count OpenPGP can encode, ~60 ms
// here. gopenpgp's Key.Lock uses 65536, cheap enough to make guessing a
// stolen backup's passphrase ~1000 times faster. This is what GnuPG's own
// calibration arrives at on current hardware, so gpg can still read the file.
const s2kCount = 65011712

// Paths are the files GenerateKeys wrote.
type Paths struct {
	Public  string // armored public key: intake, console, reply worker
	Private string // armored private key, locked with the passphrase: console, reply worker
	Index   string // index key for keyed digests: 64 hex digits and a newline
}

// GenerateKeys creates a new organisation key pair and index key in dir
// (created with mode 0700 if missing): public.asc, private.asc locked with
// passphrase, and index.key, 32 random bytes written as 64 lower-case hex
// digits and a newline (hex, so an administrator can compare or copy it by
// eye). All three files get mode 0600.
//
// It never overwrites: if any of the files exists, it returns an error
// naming it and writes nothing. Keep a copy of private.asc and index.key in a
// safe place; without the private key and passphrase nothing sealed can ever
// be read again, and without the index key lookups by sender stop working.
func GenerateKeys(dir string, kind KeyType, name, email string, passphrase []byte) (Paths, error) {
	paths := GenerationFiles(dir, 1)
	if kind == "" {
		kind = Curve25519
	}
	switch kind {
	case Curve25519, RSA4096:
	default:
		return Paths{}, fmt.Errorf("generate keys: unknown key type %q (want %q or %q)", kind, Curve25519, RSA4096)
	}
	if len(passphrase) == 0 {
		return Paths{}, errors.New("generate keys: a passphrase is required to protect the private key")
	}
	if len(passphrase) < MinPassphraseLen {
		return Paths{}, fmt.Errorf("generate keys: passphrase too short: use at least %d characters", MinPassphraseLen)
	}
	if name == "" && email == "" {
		return Paths{}, errors.New("generate keys: give a name or an email address for the key")
	}
	// Check all three before the slow key generation, so a mistake is
	// reported at once and nothing is written. O_EXCL below closes the race.
	for _, p := range []string{paths.Public, paths.Private, paths.Index} {
		if _, err := os.Lstat(p); err == nil {
			return Paths{}, fmt.Errorf("generate keys: %s already exists; refusing to overwrite it", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return Paths{}, fmt.Errorf("generate keys: %w", err)
		}
	}

	if err := generate(paths, kind, name, email, passphrase, 1); err != nil {
		return Paths{}, fmt.Errorf("generate keys: %w", err)
	}
	return paths, nil
}

// generate makes a key pair and an index key of version, and writes them
// to paths, creating the folder if need be.
func generate(paths Paths, kind KeyType, name, email string, passphrase []byte, version int) error {
	bits := 0
	if kind == RSA4096 {
		bits = 4096
	}
	key, err := pgp.GenerateKey(name, email, string(kind), bits)
	if err != nil {
		return err
	}
	public, err := key.GetArmoredPublicKey()
	if err != nil {
		return fmt.Errorf("armor public key: %w", err)
	}
	private, err := lockAndArmor(key, passphrase)
	if err != nil {
		return err
	}
	index := make([]byte, indexKeyLen)
	if _, err := rand.Read(index); err != nil {
		return fmt.Errorf("index key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(paths.Public), 0o700); err != nil {
		return err
	}
	return writeNewFiles([]newFile{
		{paths.Index, []byte(formatIndexKey(index, version))},
		{paths.Private, []byte(private)},
		{paths.Public, []byte(public)},
	})
}

// lockAndArmor encrypts the private key material of a freshly generated key
// with the passphrase and armors it. It does what gopenpgp's Key.Lock does,
// with a stronger passphrase hashing (see s2kCount).
func lockAndArmor(key *pgp.Key, passphrase []byte) (string, error) {
	entity := key.GetEntity()
	keys := []*packet.PrivateKey{entity.PrivateKey}
	for _, sub := range entity.Subkeys {
		keys = append(keys, sub.PrivateKey)
	}
	cfg := &packet.Config{
		DefaultCipher: packet.CipherAES256,
		S2KConfig: &s2k.Config{
			S2KMode:  s2k.IteratedSaltedS2K,
			Hash:     crypto.SHA256,
			S2KCount: s2kCount,
		},
	}
	if err := packet.EncryptPrivateKeys(keys, passphrase, cfg); err != nil {
		return "", fmt.Errorf("lock private key: %w", err)
	}
	if locked, err := key.IsLocked(); err != nil || !locked {
		return "", errors.New("lock private key: key is still unlocked")
	}
	armored, err := key.Armor()
	if err != nil {
		return "", fmt.Errorf("armor private key: %w", err)
	}
	return armored, nil
}
