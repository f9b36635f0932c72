package triage

import "bytes"

// policyContext answers, for the hits of one message, the questions of
// the decision table: whose danger a sentence speaks of, whether a hit is
// a topic, whether the writer is the one held, whether a safety hit is
// about the writer's own phone.
type policyContext struct {
	r     *Rules
	s     *scratch
	lang  string
	close *[2][]uint8 // by field, then sentence*2+strict: 0 not known yet, 1 no, 2 yes
	// sigMarked: scratch.sigClause holds this message's field (signalInClause)
	sigMarked [2]bool
}

// hitHas reports whether the first or last word of a hit carries f.
func (pc *policyContext) hitHas(h hit, f feat) bool {
	w := pc.s.words(h.field)
	for _, i := range [2]int32{h.t0, h.t1} {
		t := w.toks[i]
		if t.feat&f != 0 && !(f == featAbout && offSurface(w.folded(int(i)))) || f == featPast && t.feat == 0 && englishPast(w.folded(int(i))) {
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

// policyConcepts are the elems of the concepts the policy asks about, -1
// when a rules file has no such concept: a file of its own may leave
// them out, and the policy then reads less.
type policyConcepts struct {
	me, child, kinParent, kinOther, offspring, partner, minorAge, neck, body, device, confine, elder, door, authority, employer, lover int32
}

func newPolicyConcepts(byID map[string]int32) policyConcepts {
	get := func(id string) int32 {
		if e, ok := byID[id]; ok {
			return e
		}
		return -1
	}
	return policyConcepts{me: get("me"), child: get("child"), kinParent: get("kin_parent"), kinOther: get("kin_other"), offspring: get("offspring"),
		partner: get("partner"), minorAge: get("minor_age"), neck: get("neck"), body: get("body"), device: get("device"),
		confine: get("confine"), elder: get("elder"), door: get("door"),
		authority: get("authority"), employer: get("employer"), lover: get("lover")}
}

// hasConcept reports whether token i of w matched the concept elem e.
func hasConcept(w *words, m []int32, i int, e int32) bool {
	if e < 0 || i < 0 || i >= len(w.toks) {
		return false
	}
	t := w.toks[i]
	return containsID(m[t.m0:t.m1], e)
}

// employerSaid reports whether the sentence of a hit names an employer
// or a boss ("the boss keeps my ID", "a főnök tartja a papírjait").
func (pc *policyContext) employerSaid(h hit) bool {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	lo, hi := w.sentence(int(h.t0))
	return conceptIn(w, m, lo, hi, pc.r.policy.employer) >= 0
}

// conceptIn gives the first token from i to j (both included, in the
// field) that carries concept e, or -1.
func conceptIn(w *words, m []int32, i, j int, e int32) int {
	for ; i <= j && i < len(w.toks); i++ {
		if hasConcept(w, m, i, e) {
			return i
		}
	}
	return -1
}

// person reports whether token i names a person: a partner, a relative or
// a child.
func (pc *policyContext) person(w *words, m []int32, i int) bool {
	c := &pc.r.policy
	return hasConcept(w, m, i, c.partner) || hasConcept(w, m, i, c.kinParent) ||
		hasConcept(w, m, i, c.kinOther) || hasConcept(w, m, i, c.child)
}

// ownsPerson reports whether token i is "my", "our" (or mein, мій …)
// before a person: "my husband", "our son". "My research" is not.
func (pc *policyContext) ownsPerson(w *words, m []int32, i int) bool {
	if !w.is(i, clsPossessive) {
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
		if w.is(i-1, clsArticle) {
			return false
		}
		// "nőt öl meg", "egy embert megvert": the object is said.
		if n >= 3 && prev[n-1] == 't' && isVowel(prev[n-2]) && !w.is(i-1, clsNotObject) {
			return false
		}
	}
	return !clauseHas(w, i, clsGeneric)
}

// clauseHas reports whether the clause of token i holds a word of class c.
func clauseHas(w *words, i int, c wordClass) bool {
	cl := w.toks[i].clause
	for j := i; j >= 0 && w.toks[j].clause == cl; j-- {
		if w.is(j, c) {
			return true
		}
	}
	for j := i + 1; j < len(w.toks) && w.toks[j].clause == cl; j++ {
		if w.is(j, c) {
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
	mine := t.feat&featMine != 0
	// Without accents "verték" (they beat him) is "vertek" (they beat me,
	// or you beat): a sentence about the subject does not take such a
	// form as the writer harmed.
	onMe := pc.onMe(w, i) && !(strict && t.feat&featSecond != 0)
	switch {
	case mine && (pc.person(w, m, i) || hasConcept(w, m, i, pc.r.policy.neck) || hasConcept(w, m, i, pc.r.policy.body)), // my husband, my neck, my head; not my research
		t.feat&featYou != 0 && !strict, onMe, t.class&clsObjectPronoun != 0, t.class&clsOnMeAux != 0 && auxWithInfinitive(w, i),
		pc.ownsPerson(w, m, i), hasConcept(w, m, i, pc.r.policy.minorAge),
		pc.lang == "ro" && t.class&clsRomanianMe != 0:
		return true
	case strict:
		return false
	}
	return mine || t.feat&featFirst != 0 || hasConcept(w, m, i, pc.r.policy.me) || hasConcept(w, m, i, pc.r.policy.child) ||
		hasConcept(w, m, i, pc.r.policy.kinParent) && t.feat&featThird == 0 ||
		pc.lang == "hu" && firstPersonEnding(w.folded(i))
}

// span gives the tokens whose words say whose danger a hit is: its
// sentence, or, when the hit stands in a clause that retells what the
// writer read or heard ("olvastam, hogy …", "I read that …"), that clause
// to the end of the sentence: the writer who read the news is not the
// one in it.
func (pc *policyContext) span(h hit) (lo, hi int) {
	w := pc.s.words(h.field)
	lo, hi = w.sentence(int(h.t0))
	c0 := int(w.clauses[w.toks[h.t0].clause])
	if c0 == lo || !w.is(c0, clsClauseOpener) {
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
	if pc.lang != "hu" && pc.lang != "en" {
		return true // whose danger it is cannot be told well: the writer's
	}
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	lo, hi := pc.span(h)
	cache := &pc.close[h.field]
	k := -1
	if lo == int(w.sents[w.toks[lo].sent]) { // the whole sentence: cached
		k = int(w.toks[lo].sent) * 2
		if strict {
			k++
		}
		if k < len(*cache) && (*cache)[k] != 0 {
			return (*cache)[k] == 2
		}
	}
	c := false
	for i := lo; i <= hi && !c; i++ {
		c = pc.closeMarker(w, m, i, strict)
	}
	if k >= 0 && k < len(*cache) {
		(*cache)[k] = 1
		if c {
			(*cache)[k] = 2
		}
	}
	return c
}

// closeOutsideQuotes is closeSentence for a hit in a sentence that speaks
// about the subject (strict), not counting the words between quotation
// marks: a survey's "he choked me" is an example cited, not the writer.
func (pc *policyContext) closeOutsideQuotes(h hit) bool {
	if pc.lang != "hu" && pc.lang != "en" {
		return true
	}
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	lo, hi := pc.span(h)
	for i := lo; i <= hi; i++ {
		if !w.toks[i].quoted && pc.closeMarker(w, m, i, true) {
			return true
		}
	}
	return false
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
// not name the writer (see closeMarker; strict: only as the one harmed).
func (pc *policyContext) about(h hit, strict bool) bool {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	cl := w.toks[h.t0].clause
	found := pc.hitHas(h, featAbout)
	for i := int(h.t1); !found && i < len(w.toks) && i <= int(h.t1)+aboutReach && w.toks[i].clause == cl; i++ {
		b := w.folded(i)
		found = len(b) >= 5 && string(b[len(b)-3:]) == "rol" && !w.is(i, clsFromPlace) && !offSurface(b) && !foreignRol(b)
	}
	for i := int(h.t0) - 1; !found && i >= 0 && w.toks[i].clause == cl; i-- {
		found = w.is(i, clsAbout)
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

// offSurface reports whether a -ról/-ről word is a floor, a bed, the
// stairs one falls or gets up from ("nem fogsz felkelni a konyhakőről",
// "leesett a létráról"): a place, not "about".
func offSurface(b []byte) bool {
	for _, p := range [...]string{"foldrol", "padlorol", "korol", "kovrol", "jarolaprol", "csemperol", "agyrol", "kanaperol",
		"szekrol", "lepcsorol", "letrarol", "parkettarol", "szonyegrol", "hidrol", "tetorol", "erkelyrol", "emeletrol", "sziklarol"} {
		if bytes.HasSuffix(b, []byte(p)) {
			return true
		}
	}
	return false
}

// foreignRol reports whether a word ending in "rol" is not a Hungarian
// -ról of "about": an English word ("petrol", "control", "patrol": "he
// will pour petrol under the door" is a threat, not talk about one), or
// the device or address one writes from ("a barátnőm telójáról írok",
// "egy idegen gépről"): a source, not a subject.
func foreignRol(b []byte) bool {
	switch string(b) {
	case "petrol", "control", "patrol", "kontrol", "cholesterol", "bristol":
		return true
	}
	for _, p := range [...]string{"telefon", "telo", "mobil", "gep", "laptop", "tablet", "ipad", "fiok", "cim", "email", "emil", "szamitogep"} {
		if bytes.HasPrefix(b, []byte(p)) {
			return true
		}
	}
	return false
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

// auxWithInfinitive reports whether "akar", "fog" at token i stands with
// an infinitive ("meg akar ölni", "ölni akar"): without one, accentless
// "akar" is "akár" (even, whether) and says nothing about the writer.
func auxWithInfinitive(w *words, i int) bool {
	for j := max(i-2, 0); j <= i+2 && j < len(w.toks); j++ {
		if j == i || w.toks[j].clause != w.toks[i].clause {
			continue
		}
		b := w.folded(j)
		if n := len(b); n > 3 && (string(b[n-2:]) == "ni" || n > 4 && (string(b[n-3:]) == "nia" || string(b[n-3:]) == "nie")) {
			return true
		}
	}
	return false
}
