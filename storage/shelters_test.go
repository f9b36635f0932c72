package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// Changing a crisis home's free places, or whether it is offered, writes
// an event saying who changed what from what; a home that does not exist
// changes nothing and writes none.
func TestShelterChangesAreEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	if _, err := st.AddShelter(ctx, storage.Shelter{Name: "Tisza", Region: "Csongrád", IntakePhone: "+36 62 555 0101", FreePlaces: 2, UpdatedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetShelterPlaces(ctx, "Tisza", 3, "user:vera"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetShelterActive(ctx, "Tisza", false, "cli:root"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetShelterPlaces(ctx, "Nowhere", 1, "user:vera"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("places of a home that does not exist: %v, want ErrNotFound", err)
	}
	evs, err := st.Audit(ctx, storage.AuditFilter{Kind: storage.EventShelterUpdate, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	type change struct {
		Actor string
		Data  map[string]any
	}
	var got []change
	for _, e := range evs {
		got = append(got, change{e.Actor, e.Data})
	}
	want := []change{ // newest first
		{"cli:root", map[string]any{"shelter": "Tisza", "what": "active", "from": true, "to": false}},
		{"user:vera", map[string]any{"shelter": "Tisza", "what": "free_places", "from": 2.0, "to": 3.0}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shelter events (-want +got):\n%s", diff)
	}
	hs, err := st.Shelters(ctx)
	if err != nil || len(hs) != 1 || hs[0].FreePlaces != 3 || hs[0].Active || hs[0].UpdatedBy != "cli:root" {
		t.Errorf("the home after the changes: %+v, %v", hs, err)
	}
}
