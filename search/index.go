package search

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Case is what the index knows of a case besides its words: what the
// filters ask about. It changes without new words (an assignment, a
// priority set by hand) and is replaced whole.
type Case struct {
	ID         int64
	Ref        string
	Status     string // open, closed
	Priority   int
	Categories []string
	Assignee   string // username; "" for nobody
	First      time.Time
	Last       time.Time
	// Version says which sealed texts the words were made of (message and
	// note counts and latest ids): the same version needs no new words.
	Version string
}

// entry is a case in the index: its facts and the document holding its
// words.
type entry struct {
	Case
	doc  uint32
	rank uint64 // the order of results, smallest first: see rankOf
}

// rankOf orders cases as results show them: open before closed, then by
// priority, then the latest message first.
func rankOf(c *Case) uint64 {
	var r uint64
	if c.Status != "open" {
		r = 1 << 63
	}
	r |= uint64(min(max(c.Priority, 0), 7)) << 60
	// The latest first: seconds before the year 9999, in the low bits.
	return r | uint64(253402300799-min(max(c.Last.Unix(), 0), 253402300799))
}

// Index finds cases by their words and facts. It lives in memory only:
// the words of sealed texts are as secret as the texts, and nothing of
// them may reach a disk. Terms are kept in postings (term → the documents
// that have it, ascending); a case whose words change gets a new
// document and its old one is left dead, so postings only ever grow at
// their end. It is safe for concurrent use.
type Index struct {
	tok Tokenizer

	mu       sync.RWMutex
	postings map[string][]uint32
	docs     []*entry // document → its case; nil for a dead document
	cases    map[int64]*entry
	refs     map[string]int64 // folded reference → case id
	sorted   []string         // the terms, sorted, for prefix queries
	recent   []string         // terms added since sorted was made
	dead     int
}

// New makes an empty index that cuts texts with tok.
func New(tok Tokenizer) *Index {
	return &Index{tok: tok, postings: map[string][]uint32{}, cases: map[int64]*entry{}, refs: map[string]int64{}}
}

// Put sets a case's facts and, with texts, its words. Texts nil keeps the
// words it has (the facts changed, not the texts). With onlyNew, a case
// the index has already is left as it is: the start-up build must not
// overwrite what a live change put in meanwhile.
func (x *Index) Put(c Case, texts []string, onlyNew bool) {
	var terms []string
	if texts != nil {
		seen := map[string]bool{}
		for _, t := range texts {
			x.tok(t, func(word, stem string) {
				for _, term := range [2]string{word, stem} {
					if !seen[term] {
						seen[term] = true
						terms = append(terms, term)
					}
				}
			})
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	old := x.cases[c.ID]
	if old != nil && onlyNew {
		return
	}
	if old != nil && old.Ref != c.Ref {
		delete(x.refs, strings.ToLower(old.Ref))
	}
	x.refs[strings.ToLower(c.Ref)] = c.ID
	if texts == nil && old != nil {
		c.Version = old.Version
		old.Case, old.rank = c, rankOf(&c)
		return
	}
	if old != nil {
		x.docs[old.doc] = nil
		x.dead++
	}
	doc := uint32(len(x.docs))
	e := &entry{Case: c, doc: doc, rank: rankOf(&c)}
	x.docs = append(x.docs, e)
	x.cases[c.ID] = e
	for _, t := range terms {
		p, ok := x.postings[t]
		if !ok {
			x.recent = append(x.recent, t)
		}
		x.postings[t] = append(p, doc)
	}
	if len(x.recent) > 4096 {
		x.mergeRecent()
	}
}

// Remove takes a case out (it no longer exists).
func (x *Index) Remove(id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if e := x.cases[id]; e != nil {
		x.docs[e.doc] = nil
		x.dead++
		delete(x.refs, strings.ToLower(e.Ref))
		delete(x.cases, id)
	}
}

// Version is the version of the words the index holds for a case; ""
// for a case it does not have.
func (x *Index) Version(id int64) string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if e := x.cases[id]; e != nil {
		return e.Version
	}
	return ""
}

// mergeRecent sorts the recent terms into the sorted ones.
func (x *Index) mergeRecent() {
	slices.Sort(x.recent)
	x.sorted = append(x.sorted, x.recent...)
	slices.Sort(x.sorted)
	x.recent = x.recent[:0]
}

// Size says how many cases, distinct terms and postings the index holds.
type Size struct {
	Cases, Terms, Postings, DeadDocuments int
}

// Size counts what the index holds.
func (x *Index) Size() Size {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := Size{Cases: len(x.cases), Terms: len(x.postings), DeadDocuments: x.dead}
	for _, p := range x.postings {
		s.Postings += len(p)
	}
	return s
}

// Dead says how many documents are dead (their case's words changed since)
// and how many cases there are: when the first passes the second, the
// index is worth building afresh.
func (x *Index) Dead() (dead, cases int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.dead, len(x.cases)
}
