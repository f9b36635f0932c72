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
	// hasExclPhr: some rule has an exclude phrase
	hasExclPhr bool
	concepts   []*concept
	policy     policyConcepts    // the elems of the concepts the policy asks about
	enLemma    map[string]string // English form → lemma, for Explain
	morph      *morphIndex
	// unknownLemmas are Hungarian lemmas of concepts that the generated
	// table does not have: they match as written and, at minPrefix letters
	// or more, as a prefix. okit rules check lists them.
	unknownLemmas []string
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

// trie holds every folded word and prefix of the rule set, and the
// language hint words, so that one walk over a word finds all of them.
// Nodes are small (uint16 links) to stay in cache: a message of 20 KiB
// walks it some 3,000 times.
type trie struct {
	nodes []trieNode
	other map[uint32]uint16 // links on bytes outside a-z 0-9 ': node<<8 | byte
	ids   []int32           // elem ids of all nodes, see trieNode.ids
	build [][2][]int32      // while compiling: prefix and exact elem ids by node
}

type trieNode struct {
	next     [37]uint16 // a-z, 0-9 and the apostrophe; 0 = none
	lang     uint8      // language hint of the whole word ending here
	class    wordClass  // the policy's classes of the whole word ending here
	nPrefix  uint8      // ids[at:at+nPrefix] are prefixes ending here,
	nExact   uint8      // ids[at+nPrefix:][:nExact] whole words ending here
	at       uint32
	hasOther bool
}

// slotOf maps a byte to its index in trieNode.next, or 0xff.
const slotOf = "" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\x24\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\x1a\x1b\x1c\x1d\x1e\x1f\x20\x21\x22\x23\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e" +
	"\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"

func slot(c byte) int {
	if s := slotOf[c]; s != 0xff {
		return int(s)
	}
	return -1
}

func (t *trie) child(n uint16, c byte) uint16 {
	if s := slotOf[c]; s != 0xff {
		return t.nodes[n].next[s]
	}
	if !t.nodes[n].hasOther {
		return 0
	}
	return t.other[uint32(n)<<8|uint32(c)]
}

// insert returns the node of word, creating nodes as needed.
func (t *trie) insert(word string) uint16 {
	if len(t.nodes) == 0 {
		t.nodes = append(t.nodes, trieNode{})
		t.build = append(t.build, [2][]int32{})
		t.other = map[uint32]uint16{}
	}
	n := uint16(0)
	for i := 0; i < len(word); i++ {
		c := word[i]
		nx := t.child(n, c)
		if nx == 0 {
			if len(t.nodes) >= 1<<16-1 {
				panic("triage: rule set too large for the matching tables")
			}
			nx = uint16(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{})
			t.build = append(t.build, [2][]int32{})
			if s := slot(c); s >= 0 {
				t.nodes[n].next[s] = nx
			} else {
				t.nodes[n].hasOther = true
				t.other[uint32(n)<<8|uint32(c)] = nx
			}
		}
		n = nx
	}
	return n
}

// add records that elem id ends at node n.
func (t *trie) add(n uint16, id int32, prefix bool) {
	k := 1
	if prefix {
		k = 0
	}
	t.build[n][k] = append(t.build[n][k], id)
}

// freeze moves the elem ids of every node into one flat slice.
func (t *trie) freeze() {
	for n, b := range t.build {
		if len(b[0]) > 255 || len(b[1]) > 255 {
			panic("triage: too many patterns end on one word")
		}
		t.nodes[n].at = uint32(len(t.ids))
		t.nodes[n].nPrefix = uint8(len(b[0]))
		t.nodes[n].nExact = uint8(len(b[1]))
		t.ids = append(append(t.ids, b[0]...), b[1]...)
	}
	t.build = nil
}

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
		for pi := range ru.exclPhr {
			ru.exclPhr[pi].ids = slotIDs(ru.exclPhr[pi].slots, id)
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
			n := r.trie.insert(Fold(w))
			r.trie.nodes[n].class |= c.class
		}
	}
	for lang, list := range langWords() {
		for _, w := range list {
			n := r.trie.insert(w)
			r.trie.nodes[n].lang |= 1 << lang
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

// walk appends to dst the ids of the elems that match word, and returns
// the language hint and the word classes of word.
func (t *trie) walk(word []byte, dst []int32) ([]int32, uint8, wordClass) {
	n := uint16(0)
	for i := 0; i < len(word); i++ {
		n = t.child(n, word[i])
		if n == 0 {
			return dst, 0, 0
		}
		if nd := &t.nodes[n]; nd.nPrefix > 0 {
			dst = append(dst, t.ids[nd.at:nd.at+uint32(nd.nPrefix)]...)
		}
	}
	nd := &t.nodes[n]
	if nd.nExact > 0 {
		a := nd.at + uint32(nd.nPrefix)
		dst = append(dst, t.ids[a:a+uint32(nd.nExact)]...)
	}
	return dst, nd.lang, nd.class
}
