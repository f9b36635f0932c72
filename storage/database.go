package storage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"

	"github.com/jackc/pgx/v5"
)

// scratchName is what a database RecreateDatabase may drop is called: okit_demo,
// or okit_demo_ and more, never the name of a database that holds cases.
var scratchName = regexp.MustCompile(`^okit_demo(_[a-z0-9_]+)?$`)

// ErrNotScratch is RecreateDatabase's answer to a name it may not drop.
var ErrNotScratch = errors.New("only okit_demo or a name starting with okit_demo_ (lower case, digits, _) may be recreated")

// RecreateDatabase drops the database name on the server serverURL points
// to, if it exists (closing its connections), creates it empty, and returns
// serverURL changed to point to it. It is for the demo: name must be
// okit_demo or start with okit_demo_, so that a slip cannot empty a
// database that holds cases.
func RecreateDatabase(ctx context.Context, serverURL, name string) (string, error) {
	if !scratchName.MatchString(name) {
		return "", fmt.Errorf("database %q: %w", name, ErrNotScratch)
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", fmt.Errorf("recreate database %s: the server's URL is not valid", name)
	}
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", fmt.Errorf("recreate database %s: server %s unreachable: %s", name, u.Host, reason(err))
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	for _, q := range []string{"DROP DATABASE IF EXISTS " + ident + " WITH (FORCE)", "CREATE DATABASE " + ident} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return "", fmt.Errorf("recreate database %s: %w", name, err)
		}
	}
	u.Path = "/" + name
	return u.String(), nil
}
