package web

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/search"
	"github.com/ncsszi/okit/storage"
)

// indexActor names the console's index in the event log.
const indexActor = "system:search"

// indexBatch is how many cases the index reads from the database at once.
const indexBatch = 500

// indexer keeps the console's search index: built in the background at
// start, then kept current from the live stream. It opens sealed texts
// with the console's key and keeps only their terms, in memory.
type indexer struct {
	cur   atomic.Pointer[search.Index]
	store *storage.Store
	keys  *seal.Opener
	log   *slog.Logger

	ready atomic.Bool  // the start-up build is done
	done  atomic.Int64 // cases put in by the build so far

	mu      sync.Mutex
	pending map[int64]bool
	all     bool // the stream was lost: every case may have changed
	wake    chan struct{}
}

// compactAfter is how many dead documents (cases whose words changed)
// the index carries before it is built afresh: at most as many as it has
// cases, and never for a handful.
const compactAfter = 10000

func newIndexer(st *storage.Store, keys *seal.Opener, log *slog.Logger) *indexer {
	ix := &indexer{store: st, keys: keys, log: log, pending: map[int64]bool{}, wake: make(chan struct{}, 1)}
	ix.cur.Store(search.New(search.Terms))
	return ix
}

// index is the index searches read.
func (ix *indexer) index() *search.Index { return ix.cur.Load() }

// changed notes cases to read again; nil means any may have changed.
func (ix *indexer) changed(ids []int64) {
	ix.mu.Lock()
	if ids == nil {
		ix.all = true
	}
	for _, id := range ids {
		ix.pending[id] = true
	}
	ix.mu.Unlock()
	select {
	case ix.wake <- struct{}{}:
	default:
	}
}

// build reads every case into x, recording first that it opens them all.
func (ix *indexer) build(ctx context.Context, x *search.Index) error {
	start := time.Now()
	if err := ix.store.Record(ctx, storage.EventSearchIndex, indexActor, map[string]any{"purpose": "search"}); err != nil {
		return fmt.Errorf("record the search index's decryption: %w", err)
	}
	if err := ix.sync(ctx, x, nil, true); err != nil {
		return fmt.Errorf("build the search index: %w", err)
	}
	size := x.Size()
	ix.log.Info("search index built", slog.Int("cases", size.Cases), slog.Int("terms", size.Terms),
		slog.Duration("took", time.Since(start)))
	return nil
}

