package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ncsszi/okit/storage"
)

// defaultRetention is how long a closed case keeps its content: 3 years.
const defaultRetention = 1095 * 24 * time.Hour

// retention reads OKIT_RETENTION: days such as 1095d, or a Go duration
// such as 26280h; at least a day, so that a slip such as 1095s cannot
// empty every closed case.
func (e *env) retention() time.Duration {
	s := e.str("OKIT_RETENTION", "")
	if s == "" {
		return defaultRetention
	}
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
		if n > 100*365 {
			err = strconv.ErrRange
		}
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d < 24*time.Hour {
		e.fail("OKIT_RETENTION=%q is not a retention period of at least a day, such as 1095d (days) or 26280h", s)
		return defaultRetention
	}
	return d
}

func runPurge(ctx context.Context, a *app, args []string) error {
	fs := a.flags("purge", "[--dry-run]")
	dry := fs.Bool("dry-run", false, "count what would be purged; change nothing")
	if err := parse(fs, args); err != nil {
		return err
	}
	e := &env{get: a.getenv}
	keep := e.retention()
	if err := e.err(); err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.Purge(ctx, keep, *dry)
	if err != nil {
		return err
	}
	verb := "purged"
	if *dry {
		verb = "would purge"
	}
	fmt.Fprintf(a.stdout, "%s the cases closed more than %s ago: %d case(s), the sealed content of %d message(s) and %d outgoing mail(s), %d note(s), %d job(s)\n",
		verb, days(keep), c.Cases, c.Messages, c.Outgoing, c.Notes, c.Jobs)
	return nil
}

func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}

// purger purges expired cases once at start and then daily, inside serve.
// Several serve processes may each run one: the purge skips cases another
// holds, and a purged case is not purged again.
type purger struct {
	store     *storage.Store
	retention time.Duration
	every     time.Duration
	log       *slog.Logger
}

func (p *purger) run(ctx context.Context) error {
	tick := time.NewTicker(p.every)
	defer tick.Stop()
	for {
		c, err := p.store.Purge(ctx, p.retention, false)
		switch {
		case err != nil && ctx.Err() == nil:
			p.log.Error("purge expired cases", slog.Any("err", err))
		case c.Cases > 0:
			p.log.Info("purged expired cases", slog.Int64("cases", c.Cases), slog.Int64("messages", c.Messages),
				slog.Int64("notes", c.Notes), slog.Int64("outgoing", c.Outgoing), slog.Int64("jobs", c.Jobs))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
