package secondopinion

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncsszi/okit/triage"
)

// TestRaiseOnly judges the whole corpus with a model that says "urgent"
// to everything and one that says it to nothing: the first raises every
// P2 to P1, every P3 to P2 and every P4 that is not automated mail to P2
// and nothing else, the second nothing; no verdict loses priority,
// automated mail the rules give P4 stays P4, and flags, reasons,
// categories, rules and language are the rules' own.
func TestRaiseOnly(t *testing.T) {
	t.Parallel()
	r := triage.Default()
	ms := readParts(t, ".", "heldout", "heldout2", "heldout3", "tuning")
	for _, c := range []struct {
		name string
		bias float32
	}{{"always", 50}, {"never", -50}} {
		m := newModel(KeyingCorpus)
		m.B1, m.B12, m.T1, m.T12, m.T4 = c.bias, c.bias, 0.5, 0.5, 0.5
		o := NewOpinion(m, Key{}, 3)
		var auto4, other4 int
		for _, x := range ms {
			rv, v := r.Triage(x.In), o.Judge(r, x.In)
			want := rv.Priority
			automated := rv.Has(triage.FlagAutomated)
			if rv.Priority == triage.P4 && automated {
				auto4++
			} else if rv.Priority == triage.P4 {
				other4++
			}
			switch {
			case c.bias < 0:
			case rv.Priority == triage.P2 || rv.Priority == triage.P3:
				want = rv.Priority - 1
			case rv.Priority == triage.P4 && !automated:
				want = triage.P2
			}
			if v.Priority != want {
				t.Errorf("%s %s: rules %s, with the model %s, want %s", c.name, x.Name, rv.Priority, v.Priority, want)
			}
			if (v.Raised != nil) != (want != rv.Priority) || v.Raised != nil && (v.Raised.From != rv.Priority || v.Raised.Model != 3) {
				t.Errorf("%s %s: Raised %+v", c.name, x.Name, v.Raised)
			}
			v.Priority, v.Raised = rv.Priority, nil
			if d := cmp.Diff(rv, v); d != "" {
				t.Errorf("%s %s: the model changed more than the priority (-rules +model):\n%s", c.name, x.Name, d)
			}
		}
		if auto4 == 0 || other4 == 0 {
			t.Errorf("%s: %d automated and %d other P4 in the corpus: the test reads nothing of the P4 raise", c.name, auto4, other4)
		}
	}
	var none *Opinion
	if v := none.Judge(r, ms[0].In); !cmp.Equal(v, r.Triage(ms[0].In)) {
		t.Error("no model: the verdict is not the rules' own")
	}
}

// TestRaiseP4 shows the safer side when unsure: a message the rules give
// P4 that reads like the urgent ones is raised to P2 and says so in words
// ("the rules gave P4"); automated mail the rules give P4, by its header
// or by its wording, is never raised, and a model that does not read P4s
// as urgent raises none.
func TestRaiseP4(t *testing.T) {
	t.Parallel()
	r := triage.Default()
	question := "Mikor vannak nyitva az irodák? Köszönöm."
	for _, c := range []struct {
		name   string
		in     triage.Input
		bias   float32
		auto   bool // automated by the rules
		raised bool
	}{
		{"a question", triage.Input{Subject: "kérdés", Text: question, From: "iro@example.hu"}, 50, false, true},
		{"a question, the model unsure", triage.Input{Subject: "kérdés", Text: question, From: "iro@example.hu"}, 0.2, false, false},
		{"an auto-reply by its header", triage.Input{Subject: "kérdés", Text: question, From: "iro@example.hu",
			Header: map[string][]string{"Auto-Submitted": {"auto-replied"}}}, 50, true, false},
		{"an out-of-office by its wording", triage.Input{Subject: "Házon kívül",
			Text: "Házon kívül vagyok, január 5-én térek vissza. Sürgős ügyben hívja a kollégámat.", From: "iro@example.hu"}, 50, true, false},
	} {
		m := newModel(KeyingCorpus)
		// sigmoid(0.2) is 0.55: below T4.
		m.B1, m.B12, m.T1, m.T12, m.T4 = c.bias, c.bias, 0.9, 0.9, 0.6
		rv, v := r.Triage(c.in), NewOpinion(m, Key{}, 4).Judge(r, c.in)
		if rv.Priority != triage.P4 {
			t.Fatalf("%s: the rules give %s, want P4 for this test", c.name, rv.Priority)
		}
		if rv.Has(triage.FlagAutomated) != c.auto {
			t.Fatalf("%s: automated %v by the rules", c.name, rv.Has(triage.FlagAutomated))
		}
		if !c.raised {
			if !cmp.Equal(rv, v) {
				t.Errorf("%s: changed (-rules +model):\n%s", c.name, cmp.Diff(rv, v))
			}
			continue
		}
		want := rv
		want.Priority, want.Raised = triage.P2, &triage.Raised{From: triage.P4, Model: 4, Probability: 1}
		if d := cmp.Diff(want, v); d != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, d)
		}
		if say := v.SecondOpinion(); say != "second opinion: reads like the P1 or P2 messages operators have seen, 1.00 (model 4; the rules gave P4)" {
			t.Errorf("%s: says %q", c.name, say)
		}
	}
}

