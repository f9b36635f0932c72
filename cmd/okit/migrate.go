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
	// The owner migrates; one-server setups (the tests, a trial) give
	// only OKIT_DATABASE_URL.
	e := &env{get: a.getenv}
	variable, url := "OKIT_MIGRATE_DATABASE_URL", e.str("OKIT_MIGRATE_DATABASE_URL", "")
	if url == "" {
		variable, url = "OKIT_DATABASE_URL", e.databaseURL()
	}
	if err := e.err(); err != nil {
		return err
	}
	st, err := openStore(ctx, variable, url, false)
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
	fmt.Fprintf(a.stdout, "schema is at version %d; roles %s and %s have their privileges\n", storage.SchemaVersion(), storage.IntakeRole, storage.ConsoleRole)
	return nil
}
