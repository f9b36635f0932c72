package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// affixes is the part of a hunspell .aff file the expander needs: affix
// rules by flag, and the flag and morphology aliases (AF, AM) that
// hu_HU.aff uses to keep its dictionary short.
type affixes struct {
	sfx, pfx map[byte][]affix
	cross    map[byte]bool // flag allows combining prefix and suffix
	af       []string      // AF aliases, 1-based: flags as bytes
	am       []string      // AM aliases, 1-based: morphological description
}

// affix is one SFX or PFX line: strip, add, the flags the result may take
// next (twofold suffixes), and the condition on the word it applies to.
type affix struct {
	strip, add string
	cont       string
	cond       []charClass
	morph      string // the rule's morphological description (AM alias resolved)
}

// charClass is one position of a hunspell condition: "." (any), "x",
// "[abc]" or "[^abc]".
type charClass struct {
	any, neg bool
	runes    string
}

func (c charClass) match(r rune) bool {
	if c.any {
		return true
	}
	return strings.ContainsRune(c.runes, r) != c.neg
}

func parseCond(s string) ([]charClass, error) {
	var out []charClass
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			out = append(out, charClass{any: true})
			i++
		case '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("condition %q: no ]", s)
			}
			body := s[i+1 : i+j]
			c := charClass{}
			if strings.HasPrefix(body, "^") {
				c.neg, body = true, body[1:]
			}
			c.runes = body
			out = append(out, c)
			i += j + 1
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			out = append(out, charClass{runes: string(r)})
			i += n
		}
	}
	return out, nil
}

// readAffixes parses the .aff file. Words and conditions are UTF-8; flags
// are single bytes (hu_HU.aff sets no FLAG type), so lines are split as
// bytes and never decoded as a whole.
func readAffixes(path string) (*affixes, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read affixes: %w", err)
	}
	a := &affixes{sfx: map[byte][]affix{}, pfx: map[byte][]affix{}, cross: map[byte]bool{}, af: []string{""}, am: []string{""}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "AF":
			if len(f) >= 2 && !isNumber(f[1]) || len(f) >= 3 && f[2] == "#" {
				a.af = append(a.af, f[1])
			}
		case "AM":
			if len(f) >= 2 && !(len(f) == 2 && isNumber(f[1])) {
				a.am = append(a.am, strings.Join(f[1:], " "))
			}
		case "SFX", "PFX":
			if len(f) == 4 && (f[2] == "Y" || f[2] == "N") && isNumber(f[3]) {
				a.cross[f[1][0]] = f[2] == "Y"
				continue
			}
			if len(f) < 5 {
				continue
			}
			r := affix{strip: f[2], add: f[3]}
			if r.strip == "0" {
				r.strip = ""
			}
			if i := strings.IndexByte(r.add, '/'); i >= 0 {
				r.cont = a.flags(r.add[i+1:])
				r.add = r.add[:i]
			}
			if r.add == "0" {
				r.add = ""
			}
			if r.cond, err = parseCond(f[4]); err != nil {
				return nil, err
			}
			if len(f) > 5 {
				r.morph = a.morph(f[5])
			}
			if f[0] == "SFX" {
				a.sfx[f[1][0]] = append(a.sfx[f[1][0]], r)
			} else {
				a.pfx[f[1][0]] = append(a.pfx[f[1][0]], r)
			}
		}
	}
	return a, sc.Err()
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// flags resolves an AF alias number to its flags.
func (a *affixes) flags(s string) string {
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < len(a.af) {
		return a.af[n]
	}
	return s
}

// morph resolves an AM alias number to its description.
func (a *affixes) morph(s string) string {
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < len(a.am) {
		return a.am[n]
	}
	return s
}

// endsWith reports whether word satisfies a suffix rule's condition.
func (r affix) endsWith(word string) bool {
	if !strings.HasSuffix(word, r.strip) {
		return false
	}
	rs := []rune(word)
	if len(r.cond) > len(rs) {
		return false
	}
	for i, c := range r.cond {
		if !c.match(rs[len(rs)-len(r.cond)+i]) {
			return false
		}
	}
	return true
}

// expand returns every form made of word with the suffix flags given.
// hu_HU.aff writes a whole inflection (person and tense, or possessive,
// number and case) as one suffix and uses a second suffix mostly for
// derivation ("ver" → "verendőbbekéiről"), which only multiplies forms no
// writer uses. So a second suffix is added only to the derivations a
// message uses as words of their own: the action noun (verés,
// bántalmazás), the participles (vert, verő, bántalmazó).
func (a *affixes) expand(word, flags string) []string {
	out := []string{word}
	var walk func(w, fl, morph string, depth int)
	walk = func(w, fl, morph string, depth int) {
		for i := 0; i < len(fl); i++ {
			for _, r := range a.sfx[fl[i]] {
				if !r.endsWith(w) {
					continue
				}
				form, m := w[:len(w)-len(r.strip)]+r.add, morph+" "+r.morph
				if !wanted(strings.Fields(m)) {
					continue
				}
				out = append(out, form)
				if depth == 1 && r.cont != "" && inflectedDerivation(r.morph) {
					walk(form, r.cont, m, depth+1)
				}
			}
		}
	}
	walk(word, flags, "", 1)
	return out
}

func inflectedDerivation(morph string) bool {
	for _, d := range []string{"ds:Ás_", "ds:tt_PASTPART", "ds:Ó_PRESPART"} {
		if strings.Contains(morph, d) {
			return true
		}
	}
	return false
}
