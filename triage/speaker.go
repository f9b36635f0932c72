package triage

// policyContext answers, for the hits of one message, the questions of
// the decision table: whose danger a sentence speaks of, whether a hit is
// a topic, whether the writer is the one held, whether a safety hit is
// about the writer's own phone.
type policyContext struct {
	r     *Rules
	s     *scratch
	lang  string
	close map[[3]int32]bool // by field, strictness and the first token of the span read
}

// hitHas reports whether the first or last word of a hit carries f.
func (pc *policyContext) hitHas(h hit, f feat) bool {
	w := pc.s.words(h.field)
	for _, i := range [2]int32{h.t0, h.t1} {
		t := w.toks[i]
		if t.feat&f != 0 || f == featPast && t.feat == 0 && englishPast(w.folded(int(i))) {
			return true
		}
	}
	return false
}

// englishPast reports whether an English word is a past form: -ed, or an
// irregular past.
func englishPast(b []byte) bool {
	n := len(b)
	if n > 4 && b[n-2] == 'e' && b[n-1] == 'd' {
		return true
	}
	switch string(b) {
	case "shot", "stabbed", "beat", "threw", "broke", "took", "held", "kept", "hit":
		return true
	}
	return false
}

// hasConcept reports whether token i of w matched the concept named id.
func (pc *policyContext) hasConcept(w *words, m []int32, i int, id string) bool {
	e, ok := pc.r.conceptElem[id]
	if !ok || i < 0 || i >= len(w.toks) {
		return false
	}
	t := w.toks[i]
	return containsID(m[t.m0:t.m1], e)
}

// person reports whether token i names a person: a partner, a relative or
// a child.
func (pc *policyContext) person(w *words, m []int32, i int) bool {
	return pc.hasConcept(w, m, i, "partner") || pc.hasConcept(w, m, i, "kin_parent") ||
		pc.hasConcept(w, m, i, "kin_other") || pc.hasConcept(w, m, i, "child")
}

// ownsPerson reports whether token i is "my", "our" (or mein, мій …)
// before a person: "my husband", "our son". "My research" is not.
func (pc *policyContext) ownsPerson(w *words, m []int32, i int) bool {
	if !possessive[string(w.folded(i))] {
		return false
	}
	for j := i + 1; j <= i+2 && j < len(w.toks) && w.toks[j].clause == w.toks[i].clause; j++ {
		if pc.person(w, m, j) {
			return true
		}
	}
	return false
}

// onMe reports whether token i is a Hungarian verb whose object is left
// unsaid, so the writer ("megvert": he beat me; "megverte" is him or
// her), unless the clause names a generic someone ("ha valakit
// bántalmaznak") or an article makes the form an adjective ("a
// bántalmazott nők").
func (pc *policyContext) onMe(w *words, i int) bool {
	if w.toks[i].feat&featOnMe == 0 {
		return false
	}
	if i > 0 && w.toks[i-1].clause == w.toks[i].clause {
		prev := w.folded(i - 1)
		n := len(prev)
		if articles[string(prev)] {
			return false
		}
		// "nőt öl meg", "egy embert megvert": the object is said.
		if n >= 3 && prev[n-1] == 't' && isVowel(prev[n-2]) && !notObject[string(prev)] {
			return false
		}
	}
	return !pc.clauseHas(w, i, generic)
}

// clauseHas reports whether the clause of token i holds a word of set.
func (pc *policyContext) clauseHas(w *words, i int, set map[string]bool) bool {
	cl := w.toks[i].clause
	for j := i; j >= 0 && w.toks[j].clause == cl; j-- {
		if set[string(w.folded(j))] {
			return true
		}
	}
	for j := i + 1; j < len(w.toks) && w.toks[j].clause == cl; j++ {
		if set[string(w.folded(j))] {
			return true
		}
	}
	return false
}

// closeMarker reports whether token i names the writer or someone close.
// Strict: only the writer as the one harmed (me, us, an unsaid object),
// "mine" or a person of the writer's, a child by age; not the writer as
// the one who speaks ("kutatást végzek", "I'm a teacher"), since a
// professional writing about the subject speaks in the first person too.
func (pc *policyContext) closeMarker(w *words, m []int32, i int, strict bool) bool {
	t := w.toks[i]
	b := w.folded(i)
	mine := t.feat&featMine != 0
	switch {
	case mine && (pc.person(w, m, i) || pc.hasConcept(w, m, i, "neck")), // my husband, my neck; not my research
		t.feat&featYou != 0, pc.onMe(w, i), objectPronoun[string(b)], onMeAux[string(b)],
		pc.ownsPerson(w, m, i), pc.hasConcept(w, m, i, "minor_age"),
		pc.lang == "ro" && romanianMe[string(b)]:
		return true
	case strict:
		return false
	}
	return mine || t.feat&featFirst != 0 || pc.hasConcept(w, m, i, "me") || pc.hasConcept(w, m, i, "child") ||
		pc.hasConcept(w, m, i, "kin_parent") && t.feat&featThird == 0 ||
		pc.lang == "hu" && firstPersonEnding(b)
}

