package triage

import (
	"regexp"
	"slices"
	"strings"

	"github.com/kljensen/snowball/english"
	"gopkg.in/yaml.v3"
)

// concept is a named lexicon: the Hungarian lemmas, English lemmas and
// other words that mean one thing (a threat to kill, a weapon, "now").
// A rule names it as @id in match or near, and then every form of every
// lemma counts: "megöl" stands for megölöm, megöllek, megolte, "öli meg";
// "kill" for kills, killed, killing.
type concept struct {
	id      string
	line    int
	note    string
	hu      []string // Hungarian lemmas, as written in a dictionary
	en      []string // English lemmas
	words   []elem   // words and prefixes of any language, matched as written
	exclude []string // folded forms that must not count
	elem    int32    // set by compile
}

// conceptID is the form of a concept's id: no dashes, since a dash splits
// the words of a phrase.
var conceptID = regexp.MustCompile(`^[a-z0-9_]+$`)

var conceptKeys = []string{"id", "note", "hu", "en", "words", "exclude"}

// concept reads one entry of the concepts list.
func (l *loader) concept(n *yaml.Node) *concept {
	if n.Kind != yaml.MappingNode {
		l.fail(n, "each concept must be a mapping (id:, hu:, en:, words: …)")
		return nil
	}
	before := len(l.problems)
	c := &concept{line: n.Line}
	for _, kv := range l.pairs(n, conceptKeys...) {
		switch kv.key {
		case "id":
			c.id = l.str(kv.val)
			if !conceptID.MatchString(c.id) {
				l.fail(kv.val, "bad concept id %q: use lower-case letters, digits and _", kv.val.Value)
			}
		case "note":
			c.note = l.str(kv.val)
		case "hu", "en", "exclude":
			for _, p := range l.list(kv.val) {
				w := l.str(p)
				if w == "" || strings.ContainsAny(w, " \t*|") {
					l.fail(p, "%s: write one word per entry, without * or |: %q", kv.key, p.Value)
					continue
				}
				switch kv.key {
				case "hu":
					c.hu = append(c.hu, strings.ToLower(w))
				case "en":
					c.en = append(c.en, Fold(w))
				default:
					c.exclude = append(c.exclude, Fold(w))
				}
			}
		case "words":
			for _, p := range l.list(kv.val) {
				e, err := parseWord(l.str(p), true, true)
				if err != nil {
					l.fail(p, "words: %v", err)
					continue
				}
				c.words = append(c.words, e)
			}
		}
	}
	if c.id == "" {
		l.fail(n, "concept without an id")
	}
	if len(c.hu)+len(c.en)+len(c.words) == 0 && len(l.problems) == before {
		l.fail(n, "concept %q lists no words: give hu:, en: or words:", c.id)
	}
	if len(l.problems) > before {
		return nil
	}
	return c
}

// conceptRefs returns the concept ids a rule names with @.
func (ru *rule) conceptRefs() []string {
	var out []string
	add := func(es []elem) {
		for _, e := range es {
			if id, ok := strings.CutPrefix(e.word, "@"); ok {
				out = append(out, id)
			}
		}
	}
	for _, ph := range ru.phrases {
		for _, s := range ph.slots {
			add(s)
		}
	}
	for _, nr := range ru.nears {
		add(nr.first)
		add(nr.second)
	}
	return out
}

// englishForms gives the forms of an English lemma that a message may
// use: the lemma, -s, -es, -ed, -d, -ing with e dropped or the consonant
// doubled, -ied/-ies, kept only where the Snowball stemmer takes them back
// to the lemma's stem, and the irregular forms.
func englishForms(lemma string) []string {
	stem := english.Stem(lemma, true)
	cands := []string{lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
	if n := len(lemma); n > 2 {
		last := lemma[n-1]
		if last == 'e' {
			cands = append(cands, lemma[:n-1]+"ing")
		}
		if last == 'y' {
			cands = append(cands, lemma[:n-1]+"ied", lemma[:n-1]+"ies")
		}
		if !isVowel(last) && isVowel(lemma[n-2]) && !isVowel(lemma[n-3]) && !strings.ContainsRune("wxy", rune(last)) {
			cands = append(cands, lemma+string(last)+"ed", lemma+string(last)+"ing")
		}
	}
	var out []string
	for _, c := range cands {
		if english.Stem(c, true) == stem {
			out = append(out, c)
		}
	}
	return append(out, irregularEnglish[lemma]...)
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// irregularEnglish lists the forms the stemmer cannot bring back to the
// lemma: the past and participles of strong verbs.
var irregularEnglish = map[string][]string{
	"beat": {"beaten"}, "bite": {"bit", "bitten"}, "break": {"broke", "broken"}, "buy": {"bought"},
	"catch": {"caught"}, "drink": {"drank", "drunk"}, "drive": {"drove", "driven"}, "feel": {"felt"},
	"fight": {"fought"}, "find": {"found"}, "flee": {"fled"}, "get": {"got", "gotten"}, "hang": {"hung"},
	"hide": {"hid", "hidden"}, "hold": {"held"}, "keep": {"kept"}, "leave": {"left"}, "lose": {"lost"},
	"pay": {"paid"}, "read": {"read"}, "run": {"ran"}, "say": {"said"}, "see": {"saw", "seen"},
	"sell": {"sold"}, "send": {"sent"}, "shoot": {"shot"}, "sleep": {"slept"}, "steal": {"stole", "stolen"},
	"strike": {"struck"}, "swear": {"swore", "sworn"}, "take": {"took", "taken"}, "tell": {"told"},
	"throw": {"threw", "thrown"}, "wake": {"woke", "woken"}, "write": {"wrote", "written"},
	"bring": {"brought"}, "fall": {"fell", "fallen"}, "choose": {"chose", "chosen"}, "forbid": {"forbade", "forbidden"},
	"lie": {"lay", "lain"}, "swallow": {"swallowed"}, "bleed": {"bled"}, "grab": {"grabbed"}, "stab": {"stabbed"},
}

// apostropheFree gives a word with the apostrophe left out, as writers
// type "dont", "im", "hes", unless that is another word ("were", "its",
// "hell", "ill").
func apostropheFree(w string) (string, bool) {
	if !strings.Contains(w, "'") {
		return "", false
	}
	v := strings.ReplaceAll(w, "'", "")
	switch v {
	case "were", "its", "hell", "ill", "well", "shell", "id", "wed", "shed", "whos", "lets", "cant":
		if v != "cant" {
			return "", false
		}
	}
	return v, true
}

// UnknownLemmas lists the Hungarian lemmas of the rule set's concepts that
// the generated word-form table (morph_hu.txt) lacks: they match only as
// written and, from five letters, as a prefix, so their inflected forms
// may be missed. Run go generate ./triage after adding a lemma; okit rules
// check shows the list.
func (r *Rules) UnknownLemmas() []string { return slices.Clone(r.unknownLemmas) }
