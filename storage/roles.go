package storage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The roles okit's running processes connect as. The owner of the schema,
// who runs `okit migrate`, is whoever OKIT_MIGRATE_DATABASE_URL names; these
// two only use what the owner granted them.
const (
	// IntakeRole takes mail in: it stores and threads messages, opens and
	// assigns cases, writes their events and enqueues acknowledgements.
	// It can read no credential, no session and no note.
	IntakeRole = "okit_intake"
	// ConsoleRole serves the console and works the job queue (replies,
	// reminders), the response clocks and the purger.
	ConsoleRole = "okit_console"
)

// ErrCanAlter is returned by CheckRunningRole for a connection that could
// change okit's tables or triggers: a superuser, the schema's owner, or a
// role that may create in the schema.
var ErrCanAlter = errors.New("can alter okit's tables")

// privileges are what each running role may do on one table, as GRANT
// clauses; none is nothing. A column list, as in "SELECT (id, role)",
// limits a privilege to those columns.
type privileges struct{ intake, console []string }

// all is every row privilege but TRUNCATE, REFERENCES and TRIGGER.
var all = []string{"SELECT, INSERT, UPDATE, DELETE"}

// grants is the one list of what the running roles may do, table by
// table; migrate applies it after every migration, and refuses a schema
// with a table missing here, so that a new table gets its privileges
// decided when it is made. Nobody but the owner gets TRUNCATE, REFERENCES
// or TRIGGER, and the log and the chain get no UPDATE or DELETE.
var grants = map[string]privileges{
	"schema_migrations": {[]string{"SELECT"}, []string{"SELECT"}}, // serve refuses an old schema
	"mailboxes":         {[]string{"SELECT, INSERT, UPDATE"}, []string{"SELECT"}},
	"messages":          {[]string{"SELECT, INSERT, UPDATE"}, all},
	"cases":             {[]string{"SELECT, INSERT, UPDATE"}, []string{"SELECT, INSERT, UPDATE"}},
	"case_ref_counters": {[]string{"SELECT, INSERT, UPDATE"}, []string{"SELECT, INSERT, UPDATE"}},
	"case_writers":      {[]string{"SELECT, INSERT, UPDATE"}, all},
	"case_events":       {[]string{"SELECT, INSERT"}, []string{"SELECT, INSERT"}},
	"outgoing":          {[]string{"SELECT, INSERT", "UPDATE (state)"}, all}, // a bounce marks its reply
	// Intake assigns new cases: it reads who is on shift, with what
	// languages and load, and notes when each was last given a case; it
	// never sees a credential column and cannot add or change a user.
	"users": {[]string{"SELECT (id, username, role, languages, skills, load_limit, on_shift, disabled, last_assigned_at)", "UPDATE (last_assigned_at)"},
		[]string{"SELECT, INSERT, UPDATE"}},
	"shifts":          {[]string{"SELECT"}, []string{"SELECT, INSERT, UPDATE"}},
	"sessions":        {nil, all},
	"notes":           {nil, all}, // okit reseal seals them again
	"shelters":        {nil, all},
	"saved_answers":   {nil, all},
	"drafts":          {nil, all}, // an operator's unsent answer, sealed
	"account_links":   {nil, all},
	"reseal_progress": {nil, all},
	"login_attempts":  {nil, all},
	// The second opinion's models (hashed weights, figures): intake reads
	// the active one; the console stores, activates and rolls back.
	"triage_models": {[]string{"SELECT"}, []string{"SELECT, INSERT, UPDATE"}},
	// The chain is written by its SECURITY DEFINER functions (schema 12);
	// the console reads it for okit audit verify.
	"event_chain":       {nil, []string{"SELECT"}},
	"event_chain_queue": {nil, nil},
	"event_chain_tx":    {nil, nil},
	// river's queue: intake only enqueues; the console's workers run it.
	// river's insert ends in ON CONFLICT DO UPDATE SET kind = kind, which
	// takes UPDATE of that one column.
	"river_job":          {[]string{"SELECT, INSERT", "UPDATE (kind)"}, all},
	"river_queue":        {[]string{"SELECT, INSERT, UPDATE"}, all},
	"river_leader":       {nil, all},
	"river_client":       {nil, all},
	"river_client_queue": {nil, all},
	"river_migration":    {[]string{"SELECT"}, []string{"SELECT"}},
	"river_notification": {[]string{"SELECT, INSERT"}, all},
}

