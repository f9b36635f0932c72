package seal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Key rotation
//
// "okit keys rotate" makes a new generation of keys beside the current
// one (RotateKeys): generation 1 is public.asc, private.asc and index.key;
// generation n is public-n.asc, private-n.asc and index-n.key, the index
// key's version being n. The processes then load the new keys as current
// and the ones before as previous (WithPrevious): they seal and make
// digests with the new keys at once, and open and look up with both, so
// nothing stored goes dark. "okit reseal" re-encrypts and re-digests what
// was stored under the previous keys; after it, the previous keys are
// retired (no longer given to any process) and can be destroyed.

// GenerationFiles names the files of key generation n inside dir.
func GenerationFiles(dir string, n int) Paths {
	if n <= 1 {
		return Paths{Public: filepath.Join(dir, PublicKeyFile), Private: filepath.Join(dir, PrivateKeyFile), Index: filepath.Join(dir, IndexKeyFile)}
	}
	g := strconv.Itoa(n)
	return Paths{
		Public:  filepath.Join(dir, "public-"+g+".asc"),
		Private: filepath.Join(dir, "private-"+g+".asc"),
		Index:   filepath.Join(dir, "index-"+g+".key"),
	}
}

// RotateKeys writes the generation after current's (whose index key
// version it reads) into dir: a new key pair of the same kind as the
// current private key, locked with newPassphrase, and a new index key.
// passphrase must unlock the current private key: rotating is done by
// someone who holds the keys, not by anyone who can write to dir. It
// never overwrites a file.
func RotateKeys(dir string, current *Index, currentPrivate string, passphrase, newPassphrase []byte, name, email string) (Paths, int, error) {
	if len(newPassphrase) < MinPassphraseLen {
		return Paths{}, 0, fmt.Errorf("rotate keys: passphrase too short: use at least %d characters", MinPassphraseLen)
	}
	old, err := LoadOpener(currentPrivate, passphrase)
	if err != nil {
		return Paths{}, 0, fmt.Errorf("rotate keys: %w", err)
	}
	kind := Curve25519
	if old.sealer.ring.GetKeys()[0].GetEntity().PrimaryKey.PubKeyAlgo == packet.PubKeyAlgoRSA {
		kind = RSA4096
	}
	n := current.version + 1
	if n > maxIndexVersion {
		return Paths{}, 0, errors.New("rotate keys: no index key versions left")
	}
	paths := GenerationFiles(dir, n)
	for _, p := range []string{paths.Public, paths.Private, paths.Index} {
		if _, err := os.Lstat(p); err == nil {
			return Paths{}, 0, fmt.Errorf("rotate keys: %s already exists; refusing to overwrite it", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return Paths{}, 0, fmt.Errorf("rotate keys: %w", err)
		}
	}
	if err := generate(paths, kind, name, email, newPassphrase, n); err != nil {
		return Paths{}, 0, fmt.Errorf("rotate keys: %w", err)
	}
	return paths, n, nil
}

// WithPrevious returns an Opener that opens what was sealed to o's key or
// to previous's, and seals to o's: the keys of one generation and the one
// before, while okit reseal moves what is stored to the new key.
func (o *Opener) WithPrevious(previous *Opener) (*Opener, error) {
	ring := o.ring
	ring, err := ring.Copy()
	if err != nil {
		return nil, fmt.Errorf("previous private key: %w", err)
	}
	for _, k := range previous.ring.GetKeys() {
		if err := ring.AddKey(k); err != nil {
			return nil, fmt.Errorf("previous private key: %w", err)
		}
	}
	return &Opener{ring: ring, keyIDs: slices.Concat(o.keyIDs, previous.keyIDs), current: o.current, sealer: o.sealer}, nil
}

// Current reports whether sealed was sealed to the current key, so that
// okit reseal leaves it as it is.
func (o *Opener) Current(sealed []byte) bool {
	ids, err := recipients(sealed[:min(len(sealed), headerPeek)])
	if err != nil {
		return false
	}
	for _, id := range ids {
		if slices.Contains(o.current, id) {
			return true
		}
	}
	return false
}
