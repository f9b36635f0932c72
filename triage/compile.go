package triage

import (
	"strings"
	"sync"
)

// Rules is a checked, compiled rule set. It is safe for concurrent use:
// each call takes its own working space from a pool.
type Rules struct {
	pool    sync.Pool // of *scratch
	version string
	rules   []*rule
	nears   []nearRef // every near pattern of every rule, numbered
	trie    trie
	elems   []elem
	trig    [][]trigger // by elem id: where the elem starts a pattern
	excl    [][]int32   // by rule index: elem ids that exclude a word
	// hasExclPhr: some rule has an exclude phrase; hasFigure: some rule
	// is a figure of speech
	hasExclPhr, hasFigure bool
	concepts              []*concept
	policy                policyConcepts    // the elems of the concepts the policy asks about
	enLemma               map[string]string // English form → lemma, for Explain
	morph                 *morphIndex
	// unknownLemmas are Hungarian lemmas of concepts that the generated
	// table does not have: they match as written and, at minPrefix letters
	// or more, as a prefix. okit rules check lists them.
	unknownLemmas []string
	// translit maps Latin spellings of the Cyrillic words of the rules to
	// them (translit.go).
	translit translitIndex
}

// Version is the version field of the rules file.
func (r *Rules) Version() string { return r.version }

type nearRef struct {
	rule int32
	idx  int32 // index in the rule's nears
}

// trigger says that an elem is the first word of a phrase, or one side of
// a near pattern.
type trigger struct {
	rule int32
	kind uint8 // trigPhrase, trigFirst, trigSecond
	off  uint8 // for a phrase: which of its words this elem stands for
	idx  int32 // phrase index in the rule, or index in Rules.nears
}

const (
	trigPhrase = iota
	trigFirst
	trigSecond
)

// compile builds the matching tables of a checked rule set.
func compile(version string, rules []*rule, concepts []*concept) *Rules {
	r := &Rules{version: version, rules: rules, concepts: concepts, morph: newMorphIndex(), enLemma: map[string]string{}}
	r.trie.insert("")
	ids := map[elem]int32{}
	id := func(e elem) int32 {
		if i, ok := ids[e]; ok {
			return i
		}
		i := int32(len(r.elems))
		ids[e] = i
		r.elems = append(r.elems, e)
		r.trig = append(r.trig, nil)
		if !strings.HasPrefix(e.word, "@") {
			r.addWord(e, i)
		}
		return i
	}
	byID := map[string]int32{}
	for _, c := range concepts {
		c.elem = id(elem{word: "@" + c.id})
		byID[c.id] = c.elem
		r.addConcept(c)
	}
	r.policy = newPolicyConcepts(byID)
	r.excl = make([][]int32, len(rules))
	for ri, ru := range rules {
		ru.phrases = uniquePhrases(ru.phrases)
		for pi := range ru.phrases {
			ph := &ru.phrases[pi]
			ph.ids = slotIDs(ph.slots, id)
			// A phrase is looked for from its rarest word: "nem enged* ki"
			// from enged*, not from the hundred "nem" of a long letter.
			off := rarestSlot(ph.slots)
			for _, e := range ph.slots[off] {
				i := id(e)
				r.trig[i] = append(r.trig[i], trigger{int32(ri), trigPhrase, uint8(off), int32(pi)})
			}
		}
		r.hasExclPhr = r.hasExclPhr || len(ru.exclPhr) > 0
		r.hasFigure = r.hasFigure || ru.kind == KindFigure
		for pi := range ru.exclPhr {
			ru.exclPhr[pi].ids = slotIDs(ru.exclPhr[pi].slots, id)
		}
		// A negation is checked against its exclusions at every "nem"
		// and "not": most are followed by no second word of any.
		for pi := range ru.exclPhr {
			ids := ru.exclPhr[pi].ids
			if len(ids) < 2 {
				ru.exclNext = nil
				break
			}
			ru.exclNext = append(ru.exclNext, ids[1]...)
		}
		for ni, nr := range ru.nears {
			k := int32(len(r.nears))
			r.nears = append(r.nears, nearRef{int32(ri), int32(ni)})
			for _, e := range nr.first {
				i := id(e)
				r.trig[i] = append(r.trig[i], trigger{int32(ri), trigFirst, 0, k})
			}
			for _, e := range nr.second {
				i := id(e)
				r.trig[i] = append(r.trig[i], trigger{int32(ri), trigSecond, 0, k})
			}
		}
		for _, e := range ru.exclude {
			r.excl[ri] = append(r.excl[ri], id(e))
		}
	}
	for _, c := range classWords {
		for _, w := range strings.Fields(c.words) {
			r.trie.mark(r.trie.insert(Fold(w)), 0, c.class)
		}
	}
	for lang, list := range langWords() {
		for _, w := range list {
			r.trie.mark(r.trie.insert(w), 1<<lang, 0)
		}
	}
	for _, e := range r.elems {
		r.translit.add(e.word, e.prefix)
	}
	for _, c := range concepts {
		for _, e := range c.words {
			r.translit.add(e.word, e.prefix)
		}
	}
	for _, c := range classWords {
		for _, w := range strings.Fields(c.words) {
			r.translit.add(Fold(w), false)
		}
	}
	r.trie.freeze()
	for i, ts := range r.trig {
		r.trig[i] = uniqueTriggers(ts)
	}
	return r
}

