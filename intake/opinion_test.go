package intake_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/secondopinion"
	"github.com/ncsszi/okit/storage/storagetest"
)

// constantModel is the stored form of a model that gives every message
// probability sigmoid(bias) on both heads, with thresholds at 0.5.
func constantModel(t *testing.T, bias float32) *secondopinion.Model {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("okit-second-opinion-2\n")
	b.WriteByte(byte(len(secondopinion.KeyingIndex)))
	b.WriteString(secondopinion.KeyingIndex)
	for _, x := range []any{bias, bias, 0.5, 0.5, 0.5, uint32(0)} {
		_ = binary.Write(&b, binary.LittleEndian, x)
	}
	m, err := secondopinion.UnmarshalModel(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// switchable is an intake.Opinions a test changes between passes, as a
// supervisor activates and rolls back versions.
type switchable struct {
	mu  sync.Mutex
	op  *secondopinion.Opinion
	err error
}

func (s *switchable) set(op *secondopinion.Opinion, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.op, s.err = op, err
}

func (s *switchable) Opinion(context.Context) (*secondopinion.Opinion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.op, s.err
}

type storedVerdict struct {
	Priority    int
	Flags       string
	RaisedFrom  int
	RaisedModel int
}

func lastVerdict(t *testing.T, f *fixture) storedVerdict {
	t.Helper()
	var v storedVerdict
	err := storagetest.Pool(f.store).QueryRow(context.Background(), `
		SELECT priority, array_to_string(flags, ','), coalesce(raised_from, 0), coalesce(raised_model, 0)
		FROM messages ORDER BY id DESC LIMIT 1`).Scan(&v.Priority, &v.Flags, &v.RaisedFrom, &v.RaisedModel)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSecondOpinionRaisesOnly takes the same kinds of message in under no
// model, a model that raises everything it may, one that fails to load
// and after a rollback to none: the model raises a P2 to P1, a P3 to P2
// and a P4 that is not automated mail to P2 and says so, never lowers a
// P1, never touches automated mail at P4 or a flag, and intake stores
// every message whatever the model does.
func TestSecondOpinionRaisesOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t, demo.MailboxOptions{})
	src := &switchable{}
	f.cfg.Opinions = src
	key, err := secondopinion.NewKey(keys.index.SecondOpinionKey())
	if err != nil {
		t.Fatal(err)
	}
	always := secondopinion.NewOpinion(constantModel(t, 50), key, 7)
	never := secondopinion.NewOpinion(constantModel(t, -50), key, 8)
	p2 := "A férjem tegnap megütött, nem tudom hova menjek."
	p3 := "Szeretném megkérdezni, hogyan lehet távoltartást kérni."
	p1 := "Ne írjanak vissza, a férjem olvassa a leveleimet. Azt mondta, ma este megöl."
	p4 := "Mikor vannak nyitva az irodák? Köszönöm."
	autoReply := []string{"Auto-Submitted: auto-replied"}
	steps := []struct {
		name    string
		op      *secondopinion.Opinion
		err     error
		body    string
		headers []string
		want    storedVerdict
		logHint string
	}{
		{"no model", nil, nil, p2, nil, storedVerdict{Priority: 2}, ""},
		{"raises P2", always, nil, p2, nil, storedVerdict{Priority: 1, RaisedFrom: 2, RaisedModel: 7}, ""},
		{"raises P3", always, nil, p3, nil, storedVerdict{Priority: 2, RaisedFrom: 3, RaisedModel: 7}, ""},
		{"raises P4", always, nil, p4, nil, storedVerdict{Priority: 2, RaisedFrom: 4, RaisedModel: 7}, ""},
		{"automated P4 stays", always, nil, p4, autoReply, storedVerdict{Priority: 4, Flags: "automated"}, ""},
		{"P1 and its flag stay", always, nil, p1, nil, storedVerdict{Priority: 1, Flags: "do_not_reply"}, ""},
		{"never lowers", never, nil, p1, nil, storedVerdict{Priority: 1, Flags: "do_not_reply"}, ""},
		{"broken model", nil, errors.New("model 9: second opinion model: cut short"), p2, nil, storedVerdict{Priority: 2}, "second opinion not loaded"},
		{"rolled back to none", nil, nil, p2, nil, storedVerdict{Priority: 2}, ""},
	}
	for i, s := range steps {
		src.set(s.op, s.err)
		f.deliver(mail(strings.ReplaceAll(s.name, " ", "-")+"@example.hu", "iro"+string(rune('a'+i))+"@example.hu", "kérdés", s.body, s.headers...))
		if st := f.once(); st.Stored != 1 {
			t.Fatalf("%s: pass %+v, want 1 stored", s.name, st)
		}
		if got := lastVerdict(t, f); got != s.want {
			t.Errorf("%s: stored %+v, want %+v", s.name, got, s.want)
		}
		if s.logHint != "" && !strings.Contains(f.logs.String(), s.logHint) {
			t.Errorf("%s: the log does not say %q", s.name, s.logHint)
		}
	}
	var raised []int
	rows, err := storagetest.Pool(f.store).Query(context.Background(),
		`SELECT (data->>'raised_by_model')::int FROM case_events WHERE kind = 'message_received' AND data ? 'raised_by_model'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v int
		_ = rows.Scan(&v)
		raised = append(raised, v)
	}
	if !slices.Equal(raised, []int{7, 7, 7}) {
		t.Errorf("message_received events name the raising model %v, want [7 7 7]", raised)
	}
}
