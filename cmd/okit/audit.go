package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/ncsszi/okit/audit"
)

// errBroken means the audit chain did not verify; the break is printed.
var errBroken = errors.New("the audit trail does not verify")

func runAuditVerify(ctx context.Context, a *app, args []string) error {
	fs := a.flags("audit verify", "[--expect SEQ:HEXHASH]")
	expect := fs.String("expect", "", "a head printed by an earlier run (kept outside the database): the chain must still pass through it")
	if err := parse(fs, args); err != nil {
		return err
	}
	v := audit.NewVerifier()
	if *expect != "" {
		h, err := audit.ParseHead(*expect)
		if err != nil {
			fmt.Fprintf(a.stderr, "--expect: %v\n", err)
			fs.Usage()
			return errUsage
		}
		v.Expect(h)
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	b, err := st.VerifyChain(ctx, v)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "checked %d events\n", v.Count())
	if b != nil {
		fmt.Fprintf(a.stdout, "BROKEN: %v\nthe last link that held: %s\n", b, v.Head())
		return errBroken
	}
	fmt.Fprintf(a.stdout, "head %s\n(keep this line outside the database; `okit audit verify --expect %s` later proves nothing before it changed)\n",
		v.Head(), v.Head())
	return nil
}
