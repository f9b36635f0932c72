package triage

import (
	"math"
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text: where it stands in the text as given and
// its folded form (lower case, accents removed) in a shared buffer.
type token struct {
	start, end int32     // byte offsets in the original text
	f0, f1     int32     // folded bytes: words.buf[f0:f1]
	sent       int32     // sentence number, counted from 0
	m0, m1     int32     // elements that matched this word: matches[m0:m1]
	clause     int32     // clause number, counted from 0 (see opensClause)
	class      wordClass // the policy's word classes (wordclass.go), set by the match
	feat       feat      // what the word's ending says, when it is a form of a lemma
	region     Region    // new text, quoted, forwarded
	punct      bool      // a comma, colon, dash, bracket or quote stands before the word
	cite       bool      // a colon and then a quotation mark stand before the word: a quotation opens
	quoted     bool      // the word stands between quotation marks of its paragraph ("he choked me")
	foreign    bool      // a letter of a Latin alphabet triage does not read (ą ł ř ů …)
}

// words is a tokenised text. Its slices are reused between calls.
type words struct {
	toks []token
	buf  []byte
	// sents and clauses hold the first token of each sentence and each
	// clause (opensClause), so that the policy finds them at once.
	sents, clauses []int32
	// Letters that point to Hungarian, outside quoted text: ő ű (and the
	// legacy õ û) are Hungarian only; á é í ó ú are shared with a few
	// languages okit rarely sees.
	huStrong, huWeak int
	// foreignLetters: letters of a Latin alphabet triage does not read
	// (č š ž ť ł ř …); with two or more, the acute accents are Slovak,
	// Czech or Polish ones, no sign of Hungarian.
	foreignLetters int
}

func (w *words) folded(i int) []byte { return w.buf[w.toks[i].f0:w.toks[i].f1] }

// Fold returns s in the form rules are matched against: Unicode
// compatibility decomposition, combining marks removed, lower case. Both
// "Megölt", "megolt" and the legacy "megõlt" fold to "megolt". Word
// boundaries and punctuation are kept as they are.
func Fold(s string) string {
	return string(appendFold(make([]byte, 0, len(s)), s))
}

// appendFold appends the folded form of s to out.
func appendFold(out []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '\u2019' || r == '\u02bc' {
			out = append(out, '\'')
		} else {
			out = appendFoldedRune(out, s[i:], r)
		}
		i += n
	}
	return out
}

// appendFoldedRune appends the folded form of r, which starts s. The
// decomposition is looked up in place, so nothing is allocated.
func appendFoldedRune(dst []byte, s string, r rune) []byte {
	if c, ok := foldLatin(r); ok {
		return append(dst, c)
	}
	if unicode.Is(unicode.Mn, r) {
		return dst
	}
	d := norm.NFKD.PropertiesString(s).Decomposition()
	if d == nil {
		return utf8.AppendRune(dst, unicode.ToLower(r))
	}
	for len(d) > 0 {
		q, n := utf8.DecodeRune(d)
		d = d[n:]
		if unicode.Is(unicode.Mn, q) {
			continue
		}
		if q < utf8.RuneSelf {
			if 'A' <= q && q <= 'Z' {
				q += 'a' - 'A'
			}
			dst = append(dst, byte(q))
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(q))
	}
	return dst
}

// asciiWord maps a byte to its folded form when it is an ASCII letter or
// digit (letters lowered, digits kept), and every other byte to '.'.
const asciiWord = "................................................0123456789.......abcdefghijklmnopqrstuvwxyz......abcdefghijklmnopqrstuvwxyz....." +
	"................................................................................................................................"

// tokenizer is the state of tokenize between words. The bytes of a word
// are copied in tokenize's own loop, where the compiler keeps the buffer
// in registers: most of a message is ASCII letters, and that loop was
// most of the time of triage.
type tokenizer struct {
	spans     []span
	si        int // the span of the current word, or the next one
	in        Region
	regionEnd int // where the region in ends
	toks      []token
	cur       *token // the word being read, the last of toks
	sent      int32
	newlines  int
	breakNext bool
	inTok     bool
	skip      bool // the word is in a signature or unread span
	punct     bool
	colon     bool // a colon since the last word
	cite      bool // a colon, then a quotation mark, since the last word
	quote     bool // a quotation mark opened in this paragraph and not yet closed
}

