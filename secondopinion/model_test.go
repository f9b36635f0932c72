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
// P2 to P1 and every P3 to P2 and nothing else, the second nothing; no
// verdict loses priority, and flags, reasons, categories, rules and
// language are the rules' own.
func TestRaiseOnly(t *testing.T) {
	t.Parallel()
	r := triage.Default()
	ms := readParts(t, ".", "heldout", "heldout2", "heldout3", "tuning")
	for _, c := range []struct {
		name string
		bias float32
	}{{"always", 50}, {"never", -50}} {
		m := newModel(KeyingCorpus)
		m.B1, m.B12, m.T1, m.T12 = c.bias, c.bias, 0.5, 0.5
		o := NewOpinion(m, Key{}, 3)
		for _, x := range ms {
			rv, v := r.Triage(x.In), o.Judge(r, x.In)
			want := rv.Priority
			if c.bias > 0 && (rv.Priority == triage.P2 || rv.Priority == triage.P3) {
				want = rv.Priority - 1
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
	}
	var none *Opinion
	if v := none.Judge(r, ms[0].In); !cmp.Equal(v, r.Triage(ms[0].In)) {
		t.Error("no model: the verdict is not the rules' own")
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
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := UnmarshalModel(data)
		if err != nil {
			return
		}
		if math.IsNaN(m.T1) || m.Keying != KeyingIndex && m.Keying != KeyingCorpus {
			t.Fatalf("accepted a bad model: %+v", m.Keying)
		}
	})
}
