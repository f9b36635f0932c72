package secondopinion

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ncsszi/okit/secondopinion/internal/corpus"
	"github.com/ncsszi/okit/triage"
)

// longInput is a 20 KiB message of the writer's own words: corpus
// messages one after another, the worst case for the second opinion
// (quoted text, which it does not read, would make it cheaper).
func longInput(b *testing.B) triage.Input {
	var s strings.Builder
	for _, m := range readParts(b, ".") {
		if s.Len() >= 20<<10 {
			break
		}
		s.WriteString(m.In.Text)
		s.WriteString("\n\n")
	}
	return triage.Input{Subject: "segítség", Text: s.String()[:20<<10]}
}

func trained(b *testing.B) *Opinion {
	m, _ := Train(KeyingCorpus, examples(triage.Default(), readParts(b, "heldout", "heldout2")))
	return NewOpinion(m, Key{}, 1)
}

// BenchmarkTriage20KiB and BenchmarkJudge20KiB measure the rules alone
// and the rules with the second opinion on the same message; the
// difference is what the model adds (the target: under 30 µs).
func BenchmarkTriage20KiB(b *testing.B) {
	r, in := triage.Default(), longInput(b)
	b.ReportAllocs()
	for b.Loop() {
		r.Triage(in)
	}
}

func BenchmarkJudge20KiB(b *testing.B) {
	r, in, o := triage.Default(), longInput(b), trained(b)
	b.ReportAllocs()
	for b.Loop() {
		o.Judge(r, in)
	}
}

// BenchmarkTrain10000 reads and trains on 10,000 labelled messages (the
// corpus over and over, each made distinct by a line of its own), with
// the cross-validation Train does: the target is under a minute on two
// cores.
func BenchmarkTrain10000(b *testing.B) {
	r := triage.Default()
	base := readParts(b, corpus.Parts...)
	for b.Loop() {
		exs := make([]Example, 0, 10000)
		for i := range 10000 {
			m := base[i%len(base)]
			in := m.In
			in.Text = fmt.Sprintf("%s\n\nüzenet %d, %d. nap", in.Text, i, i%31)
			exs = append(exs, Read(r, corpusKey, KeyingCorpus, in, m.Label))
		}
		Train(KeyingCorpus, exs)
	}
}

// BenchmarkOpinion20KiB measures the model's own part of Judge on a 20
// KiB message: hashing the words the rules read, and scoring. On a
// loaded machine the difference of the two benchmarks above drowns in
// noise; this one does not.
func BenchmarkOpinion20KiB(b *testing.B) {
	r, in, o := triage.Default(), longInput(b), trained(b)
	var words []triage.Word
	v := r.TriageRead(in, func(w *triage.Word) bool {
		c := *w
		c.Form, c.Concepts = slices.Clone(w.Form), slices.Clone(w.Concepts)
		words = append(words, c)
		return true
	})
	var f features
	b.ReportAllocs()
	for b.Loop() {
		f.reset(o.key)
		for i := range words {
			if !f.visit(&words[i]) {
				break
			}
		}
		f.finish(v)
		o.model.score(f.list)
	}
}