// span gives the tokens whose words say whose danger a hit is: its
// sentence, or, when the hit stands in a clause that retells what the
// writer read or heard ("olvastam, hogy …", "I read that …"), that clause
// to the end of the sentence: the writer who read the news is not the
// one in it.
func (pc *policyContext) span(h hit) (lo, hi int) {
	w := pc.s.words(h.field)
	t := w.toks[h.t0]
	lo, hi = int(h.t0), int(h.t0)
	for lo > 0 && w.toks[lo-1].sent == t.sent {
		lo--
	}
	for hi+1 < len(w.toks) && w.toks[hi+1].sent == t.sent {
		hi++
	}
	c0 := int(h.t0)
	for c0 > lo && w.toks[c0-1].clause == t.clause {
		c0--
	}
	if c0 == lo || !clauseOpeners[string(w.folded(c0))] {
		return lo, hi
	}
	for j := c0 - 1; j >= lo && w.toks[j].clause == w.toks[c0-1].clause; j-- {
		if hearsay(w.folded(j)) {
			return c0, hi
		}
	}
	return lo, hi
}

// closeSentence reports whether the span of a hit (see span) names the
// writer or someone close (see closeMarker). A span that names none of
// them is someone else's story, news or a topic, and the rules with
// if_other: lower count one lower there.
func (pc *policyContext) closeSentence(h hit, strict bool) bool {
	lo, hi := pc.span(h)
	key := [3]int32{int32(h.field), b2i(strict), int32(lo)}
	if c, ok := pc.close[key]; ok {
		return c
	}
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	c := false
	for i := lo; i <= hi && !c; i++ {
		c = pc.closeMarker(w, m, i, strict)
	}
	pc.close[key] = c
	return c
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// firstPersonEnding guesses from a Hungarian word that is no lemma of the
// rules whether it says "I", "we", "my" or "our": -m after a vowel
// (vagyok has none, but írtam, kérem, házam do), -nk (voltunk, házunk).
func firstPersonEnding(b []byte) bool {
	n := len(b)
	if n < 4 {
		return false
	}
	switch string(b) {
	case "hogyan", "csakis", "alatt", "program", "problem", "mellem", "elem", "alom", "folyam", "ellen", "szam", "ilyenkor":
		return false
	}
	if b[n-1] == 'm' && isVowel(b[n-2]) {
		return true
	}
	return b[n-2] == 'n' && b[n-1] == 'k' && isVowel(b[n-3])
}

// about reports whether a hit names its danger as a subject of talk: a
// Hungarian "about" ending on it or closing its noun phrase
// ("fojtogatásról", "az öngyilkossági veszély felméréséről"), or "about",
// "regarding", "the risk of" earlier in its clause; and the clause does
// not name the writer ("he talks about killing me", "I keep thinking
// about suicide" are no topic). In a message about the subject (strict)
// only the writer as the one harmed counts: a researcher writes "I" too.
func (pc *policyContext) about(h hit, strict bool) bool {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	cl := w.toks[h.t0].clause
	found := pc.hitHas(h, featAbout)
	for i := int(h.t1); !found && i < len(w.toks) && i <= int(h.t1)+aboutReach && w.toks[i].clause == cl; i++ {
		b := w.folded(i)
		found = len(b) >= 5 && string(b[len(b)-3:]) == "rol"
	}
	for i := int(h.t0) - 1; !found && i >= 0 && w.toks[i].clause == cl; i-- {
		found = aboutWords[string(w.folded(i))]
	}
	if !found {
		return false
	}
	for i := int(h.t0); i >= 0 && w.toks[i].clause == cl; i-- {
		if pc.closeMarker(w, m, i, strict) {
			return false
		}
	}
	for i := int(h.t0) + 1; i < len(w.toks) && w.toks[i].clause == cl; i++ {
		if pc.closeMarker(w, m, i, strict) {
			return false
		}
	}
	return true
}

// aboutReach: how many words after a hit an "about" ending may close its
// noun phrase ("a megölt nők és a bántalmazott gyerekek eseteiről").
const aboutReach = 6

// hearsay reports whether a word says the writer read or heard something:
// what follows is someone else's story.
func hearsay(b []byte) bool {
	s := string(b)
	for _, p := range [...]string{"olvas", "hallot", "hallom", "mesel", "elmesel"} {
		if len(s) >= len(p) && s[:len(p)] == p {
			return true
		}
	}
	return s == "read" || s == "heard" || s == "learned" || s == "learnt"
}

// Word lists of the policy, folded. They describe the languages, not a
// supervisor's choice, so they live here rather than in the rules file.
var (
	possessive    = setOf(`my our mein meine meinen meinem meiner unser unsere мій моя мого моєї мой моего моей meu mea mei mele`)
	objectPronoun = setOf(`engem minket nekem nekunk velem velunk ram rank tolem me us mich mir uns мене мені нас меня мне`)
	onMeAux       = setOf(`akar akart akarnak akartak fog fognak`) // "meg akar ölni": he wants to kill (me); akarja is him or her
	generic       = setOf(`valaki valakit valakinek valakivel barki barkit aki akit someone somebody anyone anybody`)
	articles      = setOf(`a az egy the`)
	notObject     = setOf(`sokat keveset eleget egyet eppet kicsit nagyot ujat`) // -t words that are no object
	romanianMe    = setOf(`ma m mi imi ne eu noi`)
	clauseOpeners = setOf(`hogy that`)
	aboutWords    = setOf(`about regarding concerning uber risk risks prevention kockazat kockazata kockazatarol veszely veszelye megelozes prevencio`)
)
