package triage

// Who is harmed in a sentence of harm (row 130): the writer (an unsaid
// object, "me", "my throat", the writer as the subject of fear), a child
// as the object of the harm, or a child who is only there. The
// categories of a harm without its own follow from it (harmCategories).

// myBody reports whether token i is "my" (mein, мій …) before a part of
// the body ("my throat", "my cheek"): the writer harmed, where English
// marks it by a word of its own rather than an ending.
func (pc *policyContext) myBody(w *words, m []int32, i int) bool {
	if !w.is(i, clsPossessive) {
		return false
	}
	for j := i + 1; j <= i+2 && j < len(w.toks) && w.toks[j].clause == w.toks[i].clause; j++ {
		if hasConcept(w, m, j, pc.r.policy.body) || hasConcept(w, m, j, pc.r.policy.neck) {
			return true
		}
	}
	return false
}

// writerHarmedAmong reports whether a sentence names the writer as the one
// harmed ("az arcomra", "megvert"), whoever else it names.
func (pc *policyContext) writerHarmedAmong(sent clauseRef) bool {
	w, m := pc.s.words(sent.field), pc.s.matches[sent.field]
	for i := int(w.sents[sent.n]); i < len(w.toks) && w.toks[i].sent == sent.n; i++ {
		// "my" before a person names someone close, not the writer harmed.
		if pc.closeMarker(w, m, i, true) && !pc.person(w, m, i) && !pc.ownsPerson(w, m, i) && !hasConcept(w, m, i, pc.r.policy.minorAge) ||
			pc.myBody(w, m, i) {
			return true
		}
	}
	return false
}

// writerSubject reports whether a harm of a sentence is told with the
// writer as its subject ("félek", "rettegek", "I'm scared", "we are
// afraid"): the writer is the one it befalls.
func (pc *policyContext) writerSubject(sent clauseRef) bool {
	w := pc.s.words(sent.field)
	for _, h := range pc.s.hits {
		ru := pc.r.rules[h.rule]
		if h.field != sent.field || ru.kind != KindSignal || ru.category != "" || h.region == RegionQuoted ||
			w.toks[h.t0].sent != sent.n {
			continue
		}
		if pc.hitHas(h, featFirst) {
			return true
		}
		for i := int(h.t0); i <= int(h.t1); i++ {
			if w.is(i, clsWriterOrReader) && string(w.folded(i)) != "you" {
				return true
			}
		}
	}
	return false
}

// childAlong reports whether a child is named as someone who is with the
// writer or sees the violence, not as the one harmed: "a gyerekekkel az
// utcán vagyunk", "a gyerekek előtt", "with the kids", "in front of the
// children". The harm of that sentence is then the adults'.
func (pc *policyContext) childAlong(h hit) bool {
	w := pc.s.words(h.field)
	last := w.folded(int(h.t1))
	if n := len(last); n > 5 && (string(last[n-3:]) == "val" || string(last[n-3:]) == "vel" ||
		(string(last[n-2:]) == "al" || string(last[n-2:]) == "el") && last[n-3] == last[n-4] && !isVowel(last[n-3])) {
		return true // -val/-vel, the v a doubled consonant after one: gyerekkel, gyerekeimmel
	}
	if j := int(h.t1) + 1; j < len(w.toks) && string(w.folded(j)) == "elott" {
		return true
	}
	for j := int(h.t0) - 1; j >= 0 && j >= int(h.t0)-3; j-- {
		switch string(w.folded(j)) {
		case "with", "of", "при", "перед", "vor", "fata", "cu", "mit", "с", "з": // with the kids, in front of the children
			return true
		}
	}
	return false
}

// childRole is what a sentence says of a child it names.
type childRole uint8

const (
	roleNamed     childRole = iota // named, the role not told by the words
	roleHarmed                     // the object of the harm ("megverte a gyereket", "hit our son")
	roleBystander                  // there, not the one harmed ("the kids are at home")
	roleMinor                      // an age under 18 or a childhood: counts wherever it stands
)

// childRole tells from the words of a child context hit whether the child
// is the one acted on: a Hungarian object, dative or sublative ending
// ("a gyereket", "a kisfiunknak", "a gyerekre"), the body of the child
// ("a kisfiú karján"), a Romanian object ("pe copil"), or, in any
// language, the words right after a signal ("hit our son", "бьет
// детей"). An age under 18 or a childhood ("14 éves", "when I was
// eight") always counts: the writer or the child the mail is about.
func (pc *policyContext) childRole(h hit) childRole {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	c := &pc.r.policy
	if h.t1 > h.t0 && pc.childhoodPhrase(w, int(h.t0)) {
		return roleMinor // "as a child", "when I was a child", "в детстве"
	}
	word := -1
	for i := int(h.t0); i <= int(h.t1); i++ {
		if hasConcept(w, m, i, c.minorAge) {
			return roleMinor
		}
		if hasConcept(w, m, i, c.child) || hasConcept(w, m, i, c.offspring) {
			word = i
		}
	}
	if word < 0 {
		return roleMinor
	}
	if pc.harmedObject(h.field, word) {
		return roleHarmed
	}
	return roleNamed
}

