package triage

import (
	"strings"
	"unicode/utf8"
)

// Transliterated Russian and Ukrainian: a refugee without a Cyrillic
// keyboard writes "muzh skazal chto ubyot menja" or "pyshu z telefonu,
// ne vidpovidaite". Such a message is told by its frequent words (the
// langRUt and langUKt hints), rewritten in Cyrillic and read again, so
// that the Cyrillic lexicons read it: a Latin word becomes the lexicon
// word with the same skeleton (below), else a letter-by-letter
// transliteration. The verdict then says ru or uk.
//
// A skeleton is what is left of a word when the differences between the
// ways of writing Cyrillic in Latin letters are taken out: y, j and i are
// one letter, as are g, h and kh (Ukrainian г is h); soft signs and
// apostrophes go; ye, je, є and е are one; ya, ja and я are one; doubled
// letters are single. Both a lexicon word (from Cyrillic) and a message
// word (from Latin) are brought to it.

// translitMin is how many hint words of transliterated Russian or
// Ukrainian a message needs; they must also be at least one word in
// ten of the Latin words sampled, and no other language may have twice
// as many: a paragraph of Hungarian or English (how the writer found us,
// a polite closing) leaves Russian in Latin letters Russian, and the
// reading as written still wins when it is more urgent (row 16).
const translitMin = 3

// translitLang says whether the message read into s looks like
// transliterated Russian ("ru") or Ukrainian ("uk").
func translitLang(s *scratch) string {
	ru, uk := s.lang[langRUt], s.lang[langUKt]
	n := ru + uk
	if n < translitMin || n*10 < s.latin || s.other > s.latin {
		return ""
	}
	for l := 0; l < langRUt; l++ {
		if s.lang[l] >= 2*n {
			return ""
		}
	}
	if uk > ru {
		return "uk"
	}
	return "ru"
}

// translitIndex maps skeletons to the Cyrillic words of the rule set.
type translitIndex struct {
	ru, uk map[string]string // exact words; a word without a letter of one language is in both
	pre    []translitPrefix
}

type translitPrefix struct {
	skel, cyr string
	lang      uint8 // 1 ru, 2 uk, 3 both
}

// add puts a folded word of the rule set in the index when it is
// Cyrillic.
func (x *translitIndex) add(word string, prefix bool) {
	if word == "" || !isCyrillicWord(word) {
		return
	}
	sk := skeleton(cyrToLatin(word))
	if sk == "" {
		return
	}
	l := cyrLang(word)
	if prefix {
		x.pre = append(x.pre, translitPrefix{sk, word, l})
		return
	}
	if x.ru == nil {
		x.ru, x.uk = map[string]string{}, map[string]string{}
	}
	if _, ok := x.ru[sk]; !ok && l&1 != 0 {
		x.ru[sk] = word
	}
	if _, ok := x.uk[sk]; !ok && l&2 != 0 {
		x.uk[sk] = word
	}
}

// isCyrillicWord: every letter of the folded word is Cyrillic (an
// apostrophe may stand inside, as in "вб'є").
func isCyrillicWord(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case r >= 0x400 && r <= 0x4FF:
			letters++
		case r == '\'':
		default:
			return false
		}
	}
	return letters > 0
}

// cyrLang says which language a Cyrillic word may be: 2 Ukrainian when it
// has і, ї, є or ґ, 1 Russian when it has ы, э, ъ or ё, 3 either.
func cyrLang(w string) uint8 {
	var l uint8
	for _, r := range w {
		switch r {
		case 'і', 'ї', 'є', 'ґ':
			l |= 2
		case 'ы', 'э', 'ъ', 'ё':
			l |= 1
		}
	}
	if l == 0 || l == 3 {
		return 3
	}
	return l
}

// cyrLatin is a plain transliteration of each Cyrillic letter, before
// the skeleton is taken.
var cyrLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ie", 'ж': "zh", 'з': "z",
	'и': "i", 'і': "i", 'ї': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p",
	'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sh",
	'ъ': "", 'ь': "", 'ы': "i", 'э': "e", 'ю': "iu", 'я': "ia", 'ё': "io", '\'': "",
}

