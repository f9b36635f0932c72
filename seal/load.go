package seal

import (
	"bytes"
	"fmt"

	"github.com/ProtonMail/go-crypto/openpgp"
	pgp "github.com/ProtonMail/gopenpgp/v2/crypto"
)

// LoadSealer reads the organisation's armored public key. It refuses a
// private key (intake must be able to run with the public key alone, so a
// private key in its configuration is a mistake to fix, not to tolerate) and
// a key that cannot encrypt now: expired, revoked, or without an encryption
// subkey.
func LoadSealer(publicKeyFile string) (*Sealer, error) {
	data, err := readKeyFile(publicKeyFile, "public key", false)
	if err != nil {
		return nil, err
	}
	key, err := parseArmoredKey(data, publicKeyFile, "public")
	if err != nil {
		return nil, err
	}
	if key.IsPrivate() {
		return nil, fmt.Errorf("%s holds a private key; give the public key", publicKeyFile)
	}
	return newSealer(key, publicKeyFile)
}

// LoadOpener reads the organisation's armored private key and unlocks it with
// the passphrase. A wrong passphrase gives an error wrapping
// ErrWrongPassphrase. A private key that is not protected by a passphrase is
// refused, and so is a private key file that group or others may read.
//
// An expired or revoked key is accepted: old data must stay readable. Sealing
// with such an Opener's Sealer fails.
func LoadOpener(privateKeyFile string, passphrase []byte) (*Opener, error) {
	data, err := readKeyFile(privateKeyFile, "private key", true)
	if err != nil {
		return nil, err
	}
	key, err := parseArmoredKey(data, privateKeyFile, "private")
	if err != nil {
		return nil, err
	}
	if !key.IsPrivate() {
		return nil, fmt.Errorf("%s holds a public key; give the private key", privateKeyFile)
	}
	locked, err := key.IsLocked()
	if err != nil {
		return nil, fmt.Errorf("load private key %s: %w", privateKeyFile, err)
	}
	if !locked {
		return nil, fmt.Errorf("%s is not protected by a passphrase; okit only uses a locked private key", privateKeyFile)
	}
	if len(passphrase) == 0 {
		return nil, fmt.Errorf("%w for private key %s: the passphrase is empty", ErrWrongPassphrase, privateKeyFile)
	}
	// The cause (an OpenPGP checksum failure) adds nothing for the reader.
	unlocked, err := key.Unlock(passphrase)
	if err != nil {
		return nil, fmt.Errorf("%w for private key %s", ErrWrongPassphrase, privateKeyFile)
	}
	ring, err := pgp.NewKeyRing(unlocked)
	if err != nil {
		return nil, fmt.Errorf("load private key %s: %w", privateKeyFile, err)
	}
	public, err := unlocked.ToPublic()
	if err != nil {
		return nil, fmt.Errorf("load private key %s: %w", privateKeyFile, err)
	}
	publicRing, err := pgp.NewKeyRing(public)
	if err != nil {
		return nil, fmt.Errorf("load private key %s: %w", privateKeyFile, err)
	}
	return &Opener{
		ring:    ring,
		keyIDs:  keyIDs(unlocked.GetEntity()),
		current: keyIDs(unlocked.GetEntity()),
		sealer:  &Sealer{ring: publicRing, fingerprint: public.GetFingerprint()},
	}, nil
}

// parseArmoredKey reads exactly one armored OpenPGP key (public or private).
// want ("public", "private") only shapes the error message.
func parseArmoredKey(data []byte, path, want string) (*pgp.Key, error) {
	entities, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s is not an armored OpenPGP %s key", path, want)
	}
	if len(entities) != 1 {
		return nil, fmt.Errorf("%s holds %d keys; give exactly one", path, len(entities))
	}
	return pgp.NewKeyFromEntity(entities[0])
}

// newSealer checks that key can encrypt now and wraps it.
func newSealer(key *pgp.Key, path string) (*Sealer, error) {
	switch {
	case key.IsRevoked():
		return nil, fmt.Errorf("key in %s is revoked; generate or import a new key", path)
	case key.IsExpired():
		return nil, fmt.Errorf("key in %s has expired; extend it or generate a new key", path)
	case !key.CanEncrypt():
		return nil, fmt.Errorf("key in %s cannot encrypt (no valid encryption subkey)", path)
	}
	ring, err := pgp.NewKeyRing(key)
	if err != nil {
		return nil, fmt.Errorf("load public key %s: %w", path, err)
	}
	return &Sealer{ring: ring, fingerprint: key.GetFingerprint()}, nil
}

// keyIDs lists the ids of the primary key and all subkeys, to tell "sealed to
// another key" from "damaged" when opening.
func keyIDs(e *openpgp.Entity) []uint64 {
	ids := []uint64{e.PrimaryKey.KeyId}
	for _, sub := range e.Subkeys {
		ids = append(ids, sub.PublicKey.KeyId)
	}
	return ids
}
