package message

import (
	"bytes"
	"cmp"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// A charset label is a claim, and in Hungarian mail often a wrong one:
// old clients send windows-1250 bytes labelled UTF-8, webmail forms
// re-label UTF-8 as ISO-8859-2, and many mailers say nothing or
// US-ASCII. decodingFor weighs the label against the bytes and says how
// the text is read; a repair is named in a problem, never silent.
// decoding is how a text's bytes become UTF-8.
type decoding struct {
	// newT makes the transformer that decodes; nil when the bytes are
	// valid UTF-8 already.
	newT func() transform.Transformer
	// note says, for a problem, how the label was overridden or helped;
	// "" when the label (or its absence) held.
	note string
	// unreadable is true when no charset reads the bytes convincingly:
	// the text is garbage in any reading, and a body part so read costs
	// the writer's text.
	unreadable bool
}

// decodingFor decides how to read b, labelled lab. b may be a prefix of
// the text; the decision holds for the rest.
func decodingFor(b []byte, lab string) decoding {
	cl := lookupLabel(lab)
	ascii := isASCII(b)
	switch cl.kind {
	case labelUTF7:
		return decoding{newT: func() transform.Transformer { return new(utf7Decoder) }}
	case labelUTF16:
		e, how := utf16For(b, cl.enc)
		if e == nil {
			e, how = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "read as UTF-16BE"
		}
		if how != "" {
			how = "UTF-16 without a byte order mark; " + how
		}
		return decoding{newT: decoderOf(e), note: how}
	case labelLegacy:
		switch {
		case ascii && !bytes.ContainsAny(b, "\x1b~"):
			return decoding{} // ISO-2022 and HZ are 7-bit: those must be decoded
		case ascii:
		case utf8.Valid(b):
			return decoding{note: "labelled " + cl.name + " but is UTF-8; read as UTF-8"}
		case cl.enc == charmap.ISO8859_2 && hasC1(b):
			return decoding{newT: tableOf(latin2With1250), note: "labelled iso-8859-2 but has windows-1250 characters; read as windows-1250"}
		case (cl.enc == charmap.Windows1252 || cl.enc == charmap.ISO8859_1) && latin2AsLatin1(b):
			return decoding{newT: tableOf(hungarian1252), note: "labelled " + cl.name + " but is Hungarian ISO-8859-2; read with ő and ű"}
		}
		return decoding{newT: decoderOf(cl.enc)}
	}
	// No label to trust, or one that says UTF-8.
	switch {
	case ascii && cl.kind == labelUnknown:
		return decoding{note: labelSays(cl) + "; read as US-ASCII"}
	case ascii:
		return decoding{}
	case utf8.Valid(b):
		if cl.kind == labelUTF8 || cl.name == "" {
			return decoding{}
		}
		return decoding{note: labelSays(cl) + "; read as UTF-8"}
	}
	if cl.kind != labelUTF8 {
		if e, how := utf16For(b, nil); e != nil {
			return decoding{newT: decoderOf(e), note: labelSays(cl) + "; " + cmp.Or(how, "read as UTF-16 by its byte order mark")}
		}
	}
	if mostlyUTF8(b) {
		return decoding{newT: decoderOf(unicode.UTF8), note: labelSays(cl) + "; read as UTF-8, invalid bytes replaced"}
	}
	name, e, doubleByte := guessDoubleByte(b)
	if e == nil && !doubleByte {
		name, e = guessSingleByte(b)
	}
	if e == nil {
		return decoding{newT: decoderOf(charmap.Windows1250), note: labelSays(cl) + "; no charset reads it", unreadable: true}
	}
	return decoding{newT: decoderOf(e), note: labelSays(cl) + "; read as " + name}
}

// labelSays names what a label claimed, for a note.
func labelSays(cl charsetLabel) string {
	switch {
	case cl.kind == labelUTF8:
		return "labelled " + cl.name + " but is not UTF-8"
	case cl.kind == labelUnknown:
		return "unknown charset \"" + cl.name + "\""
	case cl.name != "":
		return "labelled " + cl.name + " but has 8-bit text"
	}
	return "no charset given"
}

func decoderOf(e encoding.Encoding) func() transform.Transformer {
	return func() transform.Transformer { return e.NewDecoder() }
}

// text decodes b with d.
func (d decoding) text(b []byte) string {
	if d.newT == nil {
		return string(b)
	}
	s, _, _ := transform.Bytes(d.newT(), b) // the decoders replace what they cannot read
	return string(s)
}

// guessSingleByte reads 8-bit text that is not UTF-8 and has no label to
// trust as windows-1250, the charset of Hungarian mail (it reads
// ISO-8859-2 and the Hungarian letters of ISO-8859-1 right too), unless
// that gives mostly letters Hungarian does not use, in runs of 8-bit
// bytes as Cyrillic words are (German ä and ß stand alone among ASCII
// letters, as Hungarian ő does), and windows-1251 gives Cyrillic text:
// mostly lowercase letters (0xE0–0xFF), few bytes in 0x80–0xBF (Ukrainian
// і, ї and є, quotes and dashes), where the lead and trail bytes of
// double-byte text and the letters of KOI8-R fall. e is nil when the
// 8-bit bytes come in runs but are not Cyrillic: no single-byte charset
// okit can tell reads them.
func guessSingleByte(b []byte) (name string, e encoding.Encoding) {
	hu, other, cyr, lower, mid, high, inRuns := 0, 0, 0, 0, 0, 0, 0
	for i, c := range b {
		if c < 0x80 {
			continue
		}
		high++
		if i > 0 && b[i-1] >= 0x80 || i+1 < len(b) && b[i+1] >= 0x80 {
			inRuns++
		}
		switch {
		case c < 0xc0:
			mid++
		case c >= 0xe0:
			lower++
		}
		switch r := charmap.Windows1250.DecodeByte(c); {
		case strings.ContainsRune("áéíóöőúüűÁÉÍÓÖŐÚÜŰ", r):
			hu++
		case isLetter1250(r):
			other++
		}
		if r := charmap.Windows1251.DecodeByte(c); r >= 0x400 && r <= 0x4ff {
			cyr++
		}
	}
	runs := inRuns*10 >= high*6
	switch {
	case other > hu && other >= 4 && runs && cyr*5 >= (hu+other)*4 && mid*5 <= high && lower*10 >= (high-mid)*6:
		return "windows-1251", charmap.Windows1251
	case runs && high >= 8 && hu*2 < high:
		return "", nil
	}
	return "windows-1250", charmap.Windows1250
}

func isLetter1250(r rune) bool {
	return r >= 0xc0 && r <= 0x24f && r != 0xd7 && r != 0xf7
}

// utf16For reads the byte order of UTF-16 from a byte order mark or the
// label's name (e, nil if it names none), as RFC 2781 says, else guesses
// it from where the zero bytes of ASCII characters fall and says so in
// how. It returns nil when b does not look like UTF-16 and neither says.
func utf16For(b []byte, e encoding.Encoding) (_ encoding.Encoding, how string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), ""
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), ""
	case e != nil:
		return e, ""
	}
	even, odd := 0, 0
	sample := b[:min(len(b), 4096)]
	for i, c := range sample {
		if c == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	switch {
	case (even+odd)*4 < len(sample):
		return nil, ""
	case odd > even*9:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "read as UTF-16LE"
	case even > odd*9:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "read as UTF-16BE"
	}
	return nil, ""
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// hasC1 reports whether b has bytes 0x80–0x9F, control characters in
// ISO-8859 and quotes, dashes and letters in windows-125x.
func hasC1(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 && c <= 0x9f {
			return true
		}
	}
	return false
}

