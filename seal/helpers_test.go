package seal

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

const testPassphrase = "correct horse battery staple"

// testDir holds key sets shared by the tests of this package: generating
// and unlocking a key takes a noticeable fraction of a second each.
var testDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "okit-seal-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// keySet is a generated key set, loaded.
type keySet struct {
	paths  Paths
	sealer *Sealer
	opener *Opener
	index  *Index
}

func generateKeySet(name string, kind KeyType) (*keySet, error) {
	paths, err := GenerateKeys(filepath.Join(testDir, name), kind, "OKIT test "+name, name+"@okit.test", []byte(testPassphrase))
	if err != nil {
		return nil, err
	}
	ks := &keySet{paths: paths}
	if ks.sealer, err = LoadSealer(paths.Public); err != nil {
		return nil, err
	}
	if ks.opener, err = LoadOpener(paths.Private, []byte(testPassphrase)); err != nil {
		return nil, err
	}
	if ks.index, err = LoadIndex(paths.Index); err != nil {
		return nil, err
	}
	return ks, nil
}

var (
	mainKeys  = sync.OnceValues(func() (*keySet, error) { return generateKeySet("main", Curve25519) })
	otherKeys = sync.OnceValues(func() (*keySet, error) { return generateKeySet("other", Curve25519) })
	rsaKeys   = sync.OnceValues(func() (*keySet, error) { return generateKeySet("rsa", RSA4096) })
)

func keys(tb testing.TB, get func() (*keySet, error)) *keySet {
	tb.Helper()
	ks, err := get()
	if err != nil {
		tb.Fatalf("generate test keys: %v", err)
	}
	return ks
}

// randomBytes returns n bytes that do not compress, the same for the same seed.
func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	rand.NewChaCha8(seedOf(seed)).Read(b)
	return b
}

// randomReader yields n incompressible bytes without holding them in memory.
func randomReader(n int64, seed uint64) io.Reader {
	return io.LimitReader(rand.NewChaCha8(seedOf(seed)), n)
}

func seedOf(s uint64) (seed [32]byte) {
	for i := range 8 {
		seed[i] = byte(s >> (8 * i))
	}
	return seed
}

// armorKeys writes entities' public parts into one armored block.
func armorKeys(tb testing.TB, path string, entities ...*openpgp.Entity) {
	tb.Helper()
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entities {
		if err := e.Serialize(w); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// listDir returns the names in dir, or nil if it does not exist.
func listDir(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func armorEncode(w io.Writer, blockType string) (io.WriteCloser, error) {
	return armor.Encode(w, blockType, nil)
}
