package triage

import "strings"

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
//     ("a lányomat", "her", "the girls") says someone else; before the
//     hit a person nearer than the writer's word wins ("Dad called me
//     whispering that my brother … is at the bedroom door": row 113);
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
	if pc.parentCalled(w, m, h) {
		return false
	}
	// "annyit értettem, hogy egy lakásban tartották", "ne-a scris că e
	// închisă": what the writer heard or was written is someone else's
	// story (row 163). The writer as the one who sends ("I texted my
	// sister because he locked me in"), or a verb in the first person
	// between them ("SMS-ben írok, mert bezárt"), makes it the writer's.
	for j := int(h.t0) - 1; j >= 0 && w.toks[j].sent == w.toks[h.t0].sent; j-- {
		writerSent := j > 0 && (w.toks[j-1].feat&featFirst != 0 || w.is(j-1, clsWriterOrReader))
		if w.is(j, clsToldWriter) || w.is(j, clsMessaged) && !writerSent {
			return false
		}
		if w.toks[j].feat&featFirst != 0 {
			break
		}
	}
	if pc.quotedFirst(w, h) || lockedOut(w, h) || thirdPassive(w, h) {
		return false
	}
	// "a gyerekek a szobába vannak bezárva én a fürdőbe vagyok": a
	// participle whose "van", "vannak" stands right before it is someone
	// else's state, whatever first person follows it in the run-on
	// clause (row 209); "be vagyok zárva" says the writer.
	if f := string(w.folded(int(h.t0))); (f == "bezarva" || f == "zarva") && h.t0 > 0 &&
		w.toks[h.t0-1].sent == w.toks[h.t0].sent && beThird(w.folded(int(h.t0)-1)) {
		return false
	}
	// "nobody leaves this house", "innen senki nem megy ki": everyone
	// inside is held, the writer with them.
	switch string(w.folded(int(h.t0))) {
	case "nobody", "no", "senki", "innen", "никто", "ніхто", "niemand", "nimeni":
		return true
	}
	// "kulcsra zárta az ajtót kívülről": the object said is the door, so
	// the verb's third person names no one held, nor does whoever locked
	// it ("a barátom"); a person named after the verb, or a Hungarian
	// person in the accusative ("a lányomat"), still does.
	door := pc.lockedDoor(w, m, h)
	third := false
	for i := int(h.t0); i <= int(h.t1); i++ {
		t := w.toks[i]
		switch {
		case pc.onMe(w, i), t.feat&featFirst != 0, t.feat&featMine != 0 && !pc.person(w, m, i):
			return true
		case t.feat&featThird != 0 && !door, beThird(w.folded(i)) && !door:
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
			v := pc.heldWord(w, m, j)
			// "rá van zárva az ajtó": a pronoun names whom the door
			// is locked on.
			if door && v < 0 && !accusative(w, j) && !w.is(j, clsThirdPronoun) {
				v = 0
			}
			switch {
			case v == 1 && !other:
				return true
			case v == -1:
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
	case pc.person(w, m, j), t.class&(clsThirdPronoun|clsGroupHeld) != 0:
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

// byAuthority reports whether a confinement is an arrest: the police
// or a prison in its clause, just before or after it ("a rendőrség
// minket fog bezárni", "the police will lock you up", "lock you up in
// jail"). A boss who says so uses the law as a threat: control, not
// being held now.
func (pc *policyContext) byAuthority(h hit) bool {
	if pc.r.policy.authority < 0 {
		return false
	}
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	cl := w.toks[h.t0].clause
	for i := max(0, int(h.t0)-authorityReach); i < len(w.toks) && i <= int(h.t1)+authorityReach; i++ {
		if w.toks[i].clause == cl && hasConcept(w, m, i, pc.r.policy.authority) {
			return true
		}
	}
	return false
}

// authorityReach: how many words before or after a confinement the
// police or a prison may stand.
const authorityReach = 4

// reflexiveReach: how many words after a confinement hit a reflexive
// ("myself") may stand.
const reflexiveReach = 3

// conditionReach: how many words after a hit its condition may start.
const conditionReach = 4

// lockedDoor reports whether a confinement hit locks a door or a gate
// (its words or the three after them, in its clause): the one held is
// whoever is inside, not the one the verb's person names.
func (pc *policyContext) lockedDoor(w *words, m []int32, h hit) bool {
	for i := int(h.t0); i < len(w.toks) && i <= int(h.t1)+3 && w.toks[i].clause == w.toks[h.t0].clause; i++ {
		if hasConcept(w, m, i, pc.r.policy.door) {
			return true
		}
	}
	return false
}

// accusative reports whether token j, before a hit, is a Hungarian
// object ("a lányomat", "őt"): it ends in a vowel and t.
func accusative(w *words, j int) bool {
	f := w.folded(j)
	n := len(f)
	return n >= 2 && f[n-1] == 't' && isVowel(f[n-2])
}

// parentCalled reports whether, before a hit in its sentence, a parent is
// called on and asked ("anya gyere értem, nem enged el", "mum, come and
// get me"): the writer relays a child's plea to them, so the one held is
// the child, not the writer (row 14: not for a daughter held).
func (pc *policyContext) parentCalled(w *words, m []int32, h hit) bool {
	lo, _ := w.sentence(int(h.t0))
	for j := lo; j+1 < int(h.t0); j++ {
		t := w.toks[j]
		if !hasConcept(w, m, j, pc.r.policy.kinParent) || t.feat&(featMine|featFirst|featThird) != 0 || j > lo && w.is(j-1, clsPossessive) {
			continue
		}
		next := w.toks[j+1]
		if next.feat&featImper != 0 && next.feat&featSecond != 0 {
			return true
		}
		switch string(w.folded(j + 1)) {
		case "gyere", "gyertek", "jojj", "jojjetek", "segits", "segitsetek", "come", "help", "please", "приезжай", "приїжджай",
			"забери", "komm", "hilf", "vino":
			return true
		}
	}
	return false
}

// bounded reports whether a confinement in a past form is told with the
// time it lasted, just after it ("a kamrába zárt egy órára", "locked me
// in the shed for a night"): it ended, so the writer is not held now.
func (pc *policyContext) bounded(h hit) bool {
	if !pc.hitHas(h, featPast) {
		return false
	}
	w := pc.s.words(h.field)
	sent := w.toks[h.t1].sent
	// "egyszer mondta, hogy bezárták a kamrába", "once he locked me in
	// the shed": a confinement told as one time is an episode (row 199),
	// unless "now" or "again" comes between ("egyszer már bezárt, most
	// megint bezárt" is held now), and not "még egyszer", "ha egyszer",
	// "once again".
	for i := int(h.t1); i >= 0 && w.toks[i].sent == sent; i-- {
		switch string(w.folded(i)) {
		case "most", "megint", "ujra", "ismet", "now", "again", "jetzt", "wieder", "сейчас", "опять", "снова", "зараз", "знову", "acum", "iar", "teraz", "znowu":
			return false
		case "egyszer", "once", "einmal", "однажды", "odata", "jednou":
			prev, next := "", ""
			if i > 0 {
				prev = string(w.folded(i - 1))
			}
			if i+1 < len(w.toks) {
				next = string(w.folded(i + 1))
			}
			return prev != "meg" && prev != "ha" && next != "again" && next != "more" && next != "mehr" && next != "wieder"
		}
	}
	for i := int(h.t1) + 1; i < len(w.toks) && i <= int(h.t1)+boundReach && w.toks[i].sent == sent; i++ {
		switch string(w.folded(i)) {
		case "orara", "orakra", "percre", "ejszakara", "ejjelre", "napra", "napokra", "hetre", "delutanra":
			return true
		case "for":
			for j := i + 1; j < len(w.toks) && j <= i+3; j++ {
				switch string(w.folded(j)) {
				case "night", "nights", "hour", "hours", "day", "days", "minutes", "weekend":
					return true
				}
			}
		}
	}
	return false
}

// boundReach: how many words after a confinement the time it lasted may
// start.
const boundReach = 6

// beThird reports a third person of "to be" inside a confinement
// ("a lakásban van bezárva": it is, or she is, locked in - the dog, the
// mother); "be vagyok zárva" says the writer.
func beThird(f []byte) bool {
	switch string(f) {
	// "w środku są zamknięte cztery dziewczyny": Polish, Slovak and Czech
	// "they are" (row 231).
	case "van", "vannak", "volt", "voltak", "sa", "su", "jsou":
		return true
	}
	return false
}

// quotedFirst reports whether a confinement stands between quotation marks
// with a first person there ("They lock me in basement room", "a
// papírjaimat ő tartja"): the "me" is whoever is quoted, a girl whose note
// a neighbour or a driver relays, not the writer (row 199). An abuser's
// words quoted ("innen nem mész ki") name no first person held and keep
// their reading.
func (pc *policyContext) quotedFirst(w *words, h hit) bool {
	if !w.toks[h.t0].quoted {
		return false
	}
	lo, hi := w.sentence(int(h.t0))
	for i := lo; i <= hi; i++ {
		t := w.toks[i]
		if t.quoted && (t.feat&(featFirst|featMine) != 0 || t.class&(clsObjectPronoun|clsPossessive) != 0 || pc.onMe(w, i)) {
			return true
		}
	}
	return false
}

// lockedOut reports whether the sentence of a confinement shuts the writer
// out ("Engem kizárt az előszobába, az ajtót kulcsra fordította"): the
// locked door keeps them from someone inside, it holds no one in (row 199).
// "kizárólag" (only) and "kizárt, hogy" or "kizárt dolog" (out of the
// question) shut no one out.
func lockedOut(w *words, h hit) bool {
	lo, hi := w.sentence(int(h.t0))
	for i := lo; i <= hi; i++ {
		f := string(w.folded(i))
		if f == "ausgesperrt" {
			return true
		}
		outOfQuestion := f == "kizart" && i < hi && (string(w.folded(i+1)) == "hogy" || string(w.folded(i+1)) == "dolog")
		if strings.HasPrefix(f, "kizar") && !strings.HasPrefix(f, "kizarolag") && !outOfQuestion {
			return true
		}
	}
	return false
}

// thirdPassive reports whether "he", "she" or "they" and a form of "to
// be" stand right before an English confinement ("now they are both
// locked in the bathroom"): the ones held are those people, not the
// writer, as Hungarian "van bezárva" (row 199).
func thirdPassive(w *words, h hit) bool {
	t0 := int(h.t0)
	switch string(w.folded(t0)) {
	case "locked", "trapped", "shut", "held", "kept":
	default:
		return false
	}
	same := func(j int) bool { return j >= 0 && w.toks[j].clause == w.toks[t0].clause }
	third := func(j int) bool {
		switch string(w.folded(j)) {
		case "he", "she", "they":
			return true
		}
		return false
	}
	for j := t0 - 1; same(j) && j >= t0-3; j-- {
		switch string(w.folded(j)) {
		case "both", "all", "now", "still":
			continue
		case "is", "are", "was", "were":
			k := j - 1 // "they both are locked in"
			if same(k) && (string(w.folded(k)) == "both" || string(w.folded(k)) == "all") {
				k--
			}
			return same(k) && third(k)
		}
		return false
	}
	return false
}
