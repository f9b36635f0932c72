package search

import (
	"math/bits"
	"slices"
	"strings"
	"time"
)

// Query is what an operator searches for: words, and facts a case must
// have. Zero fields ask nothing.
type Query struct {
	// Text is words every one of which the case must have, in any form
	// that stems alike or as the beginning of a longer word (from four
	// letters on), or a case reference.
	Text     string
	Priority int
	Category string
	Status   string
	Assignee string
	// From and To bound the period: a case whose messages came in from
	// From and before To (its first before To, its latest from From).
	From, To time.Time
	Limit    int
}

// minPrefix is the shortest query term that also finds the longer terms
// it begins: "megut" finds "megutott", "ut" finds only "ut".
const minPrefix = 4

// Result is a page of the cases a query found, the most pressing first
// (open before closed, then by priority, then the latest message first),
// and how many there are in all.
type Result struct {
	Cases []Case
	Total int
}

// Search runs a query.
func (x *Index) Search(q Query) Result {
	var terms [][2]string
	x.tok(q.Text, func(word, stem string) {
		if t := [2]string{word, stem}; !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	})
	x.mu.RLock()
	defer x.mu.RUnlock()
	top := topK{k: max(q.Limit, 0)}
	keep := func(e *entry) {
		if e != nil && q.matches(&e.Case) {
			top.offer(e)
		}
	}
	switch ref, ok := x.refs[strings.ToLower(strings.TrimSpace(q.Text))]; {
	case ok:
		keep(x.cases[ref])
	case len(terms) == 0:
		for _, e := range x.docs {
			keep(e)
		}
	default:
		set := x.docsWith(terms[0])
		for _, t := range terms[1:] {
			set.and(x.docsWith(t))
		}
		set.each(func(doc uint32) { keep(x.docs[doc]) })
	}
	return Result{Cases: top.sorted(), Total: top.n}
}

func (q *Query) matches(c *Case) bool {
	return (q.Priority == 0 || c.Priority == q.Priority) &&
		(q.Category == "" || slices.Contains(c.Categories, q.Category)) &&
		(q.Status == "" || c.Status == q.Status) &&
		(q.Assignee == "" || c.Assignee == q.Assignee) &&
		(q.From.IsZero() || !c.Last.Before(q.From)) &&
		(q.To.IsZero() || c.First.Before(q.To))
}

// docsWith is the documents that have a query word: its stem, or a word
// it begins.
func (x *Index) docsWith(t [2]string) bitset {
	term, stem := t[0], t[1]
	set := make(bitset, (len(x.docs)+63)/64)
	set.add(x.postings[term])
	set.add(x.postings[stem])
	if len(term) < minPrefix {
		return set
	}
	longer := func(t string) bool { return t != term && strings.HasPrefix(t, term) }
	i, _ := slices.BinarySearch(x.sorted, term)
	for ; i < len(x.sorted) && strings.HasPrefix(x.sorted[i], term); i++ {
		if longer(x.sorted[i]) {
			set.add(x.postings[x.sorted[i]])
		}
	}
	for _, t := range x.recent {
		if longer(t) {
			set.add(x.postings[t])
		}
	}
	return set
}

// bitset is a set of documents.
type bitset []uint64

func (b bitset) add(docs []uint32) {
	for _, d := range docs {
		b[d/64] |= 1 << (d % 64)
	}
}

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) each(f func(uint32)) {
	for i, w := range b {
		for w != 0 {
			f(uint32(i*64 + bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
}

// topK keeps the k best ranked of the cases offered, and counts them all:
// a search that matches most of 100,000 cases sorts only the page it shows.
type topK struct {
	k, n int
	heap []*entry // a max-heap by rank: the worst kept is on top
}

func (t *topK) offer(e *entry) {
	t.n++
	h := t.heap
	switch {
	case len(h) < t.k:
		h = append(h, e)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !worse(h[i], h[p]) {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
	case t.k > 0 && worse(h[0], e):
		h[0] = e
		for i := 0; ; {
			w, l, r := i, 2*i+1, 2*i+2
			if l < len(h) && worse(h[l], h[w]) {
				w = l
			}
			if r < len(h) && worse(h[r], h[w]) {
				w = r
			}
			if w == i {
				break
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	t.heap = h
}

// worse says a is shown after b.
func worse(a, b *entry) bool { return a.rank > b.rank || a.rank == b.rank && a.ID < b.ID }

func (t *topK) sorted() []Case {
	slices.SortFunc(t.heap, func(a, b *entry) int {
		if worse(a, b) {
			return 1
		}
		return -1
	})
	out := make([]Case, len(t.heap))
	for i, e := range t.heap {
		out[i] = e.Case
	}
	return out
}
