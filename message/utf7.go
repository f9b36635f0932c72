package message

import (
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// utf7Decoder decodes UTF-7 (RFC 2152), which Outlook 2000 and some
// phones sent and golang.org/x/text does not read: ASCII stands for
// itself, and other characters are "+", the modified base64 of their
// UTF-16 code units, and an optional "-". "+-" is a plus sign.
type utf7Decoder struct {
	inBase64 bool
	fresh    bool   // a "+" was just read: "-" now means a plus sign
	bits     uint32 // base64 bits not yet made into a code unit
	nbits    uint
	high     rune // a high surrogate waiting for its low half
}

func (d *utf7Decoder) Reset() { *d = utf7Decoder{} }

func (d *utf7Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for ; nSrc < len(src); nSrc++ {
		if len(dst)-nDst < 2*utf8.UTFMax {
			return nDst, nSrc, transform.ErrShortDst
		}
		c := src[nSrc]
		if !d.inBase64 {
			switch {
			case c == '+':
				d.inBase64, d.fresh = true, true
			case c < utf8.RuneSelf:
				dst[nDst] = c
				nDst++
			default: // 8-bit bytes have no place in UTF-7
				nDst += utf8.EncodeRune(dst[nDst:], utf8.RuneError)
			}
			continue
		}
		v := base64Value(c)
		if v < 0 {
			// The run ends; a "-" ending it is absorbed.
			if d.fresh && c == '-' {
				dst[nDst] = '+'
				nDst++
			}
			nDst += d.flush(dst[nDst:])
			if c != '-' {
				nSrc-- // read c again as a direct character
			}
			continue
		}
		d.fresh = false
		d.bits = d.bits<<6 | uint32(v)
		d.nbits += 6
		if d.nbits >= 16 {
			d.nbits -= 16
			unit := rune(d.bits >> d.nbits & 0xffff)
			d.bits &= 1<<d.nbits - 1
			nDst += d.unit(dst[nDst:], unit)
		}
	}
	if atEOF {
		nDst += d.flush(dst[nDst:])
	}
	return nDst, nSrc, nil
}

// unit writes one UTF-16 code unit, pairing surrogates.
func (d *utf7Decoder) unit(dst []byte, u rune) int {
	n := 0
	if d.high != 0 {
		if utf16.IsSurrogate(u) && u >= 0xdc00 {
			r := utf16.DecodeRune(d.high, u)
			d.high = 0
			return utf8.EncodeRune(dst, r)
		}
		n = utf8.EncodeRune(dst, utf8.RuneError)
		d.high = 0
	}
	switch {
	case u >= 0xd800 && u < 0xdc00:
		d.high = u
	case utf16.IsSurrogate(u):
		n += utf8.EncodeRune(dst[n:], utf8.RuneError)
	default:
		n += utf8.EncodeRune(dst[n:], u)
	}
	return n
}

// flush ends a base64 run; a high surrogate left alone is an error.
func (d *utf7Decoder) flush(dst []byte) int {
	n := 0
	if d.high != 0 {
		n = utf8.EncodeRune(dst, utf8.RuneError)
	}
	d.inBase64, d.fresh, d.bits, d.nbits, d.high = false, false, 0, 0, 0
	return n
}

// base64Value is the value of a base64 digit, -1 for anything else.
func base64Value(c byte) int {
	switch {
	case 'A' <= c && c <= 'Z':
		return int(c - 'A')
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 26
	case '0' <= c && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return -1
}
