package main

import (
	"context"
	"fmt"
)

func runIntake(ctx context.Context, a *app, args []string) error {
	fs := a.flags("intake", "[--once]")
	once := fs.Bool("once", false, "take in what is waiting, then exit")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := readSettings(a.getenv, false)
	if err != nil {
		return err
	}
	p, err := build(ctx, s, a.log)
	if err != nil {
		return err
	}
	defer p.close()
	if !*once {
		return p.intake.Run(ctx)
	}
	c, err := p.intake.Once(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "stored %d, already stored %d, left on server (too large) %d, moved or deleted %d\n",
		c.Stored, c.Duplicates, c.TooLarge, c.Marked)
	return nil
}
