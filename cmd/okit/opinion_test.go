package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/secondopinion"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// A learned model records the index key its features were hashed with.
// After okit keys rotate, intake scores it with that key while the
// keyring still holds it as the previous one (it raises what it raised
// before); once the previous key is retired it is skipped, with one
// warning however many batches ask, and intake triages by the rules. A
// model that does not record its key is skipped too.
func TestSecondOpinionAfterKeyRotation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	rules := triage.Default()
	index := func(version int) *seal.Index {
		t.Helper()
		file := filepath.Join(t.TempDir(), "index.key")
		key := make([]byte, 32)
		rand.Read(key)
		text := hex.EncodeToString(key)
		if version > 1 {
			text = string(rune('0'+version)) + ":" + text
		}
		if err := os.WriteFile(file, []byte(text+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		x, err := seal.LoadIndex(file)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	one, two := index(1), index(2)
	twoWithOne, err := two.WithPrevious(one)
	if err != nil {
		t.Fatal(err)
	}
	// A P2 by the rules that operators called P1, and a message they
	// called P2.
	urgent := triage.Input{Text: "A férjem megütött tegnap este, nem tudom hova menjek a gyerekekkel."}
	calm := triage.Input{Text: "Tegnap a párom kiabált velem, azóta nem beszélünk. Mit tehetnék?"}
	if p := rules.Triage(urgent).Priority; p != triage.P2 {
		t.Fatalf("P%d by the rules, want P2", p)
	}
	key1, err := secondopinion.NewKey(one.SecondOpinionKey())
	if err != nil {
		t.Fatal(err)
	}
	var exs []secondopinion.Example
	for range 20 {
		exs = append(exs, secondopinion.Read(rules, key1, secondopinion.KeyingIndex, urgent, triage.P1),
			secondopinion.Read(rules, key1, secondopinion.KeyingIndex, calm, triage.P2))
	}
	model, _ := secondopinion.Train(secondopinion.KeyingIndex, exs)
	data, err := model.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	save := func(keyVersion int) int {
		v, err := st.SaveModel(ctx, storage.Model{Source: "learned", Data: data, IndexKeyVersion: keyVersion, Figures: json.RawMessage(`{}`), CreatedBy: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.ActivateModel(ctx, v, "test"); err != nil {
			t.Fatal(err)
		}
		return v
	}
	save(1)
	for _, c := range []struct {
		name   string
		index  *seal.Index
		raised bool
	}{
		{"before the rotation", one, true},
		{"rotated, the previous key still given", twoWithOne, true},
		{"the previous key retired", two, false},
	} {
		var logs bytes.Buffer
		ops := newOpinions(st, c.index, slog.New(slog.NewTextHandler(&logs, nil)))
		for range 3 { // three batches
			op, err := ops.Opinion(ctx)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := op.Judge(rules, urgent).Raised != nil; got != c.raised {
				t.Errorf("%s: raised %v, want %v", c.name, got, c.raised)
			}
		}
		if n := strings.Count(logs.String(), "second opinion skipped"); n != map[bool]int{true: 0, false: 1}[c.raised] {
			t.Errorf("%s: %d warnings that the model is skipped:\n%s", c.name, n, logs.String())
		}
	}
	// A model that does not record its key, current key or not: skipped.
	save(0)
	var logs bytes.Buffer
	if op, err := newOpinions(st, one, slog.New(slog.NewTextHandler(&logs, nil))).Opinion(ctx); op != nil || err != nil ||
		!strings.Contains(logs.String(), "second opinion skipped") {
		t.Errorf("a model without its key: %v, %v; log:\n%s", op, err, logs.String())
	}
}
