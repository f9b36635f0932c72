package seal

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testIndex has the key 00 01 02 ... 1f.
func testIndex(t *testing.T) *Index {
	t.Helper()
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	x, err := NewIndex(key)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// Digests are stored; if they changed, every lookup of an existing case by
// sender or Message-ID would silently fail. The expected values come from
// openssl: printf 'address\0anna@example.hu' | openssl dgst -sha256 -mac HMAC
// -macopt hexkey:000102...1f
func TestDigestIsStable(t *testing.T) {
	t.Parallel()
	x := testIndex(t)
	for _, tc := range []struct {
		name string
		got  []byte
		want string
	}{
		{"address", x.AddressDigest("  <Anna@Example.HU> "), "68cb5ff4906021d4cb88286918853b6a1cee21225a939bc3360f938eab4467c0"},
		{"message-id", x.MessageIDDigest("<abc@x>"), "12aade364946c5c80c4133c532843058df4632663a1e227206c41859219e7e98"},
		{"raw", x.RawDigest(nil), "299cc4b963f3dffab874f57e138a684aeeb3d913da559e658bbe581fc10a81b1"},
	} {
		if diff := cmp.Diff(tc.want, hex.EncodeToString(tc.got)); diff != "" {
			t.Errorf("%s digest changed (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestDigestsAreDomainSeparated(t *testing.T) {
	t.Parallel()
	x := testIndex(t)
	other, err := NewIndex(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	const v = "anna@example.hu"
	digests := map[string][]byte{
		"address":            x.AddressDigest(v),
		"message-id":         x.MessageIDDigest(v),
		"raw":                x.RawDigest([]byte(v)),
		"domain":             x.DomainDigest(v),
		"ab|c":               x.Digest("ab", []byte("c")),
		"a|bc":               x.Digest("a", []byte("bc")),
		"other key, address": other.AddressDigest(v),
	}
	seen := map[string]string{}
	for name, d := range digests {
		if len(d) != DigestLen {
			t.Errorf("%s: %d bytes, want %d", name, len(d), DigestLen)
		}
		if prev, ok := seen[string(d)]; ok {
			t.Errorf("%s and %s have the same digest", prev, name)
		}
		seen[string(d)] = name
	}
	if !bytes.Equal(x.AddressDigest(v), x.Digest(PurposeAddress, []byte(v))) {
		t.Error("AddressDigest is not Digest(PurposeAddress, normalised address)")
	}
	if !bytes.Equal(x.DomainDigest("<Eva@EXAMPLE.hu.>"), x.DomainDigest(v)) || !bytes.Equal(x.DomainDigest(v), x.Digest(PurposeDomain, []byte("example.hu"))) {
		t.Error("DomainDigest is not Digest(PurposeDomain, the lower-cased domain)")
	}
}

func TestDigestRefusesBadPurpose(t *testing.T) {
	t.Parallel()
	x := testIndex(t)
	for _, purpose := range []string{"", "a\x00b"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Digest(%q) did not panic", purpose)
				}
			}()
			x.Digest(purpose, []byte("v"))
		}()
	}
}

func TestNormalizeAddress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"anna@example.hu", "anna@example.hu"},
		{"Anna.Kovacs@Example.HU", "anna.kovacs@example.hu"},
		{"  <anna@example.hu>\r\n", "anna@example.hu"},
		{"< Anna@Example.hu >", "anna@example.hu"},
		{"anna+okit@gmail.com", "anna+okit@gmail.com"},
		{"a.nna@gmail.com", "a.nna@gmail.com"},
		{"ÁRVÍZTŰRŐ@példa.hu", "árvíztűrő@példa.hu"},
		{"<anna@example.hu", "<anna@example.hu"},
		{"", ""},
	} {
		if got := NormalizeAddress(tc.in); got != tc.want {
			t.Errorf("NormalizeAddress(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	x := testIndex(t)
	if !bytes.Equal(x.AddressDigest("<Anna@Example.HU>"), x.AddressDigest("anna@example.hu")) {
		t.Error("the same address written two ways gives two digests")
	}
}

func TestNormalizeMessageID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"<CAF=x1Y@mail.gmail.com>", "CAF=x1Y@mail.gmail.com"},
		{" <CAF=x1Y@mail.gmail.com>\n", "CAF=x1Y@mail.gmail.com"},
		{"CAF=x1Y@mail.gmail.com", "CAF=x1Y@mail.gmail.com"},
	} {
		if got := NormalizeMessageID(tc.in); got != tc.want {
			t.Errorf("NormalizeMessageID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	x := testIndex(t)
	if bytes.Equal(x.MessageIDDigest("<ABC@x>"), x.MessageIDDigest("<abc@x>")) {
		t.Error("Message-IDs differing in case have the same digest")
	}
}

func TestLoadIndex(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key := strings.Repeat("0123456789abcdef", 4)
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	want, err := NewIndex([]byte("\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, wantErr string
	}{
		{"newline", write("lf.key", key+"\n", 0o600), ""},
		{"crlf", write("crlf.key", key+"\r\n", 0o600), ""},
		{"no newline", write("bare.key", key, 0o400), ""},
		{"upper case", write("upper.key", strings.ToUpper(key)+"\n", 0o600), ""},
		{"missing", filepath.Join(dir, "nope.key"), "index key file " + filepath.Join(dir, "nope.key") + ": no such file"},
		{"short", write("short.key", key[:62]+"\n", 0o600), "want 64 hex digits (32 bytes), found 62 characters"},
		{"long", write("long.key", key+"00\n", 0o600), "found 66 characters"},
		{"base64", write("b64.key", strings.Repeat("A", 43)+"=\n", 0o600), "found 44 characters"},
		{"not hex", write("nothex.key", strings.Repeat("zz", 32)+"\n", 0o600), "not hex digits"},
		{"world readable", write("world.key", key+"\n", 0o644), "world.key is accessible by others (mode 0644); chmod 600"},
		{"group readable", write("group.key", key+"\n", 0o640), "group.key is accessible by others (mode 0640)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			x, err := LoadIndex(tc.path)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(x.RawDigest([]byte("m")), want.RawDigest([]byte("m"))) {
					t.Error("loaded key differs from the one in the file")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("LoadIndex = %v; want error containing %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "zzzz") || strings.Contains(err.Error(), "0123456789") {
				t.Errorf("error %q shows the file's content", err)
			}
		})
	}
}

func TestNewIndexWantsThirtyTwoBytes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := NewIndex(make([]byte, n)); err == nil {
			t.Errorf("NewIndex of %d bytes: no error", n)
		}
	}
}
