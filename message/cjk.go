package message

import (
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// East-Asian mail without a trustworthy label is double-byte text: a
// lead byte 0x81–0xFE and a trail byte. Validity cannot tell the
// charsets apart (GBK reads almost any pair, and Korean, Chinese and
// Japanese EUC share one 94×94 layout), but where each puts the
// characters everyday text is written with can: Big5's common hanzi have
// leads 0xA4–0xC6 and trails in 0x40–0x7E as often as above 0xA0;
// GB2312's have leads 0xB0–0xD7 and trails above 0xA0; the Hangul
// syllables of EUC-KR have leads 0xB0–0xC8, and Korean puts spaces
// between words where Chinese and Japanese do not; Japanese is a third
// kana or more, at leads 0x82–0x83 in Shift_JIS and 0xA4–0xA5 in EUC-JP.
// A reading convinces when nearly every 8-bit byte falls in common pairs
// of its charset and the language's mark is there, and no other reading
// comes close.

// dbcs is a double-byte charset as the guess sees it.
type dbcs struct {
	name string
	enc  encoding.Encoding
	// unit classifies the character starting at b[0] (b[0] >= 0x80):
	// its length (0 when it is not valid here) and whether it is common
	// or kana.
	unit func(b []byte) (n int, common, kana bool)
	// mark is the language's mark beyond common pairs: kana for Japanese,
	// spaces between words for Korean, none for Chinese, and for Big5
	// trail bytes below 0xA1, which the EUC charsets never have.
	mark func(s dbcsScore, spaced int) bool
}

// dbcsScore counts what a charset makes of a sample.
type dbcsScore struct {
	units, common, kana, bad int
	low                      int // pairs with a trail byte below 0xA1
}

var dbcsCharsets = []dbcs{
	{"Big5", traditionalchinese.Big5, big5Unit, func(s dbcsScore, spaced int) bool { return unspaced(s, spaced) && s.low*10 >= s.units }},
	{"GBK", simplifiedchinese.GBK, gbkUnit, unspaced},
	{"Shift_JIS", japanese.ShiftJIS, sjisUnit, hasKana},
	{"EUC-JP", japanese.EUCJP, eucJPUnit, hasKana},
	{"EUC-KR", korean.EUCKR, eucKRUnit, func(s dbcsScore, spaced int) bool { return spaced*10 >= s.units }},
}

func hasKana(s dbcsScore, _ int) bool { return s.kana*10 >= s.units }

func unspaced(s dbcsScore, spaced int) bool { return spaced*10 < s.units }

// maxDBCSSample bounds the bytes the guess looks at; the decision holds
// for the rest.
const maxDBCSSample = 64 << 10

// guessDoubleByte finds the East-Asian double-byte charset b is in, e
// nil when no reading convinces. looks is true when b is double-byte
// text all the same (a reading fits half its characters or more), so
// that no single-byte charset is to be tried. b is 8-bit text that is
// not UTF-8.
func guessDoubleByte(b []byte) (name string, e encoding.Encoding, looks bool) {
	b = b[:min(len(b), maxDBCSSample)]
	spaced := 0 // spaces between two 8-bit bytes
	for i := 1; i+1 < len(b); i++ {
		if b[i] == ' ' && b[i-1] >= 0x80 && b[i+1] >= 0x80 {
			spaced++
		}
	}
	best, first, second := -1, 0, 0 // the best reading, its share of common characters in percent, and the next share
	for i, c := range dbcsCharsets {
		s := c.score(b)
		if s.common < 2 || s.bad*50 > s.units {
			continue
		}
		share := s.common * 100 / s.units
		looks = looks || share >= 50
		if !c.mark(s, spaced) {
			continue
		}
		switch {
		case share > first:
			best, first, second = i, share, first
		case share > second:
			second = share
		}
	}
	// Two readings that fit about as well leave the text unread: a
	// Chinese reading of Korean would be as wrong as a Cyrillic one.
	if first < 85 || first-second < 5 {
		return "", nil, looks
	}
	return dbcsCharsets[best].name, dbcsCharsets[best].enc, true
}

// score reads b as c, counting its 8-bit characters and the bytes it
// cannot read.
func (c dbcs) score(b []byte) dbcsScore {
	var s dbcsScore
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		n, common, kana := c.unit(b[i:])
		s.units++
		switch {
		case n == 0:
			s.bad++
			n = 1
		case common:
			s.common++
		}
		if n == 2 && b[i+1] < 0xa1 {
			s.low++
		}
		if kana {
			s.kana++
		}
		i += n
	}
	return s
}

func in(c, lo, hi byte) bool { return lo <= c && c <= hi }

// pair returns the lead and trail of b, trail 0 when b has no second byte.
func pair(b []byte) (lead, trail byte) {
	if len(b) < 2 {
		return b[0], 0
	}
	return b[0], b[1]
}

func big5Unit(b []byte) (int, bool, bool) {
	l, t := pair(b)
	if !in(l, 0x81, 0xfe) || !in(t, 0x40, 0x7e) && !in(t, 0xa1, 0xfe) {
		return 0, false, false
	}
	return 2, in(l, 0xa1, 0xc6), false
}

func gbkUnit(b []byte) (int, bool, bool) {
	l, t := pair(b)
	if !in(l, 0x81, 0xfe) || !in(t, 0x40, 0x7e) && !in(t, 0x80, 0xfe) {
		return 0, false, false
	}
	return 2, (in(l, 0xa1, 0xa3) || in(l, 0xb0, 0xd7)) && t >= 0xa1, false
}

func eucKRUnit(b []byte) (int, bool, bool) {
	l, t := pair(b)
	switch {
	case in(l, 0xa1, 0xfe) && in(t, 0xa1, 0xfe):
		return 2, in(l, 0xa1, 0xa3) || in(l, 0xb0, 0xc8), false
	case in(l, 0x81, 0xc6) && (in(t, 0x41, 0x5a) || in(t, 0x61, 0x7a) || in(t, 0x81, 0xfe)):
		return 2, false, false // the Hangul that Windows added (CP949)
	}
	return 0, false, false
}

func sjisUnit(b []byte) (int, bool, bool) {
	l, t := pair(b)
	switch {
	case in(l, 0xa1, 0xdf):
		return 1, false, false // half-width katakana
	case !in(l, 0x81, 0x9f) && !in(l, 0xe0, 0xfc) || !in(t, 0x40, 0x7e) && !in(t, 0x80, 0xfc):
		return 0, false, false
	}
	kana := l == 0x82 && t >= 0x9f || l == 0x83 && t <= 0x96
	return 2, in(l, 0x81, 0x83) || in(l, 0x88, 0x98), kana
}

func eucJPUnit(b []byte) (int, bool, bool) {
	l, t := pair(b)
	switch {
	case l == 0x8e && in(t, 0xa1, 0xdf):
		return 2, false, false // half-width katakana
	case l == 0x8f && len(b) >= 3 && in(t, 0xa1, 0xfe) && in(b[2], 0xa1, 0xfe):
		return 3, false, false // JIS X 0212
	case !in(l, 0xa1, 0xfe) || !in(t, 0xa1, 0xfe):
		return 0, false, false
	}
	kana := l == 0xa4 || l == 0xa5
	return 2, in(l, 0xa1, 0xa5) || in(l, 0xb0, 0xcf), kana
}
