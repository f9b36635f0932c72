package seal

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
	pgp "github.com/ProtonMail/gopenpgp/v2/crypto"
	"github.com/google/go-cmp/cmp"
)

// sealFunc and openFunc let one table cover the buffered and streaming APIs.
type (
	sealFunc func(s *Sealer, plain []byte) ([]byte, error)
	openFunc func(o *Opener, sealed []byte) ([]byte, error)
)

var (
	sealFuncs = map[string]sealFunc{
		"Seal": (*Sealer).Seal,
		"SealReader": func(s *Sealer, plain []byte) ([]byte, error) {
			var buf bytes.Buffer
			err := s.SealReader(&buf, bytes.NewReader(plain))
			return buf.Bytes(), err
		},
		"SealWriter": func(s *Sealer, plain []byte) ([]byte, error) {
			var buf bytes.Buffer
			w, err := s.SealWriter(&buf)
			if err != nil {
				return nil, err
			}
			// Several writes, as a MIME parser would make.
			for len(plain) > 0 {
				n := min(len(plain), 1000)
				if _, err := w.Write(plain[:n]); err != nil {
					return nil, err
				}
				plain = plain[n:]
			}
			if err := w.Close(); err != nil {
				return nil, err
			}
			return buf.Bytes(), nil
		},
	}
	openFuncs = map[string]openFunc{
		"Open": (*Opener).Open,
		"OpenReader": func(o *Opener, sealed []byte) ([]byte, error) {
			var buf bytes.Buffer
			err := o.OpenReader(&buf, bytes.NewReader(sealed))
			return buf.Bytes(), err
		},
	}
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)
	sizes := []int{0, 1, 20 << 10, 1<<20 + 3}
	for sealName, seal := range sealFuncs {
		for openName, open := range openFuncs {
			t.Run(sealName+"/"+openName, func(t *testing.T) {
				t.Parallel()
				for _, n := range sizes {
					plain := randomBytes(n, uint64(n))
					sealed, err := seal(ks.sealer, plain)
					if err != nil {
						t.Fatalf("%d bytes: seal: %v", n, err)
					}
					got, err := open(ks.opener, sealed)
					if err != nil {
						t.Fatalf("%d bytes: open: %v", n, err)
					}
					if !bytes.Equal(got, plain) {
						t.Errorf("%d bytes: opened %d bytes that differ from what was sealed", n, len(got))
					}
				}
			})
		}
	}
}

func TestOpenerSealsToo(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)
	sealed, err := ks.opener.Sealer().Seal([]byte("Válasz: köszönjük, hogy írt nekünk."))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ks.opener.Open(sealed)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("Válasz: köszönjük, hogy írt nekünk.", string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSealedHidesPlaintext(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)
	// Repetitive text, as mail often is: compressed, it would shrink to a
	// fraction, and its length would tell how repetitive it is.
	plain := []byte(strings.Repeat("Segitseg, a ferjem megvert es elvette a telefonomat. ", 2000))
	for name, seal := range sealFuncs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a, err := seal(ks.sealer, plain)
			if err != nil {
				t.Fatal(err)
			}
			b, err := seal(ks.sealer, plain)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(a, []byte("ferjem")) {
				t.Error("sealed data contains the plaintext")
			}
			if bytes.HasPrefix(a, []byte("-----BEGIN")) {
				t.Error("sealed data is armored, want binary")
			}
			if len(a) < len(plain) {
				t.Errorf("sealed %d bytes into %d: compressed", len(plain), len(a))
			}
			if bytes.Equal(a, b) {
				t.Error("sealing the same text twice gave the same bytes")
			}
			if compressed(t, ks, a) {
				t.Error("sealed message holds a compressed data packet")
			}
		})
	}
}

