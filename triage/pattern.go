package triage

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// minPrefix is the shortest prefix a rule may use. Shorter prefixes hit
// hundreds of unrelated Hungarian words ("ol*" 313 stems, "kes*" 126): write
// the exact words instead.
const minPrefix = 5

// elem is one folded word of a pattern: an exact word, or a prefix that
// matches every word starting with it.
type elem struct {
	word   string
	prefix bool
}

func (e elem) String() string {
	if e.prefix {
		return e.word + "*"
	}
	return e.word
}

// phrase is a "match" pattern: one or more words that must follow each
// other; each place may list alternatives ("ne valaszol*|irj*").
type phrase struct {
	text  string
	slots [][]elem
	ids   [][]int32 // elem ids of slots, set by compile
}

// near is a "near" pattern: a word from the first list and a word from the
// second, in either order, at most within words apart.
type near struct {
	first, second []elem
	within        int
}

func (n near) String() string {
	return fmt.Sprintf("%s ~%d %s", elemList(n.first), n.within, elemList(n.second))
}

func elemList(es []elem) string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.String()
	}
	return strings.Join(s, "|")
}

// parsePhrase parses a match pattern such as "nem enged* ki" or
// "ne valaszol*|irj*".
// Commas and hyphens split words in a message, so they split them in a
// phrase too: "félek, hogy megöl" and "m-a bătut" work as written.
func parsePhrase(s string) (phrase, error) {
	for _, f := range strings.Fields(s) {
		if strings.Contains(f, "|") && strings.Contains(f, "-") {
			return phrase{}, fmt.Errorf("pattern %q: %q: a hyphen splits a word into two places, so these alternatives never match as written; "+
				"write the hyphenated word as a pattern of its own", s, f)
		}
	}
	fields := strings.Fields(strings.NewReplacer(",", " ", "-", " ").Replace(s))
	if len(fields) == 0 {
		return phrase{}, fmt.Errorf("empty pattern")
	}
	p := phrase{text: strings.Join(fields, " ")}
	for i, f := range fields {
		alts := strings.Split(f, "|")
		next := ""
		if i+1 < len(fields) {
			next = fields[i+1]
		}
		if w, ok := sharedWithNext(alts, next); ok {
			return phrase{}, fmt.Errorf("pattern %q: %q stands among the alternatives of one place and as the next place, so a phrase "+
				"was written as an alternative (\"a|b c\" is a or b, then c) and the pattern never matches as meant; "+
				"write each phrase as a pattern of its own", s, w)
		}
		if a, b, ok := splitContraction(alts, next); ok {
			return phrase{}, fmt.Errorf("pattern %q: %q stands as one word beside %q, so the words after it are a place of their own: "+
				"\"|\" lists one-word alternatives; write the long form (%q …) as a pattern of its own", s, a, b, a)
		}
		var slot []elem
		for _, alt := range alts {
			e, err := parseElem(alt, true)
			if err != nil {
				return phrase{}, fmt.Errorf("pattern %q: %w", s, err)
			}
			slot = append(slot, e)
		}
		p.slots = append(p.slots, slot)
	}
	return p, nil
}

// sharedWithNext finds a word that stands both among the alternatives of
// one place and in the next place: "gate|door|front door" reads "gate,
// door or front", then "door", so "at the door" never matches.
func sharedWithNext(alts []string, next string) (string, bool) {
	if len(alts) < 2 {
		return "", false
	}
	for _, n := range strings.Split(next, "|") {
		if slices.Contains(alts, n) {
			return n, true
		}
	}
	return "", false
}

// contracted gives the word an English contraction's ending stands for.
var contracted = map[string]string{"m": "am", "s": "is", "ll": "will", "re": "are", "d": "would", "ve": "have"}

// splitContraction finds, among the alternatives of one place, the first
// word of a contraction's long form beside the contraction, with the
// long form's second word in the next place ("i'm|im|i am on …", "won't|will
// not stop …"): its author meant "i am" as one alternative, but a space
// ends a place, so "am" is a word every match needs and "i'm on" never
// matches.
func splitContraction(alts []string, next string) (short, contraction string, found bool) {
	for _, a := range alts {
		if strings.Contains(a, "'") {
			continue
		}
		for _, b := range alts {
			second := ""
			switch {
			case b == a+"n't" || a == "will" && b == "won't" || a == "can" && b == "can't":
				second = "not"
			case strings.HasPrefix(b, a+"'"):
				second = contracted[b[len(a)+1:]]
			}
			if second != "" && slices.Contains(strings.Split(next, "|"), second) {
				return a, b, true
			}
		}
	}
	return "", "", false
}

// parseWord parses one word of a near list, an exclude list (prefixes of
// any length allowed there) or an allow list (no prefixes).
func parseWord(s string, prefixOK, checkLen bool) (elem, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, " \t|") {
		return elem{}, fmt.Errorf("%q: write one word here, not a phrase or alternatives", s)
	}
	e, err := parseElem(s, checkLen)
	if err != nil {
		return elem{}, fmt.Errorf("%q: %w", s, err)
	}
	if e.prefix && !prefixOK {
		return elem{}, fmt.Errorf("%q: write the whole word here, without *", s)
	}
	return e, nil
}

func parseElem(s string, checkLen bool) (elem, error) {
	if s == "" {
		return elem{}, fmt.Errorf("empty word")
	}
	if id, ok := strings.CutPrefix(s, "@"); ok {
		if !conceptID.MatchString(id) {
			return elem{}, fmt.Errorf("%q: a concept is named @ and its id (letters, digits, _)", s)
		}
		return elem{word: s}, nil
	}
	var e elem
	if strings.HasSuffix(s, "*") {
		e.prefix = true
		s = s[:len(s)-1]
	}
	if strings.Contains(s, "*") {
		return elem{}, fmt.Errorf("* may only end a word")
	}
	if strings.ContainsAny(s, "-.,") {
		return elem{}, fmt.Errorf("punctuation splits words in a message: write %q as separate words", s)
	}
	e.word = Fold(strings.ReplaceAll(s, "\u2019", "'"))
	letters := 0
	for _, r := range e.word {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letters++
		case r == '\'':
		default:
			return elem{}, fmt.Errorf("%q is not a letter or digit", r)
		}
	}
	if letters == 0 {
		return elem{}, fmt.Errorf("empty word")
	}
	if e.prefix && checkLen && letters < minPrefix {
		return elem{}, fmt.Errorf("prefix %q is shorter than %d letters: it would hit many unrelated words; list the exact words instead (for example kes, kest, kessel)", e.word+"*", minPrefix)
	}
	return e, nil
}
