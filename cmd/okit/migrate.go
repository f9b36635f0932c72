package main

import (
	"context"
	"fmt"

	"github.com/ncsszi/okit/storage"
)

func runMigrate(ctx context.Context, a *app, args []string) error {
	if err := parse(a.flags("migrate", ""), args); err != nil {
		return err
	}
	st, err := a.openStore(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	for _, name := range applied {
		fmt.Fprintf(a.stdout, "applied %s\n", name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "schema is at version %d\n", storage.SchemaVersion())
	return nil
}
