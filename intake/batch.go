package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/triage"
)

// fetchBytes bounds the message bytes held in memory by one body fetch;
// a single message up to MaxSize is fetched alone.
const fetchBytes = 16 << 20

// batch is a set of messages ready to be committed.
type batch struct {
	lastUID  uint32        // the highest UID looked at: the new checkpoint
	recs     []Record      // to store
	canaries []*canarySeen // okit's own canaries: not stored, but moved
	toMark   []imap.UID    // to move or delete once stored (not those left on the server)
	err      error
}

// prepare fetches, parses and seals the messages with the given UIDs.
func (in *Intake) prepare(s *session, uids []imap.UID) batch {
	meta, err := s.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID: true, RFC822Size: true, InternalDate: true,
	}).Collect()
	if err != nil {
		return batch{err: fmt.Errorf("fetch metadata: %w", err)}
	}
	slices.SortFunc(meta, func(a, b *imapclient.FetchMessageBuffer) int { return int(a.UID) - int(b.UID) })

	recs := make([]Record, 0, len(meta))
	var canaries []*canarySeen
	var toMark []imap.UID
	for len(meta) > 0 {
		var group []*imapclient.FetchMessageBuffer
		var bytes int64
		for len(meta) > 0 {
			m := meta[0]
			if m.RFC822Size > in.cfg.MaxSize {
				rec, err := in.oversize(s, m)
				if err != nil {
					return batch{err: err}
				}
				recs = append(recs, rec)
				meta = meta[1:]
				continue
			}
			if len(group) > 0 && bytes+m.RFC822Size > fetchBytes {
				break
			}
			group = append(group, m)
			bytes += m.RFC822Size
			meta = meta[1:]
		}
		if len(group) == 0 {
			continue
		}
		grecs, err := in.fetchBodies(s, group)
		if err != nil {
			return batch{err: err}
		}
		for _, r := range grecs {
			if r.canary != nil {
				canaries = append(canaries, r.canary)
			} else {
				recs = append(recs, r)
			}
		}
		for _, m := range group {
			toMark = append(toMark, m.UID)
		}
	}
	return batch{lastUID: uint32(slices.Max(uids)), recs: recs, canaries: canaries, toMark: toMark}
}

// commit stores a batch together with the checkpoint; drain marks its
// messages on the server only then. A failure before the commit leaves
// everything to the next pass; a failure after it leaves only the marking,
// which the next pass does.
func (in *Intake) commit(ctx context.Context, cp Checkpoint, b batch) (Stats, error) {
	var st Stats
	recs := b.recs
	cp.LastUID = b.lastUID
	outs, err := in.store.Save(ctx, in.cfg.Key(), cp, recs, in.cfg.Ack)
	if err != nil {
		return st, err
	}
	in.canariesBack(b.canaries)
	for i, o := range outs {
		switch {
		case o.Duplicate:
			st.Duplicates++
		case recs[i].Status == "oversize":
			st.TooLarge++
			in.log.Warn("message over the size limit left on the server",
				slog.Uint64("uid", uint64(recs[i].UID)), slog.Int64("size", recs[i].Size), slog.String("case", o.CaseRef))
		default:
			st.Stored++
		}
		if o.Duplicate {
			continue
		}
		r := &recs[i]
		in.log.Info("message stored", slog.Uint64("uid", uint64(r.UID)), slog.String("case", o.CaseRef),
			slog.Bool("new_case", o.NewCase), slog.String("priority", r.Verdict.Priority.String()),
			slog.Any("flags", r.Verdict.Flags), slog.Int64("assignee", o.AssigneeID), slog.String("parse", r.Status),
			slog.Duration("delay", in.now().Sub(r.InternalDate).Round(time.Millisecond)))
		if o.Unassigned {
			in.health.Alerted(AlertP1Unassigned)
			in.log.Error("ALERT: P1 case and nobody on shift to take it", slog.String("case", o.CaseRef))
		}
		if o.AckAlert {
			in.health.Alerted(AlertAckRate)
			in.log.Error("ALERT: acknowledgements passed their hourly limit; no more are sent until the hour's count falls",
				slog.String("case", o.CaseRef))
		}
	}
	return st, nil
}