// start begins a word at byte at of the text and byte f0 of the folded
// buffer.
func (z *tokenizer) start(at, f0 int) {
	if z.breakNext {
		z.sent++
		z.breakNext = false
	}
	z.newlines = 0
	if at >= z.regionEnd {
		z.region(at)
	}
	z.inTok = true
	// The word is written in place, a field at a time: a token built
	// aside and then copied in was read back in 16-byte moves from the
	// narrower stores just made, which the processor cannot forward, and
	// that stall was a fifth of tokenize.
	z.toks = append(z.toks, token{})
	t := &z.toks[len(z.toks)-1]
	t.start, t.f0, t.sent, t.region, t.punct, t.cite = int32(at), int32(f0), z.sent, z.in, z.punct, z.cite
	t.quoted = z.quote
	z.cur = t
	z.punct, z.colon, z.cite = false, false, false
}

// region finds the region of byte at, and where it ends.
func (z *tokenizer) region(at int) {
	for z.si < len(z.spans) && z.spans[z.si].end <= at {
		z.si++
	}
	z.in, z.regionEnd = RegionNew, math.MaxInt
	if z.si < len(z.spans) {
		if sp := z.spans[z.si]; sp.start <= at {
			z.in, z.regionEnd = sp.region, sp.end
		} else {
			z.regionEnd = sp.start
		}
	}
	z.skip = z.in == RegionSignature || z.in == RegionUnread
}

// end ends the word at byte at of the text, and returns the folded buffer
// without the word when it is skipped.
func (z *tokenizer) end(at int, buf []byte) []byte {
	z.inTok = false
	if z.skip {
		z.toks = z.toks[:len(z.toks)-1]
		return buf[:z.cur.f0]
	}
	z.cur.end, z.cur.f1 = int32(at), int32(len(buf))
	return buf
}

// tokenize splits s into words: runs of letters and digits, with combining
// marks and an apostrophe between letters ("don't", "вб'є") kept inside.
// Sentences end at . ! ? ; … and at a blank line. Offsets are bytes in s.
// Words inside signature and unread spans are skipped; other words get
// the region of the span they fall in.
func tokenize(s string, spans []span, w *words) {
	if n := 16 + len(s)/6; cap(w.toks) < n {
		w.toks = make([]token, 0, n)
	}
	if cap(w.buf) < len(s) {
		w.buf = make([]byte, 0, len(s))
	}
	z := tokenizer{spans: spans, toks: w.toks[:0]}
	buf := w.buf[:0]
	w.huStrong, w.huWeak, w.foreignLetters = 0, 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		if f := asciiWord[c]; f != '.' {
			if !z.inTok {
				z.start(i, len(buf))
			}
			for {
				buf = append(buf, f)
				if i++; i == len(s) {
					break
				}
				if f = asciiWord[s[i]]; f == '.' {
					break
				}
			}
			continue
		}
		if c < utf8.RuneSelf {
			if c == '\'' && z.inTok && i+1 < len(s) && isLetterAt(s, i+1) {
				buf = append(buf, '\'')
				i++
				continue
			}
			if z.inTok {
				buf = z.end(i, buf)
			}
			switch c {
			case '.':
				// "e.g.", "pl.", "stb.", "dr.", "Rákóczi u. 12" end no sentence.
				if !(len(z.toks) > 0 && int(z.cur.end) == i && z.cur.f1 > z.cur.f0 && !z.skip &&
					abbreviation(buf[z.cur.f0:z.cur.f1])) {
					z.breakNext = true
				}
			case '!', '?', ';':
				z.breakNext = true
			case '\n':
				if z.newlines++; z.newlines >= 2 {
					z.breakNext = true
					z.quote = false // an unclosed quotation ends with its paragraph
				}
				// A line break is at least a comma: phone-typed mail
				// ends its sentences with one ("a zár semmit nem ér⏎ne
				// írjatok vissza").
				z.punct = true
			case ' ', '\t', '\r':
			case ',', ':', '(', ')', '"', '-':
				z.punct = true
				z.newlines = 0
				z.colon = z.colon || c == ':'
				z.cite = z.cite || c == '"' && z.colon
				if c == '"' {
					z.quote = !z.quote
				}
			default:
				z.newlines = 0
			}
			i++
			continue
		}
		r, n := decodeRune(s, i)
		switch fc, ok := foldLatin(r); {
		case ok:
			if !z.inTok {
				z.start(i, len(buf))
			}
			buf = append(buf, fc)
			if z.cur.region == RegionNew {
				switch r {
				case 'ő', 'ű', 'Ő', 'Ű', 'õ', 'û':
					w.huStrong++
				case 'á', 'é', 'í', 'ó', 'ú', 'Á', 'É', 'Í', 'Ó', 'Ú':
					w.huWeak++
				case 'ö', 'ü', 'Ö', 'Ü', 'ä', 'Ä', 'ß', 'ă', 'â', 'î', 'ș', 'ț', 'ş', 'ţ', 'Ă', 'Â', 'Î', 'Ș', 'Ț':
				default:
					z.cur.foreign = true
					w.foreignLetters++
				}
			}
		case r == '\u2019' || r == '\u02bc':
			if z.inTok && i+n < len(s) && isLetterAt(s, i+n) {
				buf = append(buf, '\'')
			} else if z.inTok {
				buf = z.end(i, buf)
			}
		case isPlainCyrillic(r):
			if !z.inTok {
				z.start(i, len(buf))
			}
			if r < 'а' {
				r += 'а' - 'А'
			}
			buf = utf8.AppendRune(buf, r)
		case unicode.Is(unicode.Mn, r):
			// A combining mark belongs to the word before it (NFD input).
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !z.inTok {
				z.start(i, len(buf))
			}
			buf = appendFoldedRune(buf, s[i:], r)
		default:
			if z.inTok {
				buf = z.end(i, buf)
			}
			if r == '\u2026' { // …
				z.breakNext = true
			}
			z.punct = true
			z.cite = z.cite || z.colon && (r == '“' || r == '„' || r == '»' || r == '«' || r == '”')
			switch r {
			case '“', '„':
				z.quote = true
			case '”':
				z.quote = false
			case '«', '»': // »…« and «…» both
				z.quote = !z.quote
			}
		}
		i += n
	}
	if z.inTok {
		buf = z.end(len(s), buf)
	}
	// Room for 8 bytes after the last word, so that a word's first 8
	// bytes are read in one load (memoKey).
	w.toks, w.buf = z.toks, slices.Grow(buf, 8)
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) with the two-byte
// sequences, those of á é ő ű and the other accented Latin letters,
// decoded in line: they are most of what is not ASCII in a letter.
func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s[i:])
}

