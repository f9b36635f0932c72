package main

import (
	"context"
	"fmt"
	"os/user"
	"time"

	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
)

// openStore connects to OKIT_DATABASE_URL. With current set, it refuses a
// database whose schema is older than this binary.
func (a *app) openStore(ctx context.Context, current bool) (*storage.Store, error) {
	e := &env{get: a.getenv}
	url := e.required("OKIT_DATABASE_URL", "the PostgreSQL connection string, e.g. postgres://okit@localhost/okit")
	if err := e.err(); err != nil {
		return nil, err
	}
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

// intakeKeys loads what intake needs: the public key and the index key.
func (e *env) intakeKeys() (*seal.Sealer, *seal.Index) {
	pub := e.required("OKIT_PUBLIC_KEY_FILE", "the organisation's public key (okit keys generate writes it)")
	idx := e.required("OKIT_INDEX_KEY_FILE", "the index key file (okit keys generate writes it)")
	var sealer *seal.Sealer
	var index *seal.Index
	var err error
	if pub != "" {
		if sealer, err = seal.LoadSealer(pub); err != nil {
			e.fail("OKIT_PUBLIC_KEY_FILE: %v", err)
		}
	}
	if idx != "" {
		if index, err = seal.LoadIndex(idx); err != nil {
			e.fail("OKIT_INDEX_KEY_FILE: %v", err)
		}
	}
	return sealer, index
}

// opener loads the private key, unlocked with the passphrase.
func (e *env) opener() *seal.Opener {
	file := e.required("OKIT_PRIVATE_KEY_FILE", "the organisation's private key (okit keys generate writes it)")
	pass := e.secret("OKIT_KEY_PASSPHRASE", "the private key's passphrase")
	if file == "" || pass == "" {
		return nil
	}
	o, err := seal.LoadOpener(file, []byte(pass))
	if err != nil {
		e.fail("OKIT_PRIVATE_KEY_FILE: %v", err)
	}
	return o
}

// actor names the person at the command line for the audit trail.
func actor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli:unknown"
}