// latin2AsLatin1 reports whether text labelled ISO-8859-1 or windows-1252
// is Hungarian in ISO-8859-2: it has bytes that are ő or ű there (õ and û
// in Latin-1) and no 8-bit letter that Hungarian lacks.
func latin2AsLatin1(b []byte) bool {
	seen := false
	for _, c := range b {
		switch {
		case c < 0xc0:
		case c == 0xf5 || c == 0xfb || c == 0xd5 || c == 0xdb:
			seen = true
		case strings.IndexByte("\xe1\xe9\xed\xf3\xf6\xfa\xfc\xc1\xc9\xcd\xd3\xd6\xda\xdc", c) < 0:
			return false
		}
	}
	return seen
}

// mostlyUTF8 reports whether b has more valid multi-byte characters than
// invalid bytes: UTF-8 with a few broken bytes, not another charset.
func mostlyUTF8(b []byte) bool {
	good, bad := 0, 0
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n > 1:
			good++
		}
		i += n
	}
	return good > bad
}

// metaCharset finds the charset an HTML document declares in a <meta>
// element within its first KiB, as a browser does; "" if none.
func metaCharset(b []byte) string {
	head := bytes.ToLower(b[:min(len(b), 1024)])
	if m := metaRE.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

var metaRE = regexp.MustCompile(`<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)
