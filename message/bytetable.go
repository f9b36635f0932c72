package message

import (
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// byteTable decodes a single-byte charset okit puts together itself.
type byteTable [256]rune

// latin2With1250 is ISO-8859-2 with windows-1250's characters where
// ISO-8859 has control characters: what mailers that label windows-1250
// as ISO-8859-2 send.
var latin2With1250 = func() *byteTable {
	t := tableFrom(charmap.ISO8859_2)
	for c := 0x80; c <= 0x9f; c++ {
		t[c] = charmap.Windows1250.DecodeByte(byte(c))
	}
	return t
}()

// hungarian1252 is windows-1252 with ő, ű, Ő and Ű where ISO-8859-2 has
// them and Latin-1 has õ, û, Õ and Û.
var hungarian1252 = func() *byteTable {
	t := tableFrom(charmap.Windows1252)
	t[0xf5], t[0xfb], t[0xd5], t[0xdb] = 'ő', 'ű', 'Ő', 'Ű'
	return t
}()

func tableFrom(cm *charmap.Charmap) *byteTable {
	var t byteTable
	for c := range t {
		t[c] = cm.DecodeByte(byte(c))
	}
	return &t
}

func tableOf(t *byteTable) func() transform.Transformer {
	return func() transform.Transformer { return t }
}

func (t *byteTable) Reset() {}

func (t *byteTable) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if c < utf8.RuneSelf {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = c
			nDst++
		} else {
			if len(dst)-nDst < utf8.UTFMax {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst += utf8.EncodeRune(dst[nDst:], t[c])
		}
		nSrc++
	}
	return nDst, nSrc, nil
}
