package triage

import (
	"bytes"
	"encoding/binary"
)

// wordMemo remembers, for one field of a message, what each distinct
// folded word matched in the trie and the word-form table; its ids are
// the field's matches, which the words point into. Most words of
// a letter are words it has used before ("a", "hogy", "nem", the names of
// the people in it): a 20 KiB message has some 2,400 words and fewer than
// a third of them distinct. A repeated word then costs one hash of its
// bytes and one probe, not a walk of the trie and a lookup of its forms.
// A word whose readings depend on the words around it (a verb's split
// prefix nearby) gets a list of its own, decided per word.
type wordMemo struct {
	slots   []int32 // open addressing, a power of two long: 1 + index in entries, 0 for none
	entries []memoEntry
	ids     []int32   // the elem ids of all entries, and of the words with a list of their own
	refs    []formRef // the readings of all entries
}

type memoEntry struct {
	key        uint64 // see memoKey
	f0, f1     int32  // the word in the field's folded buffer
	id0, id1   int32  // ids[id0:id1]: what the word matched; the trie's only when split
	ref0, ref1 int32  // refs[ref0:ref1]: its readings
	feat       feat   // what its readings say, unless split
	split      bool   // a reading is a split verb form, which counts only with its prefix nearby
	starts     bool   // ids hold an elem that starts a pattern, unless split
	lang       uint8
	class      wordClass
}

const memoMinSlots = 1 << 6

// reset empties the memo for a field of n words. Its table is sized to
// the field, rather than to the largest field seen, so that clearing it
// costs little.
func (mo *wordMemo) reset(n int) {
	size := memoMinSlots
	for size < n {
		size *= 2
	}
	if cap(mo.slots) < size {
		mo.slots = make([]int32, size)
	}
	mo.slots = mo.slots[:size]
	clear(mo.slots)
	mo.entries, mo.ids, mo.refs = mo.entries[:0], mo.ids[:0], mo.refs[:0]
}

// find returns the entry of the folded word buf[f0:f1], matching it the
// first time it is seen.
func (mo *wordMemo) find(r *Rules, buf []byte, f0, f1 int32) *memoEntry {
	key, n := memoKey(buf, f0, f1), f1-f0
	mask := len(mo.slots) - 1
	k := int(memoSlot(key, n)) & mask
	for ; mo.slots[k] != 0; k = (k + 1) & mask {
		// Words of up to 8 bytes are their key; longer ones are compared.
		if en := &mo.entries[mo.slots[k]-1]; en.key == key && en.f1-en.f0 == n && (n <= 8 || bytes.Equal(buf[en.f0:en.f1], buf[f0:f1])) {
			return en
		}
	}
	return mo.add(r, buf, f0, f1, key, k)
}

// add matches a word not seen before, whose key is key, and gives it the
// free slot k.
func (mo *wordMemo) add(r *Rules, buf []byte, f0, f1 int32, key uint64, k int) *memoEntry {
	b := buf[f0:f1]
	en := memoEntry{key: key, f0: f0, f1: f1, id0: int32(len(mo.ids)), ref0: int32(len(mo.refs))}
	mo.ids, en.lang, en.class = r.trie.walk(b, mo.ids)
	mo.refs = r.morph.readings(b, mo.refs)
	refs := mo.refs[en.ref0:]
	for _, rf := range refs {
		en.split = en.split || rf.feat&featSplit != 0
	}
	if !en.split {
		for _, rf := range refs {
			en.feat |= rf.feat
			mo.ids = addID(mo.ids, en.id0, rf.elem)
		}
	}
	en.id1, en.ref1 = int32(len(mo.ids)), int32(len(mo.refs))
	en.starts = r.startsPattern(mo.ids[en.id0:en.id1])
	mo.entries = append(mo.entries, en)
	if 2*len(mo.entries) > len(mo.slots) {
		mo.rehash(2 * len(mo.slots))
	} else {
		mo.slots[k] = int32(len(mo.entries))
	}
	return &mo.entries[len(mo.entries)-1]
}

// memoKey packs the word buf[f0:f1] into a number: a word of up to 8
// bytes is its key, a longer one is keyed by its first and last 8 bytes.
// The bytes are read 8 at a time, those past a short word masked off:
// tokenize leaves room for 8 bytes after the last word.
func memoKey(buf []byte, f0, f1 int32) uint64 {
	x := binary.LittleEndian.Uint64(buf[f0 : f0+8])
	if n := f1 - f0; n <= 8 {
		return x & (1<<(8*n) - 1)
	}
	return x*memoMul ^ binary.LittleEndian.Uint64(buf[f1-8:f1])
}

const memoMul = 0x9E3779B97F4A7C15

// memoSlot spreads a key and length over the table.
func memoSlot(key uint64, n int32) uint64 {
	h := (key ^ uint64(n)) * memoMul
	return h ^ h>>29
}

// place puts entry i in the first free slot from its hash on.
func (mo *wordMemo) place(i int) {
	mask := uint64(len(mo.slots) - 1)
	en := &mo.entries[i]
	k := memoSlot(en.key, en.f1-en.f0) & mask
	for mo.slots[k] != 0 {
		k = (k + 1) & mask
	}
	mo.slots[k] = int32(i + 1)
}

func (mo *wordMemo) rehash(n int) {
	if cap(mo.slots) < n {
		mo.slots = make([]int32, n)
	}
	mo.slots = mo.slots[:n]
	clear(mo.slots)
	for i := range mo.entries {
		mo.place(i)
	}
}
