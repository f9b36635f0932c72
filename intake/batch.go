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
	lastUID uint32     // the highest UID looked at: the new checkpoint
	recs    []Record   // to store
	toMark  []imap.UID // to move or delete once stored (not those left on the server)
	err     error
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
		recs = append(recs, grecs...)
		for _, m := range group {
			toMark = append(toMark, m.UID)
		}
	}
	return batch{lastUID: uint32(slices.Max(uids)), recs: recs, toMark: toMark}
}

// commit stores a batch together with the checkpoint; drain marks its
// messages on the server only then. A failure before the commit leaves
// everything to the next pass; a failure after it leaves only the marking,
// which the next pass does.
func (in *Intake) commit(ctx context.Context, cp Checkpoint, b batch) (Stats, error) {
	var st Stats
	recs := b.recs
	cp.LastUID = b.lastUID
	outs, err := in.store.Save(ctx, in.cfg.Key(), cp, recs)
	if err != nil {
		return st, err
	}
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
			in.health.alert()
			in.log.Error("ALERT: P1 case and nobody on shift to take it", slog.String("case", o.CaseRef))
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
	sealed, err := in.sealer.SealTogether(raw, sum.Marshal())
	if err != nil {
		return Record{}, fmt.Errorf("seal uid %d: %w", uid, err)
	}
	rec := in.threading(sum)
	rec.UID = uint32(uid)
	rec.InternalDate = internalDate
	rec.Size = int64(len(raw))
	rec.RawSealed, rec.SummarySealed = sealed[0], sealed[1]
	rec.RawDigest = in.digest.RawDigest(raw)
	// A bounce threads into the case of the message that bounced.
	rec.RefDigests = in.refDigests(append(slices.Clone(msg.InReplyTo), append(msg.References, msg.Returned)...))
	if msg.Returned != "" {
		rec.Bounce = in.digest.MessageIDDigest(msg.Returned)
	}
	rec.Status = string(msg.Status)
	in.triage(&rec, triage.Input{Subject: msg.Subject, Text: msg.Text, From: msg.From.Addr, ReplyTo: msg.ReplyAddr(), Header: msg.Header})
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
	if len(env) == 1 && env[0].Envelope != nil {
		e := env[0].Envelope
		sum.MessageID, sum.Subject = e.MessageID, e.Subject
		if len(e.From) > 0 {
			sum.FromName, sum.FromAddr = e.From[0].Name, e.From[0].Addr()
		}
		refs = e.InReplyTo
	}
	sealed, err := in.sealer.Seal(sum.Marshal())
	if err != nil {
		return Record{}, fmt.Errorf("seal summary of uid %d: %w", m.UID, err)
	}
	rec := in.threading(sum)
	rec.SummarySealed = sealed
	rec.UID = uint32(m.UID)
	rec.InternalDate = m.InternalDate
	rec.Size = m.RFC822Size
	id := "oversize\x00" + in.cfg.Key() + "\x00" + sum.MessageID + "\x00" + m.InternalDate.UTC().Format(time.RFC3339Nano) + "\x00" + strconv.FormatInt(m.RFC822Size, 10)
	rec.RawDigest = in.digest.RawDigest([]byte(id))
	rec.RefDigests = in.refDigests(refs)
	rec.Status = "oversize"
	in.triage(&rec, triage.Input{Subject: sum.Subject, From: sum.FromAddr})
	return rec, nil
}

// triage sets the record's verdict and response clock. What okit could not
// read — a message left on the server, a body that would not parse — is
// at least P2: a human must look soon at what the rules could not.
func (in *Intake) triage(rec *Record, text triage.Input) {
	rec.Verdict = in.cfg.Rules.Triage(text)
	unreadable := rec.Status == string(message.ParseFailed) || rec.Status == "oversize"
	if unreadable && rec.Verdict.Priority > triage.P2 {
		rec.Verdict.Priority = triage.P2
		rec.Verdict.Rules = append(rec.Verdict.Rules, "okit.unreadable")
	}
	rec.Due = in.cfg.Targets.Due(rec.Verdict.Priority, rec.InternalDate)
	rec.Acknowledge = in.cfg.Acknowledge
}

// threading starts a record with the digests that find its sender's case
// and let later replies find it.
func (in *Intake) threading(sum message.Summary) Record {
	var rec Record
	if sum.FromAddr != "" {
		rec.SenderDigest = in.digest.AddressDigest(sum.FromAddr)
	}
	if sum.MessageID != "" {
		rec.MessageIDDigest = in.digest.MessageIDDigest(sum.MessageID)
	}
	return rec
}

func (in *Intake) refDigests(ids []string) [][]byte {
	var ds [][]byte
	for _, id := range ids {
		if id != "" {
			ds = append(ds, in.digest.MessageIDDigest(id))
		}
	}
	return ds
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