func (in *Intake) fetchBodies(s *session, group []*imapclient.FetchMessageBuffer) ([]Record, error) {
	uids := make([]imap.UID, len(group))
	for i, m := range group {
		uids[i] = m.UID
	}
	byUID, err := in.fetchRaw(s, uids)
	if err != nil {
		return nil, err
	}
	// Parsing and sealing take most of intake's CPU; spread them over the cores.
	recs := make([]Record, len(group))
	errs := make([]error, len(group))
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(group)) {
		wg.Go(func() {
			for i := range work {
				m := group[i]
				raw, ok := byUID[m.UID]
				if !ok {
					errs[i] = fmt.Errorf("fetch bodies: server sent no body for uid %d", m.UID)
					continue
				}
				if c, ok := in.canaryIn(raw); ok {
					recs[i] = Record{UID: uint32(m.UID), canary: c}
					continue
				}
				recs[i], errs[i] = in.record(m.UID, m.InternalDate, raw)
			}
		})
	}
	for i := range group {
		work <- i
	}
	close(work)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return recs, nil
}

// fetchRaw fetches the raw bytes of the messages with the given UIDs. It
// reads each literal into a buffer of the size the server announces,
// where Collect's io.ReadAll grew one through doublings: two and a half
// times the message in garbage, a tenth of intake's allocation.
func (in *Intake) fetchRaw(s *session, uids []imap.UID) (map[imap.UID][]byte, error) {
	cmd := s.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	})
	byUID := make(map[imap.UID][]byte, len(uids))
	var err error
	for msg := cmd.Next(); msg != nil && err == nil; msg = cmd.Next() {
		var uid imap.UID
		var raw []byte
		for item := msg.Next(); item != nil; item = msg.Next() {
			switch item := item.(type) {
			case imapclient.FetchItemDataUID:
				uid = item.UID
			case imapclient.FetchItemDataBodySection:
				raw, err = readLiteral(item.Literal, in.cfg.MaxSize)
			}
		}
		if uid != 0 {
			byUID[uid] = raw
		}
	}
	// Close drains what is left, once: a second Close would wait forever.
	if cerr := cmd.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("fetch bodies: %w", err)
	}
	return byUID, nil
}

