package triage

// heldSelf reports whether a confinement or control hit says that the
// writer is the one held, as the issue asks for the held_or_controlled
// reason: not a mother, a daughter or "the girls" a journalist writes
// about. It reads, in order:
//
//  1. the hit's own words: a Hungarian form with an unsaid object or a
//     first person ("bezárt a pincébe": locked me; "be vagyok zárva"), or
//     "my" papers ("elvették az útlevelemet") say the writer; a third
//     person form with its own object ("bezárja", "tartják") says someone
//     else;
//  2. its clause, then its sentence: "me", "us", "I", "nas", a
//     first-person form, "my" before a thing say the writer; a person
//     ("a lányomat", "her", "the girls") says someone else;
//  3. nothing said either way: the writer (Hungarian leaves "me" out).
//
// A confinement verb in the first person ("bezártuk az ajtót", "we locked
// the door") is the writer locking themself in, hiding: not held.
func (pc *policyContext) heldSelf(h hit) bool {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	// "locked myself in", "magamra zártam": the writer hiding.
	for i := int(h.t0); i < len(w.toks) && i <= int(h.t1)+reflexiveReach && w.toks[i].clause == w.toks[h.t0].clause; i++ {
		if w.is(i, clsReflexive) {
			return false
		}
	}
	for i := int(h.t0); i <= int(h.t1); i++ {
		// "bezártam" reads as a noun too ("my locked one"), but in the
		// past it is the verb: I locked it.
		if f := w.toks[i].feat; f&featFirst != 0 && (f&featNoun == 0 || f&featPast != 0) && hasConcept(w, m, i, pc.r.policy.confine) {
			return false
		}
	}
	third := false
	for i := int(h.t0); i <= int(h.t1); i++ {
		t := w.toks[i]
		switch {
		case pc.onMe(w, i), t.feat&featFirst != 0, t.feat&featMine != 0 && !pc.person(w, m, i):
			return true
		case t.feat&featThird != 0:
			third = true
		}
	}
	if third {
		return false
	}
	t0 := w.toks[h.t0]
	for _, inClause := range [2]bool{true, false} {
		same := func(j int) bool {
			if inClause {
				return w.toks[j].clause == t0.clause
			}
			return w.toks[j].sent == t0.sent
		}
		other := false
		for j := int(h.t0); j >= 0 && same(j); j-- {
			switch pc.heldWord(w, m, j) {
			case 1:
				return true
			case -1:
				other = true
			}
		}
		for j := int(h.t0) + 1; j < len(w.toks) && same(j); j++ {
			switch pc.heldWord(w, m, j) {
			case 1:
				return true
			case -1:
				other = true
			}
		}
		if other {
			return false
		}
	}
	return true
}

// heldWord says whom token j names: 1 the writer, -1 someone else, 0
// neither.
func (pc *policyContext) heldWord(w *words, m []int32, j int) int {
	t := w.toks[j]
	switch {
	case pc.person(w, m, j), t.class&clsThirdPronoun != 0:
		return -1
	case t.class&clsPossessive != 0:
		if pc.ownsPerson(w, m, j) {
			return -1
		}
		return 1
	case t.class&clsObjectPronoun != 0, t.feat&(featFirst|featMine) != 0, hasConcept(w, m, j, pc.r.policy.me),
		pc.lang == "ro" && t.class&clsRomanianMe != 0:
		return 1
	}
	return 0
}

// conditional reports whether a condition follows a hit closely
// ("nem enged ki a házból, ha nem mondom meg, hova megyek"; "unless I
// tell him"): the writer may go out on terms, which is control, not
// confinement.
func (pc *policyContext) conditional(h hit) bool {
	w := pc.s.words(h.field)
	sent := w.toks[h.t1].sent
	for i := int(h.t1) + 1; i < len(w.toks) && i <= int(h.t1)+conditionReach && w.toks[i].sent == sent; i++ {
		if w.is(i, clsUnless) || w.is(i, clsIf) && i+1 < len(w.toks) && w.is(i+1, clsNeg) {
			return true
		}
	}
	return false
}

// reflexiveReach: how many words after a confinement hit a reflexive
// ("myself") may stand.
const reflexiveReach = 3

// conditionReach: how many words after a hit its condition may start.
const conditionReach = 4