// grantRoles creates the running roles if they do not exist (when the
// owner may create roles) or checks them, and grants each exactly what
// grants lists on the current schema's tables, revoking anything else.
func grantRoles(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('okit:roles'))`); err != nil {
		return err
	}
	for _, role := range []string{IntakeRole, ConsoleRole} {
		if err := ensureRole(ctx, tx, role); err != nil {
			return err
		}
	}
	rows, err := tx.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v') ORDER BY 1`)
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	var missing []string
	for _, t := range tables {
		if _, ok := grants[t]; !ok {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("tables %s: no privileges decided for %s and %s (storage/roles.go)", strings.Join(missing, ", "), IntakeRole, ConsoleRole)
	}
	var schema string
	if err := tx.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("grant: %w", err)
	}
	schema = pgx.Identifier{schema}.Sanitize()
	roles := pgx.Identifier{IntakeRole}.Sanitize() + ", " + pgx.Identifier{ConsoleRole}.Sanitize()
	qs := []string{
		"GRANT USAGE ON SCHEMA " + schema + " TO " + roles,
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + roles,
	}
	for _, t := range tables {
		table := pgx.Identifier{t}.Sanitize()
		qs = append(qs, "REVOKE ALL ON "+table+" FROM "+roles)
		p := grants[t]
		for _, g := range []struct {
			role    string
			clauses []string
		}{{IntakeRole, p.intake}, {ConsoleRole, p.console}} {
			for _, c := range g.clauses {
				qs = append(qs, "GRANT "+c+" ON "+table+" TO "+pgx.Identifier{g.role}.Sanitize())
			}
		}
	}
	for _, q := range qs {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("grant: %s: %w", q, err)
		}
	}
	return nil
}

// ensureRole creates role as a login role without a password (the
// administrator sets one, README "Database roles") if it is missing, and
// otherwise checks that it could not alter anything itself.
func ensureRole(ctx context.Context, tx pgx.Tx, role string) error {
	var exists, super, createRole, createDB, bypass bool
	err := tx.QueryRow(ctx, `SELECT true, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = $1`, role).
		Scan(&exists, &super, &createRole, &createDB, &bypass)
	if errors.Is(err, pgx.ErrNoRows) {
		if _, err := tx.Exec(ctx, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"); err != nil {
			return fmt.Errorf("create role %s: %w (create it as the README's \"Database roles\" shows, or let the owner create roles)", role, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("check role %s: %w", role, err)
	}
	var wrong []string
	for _, w := range []struct {
		bad  bool
		what string
	}{{super, "SUPERUSER"}, {createRole, "CREATEROLE"}, {createDB, "CREATEDB"}, {bypass, "BYPASSRLS"}} {
		if w.bad {
			wrong = append(wrong, w.what)
		}
	}
	var member bool
	if err := tx.QueryRow(ctx, `SELECT pg_has_role($1, current_user, 'MEMBER')`, role).Scan(&member); err != nil {
		return fmt.Errorf("check role %s: %w", role, err)
	}
	if member {
		wrong = append(wrong, "member of the owner "+currentUser(ctx, tx))
	}
	if len(wrong) > 0 {
		return fmt.Errorf("role %s is %s: a running role must not be (ALTER ROLE %s NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS; REVOKE the membership)",
			role, strings.Join(wrong, ", "), role)
	}
	return nil
}

func currentUser(ctx context.Context, tx pgx.Tx) string {
	var u string
	tx.QueryRow(ctx, `SELECT current_user`).Scan(&u)
	return u
}

// CheckRunningRole returns ErrCanAlter, with the reason, when the store's
// connection could alter okit's tables or triggers: okit serve and okit
// intake refuse to run so, for whoever takes over a running process must
// not be able to change the schema, rewrite the log or mint users.
func (s *Store) CheckRunningRole(ctx context.Context) error {
	var user, why string
	err := s.pool.QueryRow(ctx, `
		SELECT current_user, CASE
			WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN 'a superuser'
			WHEN EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE n.nspname = current_schema() AND pg_has_role(current_user, c.relowner, 'USAGE')) THEN 'the owner of its tables'
			WHEN has_schema_privilege(current_schema(), 'CREATE') THEN 'allowed to create in schema ' || current_schema()
			ELSE '' END`).Scan(&user, &why)
	if err != nil {
		return fmt.Errorf("check database role: %w", err)
	}
	if why != "" {
		return fmt.Errorf("connects as %s, %s, so it %w", user, why, ErrCanAlter)
	}
	return nil
}

// RoleURL is url with its user changed to role and no password: how the
// demo and the tests reach the running roles on a server that trusts
// local connections. A real installation writes each role's URL, with
// its password, itself.
func RoleURL(u, role string) (string, error) {
	p, err := url.Parse(u)
	if err != nil {
		return "", errors.New("not a valid PostgreSQL URL")
	}
	p.User = url.User(role)
	return p.String(), nil
}