// run builds the index, then keeps it current until ctx ends, building it
// afresh when the words of many cases have changed.
func (ix *indexer) run(ctx context.Context) {
	ix.mu.Lock()
	ix.all = false // the build reads everything as it is now
	ix.mu.Unlock()
	// A database that is away at start delays search, never ends it.
	for wait := time.Second; ; wait = min(2*wait, time.Minute) {
		ix.done.Store(0)
		err := ix.build(ctx, ix.index())
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return
		}
		ix.log.Error("search index: not built, trying again", slog.Duration("in", wait), slog.Any("err", err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
	ix.ready.Store(true)
	for {
		select {
		case <-ctx.Done():
			return
		case <-ix.wake:
		}
		ix.mu.Lock()
		all, ids := ix.all, make([]int64, 0, len(ix.pending))
		for id := range ix.pending {
			ids = append(ids, id)
		}
		ix.all, ix.pending = false, map[int64]bool{}
		ix.mu.Unlock()
		if all {
			ids = nil
		}
		if err := ix.sync(ctx, ix.index(), ids, false); err != nil && ctx.Err() == nil {
			ix.log.Warn("search index: a change was not taken in", slog.Any("err", err))
			ix.changed(ids) // tried again on the next change
		}
		// Changes meanwhile wait in pending and go into the new index.
		if dead, cases := ix.index().Dead(); dead > max(cases, compactAfter) {
			fresh := search.New(search.Terms)
			if err := ix.build(ctx, fresh); err != nil {
				if ctx.Err() != nil {
					return
				}
				ix.log.Warn("search index: not built afresh", slog.Any("err", err))
				continue
			}
			ix.cur.Store(fresh)
		}
	}
}

// job is one case whose texts are to be opened and put in.
type job struct {
	c     storage.SearchCase
	texts []storage.SealedText
}

// sync reads cases (ids, or all with nil) and puts each in: its facts,
// and its words when the version of its texts is not the one indexed.
// With build, a case a live change put in meanwhile is left alone.
func (ix *indexer) sync(ctx context.Context, x *search.Index, ids []int64, build bool) error {
	g, ctx := errgroup.WithContext(ctx)
	jobs := make(chan job, 2*indexBatch)
	g.Go(func() error {
		defer close(jobs)
		f := storage.SearchFilter{IDs: ids, Limit: indexBatch}
		for {
			cs, err := ix.store.SearchCases(ctx, f)
			if err != nil {
				return err
			}
			if ids != nil {
				removeMissing(x, ids, cs)
			}
			var stale []int64
			for _, c := range cs {
				if c.Version != x.Version(c.ID) {
					stale = append(stale, c.ID)
				}
			}
			texts := map[int64][]storage.SealedText{}
			if len(stale) > 0 {
				ts, err := ix.store.SealedTexts(ctx, stale)
				if err != nil {
					return err
				}
				for _, t := range ts {
					texts[t.CaseID] = append(texts[t.CaseID], t)
				}
			}
			for _, c := range cs {
				select {
				case jobs <- job{c: c, texts: texts[c.ID]}:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			if ids != nil || len(cs) < indexBatch {
				return nil
			}
			f.AfterID = cs[len(cs)-1].ID
		}
	})
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			for j := range jobs {
				ix.put(x, j, build)
			}
			return nil
		})
	}
	return g.Wait()
}

// put opens a case's texts and puts the case in. A text that cannot be
// opened is left out (logged, without content): one broken message must
// not keep its case, or the index, from being found.
func (ix *indexer) put(x *search.Index, j job, build bool) {
	c := search.Case{ID: j.c.ID, Ref: j.c.Ref, Status: j.c.Status, Priority: j.c.Priority, Categories: j.c.Categories,
		Assignee: j.c.Assignee, First: j.c.FirstReceived, Last: j.c.LastReceived, Version: j.c.Version}
	var texts []string
	if c.Version != x.Version(c.ID) {
		texts = []string{}
		for _, t := range j.texts {
			texts = append(texts, ix.open(t)...)
		}
	}
	x.Put(c, texts, build)
	if build {
		ix.done.Add(1)
	}
}

// open gives the words of one sealed text: sender, subject and the
// message's text, or a note's.
func (ix *indexer) open(t storage.SealedText) []string {
	fail := func(err error) []string {
		ix.log.Error("search index: a text could not be opened", slog.Int64("case", t.CaseID), slog.Any("err", err))
		return nil
	}
	if t.Note != nil {
		b, err := ix.keys.Open(t.Note)
		if err != nil {
			return fail(err)
		}
		return []string{string(b)}
	}
	if t.Raw != nil {
		// The raw message has all the summary has: one decryption, not two.
		raw, err := ix.keys.Open(t.Raw)
		if err != nil {
			return fail(err)
		}
		m := message.Parse(raw)
		return []string{m.From.Name, m.From.Addr, m.Subject, m.Text}
	}
	b, err := ix.keys.Open(t.Summary)
	if err != nil {
		return fail(err)
	}
	sum, err := message.UnmarshalSummary(b)
	if err != nil {
		return fail(err)
	}
	return []string{sum.FromName, sum.FromAddr, sum.Subject, sum.Snippet}
}

// removeMissing takes out the cases asked for that no longer exist.
func removeMissing(x *search.Index, ids []int64, found []storage.SearchCase) {
	have := map[int64]bool{}
	for _, c := range found {
		have[c.ID] = true
	}
	for _, id := range ids {
		if !have[id] {
			x.Remove(id)
		}
	}
}
