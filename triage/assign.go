package triage

import (
	"slices"
	"time"
)

// Operator is a person who can be given cases, as assignment sees them.
type Operator struct {
	ID           int64
	Languages    []string   // "hu", "en", ...
	Skills       []Category // the categories the operator specialises in
	Load         int        // open cases assigned now
	Limit        int        // most open cases at once
	LastAssigned time.Time  // zero if never
}

// Need is what a case asks of its operator.
type Need struct {
	Priority   Priority
	Categories []Category
	Language   string
	Current    int64 // the case's operator, 0 if none
	// Preferred is the operator who last answered the case's writer in
	// an earlier case (a verified writer only), 0 if none.
	Preferred int64
	Exclude   int64 // an operator not to choose (the one whose clock was breached), 0 if none
}

// Assignment reasons, stored on the assignment event.
const (
	ReasonSticky   = "sticky"    // the case's own operator is on shift
	ReasonWriter   = "writer"    // the operator who last answered the writer is on shift
	ReasonMatch    = "match"     // chosen by specialism, language, load and turn
	ReasonOverload = "over_load" // a P1, and everyone on shift is at their limit
	ReasonNobody   = "nobody_on_shift"
	ReasonFull     = "everyone_at_limit"
)

// Assign picks the operator for a case from those on shift. It keeps the
// case's operator if they are on shift; then it gives a returning
// writer's case to the operator who last answered them, if on shift and
// under their load limit; otherwise it prefers an operator
// who reads the case's language (a specialist who cannot read the mail
// cannot help), then the one with most matching specialisms, then the
// least loaded, then whoever has waited longest for a case. Only
// operators under their load limit are chosen, except for a P1, which goes
// to the least loaded operator when everyone is full. It returns 0 and the
// reason when nobody can take the case.
func Assign(n Need, onShift []Operator) (int64, string) {
	if n.Current != 0 && n.Current != n.Exclude {
		for _, o := range onShift {
			if o.ID == n.Current {
				return o.ID, ReasonSticky
			}
		}
	}
	var free, all []Operator
	for _, o := range onShift {
		if o.ID == n.Exclude {
			continue
		}
		if o.ID == n.Preferred && o.Load < o.Limit {
			return o.ID, ReasonWriter
		}
		all = append(all, o)
		if o.Load < o.Limit {
			free = append(free, o)
		}
	}
	switch {
	case len(all) == 0:
		return 0, ReasonNobody
	case len(free) > 0:
		return slices.MinFunc(free, n.better).ID, ReasonMatch
	case n.Priority == P1:
		return slices.MinFunc(all, n.better).ID, ReasonOverload
	}
	return 0, ReasonFull
}

// better orders operators for the need, best first.
func (n Need) better(a, b Operator) int {
	if d := n.speaks(b) - n.speaks(a); d != 0 {
		return d
	}
	if d := n.skill(b) - n.skill(a); d != 0 {
		return d
	}
	if d := a.Load - b.Load; d != 0 {
		return d
	}
	if c := a.LastAssigned.Compare(b.LastAssigned); c != 0 {
		return c
	}
	return int(a.ID - b.ID)
}

func (n Need) skill(o Operator) int {
	k := 0
	for _, c := range n.Categories {
		if slices.Contains(o.Skills, c) {
			k++
		}
	}
	return k
}

func (n Need) speaks(o Operator) int {
	if slices.Contains(o.Languages, n.Language) {
		return 1
	}
	return 0
}

// Targets are the first-response times per priority.
type Targets [4]time.Duration

// DefaultTargets: P1 15 minutes, P2 2 hours, P3 24 hours, P4 72 hours.
var DefaultTargets = Targets{15 * time.Minute, 2 * time.Hour, 24 * time.Hour, 72 * time.Hour}

// Due is when a first response to a message of priority p that arrived at
// t is due.
func (ts Targets) Due(p Priority, arrived time.Time) time.Time {
	if p < P1 || p > P4 {
		p = P1 // an unknown priority is treated as the most urgent
	}
	return arrived.Add(ts[p-1])
}

// Categories lists every category, in the order verdicts list them.
func Categories() []Category { return slices.Clone(categoryOrder[:]) }