// addWord puts an elem's word in the trie, and its apostrophe-free
// spelling ("dont" for "don't") with it.
func (r *Rules) addWord(e elem, id int32) {
	r.trie.add(r.trie.insert(e.word), id, e.prefix)
	if v, ok := apostropheFree(e.word); ok {
		r.trie.add(r.trie.insert(v), id, e.prefix)
	}
}

// addConcept makes every word of a concept match the concept's elem: its
// words as written, the forms of its English lemmas in the trie, the forms
// of its Hungarian lemmas in the morphology index.
func (r *Rules) addConcept(c *concept) {
	for _, w := range c.words {
		r.addWord(w, c.elem)
	}
	for _, l := range c.en {
		for _, f := range englishForms(l) {
			r.addWord(elem{word: f}, c.elem)
			r.enLemma[f] = l
		}
	}
	excl := map[string]bool{}
	for _, x := range c.exclude {
		excl[x] = true
	}
	for _, l := range c.hu {
		if r.morph.addLemma(l, c.elem, excl) {
			continue
		}
		r.unknownLemmas = append(r.unknownLemmas, l)
		f := Fold(l)
		r.addWord(elem{word: f}, c.elem)
		if len(f) >= minPrefix {
			r.addWord(elem{word: f, prefix: true}, c.elem)
		}
	}
}

// uniqueTriggers drops repeated triggers: "hova" and "hová" fold to the
// same word and would otherwise report the same hit twice.
func uniqueTriggers(ts []trigger) []trigger {
	out := ts[:0]
	for _, t := range ts {
		dup := false
		for _, o := range out {
			dup = dup || o == t
		}
		if !dup {
			out = append(out, t)
		}
	}
	return out
}

// rarestSlot picks the place of a phrase whose words are likely rarest in
// mail: the one whose shortest alternative is longest.
func rarestSlot(slots [][]elem) int {
	best, bestLen := 0, -1
	for k, slot := range slots {
		short := 1 << 30
		for _, e := range slot {
			short = min(short, len(e.word))
		}
		if short > bestLen {
			best, bestLen = k, short
		}
	}
	if len(slots) > 255 {
		return 0
	}
	return best
}

// uniquePhrases drops phrases that fold to one already listed ("nincs
// hova mennem", "nincs hová mennem").
func uniquePhrases(ps []phrase) []phrase {
	seen := map[string]bool{}
	out := ps[:0]
	for _, p := range ps {
		key := ""
		for _, slot := range p.slots {
			key += elemList(slot) + " "
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}

func slotIDs(slots [][]elem, id func(elem) int32) [][]int32 {
	out := make([][]int32, len(slots))
	for k, slot := range slots {
		for _, e := range slot {
			out[k] = append(out[k], id(e))
		}
	}
	return out
}
