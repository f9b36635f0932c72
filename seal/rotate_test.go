package seal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A rotation writes generation 2 beside generation 1 and never over it;
// with both loaded, everything sealed to either opens, new sealing goes to
// the new key, and digests carry the index key's version.
func TestRotateKeys(t *testing.T) {
	t.Parallel()
	one, err := generateKeySet("rotate", Curve25519)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(one.paths.Public)
	if _, _, err := RotateKeys(dir, one.index, one.paths.Private, []byte("not the passphrase"), []byte(testPassphrase), "OKIT", "okit@okit.test"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("rotated with a wrong passphrase: %v", err)
	}
	newPass := []byte("a new passphrase after a leak")
	paths, n, err := RotateKeys(dir, one.index, one.paths.Private, []byte(testPassphrase), newPass, "OKIT", "okit@okit.test")
	if err != nil || n != 2 || paths != GenerationFiles(dir, 2) {
		t.Fatalf("rotate: %v, generation %d, %v", paths, n, err)
	}
	if _, _, err := RotateKeys(dir, one.index, one.paths.Private, []byte(testPassphrase), newPass, "OKIT", "okit@okit.test"); err == nil {
		t.Fatal("a second rotation from generation 1 overwrote generation 2")
	}
	if _, err := os.Stat(one.paths.Private); err != nil {
		t.Fatal(err)
	}
	two, err := LoadOpener(paths.Private, newPass)
	if err != nil {
		t.Fatal(err)
	}
	both, err := two.WithPrevious(one.opener)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := one.sealer.Seal([]byte("sealed before"))
	fresh, _ := both.Sealer().Seal([]byte("sealed after"))
	for _, c := range []struct {
		sealed  []byte
		want    string
		current bool
	}{{old, "sealed before", false}, {fresh, "sealed after", true}} {
		if got, err := both.Open(c.sealed); err != nil || string(got) != c.want {
			t.Errorf("open %q: %q, %v", c.want, got, err)
		}
		if both.Current(c.sealed) != c.current {
			t.Errorf("%q sealed to the current key: %v, want %v", c.want, !c.current, c.current)
		}
	}
	if _, err := two.Open(old); !errors.Is(err, ErrNotForThisKey) {
		t.Errorf("the new key alone opened what the old one sealed: %v", err)
	}

	x2, err := LoadIndex(paths.Index)
	if err != nil || x2.Version() != 2 {
		t.Fatalf("index key 2: version %v, %v", x2, err)
	}
	x, err := x2.WithPrevious(one.index)
	if err != nil {
		t.Fatal(err)
	}
	d1, d2 := one.index.AddressDigest("anna@example.test"), x.AddressDigest("anna@example.test")
	if DigestVersion(d1) != 1 || DigestVersion(d2) != 2 || len(d2) != DigestLen+1 {
		t.Errorf("digest versions %d (%d bytes), %d (%d bytes)", DigestVersion(d1), len(d1), DigestVersion(d2), len(d2))
	}
	if !bytes.Equal(x.Previous().AddressDigest("anna@example.test"), d1) {
		t.Error("the previous index key makes other digests than it did")
	}
	if _, err := one.index.WithPrevious(x2); err == nil {
		t.Error("index key 2 taken as the one before key 1")
	}
}
