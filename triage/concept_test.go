package triage

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestConceptsAgainstDictionary checks the concept words against the
// Hungarian word list, as TestPrefixesAgainstDictionary does for rules: a
// hu: lemma the dictionary inflects has its forms in morph_hu.txt (else the
// table is stale: run go generate ./triage), and no exclude: entry is a
// form the concept never makes. Lemmas the dictionary lacks (facebook,
// hároméves) match as written; okit rules check lists them.
func TestConceptsAgainstDictionary(t *testing.T) {
	t.Parallel()
	inflected := inflectedStems(t)
	r := Default()
	for _, l := range r.UnknownLemmas() {
		if inflected[l] {
			t.Errorf("hu lemma %q is in the dictionary but not in morph_hu.txt: run go generate ./triage", l)
		}
	}
	for _, c := range r.concepts {
		for _, x := range c.exclude {
			if !conceptMakes(r, c, x) {
				t.Errorf("concept %s (line %d): exclude %q is no form of its words: it excludes nothing", c.id, c.line, x)
			}
		}
	}
}

// conceptMakes reports whether a folded form is one of the concept's own:
// a form of a hu: lemma in the table, a form of an en: lemma, or a word.
func conceptMakes(r *Rules, c *concept, form string) bool {
	t := loadMorph()
	for _, l := range c.hu {
		for _, f := range strings.Fields(t.forms[l]) {
			if strings.SplitN(f, ":", 2)[0] == form {
				return true
			}
		}
		if strings.HasPrefix(form, Fold(l)) {
			return true
		}
	}
	for _, l := range c.en {
		if slices.Contains(englishForms(l), form) {
			return true
		}
	}
	for _, w := range c.words {
		if w.word == form || w.prefix && strings.HasPrefix(form, w.word) {
			return true
		}
	}
	return false
}

// inflectedStems reads the stems of the Hungarian word list that take
// endings (those with affix flags: "megoldás/30"), as genmorph expands.
func inflectedStems(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(hunspellHU)
	if err != nil {
		t.Fatalf("the Hungarian word list is missing (%v): run apt-get install hunspell-hu", err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if stem, _, ok := strings.Cut(line, "/"); ok && !strings.ContainsAny(stem, " \t") {
			out[stem] = true
		}
	}
	return out
}
