package seal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/google/go-cmp/cmp"
)

func TestGenerateKeys(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)

	// The directory did not exist: GenerateKeys made it, private.
	fi, err := os.Stat(filepath.Dir(ks.paths.Public))
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o700 {
		t.Errorf("directory mode = %04o, want 0700", got)
	}
	for _, tc := range []struct {
		path string
		want *regexp.Regexp
	}{
		{ks.paths.Public, regexp.MustCompile(`\A-----BEGIN PGP PUBLIC KEY BLOCK-----\n`)},
		{ks.paths.Private, regexp.MustCompile(`\A-----BEGIN PGP PRIVATE KEY BLOCK-----\n`)},
		{ks.paths.Index, regexp.MustCompile(`\A[0-9a-f]{64}\n\z`)},
	} {
		fi, err := os.Stat(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("%s: mode = %04o, want 0600", tc.path, got)
		}
		data, err := os.ReadFile(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if !tc.want.Match(data) {
			t.Errorf("%s does not match %s:\n%.80s", tc.path, tc.want, data)
		}
	}
	if got := listDir(t, filepath.Dir(ks.paths.Public)); !cmp.Equal(got, []string{"index.key", "private.asc", "public.asc"}) {
		t.Errorf("files = %q", got)
	}
	if ks.sealer.Fingerprint() != ks.opener.Sealer().Fingerprint() {
		t.Errorf("public key %s and private key %s differ", ks.sealer.Fingerprint(), ks.opener.Sealer().Fingerprint())
	}
	// The private key is locked: the passphrase is needed to read it.
	if _, err := LoadOpener(ks.paths.Private, []byte("not the passphrase")); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("LoadOpener with another passphrase: %v, want ErrWrongPassphrase", err)
	}
}

func TestGenerateKeysRSA(t *testing.T) {
	if testing.Short() {
		t.Skip("RSA-4096 key generation takes seconds")
	}
	t.Parallel()
	ks := keys(t, rsaKeys)
	plain := []byte("Kérem, hívjanak vissza este nyolc után.")
	sealed, err := ks.sealer.Seal(plain)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ks.opener.Open(sealed)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(plain), string(got)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestGenerateKeysNeverOverwrites(t *testing.T) {
	t.Parallel()
	for _, existing := range []string{PublicKeyFile, PrivateKeyFile, IndexKeyFile} {
		t.Run(existing, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			old := filepath.Join(dir, existing)
			if err := os.WriteFile(old, []byte("the old key\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := GenerateKeys(dir, Curve25519, "OKIT", "okit@okit.test", []byte(testPassphrase))
			if err == nil || !strings.Contains(err.Error(), old) {
				t.Fatalf("GenerateKeys = %v, want an error naming %s", err, old)
			}
			if diff := cmp.Diff([]string{existing}, listDir(t, dir)); diff != "" {
				t.Errorf("files after refusal (-want +got):\n%s", diff)
			}
			if data, _ := os.ReadFile(old); string(data) != "the old key\n" {
				t.Errorf("%s was changed to %q", old, data)
			}
		})
	}
}

func TestGenerateKeysRefusesBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, email string
		kind        KeyType
		passphrase  string
		wantErr     string
	}{
		{"OKIT", "", Curve25519, "", "a passphrase is required"},
		{"OKIT", "", Curve25519, "eleven char", "passphrase too short: use at least 12"},
		{"OKIT", "", "dsa", testPassphrase, `unknown key type "dsa"`},
		{"", "", Curve25519, testPassphrase, "give a name or an email address"},
	} {
		t.Run(tc.wantErr, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "keys")
			_, err := GenerateKeys(dir, tc.kind, tc.name, tc.email, []byte(tc.passphrase))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("GenerateKeys = %v, want error containing %q", err, tc.wantErr)
			}
			if tc.passphrase != "" && strings.Contains(err.Error(), tc.passphrase) {
				t.Errorf("error %q contains the passphrase", err)
			}
			if got := listDir(t, dir); got != nil {
				t.Errorf("files written: %q", got)
			}
		})
	}
}

func TestGenerateKeysDefaultsToCurve25519(t *testing.T) {
	t.Parallel()
	paths, err := GenerateKeys(t.TempDir(), "", "OKIT", "", []byte(testPassphrase))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(paths.Public)
	if err != nil {
		t.Fatal(err)
	}
	entities, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got := entities[0].PrimaryKey.PubKeyAlgo; got != packet.PubKeyAlgoEdDSA {
		t.Errorf("primary key algorithm = %v, want EdDSA", got)
	}
}

