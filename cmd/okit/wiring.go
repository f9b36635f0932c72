package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/user"
	"time"

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
	return openStore(ctx, url, current)
}

func (e *env) databaseURL() string {
	return e.required("OKIT_DATABASE_URL", "the PostgreSQL connection string, e.g. postgres://okit@localhost/okit")
}

func openStore(ctx context.Context, url string, current bool) (*storage.Store, error) {
	st, err := storage.Open(ctx, url, time.Now)
	if err != nil {
		return nil, fmt.Errorf("OKIT_DATABASE_URL: %w", err)
	}
	if current {
		if err := st.CheckSchema(ctx); err != nil {
			st.Close()
			return nil, err
		}
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
	// The previous generation's; "" when there is none (or it is retired).
	previousIndex, previousPrivate string
	previousPassphrase             []byte
}

// Which keys a command needs.
const (
	sealKeys = 1 << iota // public and index key: to seal and to look up
	openKeys             // private key and passphrase: to read
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
	return k
}

// keyring holds the keys a process holds; nil where it was not given the file.
type keyring struct {
	sealer *seal.Sealer
	index  *seal.Index
	opener *seal.Opener
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
