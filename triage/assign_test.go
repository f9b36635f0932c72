package triage

import (
	"testing"
	"time"
)

func TestAssign(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)
	anna := Operator{ID: 1, Languages: []string{"hu"}, Load: 2, Limit: 5, LastAssigned: t0}
	bela := Operator{ID: 2, Languages: []string{"hu", "en"}, Load: 3, Limit: 5, LastAssigned: t0.Add(-time.Hour)}
	csilla := Operator{ID: 3, Languages: []string{"hu"}, Skills: []Category{Trafficking}, Load: 4, Limit: 5}
	full := Operator{ID: 4, Languages: []string{"hu"}, Load: 5, Limit: 5}
	tests := []struct {
		name       string
		need       Need
		ops        []Operator
		want       int64
		wantReason string
	}{
		{"sticky to the case's operator on shift", Need{Priority: P3, Current: 2, Language: "hu"}, []Operator{anna, bela}, 2, ReasonSticky},
		{"sticky even when full", Need{Priority: P3, Current: 4}, []Operator{anna, full}, 4, ReasonSticky},
		{"specialism among those who read the language", Need{Priority: P2, Categories: []Category{Trafficking}, Language: "hu"}, []Operator{anna, bela, csilla}, 3, ReasonMatch},
		{"language", Need{Priority: P2, Language: "en"}, []Operator{anna, bela}, 2, ReasonMatch},
		{"language before specialism", Need{Priority: P2, Categories: []Category{Trafficking}, Language: "en"}, []Operator{bela, csilla}, 2, ReasonMatch},
		{"then least loaded", Need{Priority: P3, Language: "hu"}, []Operator{bela, anna}, 1, ReasonMatch},
		{"then in turn", Need{Priority: P3, Language: "hu"}, []Operator{{ID: 7, Languages: []string{"hu"}, LastAssigned: t0, Limit: 5}, {ID: 8, Languages: []string{"hu"}, LastAssigned: t0.Add(-time.Minute), Limit: 5}}, 8, ReasonMatch},
		{"never assigned goes first in turn", Need{Priority: P3}, []Operator{{ID: 7, LastAssigned: t0, Limit: 1}, {ID: 8, Limit: 1}}, 8, ReasonMatch},
		{"the full one is skipped", Need{Priority: P2, Language: "hu"}, []Operator{full, csilla}, 3, ReasonMatch},
		{"P1 goes over the limit", Need{Priority: P1}, []Operator{full}, 4, ReasonOverload},
		{"P2 waits when all are full", Need{Priority: P2}, []Operator{full}, 0, ReasonFull},
		{"nobody on shift", Need{Priority: P1}, nil, 0, ReasonNobody},
		{"a returning writer's case to who last answered her", Need{Priority: P3, Language: "hu", Preferred: 3}, []Operator{anna, bela, csilla}, 3, ReasonWriter},
		{"but not over their limit", Need{Priority: P1, Language: "hu", Preferred: 4}, []Operator{anna, full}, 1, ReasonMatch},
		{"nor when off shift", Need{Priority: P3, Language: "hu", Preferred: 9}, []Operator{anna, bela}, 1, ReasonMatch},
		{"the case's own operator first", Need{Priority: P3, Current: 2, Preferred: 1}, []Operator{anna, bela}, 2, ReasonSticky},
		{"breached operator is passed over", Need{Priority: P1, Current: 1, Exclude: 1}, []Operator{anna, bela}, 2, ReasonMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := Assign(tt.need, tt.ops)
			if got != tt.want || reason != tt.wantReason {
				t.Errorf("Assign = %d, %s; want %d, %s", got, reason, tt.want, tt.wantReason)
			}
		})
	}
}

func TestTargetsDue(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)
	for p, want := range map[Priority]time.Duration{P1: 15 * time.Minute, P2: 2 * time.Hour, P3: 24 * time.Hour, P4: 72 * time.Hour, 0: 15 * time.Minute} {
		if got := DefaultTargets.Due(p, at).Sub(at); got != want {
			t.Errorf("Due(%v) = +%v, want +%v", p, got, want)
		}
	}
}
