package triage

import "slices"

// trie holds every folded word and prefix of the rule set, and the
// language hint and word class words, so that one walk over a word finds
// all of them and the cost does not grow with the number of rules.
//
// It is stored as a double array (Aoe, 1989): the child of node n on
// byte c is the cell base(n)+c+1, when that cell's check is n. A step of
// a walk reads one cell of 8 bytes, and the whole trie takes some 100 KiB,
// where a table of children per node took 700 KiB: a message of 20 KiB
// walks it some 9,000 steps, and on a machine shared with other work the
// walk's time was the time of its cache misses.
type trie struct {
	cells []trieCell
	info  []trieInfo  // by cell, for the cells that are nodes
	ids   []int32     // elem ids of all nodes, see trieInfo
	build []trieBuild // while compiling
	free  []int32     // while compiling: see nextFree
}

// trieCell is one cell of the double array. base holds the node's base
// shifted left by one, and in its low bit whether prefix elems end at the
// node, so that the walk reads the node's info only where it must.
type trieCell struct {
	base  int32
	check int32 // the parent node of the node in this cell; -1 for a free cell
}

type trieInfo struct {
	at      uint32    // ids[at:at+nPrefix] are prefixes ending here,
	nPrefix uint8     // ids[at+nPrefix:][:nExact] whole words ending here
	nExact  uint8     //
	lang    uint8     // language hints of the whole word ending here
	class   wordClass // the policy's classes of the whole word ending here
}

// trieBuild is a node while the rule set is compiled, before freeze lays
// the nodes out in the double array.
type trieBuild struct {
	kids  []trieKid // sorted by byte
	ids   [2][]int32
	lang  uint8
	class wordClass
}

type trieKid struct {
	c    byte
	node int32
}

// insert returns the node of word, creating nodes as needed. Node 0 is
// the empty word.
func (t *trie) insert(word string) int32 {
	if len(t.build) == 0 {
		t.build = append(t.build, trieBuild{})
	}
	n := int32(0)
	for i := 0; i < len(word); i++ {
		c := word[i]
		kids := t.build[n].kids
		k, found := slices.BinarySearchFunc(kids, c, func(k trieKid, c byte) int { return int(k.c) - int(c) })
		if !found {
			nx := int32(len(t.build))
			t.build = append(t.build, trieBuild{})
			t.build[n].kids = slices.Insert(kids, k, trieKid{c, nx})
		}
		n = t.build[n].kids[k].node
	}
	return n
}

// add records that elem id ends at node n.
func (t *trie) add(n int32, id int32, prefix bool) {
	k := 1
	if prefix {
		k = 0
	}
	t.build[n].ids[k] = append(t.build[n].ids[k], id)
}

// mark gives the whole word of node n language hints and word classes.
func (t *trie) mark(n int32, lang uint8, class wordClass) {
	t.build[n].lang |= lang
	t.build[n].class |= class
}

// freeze lays the nodes out in the double array, breadth first, each
// node's children in the first free cells that fit them all.
func (t *trie) freeze() {
	slot := make([]int32, len(t.build)) // build node → cell
	queue := []int32{0}
	t.take(0) // the root's cell; no walk arrives at it
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		b := &t.build[n]
		if len(b.ids[0]) > 255 || len(b.ids[1]) > 255 {
			panic("triage: too many patterns end on one word")
		}
		cell := slot[n]
		t.info[cell] = trieInfo{at: uint32(len(t.ids)), nPrefix: uint8(len(b.ids[0])), nExact: uint8(len(b.ids[1])), lang: b.lang, class: b.class}
		t.ids = append(append(t.ids, b.ids[0]...), b.ids[1]...)
		base := int32(0)
		if len(b.kids) > 0 {
			base = t.fit(b.kids)
			for _, k := range b.kids {
				x := base + int32(k.c) + 1
				t.take(int(x))
				t.cells[x].check = cell
				slot[k.node] = x
				queue = append(queue, k.node)
			}
		}
		t.cells[cell].base = base << 1
		if len(b.ids[0]) > 0 {
			t.cells[cell].base |= 1
		}
	}
	t.grow(len(t.cells) + 256) // every base+c+1 of a walk is a cell
	t.build, t.free = nil, nil
}

// fit returns the smallest base at which every child in kids finds a
// free cell: it tries the bases that put the first child in a free cell.
func (t *trie) fit(kids []trieKid) int32 {
	first, last := int(kids[0].c)+1, int(kids[len(kids)-1].c)+1
	for p := t.nextFree(first); ; p = t.nextFree(p + 1) {
		base := p - first
		t.grow(base + last + 1)
		if t.fits(kids, base) {
			return int32(base)
		}
	}
}

func (t *trie) fits(kids []trieKid, base int) bool {
	for _, k := range kids {
		if t.cells[base+int(k.c)+1].check >= 0 {
			return false
		}
	}
	return true
}

// take marks cell x used.
func (t *trie) take(x int) {
	t.grow(x + 2)
	t.cells[x].check = 0
	t.free[x] = int32(x + 1)
}

// nextFree returns the first free cell at p or after it. A used cell
// points past itself, and the chains are shortened as they are walked
// (as in union-find), so that placing thousands of nodes does not scan
// the same used cells again and again.
func (t *trie) nextFree(p int) int {
	t.grow(p + 1)
	root := p
	for int(t.free[root]) != root {
		root = int(t.free[root])
		t.grow(root + 1)
	}
	for p != root {
		p, t.free[p] = int(t.free[p]), int32(root)
	}
	return root
}

// grow makes the double array at least n cells long.
func (t *trie) grow(n int) {
	for len(t.cells) < n {
		t.free = append(t.free, int32(len(t.cells)))
		t.cells = append(t.cells, trieCell{check: -1})
		t.info = append(t.info, trieInfo{})
	}
}

// walk appends to dst the ids of the elems that match word, and returns
// the language hint and the word classes of word.
func (t *trie) walk(word []byte, dst []int32) ([]int32, uint8, wordClass) {
	n := int32(0)
	for _, c := range word {
		x := t.cells[n].base>>1 + int32(c) + 1
		if t.cells[x].check != n {
			return dst, 0, 0
		}
		n = x
		if t.cells[n].base&1 != 0 {
			in := &t.info[n]
			dst = append(dst, t.ids[in.at:in.at+uint32(in.nPrefix)]...)
		}
	}
	in := &t.info[n]
	if in.nExact > 0 {
		a := in.at + uint32(in.nPrefix)
		dst = append(dst, t.ids[a:a+uint32(in.nExact)]...)
	}
	return dst, in.lang, in.class
}
