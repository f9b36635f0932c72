package seal

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
	pgp "github.com/ProtonMail/gopenpgp/v2/crypto"
)

// Opener decrypts what a Sealer sealed. It holds the unlocked private key and
// is safe for concurrent use.
type Opener struct {
	ring    *pgp.KeyRing
	keyIDs  []uint64 // every key's, the previous key's included
	current []uint64 // the current key's, to which sealer seals
	sealer  *Sealer
}

// Sealer returns a Sealer for the same key, for sealing outgoing copies.
func (o *Opener) Sealer() *Sealer { return o.sealer }

// headerPeek is how much of a sealed message is looked at before decrypting
// to find its recipients: the key packets come first and are well under
// 1 KiB each.
const headerPeek = 4096

// Open decrypts a message made by Seal or SealReader. A message sealed to
// another key gives an error wrapping ErrNotForThisKey; a damaged or altered
// one, or anything that is not a sealed message, an error wrapping ErrDamaged.
func (o *Opener) Open(sealed []byte) ([]byte, error) {
	// Sealed data is not compressed, so the plaintext is shorter than
	// sealed: one allocation of the right size, where reading it all from
	// gopenpgp's Decrypt doubles a buffer along the way.
	var buf bytes.Buffer
	buf.Grow(len(sealed))
	if err := o.OpenReader(&buf, bytes.NewReader(sealed)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// OpenReader decrypts a sealed message read from r into w, with memory use
// that does not grow with its size.
//
// The integrity check can only complete at the end of the message, so when
// OpenReader returns an error w may already hold part of the plaintext, which
// must then be discarded, not shown.
func (o *Opener) OpenReader(w io.Writer, r io.Reader) error {
	// Failures of r and w are the caller's I/O problems (and may be
	// temporary); only what goes wrong in between means damaged data.
	tr := &trackReader{r: r}
	tw := &trackWriter{w: w}
	br := bufio.NewReaderSize(tr, headerPeek)
	head, err := br.Peek(headerPeek)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("open: read: %w", err)
	}
	if err := o.check(head); err != nil {
		return err
	}
	plain, err := o.ring.DecryptStream(br, nil, 0)
	if err == nil {
		_, err = io.Copy(tw, plain)
	}
	switch {
	case err == nil:
		return nil
	case tr.err != nil:
		return fmt.Errorf("open: read: %w", tr.err)
	case tw.err != nil:
		return fmt.Errorf("open: write: %w", tw.err)
	default:
		return fmt.Errorf("open: %w", ErrDamaged)
	}
}

// trackReader remembers the first error of r other than io.EOF.
type trackReader struct {
	r   io.Reader
	err error
}

func (t *trackReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// trackWriter remembers the first error of w.
type trackWriter struct {
	w   io.Writer
	err error
}

func (t *trackWriter) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	if err != nil && t.err == nil {
		t.err = err
	}
	return n, err
}

// check looks at the packets before the encrypted data. Only a message that
// starts with key packets followed by integrity-protected encrypted data is
// a sealed message: without this, a plain (unencrypted) OpenPGP literal
// message would "open" fine. It also tells a message for another key from a
// damaged one without trying to decrypt.
func (o *Opener) check(head []byte) error {
	recipients, err := recipients(head)
	if err != nil {
		return fmt.Errorf("open: %w", ErrDamaged)
	}
	for _, r := range recipients {
		for _, id := range o.keyIDs {
			// Id 0 is an anonymous recipient: any key may be the one.
			if r == 0 || r == id {
				return nil
			}
		}
	}
	hexIDs := make([]string, len(recipients))
	for i, r := range recipients {
		hexIDs[i] = fmt.Sprintf("%016X", r)
	}
	return fmt.Errorf("open: sealed to key %s: %w", strings.Join(hexIDs, ", "), ErrNotForThisKey)
}

// recipients returns the key ids of the public-key encrypted session key
// packets at the start of a message, and an error unless they are followed
// by integrity-protected encrypted data.
func recipients(head []byte) ([]uint64, error) {
	packets := packet.NewReader(bytes.NewReader(head))
	var ids []uint64
	for {
		p, err := packets.Next()
		if err != nil {
			return nil, err
		}
		switch p := p.(type) {
		case *packet.EncryptedKey:
			ids = append(ids, p.KeyId)
		case *packet.SymmetricallyEncrypted:
			if !p.IntegrityProtected || len(ids) == 0 {
				return nil, errors.New("not a sealed message")
			}
			return ids, nil
		case *packet.AEADEncrypted:
			if len(ids) == 0 {
				return nil, errors.New("not a sealed message")
			}
			return ids, nil
		default:
			return nil, fmt.Errorf("unexpected packet %T", p)
		}
	}
}
