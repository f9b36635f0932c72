package main

import (
	"context"
	"fmt"
	"strconv"
)

func runCasesMerge(ctx context.Context, a *app, args []string) error {
	fs := a.flags("cases merge", "FROM INTO")
	if err := fs.Parse(args); err != nil || fs.NArg() != 2 {
		fs.Usage()
		return errUsage
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.MergeCases(ctx, fs.Arg(0), fs.Arg(1), actor()); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s merged into %s; `okit cases split %s` with the message ids of its case_merged event undoes it\n",
		fs.Arg(0), fs.Arg(1), fs.Arg(1))
	return nil
}

func runCasesSplit(ctx context.Context, a *app, args []string) error {
	fs := a.flags("cases split", "REF MESSAGE_ID...")
	if err := fs.Parse(args); err != nil || fs.NArg() < 2 {
		fs.Usage()
		return errUsage
	}
	var ids []int64
	for _, s := range fs.Args()[1:] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("%q is not a message id (okit cases list --json gives them)", s)
		}
		ids = append(ids, id)
	}
	e := &env{get: a.getenv}
	targets := e.targets()
	if err := e.err(); err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	ref, err := st.SplitCase(ctx, fs.Arg(0), ids, targets, actor())
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s opened with the messages split from %s; `okit cases merge %s %s` undoes it\n", ref, fs.Arg(0), ref, fs.Arg(0))
	return nil
}
