package intake

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/ncsszi/okit/secondopinion"
)

// Sealer encrypts content to the organisation's public key.
type Sealer interface {
	Seal(plain []byte) ([]byte, error)
	// SealTogether seals the parts of one message with one public-key step.
	SealTogether(plains ...[]byte) ([][]byte, error)
}

// Digester makes keyed digests for lookups on sealed values.
type Digester interface {
	RawDigest(raw []byte) []byte
	AddressDigest(addr string) []byte
	DomainDigest(addr string) []byte
	MessageIDDigest(id string) []byte
	CanaryDigest(value []byte) []byte
}

// Intake takes mail from one IMAP mailbox into the store.
type Intake struct {
	cfg    Config
	store  Store
	sealer Sealer
	digest Digester
	log    *slog.Logger
	now    func() time.Time
	health *Health
	canary *canary // nil without Config.Canary

	seenMu sync.Mutex
	seen   map[string]time.Time // canaries taken in, by nonce: each is one only once
}

// New returns an Intake. now is the clock (time.Now outside tests).
func New(cfg Config, store Store, sealer Sealer, digest Digester, log *slog.Logger, now func() time.Time) *Intake {
	in := &Intake{
		cfg: cfg, store: store, sealer: sealer, digest: digest,
		log:    log.With(slog.String("mailbox", cfg.Key())),
		now:    now,
		health: newHealth(now, 2*cfg.PollInterval+cfg.CommandTimeout),
		seen:   map[string]time.Time{},
	}
	if cfg.Canary != nil {
		in.canary = newCanary(in, *cfg.Canary)
	}
	return in
}

// opinion gives the active second opinion, or nil: none configured, none
// active, or one that fails to load, which must never hold up intake.
func (in *Intake) opinion(ctx context.Context) *secondopinion.Opinion {
	if in.cfg.Opinions == nil {
		return nil
	}
	op, err := in.cfg.Opinions.Opinion(ctx)
	if err != nil {
		in.log.Error("second opinion not loaded; triaging by the rules alone", slog.Any("err", err))
		return nil
	}
	return op
}

// Health reports how intake is doing.
func (in *Intake) Health() *Health { return in.health }

// Stats counts what one pass over the mailbox did.
type Stats struct {
	Stored     int // new messages committed
	Duplicates int // already stored (a re-fetch after a crash or a UIDVALIDITY change)
	TooLarge   int // left on the server
	Marked     int // moved or deleted after being stored
}

func (s *Stats) add(o Stats) {
	s.Stored += o.Stored
	s.Duplicates += o.Duplicates
	s.TooLarge += o.TooLarge
	s.Marked += o.Marked
}

// drain takes in everything waiting in the mailbox.
func (in *Intake) drain(ctx context.Context, s *session) (Stats, error) {
	ctx, cancel := context.WithTimeout(ctx, in.cfg.CommandTimeout)
	defer cancel()
	// A server that stops answering would block a command forever; closing
	// the connection unblocks it.
	stop := context.AfterFunc(ctx, func() { s.c.Close() })
	defer stop()

	var st Stats
	cp, err := in.checkpoint(ctx, s.uidValidity)
	if err != nil {
		return st, err
	}
	all, err := s.c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil {
		return st, fmt.Errorf("search: %w", err)
	}
	left, err := in.store.LeftOnServer(ctx, in.cfg.Key(), s.uidValidity)
	if err != nil {
		return st, err
	}
	// Messages at or below the checkpoint are stored; one still here was
	// stored by a pass that ended before marking it.
	var unmarked, fresh []imap.UID
	for _, uid := range all.AllUIDs() {
		switch {
		case slices.Contains(left, uint32(uid)):
		case uint32(uid) <= cp.LastUID:
			unmarked = append(unmarked, uid)
		default:
			fresh = append(fresh, uid)
		}
	}
	if err := in.mark(s, unmarked); err != nil {
		return st, err
	}
	st.Marked += len(unmarked)

	slices.Sort(fresh)
	// Fetching, parsing and sealing the next batch overlaps with committing
	// this one: the database and intake's CPU work side by side. The IMAP
	// client takes commands from both goroutines; all of them name UIDs.
	op := in.opinion(ctx)
	prepCtx, stopPrep := context.WithCancel(ctx)
	defer stopPrep()
	ready := make(chan batch, 1)
	go func() {
		defer close(ready)
		for len(fresh) > 0 {
			n := min(len(fresh), in.cfg.BatchSize)
			b := in.prepare(s, fresh[:n], op)
			select {
			case ready <- b:
			case <-prepCtx.Done():
				return
			}
			if b.err != nil {
				return
			}
			fresh = fresh[n:]
		}
	}()
	// Moving a committed batch's messages overlaps with committing the
	// next: the marking only ever follows its own batch's commit, and one
	// not done is done by the next pass.
	var marking chan error
	var marked int
	finishMark := func() error {
		if marking == nil {
			return nil
		}
		err := <-marking
		marking = nil
		if err == nil {
			st.Marked += marked
		}
		return err
	}
	defer finishMark()
	for b := range ready {
		if b.err != nil {
			return st, b.err
		}
		bst, err := in.commit(ctx, cp, b)
		st.add(bst)
		if err != nil {
			return st, err
		}
		cp.LastUID = b.lastUID
		if err := finishMark(); err != nil {
			return st, err
		}
		marking, marked = make(chan error, 1), len(b.toMark)
		go func(uids []imap.UID) { marking <- in.mark(s, uids) }(b.toMark)
	}
	if err := finishMark(); err != nil {
		return st, err
	}
	return st, ctx.Err()
}

func (in *Intake) checkpoint(ctx context.Context, uidValidity uint32) (Checkpoint, error) {
	cp, ok, err := in.store.Checkpoint(ctx, in.cfg.Key())
	if err != nil {
		return cp, err
	}
	if ok && cp.UIDValidity == uidValidity {
		return cp, nil
	}
	if ok {
		in.log.Warn("UIDVALIDITY changed: looking at every message again; stored ones are recognised by their digest",
			slog.Uint64("old", uint64(cp.UIDValidity)), slog.Uint64("new", uint64(uidValidity)))
	}
	if err := in.store.ResetCheckpoint(ctx, in.cfg.Key(), uidValidity); err != nil {
		return cp, err
	}
	return Checkpoint{UIDValidity: uidValidity}, nil
}

func backoff(attempt int) time.Duration {
	d := time.Second << min(attempt, 7) // 1 s doubling to about 2 min
	d = min(d, 2*time.Minute)
	return d/2 + rand.N(d/2+1) // jitter, so restarted processes spread out
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