// isPlainCyrillic reports whether r is one of А…я (U+0410…U+044F), the
// letters of most Ukrainian and Russian text, other than Й й: they have
// no decomposition, so folding one only lowers it. Without this fast path
// each went through the Unicode tables three times and the NFKD lookup.
// Й й decompose (и with a breve) and fold to и on the slow path.
func isPlainCyrillic(r rune) bool {
	return 'А' <= r && r <= 'я' && r != 'Й' && r != 'й'
}

// opensClause numbers the clause of word i of w, once the word's classes
// are set and the words before it are numbered (matchField does it as it
// reads the words), and reports whether a clause starts at the word; then
// newClause records it. A clause ends with its sentence, and before a
// conjunction, relative word or "now" that follows a comma, colon or dash
// ("…, hogy megöl", "…, but he", "m-a bătut acum doi ani, acum locuim
// separat"), or before a contrasting conjunction even
// without one ("de tegnap", "but now"): softeners (a past, a negation)
// reach only the words of their own clause.
func (w *words) opensClause(i int) bool {
	t := &w.toks[i]
	if i == 0 {
		t.clause = 0
		return true
	}
	p := &w.toks[i-1]
	t.clause = p.clause
	if p.sent == t.sent && t.class&clsContrast == 0 && !(t.punct && t.class&clsClauseWord != 0) {
		return false
	}
	t.clause++
	return true
}

// newClause records that a clause, and maybe a sentence, starts at word i.
func (w *words) newClause(i int) {
	w.clauses = append(w.clauses, int32(i))
	t := &w.toks[i]
	if i > 0 && w.toks[i-1].sent == t.sent {
		return
	}
	for int(t.sent) >= len(w.sents) { // sentences without words keep their number
		w.sents = append(w.sents, int32(i))
	}
}

// sentence gives the first and last token of the sentence of token i.
func (w *words) sentence(i int) (lo, hi int) {
	s := w.toks[i].sent
	lo, hi = int(w.sents[s]), len(w.toks)-1
	if int(s)+1 < len(w.sents) {
		hi = int(w.sents[s+1]) - 1
	}
	return lo, hi
}

func isLetterAt(s string, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// abbreviation reports whether a folded word followed by a full stop is
// an abbreviation rather than the end of a sentence.
func abbreviation(w []byte) bool {
	switch string(w) {
	case "e", "g", "pl", "stb", "ill", "dr", "kb", "un", "vo", "ld", "u", "approx", "vs", "mr", "mrs", "ms", "nr", "str",
		"bzw", "ca", "z", "b", "d", "h", "ul", "kv":
		return true
	}
	return false
}
