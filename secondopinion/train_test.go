package secondopinion

import (
	"testing"

	"github.com/ncsszi/okit/triage"
)

// TestCalibratedThreshold: the P1 head's threshold is the lowest
// probability from which held-out messages are P1 at least 70% of the
// time once the shares are made to rise with the probability (pool
// adjacent violators), whatever the rules gave them; never when no
// probability reaches it.
func TestCalibratedThreshold(t *testing.T) {
	t.Parallel()
	type m struct {
		p     float64
		label triage.Priority
	}
	for _, c := range []struct {
		name string
		ms   []m
		want float64
	}{
		{"clean cut", []m{{0.1, 2}, {0.2, 2}, {0.3, 2}, {0.6, 1}, {0.7, 1}, {0.9, 1}}, 0.6},
		// 0.4 is P1 but 0.5 is not: the two are pooled (1/2), below 70%.
		{"pooled below the bar", []m{{0.1, 3}, {0.4, 1}, {0.5, 2}, {0.8, 1}, {0.9, 1}}, 0.8},
		// 0.3 … 0.5 pool to 3/4: 75%, from 0.3.
		{"pooled above the bar", []m{{0.1, 4}, {0.3, 1}, {0.4, 1}, {0.45, 1}, {0.5, 2}, {0.9, 1}}, 0.3},
		// 0.3 … 0.5 pool to 2/3, below 70%; from 0.6 all are P1.
		{"pooled just below", []m{{0.1, 4}, {0.3, 1}, {0.4, 1}, {0.5, 2}, {0.6, 1}, {0.9, 1}}, 0.6},
		{"never", []m{{0.2, 1}, {0.5, 2}, {0.9, 2}}, 2},
	} {
		var exs []Example
		var prob []float64
		for _, x := range c.ms {
			// The rules' priority plays no part: every example says P1.
			exs = append(exs, Example{Rules: triage.P1, Label: x.label})
			prob = append(prob, x.p)
		}
		if got := calibratedThreshold(exs, prob, triage.P1); got != c.want {
			t.Errorf("%s: threshold %v, want %v", c.name, got, c.want)
		}
	}
	// The P4 raise's threshold counts P1 and P2 alike: from 0.5, four of
	// five are P1 or P2 (P1 alone: one of five, never).
	exs := []Example{{Label: triage.P4}, {Label: triage.P3}, {Label: triage.P1}, {Label: triage.P2}, {Label: triage.P2}, {Label: triage.P4}, {Label: triage.P2}}
	prob := []float64{0.1, 0.2, 0.5, 0.6, 0.65, 0.7, 0.9}
	if got := calibratedThreshold(exs, prob, triage.P2); got != 0.5 {
		t.Errorf("P1+P2: threshold %v, want 0.5", got)
	}
	if got := calibratedThreshold(exs, prob, triage.P1); got != 2 {
		t.Errorf("P1 of the same: threshold %v, want never", got)
	}
}