func cyrToLatin(w string) string {
	var b strings.Builder
	for _, r := range w {
		if l, ok := cyrLatin[r]; ok {
			b.WriteString(l)
		} else if r < utf8.RuneSelf {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// skeleton brings a Latin spelling of a Russian or Ukrainian word to the
// form all spellings share (see the top of this file). w is lower-case
// ASCII.
func skeleton(w string) string {
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		next := func(s string) bool { return strings.HasPrefix(w[i:], s) }
		switch {
		case next("shch"):
			b = append(b, 's', 'h')
			i += 3
		case next("sch"):
			b = append(b, 's', 'h')
			i += 2
		case next("kh"):
			b = append(b, 'h')
			i++
		case next("tz"):
			b = append(b, 't', 's')
			i++
		case c == 'c' && !next("ch"):
			b = append(b, 't', 's')
		case c == 'g' || c == 'x':
			b = append(b, 'h')
		case c == 'y' || c == 'j':
			b = append(b, 'i')
		case c == 'w':
			b = append(b, 'v')
		case c == 'q':
			b = append(b, 'k')
		case c == '\'' || c == '`':
		default:
			b = append(b, c)
		}
	}
	// ie, io → e (е, є, ё after a soft sign or a vowel); doubled letters
	// single.
	out := b[:0]
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == 'i' && i+1 < len(b) && (b[i+1] == 'e' || b[i+1] == 'o') {
			c = 'e'
			i++
		}
		if n := len(out); n > 0 && out[n-1] == c {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// latinCyr transliterates a Latin word letter by letter, for words that
// are in no lexicon: the script then says Cyrillic, as the writer meant.
var latinCyrMulti = []struct{ lat, ru, uk string }{
	{"shch", "щ", "щ"}, {"sch", "щ", "щ"}, {"zh", "ж", "ж"}, {"kh", "х", "х"}, {"ch", "ч", "ч"}, {"sh", "ш", "ш"},
	{"ts", "ц", "ц"}, {"ya", "я", "я"}, {"ja", "я", "я"}, {"ia", "я", "я"}, {"yu", "ю", "ю"}, {"ju", "ю", "ю"},
	{"iu", "ю", "ю"}, {"yo", "ё", "йо"}, {"jo", "ё", "йо"}, {"ye", "е", "є"}, {"je", "е", "є"}, {"ie", "е", "є"},
	{"yi", "ы", "ї"}, {"ji", "ы", "ї"},
}

var latinCyrOne = map[byte][2]string{
	'a': {"а", "а"}, 'b': {"б", "б"}, 'v': {"в", "в"}, 'g': {"г", "г"}, 'd': {"д", "д"}, 'e': {"е", "е"},
	'z': {"з", "з"}, 'i': {"и", "і"}, 'y': {"ы", "и"}, 'j': {"й", "й"}, 'k': {"к", "к"}, 'l': {"л", "л"},
	'm': {"м", "м"}, 'n': {"н", "н"}, 'o': {"о", "о"}, 'p': {"п", "п"}, 'r': {"р", "р"}, 's': {"с", "с"},
	't': {"т", "т"}, 'u': {"у", "у"}, 'f': {"ф", "ф"}, 'h': {"х", "г"}, 'c': {"ц", "ц"}, 'x': {"х", "х"},
	'w': {"в", "в"}, 'q': {"к", "к"}, '\'': {"ь", "ь"},
}

func latinToCyr(w string, uk bool) string {
	k := 0
	if uk {
		k = 1
	}
	var b strings.Builder
	for i := 0; i < len(w); {
		done := false
		for _, m := range latinCyrMulti {
			if strings.HasPrefix(w[i:], m.lat) {
				if uk {
					b.WriteString(m.uk)
				} else {
					b.WriteString(m.ru)
				}
				i += len(m.lat)
				done = true
				break
			}
		}
		if done {
			continue
		}
		if c, ok := latinCyrOne[w[i]]; ok {
			b.WriteString(c[k])
		} else {
			b.WriteByte(w[i])
		}
		i++
	}
	return b.String()
}

// cyrillic gives the Cyrillic word a Latin word of a transliterated
// message stands for: a lexicon word with its skeleton, a lexicon prefix
// and the rest transliterated, or the word transliterated.
func (x *translitIndex) cyrillic(w string, uk bool) string {
	sk := skeleton(w)
	m, want := x.ru, uint8(1)
	if uk {
		m, want = x.uk, 2
	}
	if c, ok := m[sk]; ok {
		return c
	}
	best := -1
	for i, p := range x.pre {
		if p.lang&want != 0 && strings.HasPrefix(sk, p.skel) && (best < 0 || len(p.skel) > len(x.pre[best].skel)) {
			best = i
		}
	}
	if best >= 0 {
		return x.pre[best].cyr + latinToCyr(sk[len(x.pre[best].skel):], uk)
	}
	return latinToCyr(w, uk)
}

// translitInput rewrites the subject and body of a transliterated message
// in Cyrillic, word by word; everything else stays as written.
func (r *Rules) translitInput(in Input, lang string) Input {
	out := in
	out.Subject = r.translitText(in.Subject, lang == "uk")
	out.Text = r.translitText(in.Text, lang == "uk")
	return out
}

func (r *Rules) translitText(s string, uk bool) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	isLetter := func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
	for i := 0; i < len(s); {
		if !isLetter(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && (isLetter(s[j]) || s[j] == '\'' && j+1 < len(s) && isLetter(s[j+1])) {
			j++
		}
		// A soft sign written as an apostrophe at the end: "dver'".
		if j < len(s) && s[j] == '\'' {
			j++
		}
		b.WriteString(r.translit.cyrillic(strings.ToLower(s[i:j]), uk))
		i = j
	}
	return b.String()
}
