package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/user"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
)

// openStore connects to OKIT_DATABASE_URL. With current set, it refuses a
// database whose schema is older than this binary.
func (a *app) openStore(ctx context.Context, current bool) (*storage.Store, error) {
	e := &env{get: a.getenv}
	url := e.databaseURL()
	if err := e.err(); err != nil {
		return nil, err
	}
	return openStore(ctx, "OKIT_DATABASE_URL", url, current)
}

func (e *env) databaseURL() string {
	url := e.required("OKIT_DATABASE_URL", "the PostgreSQL connection string, e.g. postgres://okit_console@localhost/okit")
	if err := checkDatabaseTLS(url); err != nil {
		e.fail("OKIT_DATABASE_URL: %v", err)
	}
	return url
}

// checkDatabaseTLS refuses a connection string that reaches a database on
// another host without checking its certificate and name
// (sslmode=verify-full): sealed mail, digests and password hashes, and the
// database password itself, cross that network. A loopback address or a
// Unix socket stays on the host.
func checkDatabaseTLS(url string) error {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return nil // storage.Open says what is wrong with it
	}
	hosts := append([]*pgconn.FallbackConfig{{Host: cfg.Host, TLSConfig: cfg.TLSConfig}}, cfg.Fallbacks...)
	for _, h := range hosts {
		if isLoopback(h.Host) || strings.HasPrefix(h.Host, "/") {
			continue
		}
		// Only verify-full leaves Go's own certificate and name check on:
		// require and verify-ca skip it, prefer also tries without TLS.
		if h.TLSConfig == nil || h.TLSConfig.InsecureSkipVerify {
			return fmt.Errorf("%s is not on this host: add sslmode=verify-full (and sslrootcert=FILE for a private CA), so that the database's certificate and name are checked", h.Host)
		}
	}
	return nil
}

// openStore connects to url, the value of the setting named variable.
func openStore(ctx context.Context, variable, url string, current bool) (*storage.Store, error) {
	st, err := storage.Open(ctx, url, time.Now)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", variable, err)
	}
	if current {
		if err := st.CheckSchema(ctx); err != nil {
			st.Close()
			return nil, err
		}
	}
	return st, nil
}

// openRunning opens the store a running process (serve, intake) works
// on, refusing a connection that could alter okit's tables: only okit
// migrate, on OKIT_MIGRATE_DATABASE_URL, connects as the owner.
func openRunning(ctx context.Context, variable, url string) (*storage.Store, error) {
	st, err := openStore(ctx, variable, url, true)
	if err != nil {
		return nil, err
	}
	if err := st.CheckRunningRole(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("%s %v; okit serve and okit intake run as %s or %s, and the owner's connection belongs in OKIT_MIGRATE_DATABASE_URL (README: Database roles)",
			variable, err, storage.ConsoleRole, storage.IntakeRole)
	}
	return st, nil
}

// keyFiles name the organisation's key files a process loads. A process
// that seals names the public and the index key; one that reads also the
// private key, with its passphrase. Between a key rotation and the end of
// okit reseal, the previous generation's index and private keys are named
// too: lookups and opening try them after the current ones.
type keyFiles struct {
	public, index string
	private       string
	passphrase    []byte
	console       string
	// The previous generation's; "" when there is none (or it is retired).
	previousIndex, previousPrivate string
	previousPassphrase             []byte
}

// Which keys a command needs.
const (
	sealKeys    = 1 << iota // public and index key: to seal and to look up
	openKeys                // private key and passphrase: to read
	consoleKeys             // the console key: to bind and check credentials
)

// keyFiles reads the names of the key files a command needs.
func (e *env) keyFiles(need int) keyFiles {
	var k keyFiles
	if need&sealKeys != 0 {
		k.public = e.required("OKIT_PUBLIC_KEY_FILE", "the organisation's public key (okit keys generate writes it)")
		k.index = e.required("OKIT_INDEX_KEY_FILE", "the index key file (okit keys generate writes it)")
		k.previousIndex = e.str("OKIT_PREVIOUS_INDEX_KEY_FILE", "")
	}
	if need&openKeys != 0 {
		k.private = e.required("OKIT_PRIVATE_KEY_FILE", "the organisation's private key (okit keys generate writes it)")
		k.passphrase = []byte(e.secret("OKIT_KEY_PASSPHRASE", "the private key's passphrase"))
		if k.previousPrivate = e.str("OKIT_PREVIOUS_PRIVATE_KEY_FILE", ""); k.previousPrivate != "" {
			k.previousPassphrase = k.passphrase
			if e.given("OKIT_PREVIOUS_KEY_PASSPHRASE") {
				k.previousPassphrase = []byte(e.secret("OKIT_PREVIOUS_KEY_PASSPHRASE", "the previous private key's passphrase"))
			}
		}
	}
	if need&consoleKeys != 0 {
		k.console = e.required("OKIT_CONSOLE_KEY_FILE", "the console key file (okit keys generate writes it; okit keys console for an older installation)")
	}
	return k
}

// keyring holds the keys a process holds; nil where it was not given the file.
type keyring struct {
	sealer *seal.Sealer
	index  *seal.Index
	opener *seal.Opener
	binder *seal.Binder
}

// load loads each named key, the private key unlocked with its
// passphrase, and reports every failure at once. It is the one place keys
// are loaded: each load is a debug line, by which a test sees that a
// process unlocks its private key once however many parts use it.
func (k keyFiles) load(log *slog.Logger) (keyring, error) {
	var ks keyring
	var errs []error
	loaded := func(which, file string) {
		log.Debug("key loaded", slog.String("key", which), slog.String("file", file))
	}
	var err error
	if k.public != "" {
		if ks.sealer, err = seal.LoadSealer(k.public); err != nil {
			errs = append(errs, fmt.Errorf("OKIT_PUBLIC_KEY_FILE: %w", err))
		} else {
			loaded("public", k.public)
		}
	}
	if k.index != "" {
		if ks.index, err = seal.LoadIndex(k.index); err != nil {
			errs = append(errs, fmt.Errorf("OKIT_INDEX_KEY_FILE: %w", err))
		} else {
			loaded("index", k.index)
		}
	}
	if k.console != "" {
		if ks.binder, err = seal.LoadBinder(k.console); err != nil {
			errs = append(errs, fmt.Errorf("OKIT_CONSOLE_KEY_FILE: %w", err))
		} else {
			loaded("console", k.console)
		}
	}
	if k.previousIndex != "" && ks.index != nil {
		previous, err := seal.LoadIndex(k.previousIndex)
		if err == nil {
			ks.index, err = ks.index.WithPrevious(previous)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("OKIT_PREVIOUS_INDEX_KEY_FILE: %w", err))
		} else {
			loaded("previous index", k.previousIndex)
		}
	}
	if k.private != "" {
		if ks.opener, err = seal.LoadOpener(k.private, k.passphrase); err != nil {
			errs = append(errs, fmt.Errorf("OKIT_PRIVATE_KEY_FILE: %w", err))
		} else {
			loaded("private", k.private)
		}
	}
	if k.previousPrivate != "" && ks.opener != nil {
		previous, err := seal.LoadOpener(k.previousPrivate, k.previousPassphrase)
		if err == nil {
			ks.opener, err = ks.opener.WithPrevious(previous)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("OKIT_PREVIOUS_PRIVATE_KEY_FILE: %w", err))
		} else {
			loaded("previous private", k.previousPrivate)
		}
	}
	return ks, errors.Join(errs...)
}

// actor names the person at the command line for the audit trail.
func actor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli:unknown"
}
