package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"

	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/secondopinion"
	"github.com/ncsszi/okit/storage"
)

// opinions gives intake the active second opinion, loading a model only
// when the active version changes (an activation or a rollback).
type opinions struct {
	store *storage.Store
	index *seal.Index
	log   *slog.Logger

	mu      sync.Mutex
	cur     *secondopinion.Opinion
	skipped int // the active version, when its index key is gone
}

func newOpinions(store *storage.Store, index *seal.Index, log *slog.Logger) *opinions {
	return &opinions{store: store, index: index, log: log}
}

// Opinion implements intake.Opinions. A model whose index key the
// keyring no longer holds (rotated away) is skipped, with one warning for
// as long as it stays active.
func (o *opinions) Opinion(ctx context.Context) (*secondopinion.Opinion, error) {
	v, err := o.store.ActiveModelVersion(ctx)
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if v == 0 || v == o.skipped {
		o.cur = nil
		return nil, nil
	}
	if o.cur.Version() == v {
		return o.cur, nil
	}
	op, err := loadOpinion(ctx, o.store, o.index, v)
	var gone *keyGoneError
	if errors.As(err, &gone) {
		o.log.Warn("second opinion skipped: its index key was rotated away; train a model again (okit triage learn) and activate it",
			slog.Int("version", v), slog.Int("index_key_version", gone.had), slog.Int("current_index_key_version", o.index.Version()))
		o.cur, o.skipped = nil, v
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	o.cur, o.skipped = op, 0
	return op, nil
}

// keyGoneError says a learned model's features were hashed with an index
// key the keyring no longer holds.
type keyGoneError struct{ version, had int }

func (e *keyGoneError) Error() string {
	if e.had == 0 {
		return fmt.Sprintf("model %d does not record the index key it was hashed with (learned before schema 17): train it again", e.version)
	}
	return fmt.Sprintf("model %d was hashed with index key %d, which is not given any more: train it again after the rotation", e.version, e.had)
}

// modelKey gives the key a learned model's features were hashed with:
// that of the index key of its version, the current one or the previous
// one while okit reseal is under way.
func modelKey(index *seal.Index, m storage.Model) (secondopinion.Key, error) {
	for x := index; x != nil && m.IndexKeyVersion != 0; x = x.Previous() {
		if x.Version() == m.IndexKeyVersion {
			return secondopinion.NewKey(x.SecondOpinionKey())
		}
	}
	return secondopinion.Key{}, &keyGoneError{version: m.Version, had: m.IndexKeyVersion}
}

// loadOpinion reads model version v from the store, with the key its
// features were hashed with.
func loadOpinion(ctx context.Context, st *storage.Store, index *seal.Index, v int) (*secondopinion.Opinion, error) {
	m, err := st.ModelVersion(ctx, v)
	if err != nil {
		return nil, err
	}
	model, err := secondopinion.UnmarshalModel(m.Data)
	if err != nil {
		return nil, fmt.Errorf("model %d: %w", v, err)
	}
	var key secondopinion.Key
	if model.Keying == secondopinion.KeyingIndex {
		if key, err = modelKey(index, m); err != nil {
			return nil, err
		}
	}
	return secondopinion.NewOpinion(model, key, v), nil
}

// secondOpinionUsage is the --second-opinion flag's help.
const secondOpinionUsage = "apply a learned second opinion after the rules: none, starting (the embedded model, no database needed), " +
	"active (the model intake applies) or a stored version's number (these two read the database and need the index key)"

// chosenOpinion gives the second opinion okit triage explain and message
// inspect apply, by the value of their --second-opinion flag: none; the
// embedded starting model, on a machine without the database; or a
// stored model, the active one or a version, read with the index key as
// intake reads it.
func chosenOpinion(ctx context.Context, a *app, which string) (*secondopinion.Opinion, error) {
	switch which {
	case "", "none":
		return nil, nil
	case "starting":
		data, _ := secondopinion.Starting()
		m, err := secondopinion.UnmarshalModel(data)
		if err != nil {
			return nil, fmt.Errorf("the starting model: %w", err)
		}
		return secondopinion.NewOpinion(m, secondopinion.Key{}, 0), nil
	}
	v, err := strconv.Atoi(which)
	if which != "active" && (err != nil || v < 1) {
		return nil, fmt.Errorf("--second-opinion=%q: give none, starting, active or a model version", which)
	}
	e := &env{get: a.getenv}
	files := e.keyFiles(sealKeys)
	if err := e.err(); err != nil {
		return nil, err
	}
	k, err := files.load(a.log)
	if err != nil {
		return nil, err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if which == "active" {
		if v, err = st.ActiveModelVersion(ctx); err != nil {
			return nil, err
		}
		if v == 0 {
			return nil, errors.New("--second-opinion=active: no model is active (okit triage model list)")
		}
	}
	return loadOpinion(ctx, st, k.index, v)
}
