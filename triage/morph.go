package triage

import (
	"bytes"
	_ "embed"
	"strings"
	"sync"
)

// morph_hu.txt holds every form of the Hungarian lemmas the built-in
// concepts name, folded, with what each form says about person and kind.
// It is generated from Debian's hunspell-hu by internal/genmorph and
// committed, so building and running okit need nothing else.
//
//go:generate go run ./internal/genmorph -rules rules.yaml -out morph_hu.txt
//go:embed morph_hu.txt
var morphHU string

// feat is what a word form says about who speaks and how, as the
// Hungarian endings mark it: "megölöm" is first person, "férjem" is mine,
// "megöllek" is I … you, "fojtogatásról" is about strangling.
type feat uint16

const (
	featFirst  feat = 1 << iota // first person subject: megölöm, félek, ütöttünk
	featMine                    // first person possessor: férjem, telefonomat
	featYou                     // you as the object of a first person: megöllek
	featSecond                  // second person subject: megölsz, írj
	featThird                   // third person subject: megöli, verte
	featPast                    // past tense
	featImper                   // imperative or subjunctive: ne írjatok
	featNoun                    // a noun or participle made from a verb: fojtogatás, bántalmazó
	featAbout                   // the delative case, "about": fojtogatásról
	featSplit                   // a prefixed verb without its prefix: counts with the prefix nearby ("öli meg")
	featOnMe                    // third person, indefinite object: "megvert", "megöl" (me or us; "megverte" is him or her)
)

// featCodes are the letters genmorph writes for each feat, in bit order.
const featCodes = "1my23pinaso"

func parseFeat(s string) feat {
	var f feat
	for i := 0; i < len(s); i++ {
		if k := strings.IndexByte(featCodes, s[i]); k >= 0 {
			f |= 1 << k
		}
	}
	return f
}

// morphTable is the generated table by lemma: the part of each line after
// the lemma, split only when a rule set uses the lemma.
type morphTable struct {
	pos   map[string]byte   // 'v' verb, 'n' anything else
	front map[string]string // a prefixed verb's prefix, folded: megöl → meg
	forms map[string]string // lemma → "form:feat form …"
}

var loadMorph = sync.OnceValue(func() *morphTable {
	t := &morphTable{pos: map[string]byte{}, front: map[string]string{}, forms: map[string]string{}}
	for _, line := range strings.Split(morphHU, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		lemma, rest, _ := strings.Cut(line, "\t")
		pos, forms, _ := strings.Cut(rest, "\t")
		if pos != "" {
			t.pos[lemma] = pos[0]
		}
		if _, p, ok := strings.Cut(pos, ":"); ok {
			t.front[lemma] = p
		}
		t.forms[lemma] = forms
	}
	return t
})

// formRef is one reading of a word form: the concept elem it stands for,
// the lemma, and what its ending says.
type formRef struct {
	elem  int32
	lemma int32 // index in morphIndex.lemmas
	feat  feat
	head  bool // may end a compound: gyerekbántalmazás, vadászpuskával
}

// morphIndex finds the forms of the lemmas a rule set uses. A message of
// 20 KiB has some 3,000 words and few of them are forms of a lemma, so a
// bitmap answers "surely not" for most words before the map is asked.
type morphIndex struct {
	forms  map[string][]formRef
	bits   []uint64 // words that are forms
	heads  []uint64 // words that are forms which may end a compound
	lemmas []string
	front  []string // for each lemma, the verbal prefix a split form needs ("meg")
}

const (
	morphBits    = 19 // 2^19 bits, 64 KiB: one bit set for every form
	minHead      = 5  // a compound's last part has at least this many letters
	minModifier  = 3  // and its first part at least this many
	splitReach   = 3  // "meg" up to 3 words from "öli", "ölni": meg akar ölni
	morphHashMul = 0x9E3779B97F4A7C15
)

func newMorphIndex() *morphIndex {
	return &morphIndex{forms: map[string][]formRef{}, bits: make([]uint64, 1<<(morphBits-6)), heads: make([]uint64, 1<<(morphBits-6))}
}

func bitOf(h uint64) (int, uint64) {
	i := (h * morphHashMul) >> (64 - morphBits)
	return int(i >> 6), 1 << (i & 63)
}

// hashStep extends the hash of b[j+1:] to b[j:].
func hashStep(h uint64, c byte) uint64 { return h*1099511628211 + uint64(c) + 1 }