// readLiteral reads a literal whole. The size it announces is trusted for
// the allocation only up to max: a server that lies gets io.ReadAll.
func readLiteral(lit imap.LiteralReader, max int64) ([]byte, error) {
	if lit == nil {
		return []byte{}, nil
	}
	n := lit.Size()
	if n < 0 || n > max {
		return io.ReadAll(lit)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(lit, b); err != nil {
		return nil, err
	}
	return b, nil
}

// record parses and seals one raw message.
func (in *Intake) record(uid imap.UID, internalDate time.Time, raw []byte) (Record, error) {
	msg := message.Parse(raw)
	for _, p := range msg.Problems {
		in.log.Warn("message parsed with a problem", slog.Uint64("uid", uint64(uid)), slog.String("problem", p))
	}
	sum := message.Summarize(msg)
	var replyTo string
	if len(msg.ReplyTo) > 0 {
		replyTo = msg.ReplyTo[0].Addr
	}
	dg := in.digests()
	rec := in.threading(dg, sum, replyTo)
	plains := [][]byte{raw, sum.Marshal()}
	if rec.ReplyToDigest != nil {
		plains = append(plains, []byte(replyTo))
	}
	sealed, err := in.sealer.SealTogether(plains...)
	if err != nil {
		return Record{}, fmt.Errorf("seal uid %d: %w", uid, err)
	}
	rec.UID = uint32(uid)
	rec.InternalDate = internalDate
	rec.Size = int64(len(raw))
	rec.RawSealed, rec.SummarySealed = sealed[0], sealed[1]
	if rec.ReplyToDigest != nil {
		rec.ReplyToSealed = sealed[2]
	}
	rec.RawDigest = dg.RawDigest(raw)
	rec.RefDigests = in.refDigests(dg, msg.InReplyTo, msg.References)
	in.vouch(dg, &rec, msg, raw)
	rec.Earlier = dg.earlier
	rec.Status = string(msg.Status)
	in.triage(&rec, Judge(in.cfg.Rules, msg))
	return rec, nil
}

// oversize makes the record of a message left on the server, from its
// envelope: the server's summary of the header, fetched without the body.
func (in *Intake) oversize(s *session, m *imapclient.FetchMessageBuffer) (Record, error) {
	sum := message.Summary{Note: fmt.Sprintf("larger than the %d MiB limit (%d bytes): left on the mail server", in.cfg.MaxSize>>20, m.RFC822Size)}
	env, err := s.c.Fetch(imap.UIDSetNum(m.UID), &imap.FetchOptions{UID: true, Envelope: true}).Collect()
	if err != nil {
		return Record{}, fmt.Errorf("fetch envelope of uid %d: %w", m.UID, err)
	}
	var refs []string
	var replyTo string
	if len(env) == 1 && env[0].Envelope != nil {
		e := env[0].Envelope
		sum.MessageID, sum.Subject = e.MessageID, e.Subject
		if len(e.From) > 0 {
			sum.FromName, sum.FromAddr = e.From[0].Name, e.From[0].Addr()
		}
		if len(e.ReplyTo) > 0 {
			replyTo = e.ReplyTo[0].Addr() // the server gives the From when there is none
		}
		refs = e.InReplyTo
	}
	dg := in.digests()
	rec := in.threading(dg, sum, replyTo)
	plains := [][]byte{sum.Marshal()}
	if rec.ReplyToDigest != nil {
		plains = append(plains, []byte(replyTo))
	}
	sealed, err := in.sealer.SealTogether(plains...)
	if err != nil {
		return Record{}, fmt.Errorf("seal summary of uid %d: %w", m.UID, err)
	}
	rec.SummarySealed = sealed[0]
	if rec.ReplyToDigest != nil {
		rec.ReplyToSealed = sealed[1]
	}
	rec.UID = uint32(m.UID)
	rec.InternalDate = m.InternalDate
	rec.Size = m.RFC822Size
	id := "oversize\x00" + in.cfg.Key() + "\x00" + sum.MessageID + "\x00" + m.InternalDate.UTC().Format(time.RFC3339Nano) + "\x00" + strconv.FormatInt(m.RFC822Size, 10)
	rec.RawDigest = dg.RawDigest([]byte(id))
	rec.RefDigests = in.refDigests(dg, refs, nil)
	rec.Earlier = dg.earlier
	rec.Status = "oversize"
	// Only the envelope was read: the body is for a person to read.
	in.triage(&rec, judge(in.cfg.Rules, triage.Input{Subject: sum.Subject, From: sum.FromAddr}, true))
	return rec, nil
}

// triage sets the record's verdict (Judge's, or judge's for a message
// left on the server) and the response clock it starts.
func (in *Intake) triage(rec *Record, v triage.Verdict) {
	rec.Verdict = v
	rec.Due = in.cfg.Targets.Due(rec.Verdict.Priority, rec.InternalDate)
}

// mark moves or deletes stored messages on the server.
func (in *Intake) mark(s *session, uids []imap.UID) error {
	if len(uids) == 0 {
		return nil
	}
	set := imap.UIDSetNum(uids...)
	if in.cfg.After == AfterMove {
		if _, err := s.c.Move(set, in.cfg.MoveTo).Wait(); err != nil {
			return fmt.Errorf("move stored messages to %q: %w", in.cfg.MoveTo, err)
		}
		return nil
	}
	flags := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
	if err := s.c.Store(set, flags, nil).Close(); err != nil {
		return fmt.Errorf("flag stored messages deleted: %w", err)
	}
	expunge := s.c.Expunge()
	if s.uidPlus {
		expunge = s.c.UIDExpunge(set)
	}
	if err := expunge.Close(); err != nil {
		return fmt.Errorf("expunge stored messages: %w", err)
	}
	return nil
}
