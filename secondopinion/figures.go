package secondopinion

import (
	"fmt"
	"strings"

	"github.com/ncsszi/okit/triage"
)

// Figures is what a training measured on held-out judgements: the
// confusion of the labels (rows) with the rules alone and with the rules
// and the model (columns), P1 … P4. Counts only: no word, no case.
type Figures struct {
	Labels   int       `json:"labels"`
	Folds    int       `json:"folds"`
	Rules    [4][4]int `json:"rules"`
	Combined [4][4]int `json:"combined"`
	Raised   int       `json:"raised"` // messages the model raised
	T1       float64   `json:"t1"`
	T12      float64   `json:"t12"`
	T4       float64   `json:"t4"` // P4 (not automated) to P2; 0 in the figures of a model of form 1
}

// Score is recall and precision of one priority, or of P1 and P2 together.
type Score struct {
	Recall, Precision float64
	Found, Wanted     int // labelled so and given so; labelled so
	Given             int // given so
}

// Of scores the priorities from 1 up to upTo (P1: upTo 1; P1+P2: upTo 2)
// in a confusion matrix.
func Of(c [4][4]int, upTo triage.Priority) Score {
	var s Score
	for want := range 4 {
		for got := range 4 {
			w, g := want < int(upTo), got < int(upTo)
			if w {
				s.Wanted += c[want][got]
			}
			if g {
				s.Given += c[want][got]
			}
			if w && g {
				s.Found += c[want][got]
			}
		}
	}
	s.Recall, s.Precision = ratio(s.Found, s.Wanted), ratio(s.Found, s.Given)
	return s
}

// Exactly scores one priority p.
func Exactly(c [4][4]int, p triage.Priority) Score {
	var s Score
	for k := range 4 {
		s.Wanted += c[p-1][k]
		s.Given += c[k][p-1]
	}
	s.Found = c[p-1][p-1]
	s.Recall, s.Precision = ratio(s.Found, s.Wanted), ratio(s.Found, s.Given)
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// String renders the figures as a table for a terminal and the README.
func (f Figures) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d labelled messages, %d-fold cross-validation; the model raised %d\n", f.Labels, f.Folds, f.Raised)
	fmt.Fprintf(&b, "%-8s %-22s %-22s\n", "", "rules alone", "rules + model")
	fmt.Fprintf(&b, "%-8s %-22s %-22s\n", "", "recall    precision", "recall    precision")
	row := func(name string, a, c Score) {
		fmt.Fprintf(&b, "%-8s %3d/%-3d %4.0f%%  %4.0f%%     %3d/%-3d %4.0f%%  %4.0f%%\n", name,
			a.Found, a.Wanted, 100*a.Recall, 100*a.Precision, c.Found, c.Wanted, 100*c.Recall, 100*c.Precision)
	}
	for p := triage.P1; p <= triage.P4; p++ {
		row(p.String(), Exactly(f.Rules, p), Exactly(f.Combined, p))
	}
	row("P1+P2", Of(f.Rules, triage.P2), Of(f.Combined, triage.P2))
	fmt.Fprintf(&b, "thresholds: P2→P1 at %s, P3→P2 at %s, P4→P2 (not automated) at %s\n", threshold(f.T1), threshold(f.T12), threshold(f.T4))
	return b.String()
}

func threshold(t float64) string {
	if t == 0 {
		return "never (stored before this raise)"
	}
	if t > 1 {
		return "never (no threshold kept 70% precision)"
	}
	return fmt.Sprintf("%.2f", t)
}
