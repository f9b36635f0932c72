package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/secondopinion"
	"github.com/ncsszi/okit/storage"
)

// opinions gives intake the active second opinion, loading a model only
// when the active version changes (an activation or a rollback).
type opinions struct {
	store *storage.Store
	key   secondopinion.Key

	mu  sync.Mutex
	cur *secondopinion.Opinion
}

func newOpinions(store *storage.Store, index *seal.Index) (*opinions, error) {
	key, err := secondopinion.NewKey(index.SecondOpinionKey())
	if err != nil {
		return nil, err
	}
	return &opinions{store: store, key: key}, nil
}

// Opinion implements intake.Opinions.
func (o *opinions) Opinion(ctx context.Context) (*secondopinion.Opinion, error) {
	v, err := o.store.ActiveModelVersion(ctx)
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if v == 0 {
		o.cur = nil
		return nil, nil
	}
	if o.cur.Version() == v {
		return o.cur, nil
	}
	op, err := loadOpinion(ctx, o.store, o.key, v)
	if err != nil {
		return nil, err
	}
	o.cur = op
	return op, nil
}

// loadOpinion reads model version v from the store.
func loadOpinion(ctx context.Context, st *storage.Store, key secondopinion.Key, v int) (*secondopinion.Opinion, error) {
	m, err := st.ModelVersion(ctx, v)
	if err != nil {
		return nil, err
	}
	model, err := secondopinion.UnmarshalModel(m.Data)
	if err != nil {
		return nil, fmt.Errorf("model %d: %w", v, err)
	}
	return secondopinion.NewOpinion(model, key, v), nil
}

// offlineOpinion gives the second opinion okit triage explain and message
// inspect apply, by the value of their --second-opinion flag: none, or
// the embedded starting model (a machine without the database).
func offlineOpinion(which string) (*secondopinion.Opinion, error) {
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
	return nil, fmt.Errorf("--second-opinion=%q: give none or starting", which)
}
