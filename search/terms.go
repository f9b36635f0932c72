package search

import (
	"slices"
	"strings"
	"unicode"

	"github.com/ncsszi/okit/triage"
)

// Tokenizer cuts a text into words, calling emit with each word as
// written but folded, and its stem (the word itself when it has no
// ending); the same word may come more than once. The index and its
// queries use the same one, so that a query's words meet the text's in
// one form.
type Tokenizer func(text string, emit func(word, stem string))

// Terms is okit's tokenizer: the text folded as triage folds it (lower
// case, accents removed, so "Megütött" and "megutott" are one word), cut
// into words, each word stemmed by stripping Hungarian endings
// (Stem). It is the one place to swap in triage's lemmas when triage
// exports them.
func Terms(text string, emit func(word, stem string)) {
	for w := range strings.FieldsFuncSeq(triage.Fold(text), notWordRune) {
		w = strings.Trim(w, ".-_'")
		if w == "" {
			continue
		}
		emit(w, Stem(w))
	}
}

// notWordRune cuts words: letters and digits are words; an address
// (anna@example.test) or a case reference stays one word thanks to @ . -.
func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '@' && r != '.' && r != '-' && r != '_' && r != '\''
}

// minStem is the shortest stem an ending is stripped down to: "apa" keeps
// its a, "apam" loses its m.
const minStem = 3

// endings are Hungarian inflectional endings as folded (accents gone),
// longest first within each pass, so that "-jatok" goes before "-ok".
// Stem strips one after another until none is left: "férjemet" →
// "ferjem" → "ferj". Since each step depends only on the word so far, two
// forms that meet on the way end at the same stem.
// It overreaches now and then ("kérés" and "kér" meet); for a search box,
// finding a case in a second word form matters more than a few extra hits.
var endings = byLastLetter([]string{
	// cases
	"nak", "nek", "val", "vel", "ban", "ben", "ba", "be", "bol", "ra", "re", "rol", "hoz", "hez", "nal", "nel",
	"tol", "ig", "ert", "kent", "ul", "on", "en", "ot", "et", "at", "t", "n",
	// plural and possession
	"ok", "ek", "ak", "k", "om", "em", "am", "m", "od", "ed", "ad", "d", "ja", "je", "a", "e", "unk", "junk",
	"tok", "tek", "jatok", "jetek", "juk", "jule", "uk", "ik", "ai", "ei", "i", "aim", "eim", "im",
	// verbs: past, conditional, infinitive, persons
	"ott", "ett", "tt", "tam", "tem", "tad", "ted", "tunk", "tuk", "tak", "tek", "ni", "na", "ne", "nal", "nek",
	"ok", "ol", "el", "sz", "unk", "tok", "nak", "hat", "het", "hatok",
})

// byLastLetter files the endings by their last letter, each letter's
// longest first, so that a word is tried only against the endings it can
// have.
func byLastLetter(list []string) [256][]string {
	var out [256][]string
	for _, e := range list {
		if l := &out[e[len(e)-1]]; !slices.Contains(*l, e) {
			*l = append(*l, e)
		}
	}
	for i := range out {
		slices.SortStableFunc(out[i], func(a, b string) int { return len(b) - len(a) })
	}
	return out
}

// Stem strips Hungarian endings from a folded word, keeping at least
// minStem letters. Words with digits, addresses and references are kept
// whole.
func Stem(w string) string {
	if strings.ContainsAny(w, "0123456789@.") {
		return w
	}
	for cut := w != ""; cut; {
		cut = false
		for _, e := range endings[w[len(w)-1]] {
			if len(w)-len(e) >= minStem && strings.HasSuffix(w, e) {
				w, cut = w[:len(w)-len(e)], true
				break
			}
		}
	}
	return w
}
