package seal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// indexKeyLen is the size of the index key in bytes.
const indexKeyLen = 32

// DigestLen is the size in bytes of a digest made with an index key of
// version 1; one of a later version has the version byte before it.
const DigestLen = sha256.Size

// maxIndexVersion is the last version a digest's one byte can carry.
const maxIndexVersion = 255

// Digest purposes. A digest made for one purpose never equals one made for
// another, even of the same bytes.
const (
	PurposeAddress   = "address"
	PurposeMessageID = "message-id"
	PurposeRaw       = "raw"
	PurposeDomain    = "domain"
	PurposeCanary    = "canary"
)

// Index makes keyed digests for looking up sealed values by equality: the
// same sender, the same Message-ID, the same raw message. It is safe for
// concurrent use.
//
// Index keys have versions (see RotateKeys): the first is 1, and its
// digests are the bare HMAC, as before keys could be rotated; a digest
// made with a later version starts with the version's byte, so that
// "okit reseal" can tell which digests are still to be made again.
type Index struct {
	key      []byte
	version  int
	previous *Index // the key before, still used to find what it digested
}

// LoadIndex reads the index key file written by GenerateKeys or
// RotateKeys: 64 hex digits, after "n:" for a version n after the first,
// optionally followed by a newline. A file that group or others may access
// is refused.
func LoadIndex(indexKeyFile string) (*Index, error) {
	data, err := readKeyFile(indexKeyFile, "index key", true)
	if err != nil {
		return nil, err
	}
	text := strings.TrimRight(string(data), "\r\n")
	version := 1
	if v, rest, ok := strings.Cut(text, ":"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > maxIndexVersion {
			return nil, fmt.Errorf("index key file %s: %q is not a key version from 2 to %d", indexKeyFile, v, maxIndexVersion)
		}
		version, text = n, rest
	}
	if len(text) != 2*indexKeyLen {
		return nil, fmt.Errorf("index key file %s: want %d hex digits (%d bytes), found %d characters",
			indexKeyFile, 2*indexKeyLen, indexKeyLen, len(text))
	}
	key, err := hex.DecodeString(text)
	if err != nil {
		return nil, fmt.Errorf("index key file %s: not hex digits", indexKeyFile)
	}
	x, err := NewIndex(key)
	if err != nil {
		return nil, err
	}
	x.version = version
	return x, nil
}

// NewIndex makes an Index of version 1 from a 32-byte key, for tests and
// for keys that do not come from a file.
func NewIndex(key []byte) (*Index, error) {
	if len(key) != indexKeyLen {
		return nil, fmt.Errorf("index key: want %d bytes, got %d", indexKeyLen, len(key))
	}
	return &Index{key: append([]byte(nil), key...), version: 1}, nil
}

// formatIndexKey is an index key file's text.
func formatIndexKey(key []byte, version int) string {
	if version == 1 {
		return hex.EncodeToString(key) + "\n"
	}
	return strconv.Itoa(version) + ":" + hex.EncodeToString(key) + "\n"
}

// Version is the index key's version.
func (x *Index) Version() int { return x.version }

// WithPrevious returns an Index that makes digests with x's key and
// finds, through Previous, what was digested with previous's, the key
// of an earlier version.
func (x *Index) WithPrevious(previous *Index) (*Index, error) {
	if previous.version >= x.version {
		return nil, fmt.Errorf("the previous index key has version %d, not one before the current key's %d", previous.version, x.version)
	}
	return &Index{key: x.key, version: x.version, previous: &Index{key: previous.key, version: previous.version}}, nil
}

// Previous is the index key before this one while okit reseal has not
// made every digest again, or nil. Lookups try the current key's digest,
// then the previous one's.
func (x *Index) Previous() *Index { return x.previous }

// DigestVersion is the version of the index key that made digest d.
func DigestVersion(d []byte) int {
	if len(d) == DigestLen+1 {
		return int(d[0])
	}
	return 1
}

// Digest returns HMAC-SHA-256 under the index key of purpose, a zero byte,
// and value: 32 bytes, after the key's version byte from version 2 on. The zero byte keeps purposes apart ("ab"+"c" is not
// "a"+"bc"). purpose must be a non-empty constant without zero bytes; it
// panics otherwise, as that is a programming error.
//
// A digest reveals only whether two values are equal, and only to someone
// who holds the index key; without it, digests cannot be computed for
// guessed values.
func (x *Index) Digest(purpose string, value []byte) []byte {
	if purpose == "" || strings.IndexByte(purpose, 0) >= 0 {
		panic("seal: digest purpose must be non-empty and without zero bytes")
	}
	m := hmac.New(sha256.New, x.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(value)
	if x.version == 1 {
		return m.Sum(nil)
	}
	return m.Sum([]byte{byte(x.version)})
}

// AddressDigest is the digest of a normalised email address (see
// NormalizeAddress), to find earlier messages from the same sender.
func (x *Index) AddressDigest(addr string) []byte {
	return x.Digest(PurposeAddress, []byte(NormalizeAddress(addr)))
}

// MessageIDDigest is the digest of a Message-ID (see NormalizeMessageID), to
// thread replies (In-Reply-To, References) without storing Message-IDs in
// the clear.
func (x *Index) MessageIDDigest(id string) []byte {
	return x.Digest(PurposeMessageID, []byte(NormalizeMessageID(id)))
}

// DomainDigest is the digest of the domain of an address (lower case,
// without a trailing dot), to count the acknowledgements to one domain
// without storing it. Many writers share a domain (gmail.com), so it
// tells a thief with the index key only which big provider wrote.
func (x *Index) DomainDigest(addr string) []byte {
	a := NormalizeAddress(addr)
	return x.Digest(PurposeDomain, []byte(strings.TrimSuffix(a[strings.LastIndexByte(a, '@')+1:], ".")))
}

// RawDigest is the digest of a raw message exactly as fetched, to recognise
// a message fetched twice.
func (x *Index) RawDigest(raw []byte) []byte {
	return x.Digest(PurposeRaw, raw)
}

// CanaryDigest is the mark of okit's canary message (intake.Canary): only a
// holder of the index key can make it, so no one else can have a message
// taken for a canary and dropped.
func (x *Index) CanaryDigest(value []byte) []byte {
	return x.Digest(PurposeCanary, value)
}

// NormalizeAddress trims spaces and one pair of angle brackets and lower-cases
// the whole address. RFC 5321 lets a server treat the local part as case
// sensitive, but practically every provider ignores case, and a writer who
// types Anna@ once and anna@ next time is the same person; treating them as
// two senders would split a case. Other variations (dots or +tags at Gmail)
// are not folded: they are real different addresses elsewhere.
func NormalizeAddress(addr string) string {
	return strings.ToLower(trimBrackets(addr))
}

// NormalizeMessageID trims spaces and one pair of angle brackets. Case is
// kept: Message-IDs are compared exactly (RFC 5322 3.6.4).
func NormalizeMessageID(id string) string {
	return trimBrackets(id)
}

func trimBrackets(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}