// TestStoredForm stores and reads a trained model back, and refuses
// stored forms that are cut, padded, of an unknown keying or with a
// weight that is not a number.
func TestStoredForm(t *testing.T) {
	t.Parallel()
	m, _ := Train(KeyingCorpus, examples(triage.Default(), readParts(t, "heldout")))
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(m, back) {
		t.Error("the model read back differs from the one stored")
	}
	// A model stored before the P4 raise (form 1: no T4) reads with T4
	// never: it judges as its figures measured.
	old, err := UnmarshalModel(asForm1(m.Keying, b))
	if err != nil {
		t.Fatalf("form 1: %v", err)
	}
	if old.T4 <= 1 || old.T1 != m.T1 || old.T12 != m.T12 || !slices.Equal(old.W12, m.W12) {
		t.Errorf("form 1 read back with T4 %v, T1 %v (want %v), T12 %v (want %v)", old.T4, old.T1, m.T1, old.T12, m.T12)
	}
	nan := slices.Clone(b)
	copy(nan[len(nan)-4:], []byte{0, 0, 0xc0, 0x7f})
	for name, bad := range map[string][]byte{
		"empty": nil, "cut": b[:len(b)-3], "padded": append(slices.Clone(b), 0),
		"keying": bytes.Replace(b, []byte(KeyingCorpus), []byte("plain!"), 1), "nan": nan,
	} {
		if _, err := UnmarshalModel(bad); err == nil {
			t.Errorf("%s: read without error", name)
		}
	}
}

// asForm1 gives the stored form b of a model of keying as it was stored
// before the P4 raise: magic line 1, no T4.
func asForm1(keying string, b []byte) []byte {
	t4 := len(magic) + 1 + len(keying) + 4 + 4 + 8 + 8 // magic, keying, B1, B12, T1, T12
	out := append([]byte(magic1), b[len(magic):t4]...)
	return append(out, b[t4+8:]...)
}

// TestTrainingIsDeterministic: the same labels give the same model.
func TestTrainingIsDeterministic(t *testing.T) {
	t.Parallel()
	exs := examples(triage.Default(), readParts(t, "heldout2"))
	a, fa := Train(KeyingCorpus, exs)
	b, fb := Train(KeyingCorpus, exs)
	ba, _ := a.MarshalBinary()
	bb, _ := b.MarshalBinary()
	if !bytes.Equal(ba, bb) || fa != fb {
		t.Error("two trainings on the same labels differ")
	}
}

// TestKeysSeparate: the same message read with two keys fills different
// buckets, so weights trained under one key say nothing under another.
func TestKeysSeparate(t *testing.T) {
	t.Parallel()
	r := triage.Default()
	in := readParts(t, "heldout")[0].In
	k1, _ := NewKey(bytes.Repeat([]byte{1}, 16))
	k2, _ := NewKey(bytes.Repeat([]byte{2}, 16))
	a, b := Read(r, k1, KeyingIndex, in, triage.P1), Read(r, k2, KeyingIndex, in, triage.P1)
	same := 0
	for i := range min(len(a.feats), len(b.feats)) {
		if a.feats[i].idx == b.feats[i].idx {
			same++
		}
	}
	if same > len(a.feats)/10 {
		t.Errorf("%d of %d buckets equal under two keys", same, len(a.feats))
	}
}

func FuzzUnmarshalModel(f *testing.F) {
	m := newModel(KeyingIndex)
	m.W1[7], m.B12, m.T1 = 0.5, -1, 0.8
	b, _ := m.MarshalBinary()
	f.Add(b)
	f.Add([]byte(magic))
	f.Add(asForm1(m.Keying, b))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := UnmarshalModel(data)
		if err != nil {
			return
		}
		if math.IsNaN(m.T1) || math.IsNaN(m.T4) || m.Keying != KeyingIndex && m.Keying != KeyingCorpus {
			t.Fatalf("accepted a bad model: %+v", m.Keying)
		}
	})
}
