package web

import (
	"context"
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
	x     *search.Index
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

func newIndexer(st *storage.Store, keys *seal.Opener, log *slog.Logger) *indexer {
	return &indexer{x: search.New(search.Terms), store: st, keys: keys, log: log, pending: map[int64]bool{},
		wake: make(chan struct{}, 1)}
}

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

// run builds the index, then keeps it current until ctx ends.
func (ix *indexer) run(ctx context.Context) {
	start := time.Now()
	if err := ix.store.Record(ctx, storage.EventSearchIndex, indexActor, map[string]any{"purpose": "search"}); err != nil {
		ix.log.Error("search index: not built: its decryption could not be recorded", slog.Any("err", err))
		return
	}
	ix.mu.Lock()
	ix.all = false // the build reads everything as it is now
	ix.mu.Unlock()
	if err := ix.sync(ctx, nil, true); err != nil {
		ix.log.Error("search index: build failed", slog.Any("err", err))
		return
	}
	ix.ready.Store(true)
	size := ix.x.Size()
	ix.log.Info("search index built", slog.Int("cases", size.Cases), slog.Int("terms", size.Terms),
		slog.Duration("took", time.Since(start)))
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
		if err := ix.sync(ctx, ids, false); err != nil && ctx.Err() == nil {
			ix.log.Warn("search index: a change was not taken in", slog.Any("err", err))
			ix.changed(ids) // tried again on the next change
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
func (ix *indexer) sync(ctx context.Context, ids []int64, build bool) error {
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
				ix.removeMissing(ids, cs)
			}
			var stale []int64
			for _, c := range cs {
				if c.Version != ix.x.Version(c.ID) {
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
				ix.put(j, build)
			}
			return nil
		})
	}
	return g.Wait()
}

// put opens a case's texts and puts the case in. A text that cannot be
// opened is left out (logged, without content): one broken message must
// not keep its case, or the index, from being found.
func (ix *indexer) put(j job, build bool) {
	c := search.Case{ID: j.c.ID, Ref: j.c.Ref, Status: j.c.Status, Priority: j.c.Priority, Categories: j.c.Categories,
		Assignee: j.c.Assignee, First: j.c.FirstReceived, Last: j.c.LastReceived, Version: j.c.Version}
	var texts []string
	if c.Version != ix.x.Version(c.ID) {
		texts = []string{}
		for _, t := range j.texts {
			texts = append(texts, ix.open(t)...)
		}
	}
	ix.x.Put(c, texts, build)
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
func (ix *indexer) removeMissing(ids []int64, found []storage.SearchCase) {
	have := map[int64]bool{}
	for _, c := range found {
		have[c.ID] = true
	}
	for _, id := range ids {
		if !have[id] {
			ix.x.Remove(id)
		}
	}
}
