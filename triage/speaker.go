package triage

// policyContext answers, for the hits of one message, the questions of
// the decision table: whose danger a sentence speaks of, whether a hit is
// a topic, whether a safety hit is about the writer's own phone.
type policyContext struct {
	r     *Rules
	s     *scratch
	hu    bool
	close map[[2]int32]bool // by field and sentence
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
	if !ok {
		return false
	}
	t := w.toks[i]
	return containsID(m[t.m0:t.m1], e)
}

// closeSentence reports whether the sentence of a hit names the writer or
// someone close: a first person pronoun, ending or possessive ("férjem",
// "my"), a child, a parent said the family's way ("apu", "anyu"), or a
// Hungarian verb whose object is left unsaid ("megvert": he beat me).
// A sentence that names none of them is someone else's story, news or a
// topic, and the rules with if_other: lower count one lower there.
//
// When strict, the writer as the one who speaks ("kutatást végzek", "I'm
// a teacher") does not count: only the writer as the one harmed (mine,
// me, an unsaid object), a child or family. A professional writing about
// the subject speaks in the first person too.
func (pc *policyContext) closeSentence(h hit, strict bool) bool {
	key := [2]int32{int32(h.field)*2 + b2i(strict), pc.s.words(h.field).toks[h.t0].sent}
	if c, ok := pc.close[key]; ok {
		return c
	}
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	sent := w.toks[h.t0].sent
	lo, hi := int(h.t0), int(h.t0)
	for lo > 0 && w.toks[lo-1].sent == sent {
		lo--
	}
	for hi+1 < len(w.toks) && w.toks[hi+1].sent == sent {
		hi++
	}
	c := false
	for i := lo; i <= hi && !c; i++ {
		t := w.toks[i]
		c = t.feat&(featMine|featYou|featOnMe) != 0 ||
			pc.hasConcept(w, m, i, "child") || pc.hasConcept(w, m, i, "minor_age") ||
			pc.hasConcept(w, m, i, "kin_parent") && t.feat&featThird == 0 ||
			!strict && (t.feat&featFirst != 0 || pc.hasConcept(w, m, i, "me") || pc.hu && firstPersonEnding(w.folded(i))) ||
			strict && objectPronoun(w.folded(i))
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

// objectPronoun: the writer as the one something is done to.
func objectPronoun(b []byte) bool {
	switch string(b) {
	case "engem", "minket", "nekem", "velem", "me", "us", "my", "our", "mich", "mir", "мене", "мені", "меня", "мне", "нас":
		return true
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

// about reports whether a hit names its danger as a topic: a Hungarian
// "about" ending ("fojtogatásról") or "about", "regarding" earlier in
// its clause.
func (pc *policyContext) about(h hit) bool {
	if pc.hitHas(h, featAbout) {
		return true
	}
	w := pc.s.words(h.field)
	cl := w.toks[h.t0].clause
	for i := int(h.t0) - 1; i >= 0 && w.toks[i].clause == cl; i-- {
		switch string(w.folded(i)) {
		case "about", "regarding", "concerning", "uber":
			return true
		}
	}
	return false
}

// safetyHolds checks what the words of a safety rule cannot say alone:
// that the phone someone reads is the writer's ("a férjem nézi a
// telefonomat", not "a húgom férje nézi a telefonját", not "ellenőrzöm a
// telefonomat"), and that a phone the writer writes from is someone
// else's ("a szomszéd telefonjáról írok"). Phrases carry their own
// person ("he checks my phone") and always hold.
func (pc *policyContext) safetyHolds(h hit, in Input) bool {
	ru := pc.r.rules[h.rule]
	if int(h.pat) < len(ru.phrases) {
		return true
	}
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	dev, other := -1, -1
	for _, i := range [2]int{int(h.t0), int(h.t1)} {
		if pc.hasConcept(w, m, i, "device") {
			dev = i
		} else {
			other = i
		}
	}
	if dev < 0 {
		return true
	}
	d := w.toks[dev].feat
	switch ru.reason {
	case ReasonSomeoneReads:
		mine := d&featMine != 0 || dev > 0 && pc.hasConcept(w, m, dev-1, "me")
		o := w.toks[max(other, 0)].feat
		if o == 0 { // not a Hungarian form: fail safe unless "I" reads it
			return !(other > 0 && string(w.folded(other-1)) == "i")
		}
		return mine && o&featThird != 0 && o&featFirst == 0
	case ReasonOtherPersonsDevice:
		return d&featThird != 0 && d&featMine == 0
	}
	return true
}

// harmCategories gives the categories of harm signals that have none of
// their own: those of the context rules in the same sentence, or, when no
// sentence says who is involved, of the whole message (a partner before
// family before a child), or partner violence.
func (pc *policyContext) harmCategories(sents []int32, fields []uint8, msg catSet) catSet {
	var out catSet
	for k, sent := range sents {
		var here catSet
		w := pc.s.words(fields[k])
		for _, h := range pc.s.hits {
			ru := pc.r.rules[h.rule]
			if ru.kind == KindContext && h.field == fields[k] && h.region != RegionQuoted && w.toks[h.t0].sent == sent {
				here.add(ru.category)
			}
		}
		if here == 0 {
			for _, c := range []Category{PartnerViolence, FamilyViolence, ChildAbuse} {
				if msg.has(c) {
					here.add(c)
					break
				}
			}
		}
		if here.has(FamilyViolence) && msg.has(ChildAbuse) {
			here.add(ChildAbuse) // a parent, and a child in the message: a child harmed at home
		}
		out |= here
	}
	return out
}

// language names the language of the writer's new text.
func (r *Rules) language(s *scratch) string {
	if s.other > s.latin && s.cyr*2 > s.other {
		if s.ukMark > s.ruMark {
			return "uk"
		}
		return "ru"
	}
	return language(s.lang, s.latin, s.other, s.subj.huStrong+s.body.huStrong, s.subj.huWeak+s.body.huWeak, s.huSuffix)
}