func hashWord(w string) uint64 {
	var h uint64
	for j := len(w) - 1; j >= 0; j-- {
		h = hashStep(h, w[j])
	}
	return h
}

// addLemma indexes the forms of one lemma for concept elem e, leaving out
// the forms in exclude. It reports false when the table has no such
// lemma.
func (x *morphIndex) addLemma(lemma string, e int32, exclude map[string]bool) bool {
	t := loadMorph()
	line, ok := t.forms[lemma]
	if !ok {
		return false
	}
	li := int32(len(x.lemmas))
	x.lemmas = append(x.lemmas, lemma)
	x.front = append(x.front, t.front[lemma])
	for _, f := range strings.Fields(line) {
		form, code, _ := strings.Cut(f, ":")
		if exclude[form] {
			continue
		}
		ft := parseFeat(code)
		// A possessed form ends no compound: "alapítványunk" is not
		// alapítv + anyunk.
		head := len(form) >= minHead && (t.pos[lemma] != 'v' || ft&featNoun != 0) && ft&(featSplit|featMine) == 0
		x.forms[form] = append(x.forms[form], formRef{elem: e, lemma: li, feat: ft, head: head})
		h := hashWord(form)
		i, b := bitOf(h)
		x.bits[i] |= b
		if head {
			x.heads[i] |= b
		}
	}
	return true
}

// lookup appends the forms word i of w stands for to dst, exact or as the
// end of a compound, and returns what the endings say.
func (x *morphIndex) lookup(w *words, i int, dst []formRef) []formRef {
	n := len(dst)
	dst = x.readings(w.folded(i), dst)
	out := dst[:n]
	for _, r := range dst[n:] {
		if x.splitHere(w, i, r) {
			out = append(out, r)
		}
	}
	return out
}

// splitHere reports whether reading r counts at word i of w: a prefixed
// verb without its prefix ("öli") counts only with the prefix nearby.
func (x *morphIndex) splitHere(w *words, i int, r formRef) bool {
	return r.feat&featSplit == 0 || x.prefixNear(w, i, x.front[r.lemma])
}

// readings appends the forms the folded word b may stand for to dst,
// exact or as the end of a compound, whatever the words around it; see
// splitHere.
func (x *morphIndex) readings(b []byte, dst []formRef) []formRef {
	n := len(b)
	if n < 2 {
		return dst
	}
	var h uint64
	var cand [4]int
	nc := 0
	compound := n >= minModifier+minHead // most words are too short to be one
	for j := n - 1; j >= 0; j-- {
		h = hashStep(h, b[j])
		if compound && j >= minModifier && j <= n-minHead && nc < len(cand) && !falseSplit(b, j) {
			if k, bit := bitOf(h); x.heads[k]&bit != 0 {
				cand[nc] = j
				nc++
			}
		}
	}
	k, bit := bitOf(h)
	if x.bits[k]&bit != 0 {
		if refs, ok := x.forms[string(b)]; ok {
			return append(dst, refs...)
		}
	}
	for c := 0; c < nc; c++ {
		m := len(dst)
		for _, r := range x.forms[string(b[cand[c]:])] {
			if r.head {
				dst = append(dst, r)
			}
		}
		if len(dst) > m {
			break
		}
	}
	return dst
}

// falseSplit reports whether the split of folded word b before byte j
// is one that folding makes look like a compound: it would cut a noun in
// -vány or -mány ("kiadványát", "alapítványuk",
// "kormányát" fold to kiadv+anyat, alapitv+anyuk, korm+anyat): its
// endings are no "anya" or "anyu" ending a compound, and the writer's
// publication is no mother.
//
// Nor does it cut a verb in -dobál ("kidobálta", "szétdobálták" fold to
// kido+balta, szetdo+balta): things thrown about are no axe (row 259).
func falseSplit(b []byte, j int) bool {
	return (b[j-1] == 'v' || b[j-1] == 'm') && bytes.HasPrefix(b[j:], []byte("any")) ||
		j >= 2 && b[j-2] == 'd' && b[j-1] == 'o' && bytes.HasPrefix(b[j:], []byte("bal"))
}

// prefixNear reports whether the verbal prefix p stands within splitReach
// words of word i in its sentence.
func (x *morphIndex) prefixNear(w *words, i int, p string) bool {
	if p == "" {
		return false
	}
	s := w.toks[i].sent
	for j := max(0, i-splitReach); j < len(w.toks) && j <= i+splitReach; j++ {
		if j != i && w.toks[j].sent == s && string(w.folded(j)) == p {
			return true
		}
	}
	return false
}
