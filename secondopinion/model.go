package secondopinion

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/ncsszi/okit/triage"
)

// Keying names the key a model's buckets were hashed with.
const (
	KeyingIndex  = "index"  // the installation's key, derived from the index key
	KeyingCorpus = "corpus" // the public key of the starting model
)

// Model is a logistic regression with two heads over the hashed features
// of a message: one says how much it reads like the P1 messages
// operators have seen, the other like the P1 or P2 ones.
type Model struct {
	Keying string
	// W1 and W12 are the weights by bucket of the P1 head and the P1+P2
	// head, B1 and B12 their biases.
	W1, W12 []float32
	B1, B12 float32
	// T1 is the probability from which the P1 head raises a P2 to P1,
	// T12 the one from which the P1+P2 head raises a P3 to P2, T4 the
	// one from which it raises a P4 that is not automated mail to P2;
	// above 1 never.
	T1, T12, T4 float64
}

func newModel(keying string) *Model {
	return &Model{Keying: keying, W1: make([]float32, 1<<Bits), W12: make([]float32, 1<<Bits), T1: 2, T12: 2, T4: 2}
}

// score gives the two heads' probabilities for a message's features.
func (m *Model) score(fs []feature) (p1, p12 float64) {
	a, b := m.B1, m.B12
	for _, f := range fs {
		a += m.W1[f.idx] * f.val
		b += m.W12[f.idx] * f.val
	}
	return sigmoid(float64(a)), sigmoid(float64(b))
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// raise applies the raise-only rule to the rules' verdict: a P2 whose P1
// probability reaches T1 becomes P1, a P3 whose P1+P2 probability reaches
// T12 becomes P2, and a P4 whose P1+P2 probability reaches T4 becomes P2
// unless it is automated mail. Nothing else changes: no priority is
// lowered, no flag, category or rule touched, automated mail never raised
// from P4.
//
// The P4 raise is the safer side when unsure: the P1 and P2 messages the
// rules miss on batches they have not seen they give P4 (a language they
// read thinly, a writer read as asking for information), not P3. A P4 that
// reads like the urgent messages operators have seen is worth a look soon,
// and an operator lowers it in seconds.
func (m *Model) raise(v triage.Verdict, p1, p12 float64) (triage.Priority, float64, bool) {
	switch {
	case v.Priority == triage.P2 && p1 >= m.T1:
		return triage.P1, p1, true
	case v.Priority == triage.P3 && p12 >= m.T12:
		return triage.P2, p12, true
	case v.Priority == triage.P4 && p12 >= m.T4 && !v.Has(triage.FlagAutomated):
		return triage.P2, p12, true
	}
	return v.Priority, 0, false
}

// Opinion is a model ready to judge messages: the model, the key its
// buckets were hashed with, and its version in the database (0 for the
// starting model not stored yet). A nil *Opinion judges by the rules
// alone. It is safe for concurrent use.
type Opinion struct {
	model   *Model
	key     Key
	version int
	pool    sync.Pool
}

// NewOpinion readies model m, stored as version, for judging. key is the
// installation's key; the starting model brings its own.
func NewOpinion(m *Model, key Key, version int) *Opinion {
	if m.Keying == KeyingCorpus {
		key = corpusKey
	}
	return &Opinion{model: m, key: key, version: version}
}

// Version is the stored version of the opinion's model.
func (o *Opinion) Version() int {
	if o == nil {
		return 0
	}
	return o.version
}

// Judge triages in by the rules and then lets the model raise the
// priority (see Model.raise); a raise is recorded in the verdict's
// Raised.
func (o *Opinion) Judge(rules *triage.Rules, in triage.Input) triage.Verdict {
	if o == nil {
		return rules.Triage(in)
	}
	f, _ := o.pool.Get().(*features)
	if f == nil {
		f = new(features)
	}
	f.reset(o.key)
	v := rules.TriageRead(in, f.visit)
	f.finish(v)
	p1, p12 := o.model.score(f.list)
	if cap(f.list) <= 1<<14 {
		o.pool.Put(f)
	}
	if p, prob, ok := o.model.raise(v, p1, p12); ok {
		v.Raised = &triage.Raised{From: v.Priority, Model: o.version, Probability: math.Round(prob*100) / 100}
		v.Priority = p
	}
	return v
}

// The stored form: a magic line, the keying, the biases and thresholds,
// then the buckets whose weights are not both zero. Form 2 added T4; a
// model of form 1, stored before the P4 raise, reads with T4 never, so it
// judges as its figures measured.
const (
	magic  = "okit-second-opinion-2\n"
	magic1 = "okit-second-opinion-1\n"
)

// MarshalBinary gives the model's stored form.
func (m *Model) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(magic)
	b.WriteByte(byte(len(m.Keying)))
	b.WriteString(m.Keying)
	for _, x := range []any{m.B1, m.B12, m.T1, m.T12, m.T4} {
		_ = binary.Write(&b, binary.LittleEndian, x)
	}
	var n uint32
	for i := range m.W1 {
		if m.W1[i] != 0 || m.W12[i] != 0 {
			n++
		}
	}
	_ = binary.Write(&b, binary.LittleEndian, n)
	for i := range m.W1 {
		if m.W1[i] != 0 || m.W12[i] != 0 {
			_ = binary.Write(&b, binary.LittleEndian, struct {
				I    uint32
				A, B float32
			}{uint32(i), m.W1[i], m.W12[i]})
		}
	}
	return b.Bytes(), nil
}

// UnmarshalModel reads a stored model, refusing anything malformed.
func UnmarshalModel(data []byte) (*Model, error) {
	rest, ok := bytes.CutPrefix(data, []byte(magic))
	form1 := false
	if !ok {
		rest, form1 = bytes.CutPrefix(data, []byte(magic1))
		ok = form1
	}
	if !ok || len(rest) < 1 {
		return nil, errors.New("second opinion model: not a stored model")
	}
	kl := int(rest[0])
	if len(rest) < 1+kl {
		return nil, errors.New("second opinion model: cut short")
	}
	m := newModel(string(rest[1 : 1+kl]))
	if m.Keying != KeyingIndex && m.Keying != KeyingCorpus {
		return nil, fmt.Errorf("second opinion model: unknown keying %q", m.Keying)
	}
	r := bytes.NewReader(rest[1+kl:])
	var n uint32
	fields := []any{&m.B1, &m.B12, &m.T1, &m.T12, &m.T4, &n}
	if form1 {
		fields = []any{&m.B1, &m.B12, &m.T1, &m.T12, &n}
	}
	for _, x := range fields {
		if err := binary.Read(r, binary.LittleEndian, x); err != nil {
			return nil, fmt.Errorf("second opinion model: cut short: %w", err)
		}
	}
	if int64(n)*12 != int64(r.Len()) {
		return nil, fmt.Errorf("second opinion model: %d weights announced, %d bytes follow", n, r.Len())
	}
	for range n {
		var e struct {
			I    uint32
			A, B float32
		}
		_ = binary.Read(r, binary.LittleEndian, &e)
		if e.I >= 1<<Bits || !finite(e.A) || !finite(e.B) {
			return nil, errors.New("second opinion model: a weight out of range")
		}
		m.W1[e.I], m.W12[e.I] = e.A, e.B
	}
	if !finite(m.B1) || !finite(m.B12) || math.IsNaN(m.T1) || math.IsNaN(m.T12) || math.IsNaN(m.T4) {
		return nil, errors.New("second opinion model: a bias or threshold out of range")
	}
	return m, nil
}

func finite(x float32) bool { return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) }