// compressed decrypts sealed and reports whether it holds a compressed data
// packet. It also checks that the literal data is marked binary.
func compressed(t *testing.T, ks *keySet, sealed []byte) bool {
	t.Helper()
	split, err := pgp.NewPGPMessage(sealed).SplitMessage()
	if err != nil {
		t.Fatal(err)
	}
	sk, err := ks.opener.ring.DecryptSessionKey(split.KeyPacket)
	if err != nil {
		t.Fatal(err)
	}
	r := packet.NewReader(bytes.NewReader(split.DataPacket))
	p, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	se, ok := p.(*packet.SymmetricallyEncrypted)
	if !ok || !se.IntegrityProtected {
		t.Fatalf("data packet is %T, want integrity-protected SymmetricallyEncrypted", p)
	}
	dec, err := se.Decrypt(cipherOf(t, sk.Algo), sk.Key)
	if err != nil {
		t.Fatal(err)
	}
	inner := packet.NewReader(dec)
	for {
		p, err := inner.Next()
		if err == io.EOF {
			return false
		}
		if err != nil {
			t.Fatal(err)
		}
		switch p := p.(type) {
		case *packet.Compressed:
			return true
		case *packet.LiteralData:
			if !p.IsBinary {
				t.Error("literal data is marked as text, want binary")
			}
			io.Copy(io.Discard, p.Body)
		}
	}
}

func cipherOf(t *testing.T, algo string) packet.CipherFunction {
	t.Helper()
	switch algo {
	case "aes256":
		return packet.CipherAES256
	case "aes128":
		return packet.CipherAES128
	}
	t.Fatalf("unexpected session key algorithm %q", algo)
	return 0
}

func TestOpenNotForThisKey(t *testing.T) {
	t.Parallel()
	mine, other := keys(t, mainKeys), keys(t, otherKeys)
	sealed, err := other.sealer.Seal([]byte("egy masik kulcsnak"))
	if err != nil {
		t.Fatal(err)
	}
	for name, open := range openFuncs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := open(mine.opener, sealed)
			if !errors.Is(err, ErrNotForThisKey) {
				t.Fatalf("open = %q, %v; want ErrNotForThisKey", got, err)
			}
			if len(got) != 0 {
				t.Errorf("got %d bytes of plaintext", len(got))
			}
		})
	}
}

// A change to the sealed bytes must never open to other plaintext. Every
// change to the encrypted data fails the integrity check. In the key packet,
// a few bits are not covered by it but carry no meaning either (the bit
// length of the ephemeral point, its 0x40 prefix, the top bit of an X25519
// coordinate, which RFC 7748 says to ignore): altered there, the message
// still opens to the same plaintext.
func TestOpenRejectsEveryAlteredByte(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)
	plain := []byte("Nem tudok telefonalni, csak irni. Kerem, segitsenek.")
	sealed, err := ks.sealer.Seal(plain)
	if err != nil {
		t.Fatal(err)
	}
	split, err := pgp.NewPGPMessage(sealed).SplitMessage()
	if err != nil {
		t.Fatal(err)
	}
	keyPacketLen := len(split.KeyPacket)
	for name, open := range openFuncs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			harmless := 0
			for i := range sealed {
				for _, bit := range []byte{0x01, 0x80} {
					altered := bytes.Clone(sealed)
					altered[i] ^= bit
					got, err := open(ks.opener, altered)
					switch {
					case err == nil && !bytes.Equal(got, plain):
						t.Fatalf("byte %d ^ %#x: opened to other plaintext %q", i, bit, got)
					case err == nil && i >= keyPacketLen:
						t.Errorf("byte %d ^ %#x (encrypted data): opened without error", i, bit)
					case err == nil:
						harmless++
					case !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrNotForThisKey):
						t.Errorf("byte %d ^ %#x: open = %v, want ErrDamaged", i, bit, err)
					}
				}
			}
			if harmless > 4 {
				t.Errorf("%d changes to the key packet opened; want at most the 4 meaningless bits", harmless)
			}
			for _, n := range []int{0, 1, 10, keyPacketLen, len(sealed) / 2, len(sealed) - 1} {
				if _, err := open(ks.opener, sealed[:n]); !errors.Is(err, ErrDamaged) {
					t.Errorf("truncated to %d of %d bytes: open = %v, want ErrDamaged", n, len(sealed), err)
				}
			}
		})
	}
}

func TestOpenReaderRejectsAlteredLargeMessage(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)
	sealed, err := ks.sealer.Seal(randomBytes(3<<20, 7))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{len(sealed) / 3, len(sealed) - 5} {
		altered := bytes.Clone(sealed)
		altered[i] ^= 0x10
		if err := ks.opener.OpenReader(io.Discard, bytes.NewReader(altered)); !errors.Is(err, ErrDamaged) {
			t.Errorf("byte %d altered: OpenReader = %v, want ErrDamaged", i, err)
		}
	}
}

