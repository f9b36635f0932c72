package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
)

func runReseal(ctx context.Context, a *app, args []string) error {
	fs := a.flags("reseal", "[--batch N]")
	batch := fs.Int("batch", 200, "rows a transaction: a reseal stopped at any point keeps every batch it committed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *batch < 1 {
		fmt.Fprintln(a.stderr, "--batch must be at least 1")
		return errUsage
	}
	e := &env{get: a.getenv}
	files := e.keyFiles(sealKeys | openKeys)
	url := e.databaseURL()
	if err := e.err(); err != nil {
		return err
	}
	keys, err := files.load(a.log)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, url, true)
	if err != nil {
		return err
	}
	defer st.Close()
	r := &resealer{opener: keys.opener, index: keys.index}
	// A generation is the keys everything moves to; a rotation starts the
	// next one, and a rerun of the same one resumes.
	generation := keys.opener.Sealer().Fingerprint() + "/" + strconv.Itoa(keys.index.Version())
	who := actor()
	start, last := time.Now(), ""
	var changed int64
	for {
		p, done, err := st.ResealBatch(ctx, generation, *batch, who, r.fix)
		if err != nil {
			return err
		}
		if done {
			break
		}
		if p.Table != last && last != "" {
			fmt.Fprintln(a.stdout)
		}
		last = p.Table
		changed += int64(r.batchChanged)
		r.batchChanged = 0
		at := ""
		if p.Table != "sessions" {
			at = fmt.Sprintf(", at id %s of %s", p.Last, p.Max)
		}
		fmt.Fprintf(a.stdout, "\r%-9s %d rows looked at, %d sealed or digested again%s   ", p.Table, p.Seen, p.Changed, at)
	}
	elapsed := time.Since(start)
	fmt.Fprintf(a.stdout, "\ndone in %v: %d rows sealed or digested again in this run (%.0f rows/s)\n",
		elapsed.Round(time.Millisecond), changed, float64(changed)/max(elapsed.Seconds(), 1e-3))
	if r.kept > 0 {
		fmt.Fprintf(a.stdout, "%d digests could not be made again (their message's content was left on the mail server): they are found only while OKIT_PREVIOUS_INDEX_KEY_FILE is given.\n", r.kept)
	}
	fmt.Fprintln(a.stdout, "Everything stored is sealed to the current key: remove OKIT_PREVIOUS_PRIVATE_KEY_FILE from every process, and OKIT_PREVIOUS_INDEX_KEY_FILE once you accept losing the digests above, then destroy the previous key files.")
	return nil
}

// resealer moves one row to the current keys: what is sealed to a
// previous key is opened and sealed again, a message's digests made with
// a previous index key are made again from its opened content.
type resealer struct {
	opener       *seal.Opener
	index        *seal.Index
	kept         int // digests that could not be made again
	batchChanged int
}

func (r *resealer) fix(row *storage.ResealRow) (bool, error) {
	plains := make([][]byte, len(row.Sealed))
	open := func(i int) ([]byte, error) {
		if plains[i] == nil && row.Sealed[i] != nil {
			p, err := r.opener.Open(row.Sealed[i])
			if err != nil {
				return nil, err
			}
			plains[i] = p
		}
		return plains[i], nil
	}
	changed := false
	for i, sealed := range row.Sealed {
		if sealed == nil || r.opener.Current(sealed) {
			continue
		}
		plain, err := open(i)
		if err != nil {
			return false, err
		}
		if row.Sealed[i], err = r.opener.Sealer().Seal(plain); err != nil {
			return false, err
		}
		changed = true
	}
	if row.Table == "messages" {
		redigested, err := r.redigest(row, open)
		if err != nil {
			return false, err
		}
		changed = changed || redigested
	}
	if changed {
		r.batchChanged++
	}
	return changed, nil
}

// redigest makes a message's digests again with the current index key
// where a previous one made them: from the raw message, its summary's
// From and Message-ID, and its Reply-To.
func (r *resealer) redigest(row *storage.ResealRow, open func(int) ([]byte, error)) (bool, error) {
	const raw, summary, replyTo = 0, 1, 2 // the sealed columns of messages
	stale := func(d int) bool {
		return row.Digests[d] != nil && seal.DigestVersion(row.Digests[d]) != r.index.Version()
	}
	changed := false
	if stale(storage.DigestRaw) {
		if row.Sealed[raw] != nil {
			plain, err := open(raw)
			if err != nil {
				return false, err
			}
			row.Digests[storage.DigestRaw], changed = r.index.RawDigest(plain), true
		}
	}
	if (stale(storage.DigestSender) || stale(storage.DigestMessageID)) && row.Sealed[summary] != nil {
		plain, err := open(summary)
		if err != nil {
			return false, err
		}
		sum, err := message.UnmarshalSummary(plain)
		if err != nil {
			return false, err
		}
		if stale(storage.DigestSender) && sum.FromAddr != "" {
			row.Digests[storage.DigestSender], changed = r.index.AddressDigest(sum.FromAddr), true
			row.Domains[0] = r.index.DomainDigest(sum.FromAddr)
		}
		if stale(storage.DigestMessageID) && sum.MessageID != "" {
			row.Digests[storage.DigestMessageID], changed = r.index.MessageIDDigest(sum.MessageID), true
		}
	}
	if stale(storage.DigestReplyTo) && row.Sealed[replyTo] != nil {
		plain, err := open(replyTo)
		if err != nil {
			return false, err
		}
		row.Digests[storage.DigestReplyTo], changed = r.index.AddressDigest(string(plain)), true
		row.Domains[1] = r.index.DomainDigest(string(plain))
	}
	for d := range row.Digests {
		if stale(d) {
			r.kept++
		}
	}
	return changed, nil
}
