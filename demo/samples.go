package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"time"
)

//go:embed samples/*.eml
var sampleFiles embed.FS

// Samples returns the sample messages in file-name order.
func Samples() ([][]byte, error) {
	names, err := fs.Glob(sampleFiles, "samples/*.eml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	raws := make([][]byte, 0, len(names))
	for _, n := range names {
		b, err := sampleFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		raws = append(raws, b)
	}
	return raws, nil
}

var (
	messageIDLine = regexp.MustCompile(`(?mi)^Message-ID:[^\r\n]*(\r?\n[ \t][^\r\n]*)*`)
	dateLine      = regexp.MustCompile(`(?mi)^Date:[^\r\n]*`)
	fromLine      = regexp.MustCompile(`(?mi)^From:[^\r\n]*`)
)

// Urgent delivers into m, every interval, the first sample (a threat for
// tonight, a P1) as written anew by a new writer each time, so that each
// opens a new P1 case: for trying the console's alerts. It stops when ctx
// ends.
func Urgent(ctx context.Context, m *Mailbox, every time.Duration, now func() time.Time) error {
	raws, err := Samples()
	if err != nil {
		return err
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		t := now()
		from := fmt.Sprintf("From: <urgent-%d-%d@example.hu>", t.Unix(), n)
		if err := m.Deliver(fromLine.ReplaceAll(Again(raws[0], n, t), []byte(from)), t); err != nil {
			return err
		}
	}
}

// Again returns a sample as if written anew at t: a fresh Message-ID and
// Date, so that it is a different message to the mailbox and to okit.
func Again(raw []byte, n int, t time.Time) []byte {
	id := fmt.Sprintf("Message-ID: <demo-%d-%d@example.test>", t.UnixNano(), n)
	out := messageIDLine.ReplaceAll(raw, []byte(id))
	return dateLine.ReplaceAll(out, []byte("Date: "+t.Format(time.RFC1123Z)))
}

// Feed delivers the samples into m: the first seed of them at once, as if
// they had arrived over the last hour, then one every interval, cycling
// through all samples with fresh ids, until ctx ends.
func Feed(ctx context.Context, m *Mailbox, seed int, every time.Duration, now func() time.Time) error {
	raws, err := Samples()
	if err != nil {
		return err
	}
	seed = min(seed, len(raws))
	start := now().Add(-time.Hour)
	for i, raw := range raws[:seed] {
		if err := m.Deliver(raw, start.Add(time.Duration(i)*time.Hour/time.Duration(seed))); err != nil {
			return err
		}
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for n := seed; ; n++ {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		t := now()
		if err := m.Deliver(Again(raws[n%len(raws)], n, t), t); err != nil {
			return err
		}
	}
}
