package secondopinion

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/ncsszi/okit/triage"
)

// Bits is the size of the feature space: 2^18 buckets. Collisions among
// the few thousand features a hotline's mail has are rare, and the
// weights of one head take 1 MiB.
const Bits = 18

// maxWords bounds the words of the new text the model reads: the rules
// read all of it; the second opinion reads the first 400 words, where a
// writer says what happens, so that scoring a 20 KiB message stays cheap.
const maxWords = 400

// A Key keys the hash that turns a feature into a bucket. A model trained
// with the installation's key (derived from the index key, see
// seal.Index.SecondOpinionKey) says nothing about words to anyone
// without that key: its weights are numbers by bucket.
type Key struct{ k0, k1 uint64 }

// NewKey makes a Key from at least 16 bytes of key material.
func NewKey(b []byte) (Key, error) {
	if len(b) < 16 {
		return Key{}, errors.New("second opinion key: want at least 16 bytes")
	}
	return Key{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:16])}, nil
}

// corpusKey keys the starting model, trained on the project's own
// fictional corpus, which is public anyway: anyone may compute its
// buckets, and it reveals no writer's words.
var corpusKey = Key{0x6f6b69742d636f72, 0x7075732d6b657931} // "okit-cor", "pus-key1"

// Feature kinds: each hashes under its own key, so a word and a rule id
// of the same spelling fall in different buckets.
const (
	kindWord uint64 = iota + 1
	kindConcept
	kindMark
	kindLanguage
	kindPair
	kindConceptMark
)

func (k Key) hash(kind uint64, p []byte) uint64 {
	return sipHash(k.k0, k.k1^(kind*0x9E3779B97F4A7C15), p)
}

// mix combines two keyed hashes into a third (a pair of words, a concept
// and a mark): the inputs are keyed, so the result is too.
func mix(a, b, kind uint64) uint64 {
	h := a*0xff51afd7ed558ccd ^ rotl(b+kind*0xc4ceb9fe1a85ec53)
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>29
}

func rotl(x uint64) uint64 { return x<<31 | x>>33 }

// feature is one bucket and its value in a message.
type feature struct {
	idx uint32
	val float32
}

func bucket(h uint64) uint32 { return uint32(h >> (64 - Bits)) }

// features is what the model reads of one message: word by word, the
// writer's new text as the rules read it, and the language.
type features struct {
	key   Key
	list  []feature
	words int // word features so far, to scale them by
	// the previous word's hash and sentence, for pairs; words seen
	prev           uint64
	prevSent, seen int
}

func (f *features) reset(key Key) {
	f.key, f.list, f.words, f.prev, f.prevSent, f.seen = key, f.list[:0], 0, 0, -1, 0
}

// visit takes one word of the new text (triage.Rules.TriageRead).
func (f *features) visit(w *triage.Word) bool {
	h := f.key.hash(kindWord, w.Form)
	f.add(h)
	if w.Sentence == f.prevSent {
		f.add(mix(f.prev, h, kindPair))
	}
	f.prev, f.prevSent = h, w.Sentence
	for _, c := range w.Concepts {
		ch := f.key.hash(kindConcept, []byte(c))
		f.add(ch)
		for m := w.Marks; m != 0; m &= m - 1 {
			b := uint64(m & -m)
			f.add(mix(ch, b, kindConceptMark))
		}
	}
	for m := w.Marks; m != 0; m &= m - 1 {
		f.add(mix(f.key.k0, uint64(m&-m), kindMark))
	}
	f.seen++
	return f.seen < maxWords
}

func (f *features) add(h uint64) {
	f.list = append(f.list, feature{idx: bucket(h), val: 1})
	f.words++
}

// finish scales the word features to the message's length (a long letter
// does not weigh more for being long) and adds the language. The rules'
// priority and rule ids are left out on purpose: a model that reads them
// learns to repeat the rules, where a second opinion must read the words.
func (f *features) finish(v triage.Verdict) {
	if f.words > 0 {
		s := float32(1 / math.Sqrt(float64(f.words)))
		for i := range f.list {
			f.list[i].val = s
		}
	}
	f.list = append(f.list, feature{idx: bucket(f.key.hash(kindLanguage, []byte(v.Language))), val: 1})
}