func TestOpenRejectsWhatSealDidNotMake(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)

	// An OpenPGP message that is not encrypted at all: it must not "open".
	var literal bytes.Buffer
	w, err := packet.SerializeLiteral(nopCloser{&literal}, true, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "nem titkositott")
	w.Close()

	// Encrypted with a password instead of the key.
	withPassword, err := pgp.EncryptMessageWithPassword(pgp.NewPlainMessageFromString("jelszoval"), []byte("password"))
	if err != nil {
		t.Fatal(err)
	}
	armored, err := ks.sealer.Seal([]byte("armored"))
	if err != nil {
		t.Fatal(err)
	}
	armoredText, err := pgp.NewPGPMessage(armored).GetArmored()
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"plain text", []byte("Hello, this is not sealed.")},
		{"random", randomBytes(5000, 3)},
		{"unencrypted OpenPGP", literal.Bytes()},
		{"password encrypted", withPassword.GetBinary()},
		{"armored", []byte(armoredText)},
	} {
		for name, open := range openFuncs {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				got, err := open(ks.opener, tc.data)
				if !errors.Is(err, ErrDamaged) {
					t.Errorf("open = %q, %v; want ErrDamaged", got, err)
				}
			})
		}
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func TestStreamingIOErrors(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)
	errDisk := errors.New("disk on fire")
	sealed, err := ks.sealer.Seal(randomBytes(200<<10, 9))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("SealReader read error", func(t *testing.T) {
		t.Parallel()
		var out bytes.Buffer
		err := ks.sealer.SealReader(&out, io.MultiReader(randomReader(100<<10, 1), errReader{errDisk}))
		if !errors.Is(err, errDisk) {
			t.Fatalf("SealReader = %v, want %v", err, errDisk)
		}
		// What was written is unfinished and must not open as a shorter message.
		if _, err := ks.opener.Open(out.Bytes()); !errors.Is(err, ErrDamaged) {
			t.Errorf("opening an unfinished message: %v, want ErrDamaged", err)
		}
	})
	t.Run("OpenReader read error", func(t *testing.T) {
		t.Parallel()
		r := io.MultiReader(bytes.NewReader(sealed[:100<<10]), errReader{errDisk})
		err := ks.opener.OpenReader(io.Discard, r)
		if !errors.Is(err, errDisk) || errors.Is(err, ErrDamaged) {
			t.Errorf("OpenReader = %v, want %v and not ErrDamaged", err, errDisk)
		}
	})
	t.Run("OpenReader write error", func(t *testing.T) {
		t.Parallel()
		err := ks.opener.OpenReader(errWriter{errDisk}, bytes.NewReader(sealed))
		if !errors.Is(err, errDisk) || errors.Is(err, ErrDamaged) {
			t.Errorf("OpenReader = %v, want %v and not ErrDamaged", err, errDisk)
		}
	})
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

type errWriter struct{ err error }

func (w errWriter) Write([]byte) (int, error) { return 0, w.err }

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	ks := keys(t, mainKeys)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				plain := randomBytes(1000+i, uint64(g*100+i))
				sealed, err := ks.sealer.Seal(plain)
				if err != nil {
					t.Error(err)
					return
				}
				got, err := ks.opener.Open(sealed)
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(got, plain) {
					t.Error("round trip under concurrency gave other bytes")
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestSealTogetherOpensEachAlone(t *testing.T) {
	t.Parallel()
	ks, err := mainKeys()
	if err != nil {
		t.Fatal(err)
	}
	raw, summary := []byte("From: a\r\n\r\nsegitseg kell"), []byte(`{"subject":"segitseg"}`)
	sealed, err := ks.sealer.SealTogether(raw, summary)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][]byte{raw, summary} {
		got, err := ks.opener.Open(sealed[i])
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("part %d opens to %q, %v; want %q", i, got, err, want)
		}
		if bytes.Contains(sealed[i], want) {
			t.Errorf("part %d holds its plaintext", i)
		}
	}
}