// harmedObject reports whether word i of a field names the one acted on: a
// Hungarian object, dative or sublative ending ("a gyereket", "anyut",
// "a kisfiunknak", "a gyerekre"), the one whose body follows ("a kisfiú
// karján"), a Romanian object ("pe copil"), or, in the other languages,
// the words right after a signal's word in their clause ("hit our son",
// "бьет маму").
func (pc *policyContext) harmedObject(field uint8, i int) bool {
	w, m := pc.s.words(field), pc.s.matches[field]
	c := &pc.r.policy
	f := w.folded(i)
	n := len(f)
	if pc.lang == "hu" && pc.signalInClause(field, i) {
		// The ending says the object, of the harm when a signal stands in
		// its clause ("ha nem adom vissza a gyereket, felgyújtja a
		// házat": the child is the condition's, not the harm's).
		if accusative(w, i) || n > 5 && (string(f[n-3:]) == "nak" || string(f[n-3:]) == "nek") ||
			n > 4 && (string(f[n-2:]) == "ra" || string(f[n-2:]) == "re") {
			return true
		}
	}
	for j := i + 1; j <= i+2 && j < len(w.toks) && w.toks[j].sent == w.toks[i].sent; j++ {
		if hasConcept(w, m, j, c.body) || hasConcept(w, m, j, c.neck) {
			return true
		}
	}
	if pc.lang == "hu" {
		return false // the ending says the object; a word before it may be the subject's verb
	}
	// Back over the words that go with the person ("our", "the two",
	// "both", "pe") to the word before them, in the clause: a signal's
	// word.
	j := i - 1
	cl := w.toks[i].clause
	for k := 0; k < 5 && j >= 0 && w.toks[j].clause == cl; k++ {
		if string(w.folded(j)) == "pe" && pc.lang == "ro" {
			return true
		}
		// "kill me and the kids": back over the writer joined to them.
		if !w.is(j, clsPossessive|clsArticle|clsTheirs|clsObjectPronoun) && !numberWord(w.folded(j)) && !andWord(w.folded(j)) {
			break
		}
		j--
	}
	return j >= 0 && w.toks[j].clause == cl && pc.signalAt(field, j)
}

// signalInClause reports whether a signal of the new text stands in the
// clause of token i (its first or last word there). The clauses are marked
// once per field, on the first question: the role tests ask it word by word.
func (pc *policyContext) signalInClause(field uint8, i int) bool {
	w := pc.s.words(field)
	marks := &pc.s.sigClause[field]
	if !pc.sigMarked[field] {
		pc.sigMarked[field] = true
		*marks = resize(*marks, len(w.clauses))
		for _, g := range pc.s.hits {
			if g.field == field && g.region != RegionQuoted && pc.r.rules[g.rule].kind == KindSignal && !g.negated {
				(*marks)[w.toks[g.t0].clause] = true
				(*marks)[w.toks[g.t1].clause] = true
			}
		}
	}
	return (*marks)[w.toks[i].clause]
}

// signalAt reports whether token i of a field ends a signal hit of the new text.
func (pc *policyContext) signalAt(field uint8, i int) bool {
	for _, g := range pc.s.hits {
		if g.field == field && int(g.t0) <= i && i <= int(g.t1) && g.region != RegionQuoted &&
			pc.r.rules[g.rule].kind == KindSignal && !g.negated {
			return true
		}
	}
	return false
}

// andWord reports whether a word joins two objects: and, und, și, и, і, та.
func andWord(b []byte) bool {
	switch string(b) {
	case "and", "und", "si", "и", "і", "та", "oraz":
		return true
	}
	return false
}

// numberWord reports whether a word counts children: a digit, two, both.
func numberWord(b []byte) bool {
	if len(b) > 0 && b[0] >= '0' && b[0] <= '9' {
		return true
	}
	switch string(b) {
	case "two", "three", "both", "little", "small", "young", "youngest", "eldest", "oldest", "older", "younger",
		"ket", "harom", "mindket", "kis", "kicsi", "nagyobbik", "kisebbik", "legkisebb", "both of",
		"двух", "двоих", "обоих", "дітей", "двох":
		return true
	}
	return false
}

// childhoodPhrase reports whether a phrase that names a child, starting at
// token i, tells a time of life ("as a child", "when I was little", "als
// Kind", "в детстве"), not a child of now.
func (pc *policyContext) childhoodPhrase(w *words, i int) bool {
	if w.is(i, clsRelOpener) {
		return true
	}
	switch string(w.folded(i)) {
	case "as", "in", "from", "als", "în", "в", "у", "w", "v", "ako", "kiedy", "keď", "ked", "když", "kdyz":
		return true
	}
	return false
}