func TestLoadSealerRefuses(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	entity := func(cfg *packet.Config) *openpgp.Entity {
		e, err := openpgp.NewEntity("OKIT test", "", "test@okit.test", cfg)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	eddsa := func() *packet.Config { return &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA} }

	expiredCfg := eddsa()
	expiredCfg.Time = func() time.Time { return time.Now().Add(-48 * time.Hour) }
	expiredCfg.KeyLifetimeSecs = 3600
	armorKeys(t, filepath.Join(dir, "expired.asc"), entity(expiredCfg))

	revoked := entity(eddsa())
	if err := revoked.RevokeKey(packet.KeyCompromised, "test", nil); err != nil {
		t.Fatal(err)
	}
	armorKeys(t, filepath.Join(dir, "revoked.asc"), revoked)

	signOnly := entity(eddsa())
	signOnly.Subkeys = nil
	armorKeys(t, filepath.Join(dir, "signonly.asc"), signOnly)

	armorKeys(t, filepath.Join(dir, "two.asc"), entity(eddsa()), entity(eddsa()))

	private, err := os.ReadFile(ks.paths.Private)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, wantErr string
	}{
		{"missing", filepath.Join(dir, "nope.asc"), "public key file " + filepath.Join(dir, "nope.asc") + ": no such file"},
		{"garbage", write("garbage.asc", "hello\n"), "garbage.asc is not an armored OpenPGP public key"},
		{"empty", write("empty.asc", ""), "empty.asc is not an armored OpenPGP public key"},
		{"directory", dir, "is not a regular file"},
		{"private", write("private.asc", string(private)), "private.asc holds a private key; give the public key"},
		{"expired", filepath.Join(dir, "expired.asc"), "has expired"},
		{"revoked", filepath.Join(dir, "revoked.asc"), "is revoked"},
		{"sign only", filepath.Join(dir, "signonly.asc"), "cannot encrypt"},
		{"two keys", filepath.Join(dir, "two.asc"), "holds 2 keys; give exactly one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := LoadSealer(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("LoadSealer = %v, %v; want error containing %q", s, err, tc.wantErr)
			}
		})
	}
}

func TestLoadSealerAcceptsReadablePublicKey(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)
	p := filepath.Join(t.TempDir(), "public.asc")
	data, err := os.ReadFile(ks.paths.Public)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSealer(p); err != nil {
		t.Errorf("LoadSealer of a 0644 public key: %v", err)
	}
}

func TestLoadOpenerRefuses(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)
	dir := t.TempDir()
	copyFile := func(from, name string, mode os.FileMode) string {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		// Chmod, as WriteFile's mode is filtered by the umask.
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	unlocked, err := os.ReadFile(ks.paths.Private)
	if err != nil {
		t.Fatal(err)
	}
	unlockedPath := filepath.Join(dir, "unlocked.asc")
	writeUnlockedKey(t, unlocked, unlockedPath)

	for _, tc := range []struct {
		name, path, passphrase, wantErr string
		wantIs                          error
	}{
		{"missing", filepath.Join(dir, "nope.asc"), testPassphrase, "private key file " + filepath.Join(dir, "nope.asc") + ": no such file", nil},
		{"public key", copyFile(ks.paths.Public, "public.asc", 0o600), testPassphrase, "public.asc holds a public key; give the private key", nil},
		{"not a key", copyFile(ks.paths.Index, "index.key", 0o600), testPassphrase, "index.key is not an armored OpenPGP private key", nil},
		{"wrong passphrase", copyFile(ks.paths.Private, "wrong.asc", 0o600), "Correct horse battery staple", "wrong passphrase for private key " + filepath.Join(dir, "wrong.asc"), ErrWrongPassphrase},
		{"empty passphrase", copyFile(ks.paths.Private, "empty.asc", 0o600), "", "wrong passphrase for private key " + filepath.Join(dir, "empty.asc"), ErrWrongPassphrase},
		{"other key's passphrase", keys(t, otherKeys).paths.Private, "x" + testPassphrase, "wrong passphrase", ErrWrongPassphrase},
		{"not locked", unlockedPath, testPassphrase, "unlocked.asc is not protected by a passphrase", nil},
		{"world readable", copyFile(ks.paths.Private, "world.asc", 0o644), testPassphrase, "world.asc is accessible by others (mode 0644); chmod 600 " + filepath.Join(dir, "world.asc"), nil},
		{"group readable", copyFile(ks.paths.Private, "group.asc", 0o640), testPassphrase, "group.asc is accessible by others (mode 0640)", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o, err := LoadOpener(tc.path, []byte(tc.passphrase))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("LoadOpener = %v, %v; want error containing %q", o, err, tc.wantErr)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %q does not wrap %v", err, tc.wantIs)
			}
			if tc.passphrase != "" && strings.Contains(err.Error(), tc.passphrase) {
				t.Errorf("error %q contains the passphrase", err)
			}
		})
	}
}

// writeUnlockedKey writes the private key from lockedArmored, without its
// passphrase protection, to path.
func writeUnlockedKey(t *testing.T, lockedArmored []byte, path string) {
	t.Helper()
	entities, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(lockedArmored))
	if err != nil {
		t.Fatal(err)
	}
	e := entities[0]
	if err := e.DecryptPrivateKeys([]byte(testPassphrase)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := armorEncode(&buf, openpgp.PrivateKeyType)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SerializePrivateWithoutSigning(w, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
