package triage

import (
	"bufio"
	"os"
	"sort"
	"strings"
	"testing"
)

// hunspellHU is Debian's Hungarian word list (package hunspell-hu).
const hunspellHU = "/usr/share/hunspell/hu_HU.dic"

// dictionaryStems reads the stems of the Hungarian word list, folded the
// way rules are: "megoldás/30 1" gives "megoldas".
func dictionaryStems(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(hunspellHU)
	if err != nil {
		t.Fatalf("the Hungarian word list is missing (%v): run apt-get install hunspell-hu", err)
	}
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first { // the first line is the number of entries
			first = false
			continue
		}
		if i := strings.IndexAny(line, "/\t "); i >= 0 {
			line = line[:i]
		}
		// A stem is split into words the way a message is ("kutatás-fejlesztési").
		var w words
		tokenize(line, nil, &w)
		for i := range w.toks {
			seen[string(w.folded(i))] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	stems := make([]string, 0, len(seen))
	for s := range seen {
		stems = append(stems, s)
	}
	sort.Strings(stems)
	return stems
}

// prefixHits returns, for each prefix a rule uses, the dictionary stems it
// hits that the rule neither excludes nor allows.
func prefixHits(ru *rule, stems []string) map[string][]string {
	allowed := map[string]bool{}
	for _, a := range ru.allow {
		allowed[a] = true
	}
	var prefixes []elem
	for _, ph := range ru.phrases {
		for _, slot := range ph.slots {
			for _, e := range slot {
				if e.prefix {
					prefixes = append(prefixes, e)
				}
			}
		}
	}
	for _, nr := range ru.nears {
		for _, e := range append(append([]elem{}, nr.first...), nr.second...) {
			if e.prefix {
				prefixes = append(prefixes, e)
			}
		}
	}
	out := map[string][]string{}
	done := map[elem]bool{}
	for _, p := range prefixes {
		if done[p] {
			continue
		}
		done[p] = true
		i := sort.SearchStrings(stems, p.word)
		for ; i < len(stems) && strings.HasPrefix(stems[i], p.word); i++ {
			w := stems[i]
			if allowed[w] || excludedWord(ru, w) {
				continue
			}
			out[p.String()] = append(out[p.String()], w)
		}
	}
	return out
}

func excludedWord(ru *rule, w string) bool {
	for _, x := range ru.exclude {
		if w == x.word || x.prefix && strings.HasPrefix(w, x.word) {
			return true
		}
	}
	return false
}

// TestPrefixesAgainstDictionary checks every prefix of every rule against
// the Hungarian word list: a prefix may hit only the dictionary words its
// rule lists under allow. A hit on anything else ("megöl*" on megoldás,
// "válas*" on válasz) must be excluded or the prefix made longer.
func TestPrefixesAgainstDictionary(t *testing.T) {
	stems := dictionaryStems(t)
	r := Default()
	for _, ru := range r.rules {
		for p, words := range prefixHits(ru, stems) {
			t.Errorf("rule %s (line %d): prefix %s hits %d dictionary words not in its allow list: %s",
				ru.id, ru.line, p, len(words), strings.Join(words, " "))
		}
	}
}

// TestPrefixCheckCatchesTraps shows the check above can fail: a bare
// megöl* hits megoldás and megölelés, and válas* hits válasz.
func TestPrefixCheckCatchesTraps(t *testing.T) {
	stems := dictionaryStems(t)
	r, err := Load([]byte("version: x\nrules:\n  - id: bare\n    priority: 1\n    match: [megöl*, válas*]\n"), "trap.yaml")
	if err != nil {
		t.Fatal(err)
	}
	hits := prefixHits(r.rules[0], stems)
	for p, want := range map[string]string{"megol*": "megoldas", "valas*": "valasz"} {
		found := false
		for _, w := range hits[p] {
			found = found || w == want
		}
		if !found {
			t.Errorf("prefix %s: hits %v, want them to include %s", p, hits[p], want)
		}
	}
}
