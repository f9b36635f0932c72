package triage

// harmCategories gives the categories of harm signals that have none of
// their own: those of the context rules in the same sentence, or, when no
// sentence says who is involved, of the whole message (a partner before
// family before a child).
func (pc *policyContext) harmCategories(sents []clauseRef, msg catSet, exploit bool) catSet {
	ctx := pc.s.ctx[:0]
	elder := 0 // not asked yet; 1 no, 2 yes (a scan of the text, so only when a son or daughter is named)
	for _, h := range pc.s.hits {
		ru := pc.r.rules[h.rule]
		if ru.kind != KindContext || h.region == RegionQuoted {
			continue
		}
		cat, kin := ru.category, false
		if cat == ChildAbuse && pc.kinWord(h) || cat == FamilyViolence && pc.offspringWord(h) {
			if elder == 0 {
				elder = 1
				if pc.elderWriter() {
					elder = 2
				}
			}
			if elder == 2 && cat == ChildAbuse {
				continue
			}
			// A son or a daughter of a writer who is not old is a child:
			// harmed, child abuse; there, nothing (row 130).
			kin = elder == 1
			if kin {
				cat = ChildAbuse
			}
		}
		// Where the writer tells of being sold or trafficked, relatives
		// are those the traffickers threaten ("tudják, hol lakik anyám"),
		// not the ones who harm (row 131).
		if !(cat == ChildAbuse && pc.childAlong(h)) && !(cat == FamilyViolence && (exploit || pc.kinRefuge(h))) {
			c := contextHit{sent: clauseRef{h.field, pc.s.words(h.field).toks[h.t0].sent}, cat: cat, role: roleNamed, kin: kin}
			if cat == ChildAbuse {
				c.role = pc.childRole(h)
			}
			if cat == FamilyViolence {
				if k := pc.parentWord(h); k >= 0 {
					c.parent = true
					if pc.harmedObject(h.field, k) {
						// A mother or a father harmed ("anyut a falhoz
						// vágta", "бьет маму"): an adult harmed by a
						// partner, the other parent or theirs (row 134).
						c.cat, c.role = PartnerViolence, roleHarmed
					}
				}
			}
			ctx = append(ctx, c)
		}
	}
	pc.s.ctx = ctx
	// A child counts as the one harmed where a sentence says so (row
	// 130): the object of the harm, or named in a sentence of harm that
	// does not name the writer as the one harmed. A child named only as
	// being there ("the kids are at home", "félek, két gyerekünk van") is
	// no child harmed, nor a relative named only as a refuge a relative
	// who harms.
	msg &^= catOf(ChildAbuse) | catOf(FamilyViolence)
	writerHurt := false
	if msg.has(PartnerViolence) {
		for _, sent := range sents {
			writerHurt = writerHurt || pc.writerHarmedAmong(sent)
		}
	}
	for i := range ctx {
		c := &ctx[i]
		switch {
		case c.cat != ChildAbuse || c.role == roleBystander || c.role == roleMinor || c.sent.field == fieldSubject:
			// A child in the subject is the one the mail is about.
		case !containsClause(sents, c.sent.field, c.sent.n):
			c.role = roleBystander // no harm told in its sentence
		case c.role == roleNamed && (writerHurt || pc.writerHarmedAmong(c.sent) || pc.writerSubject(c.sent)):
			c.role = roleBystander
			if c.kin && !sentHas(ctx, c.sent, PartnerViolence) {
				// The writer harmed, a son or a daughter named and no
				// partner: the one who harms ("my son hits me").
				c.cat, c.role = FamilyViolence, roleNamed
			}
		}
		if c.cat == ChildAbuse && c.role != roleBystander || c.cat == FamilyViolence {
			msg.add(c.cat)
		}
	}
	var out catSet
	for _, sent := range sents {
		var here catSet
		// A parent harmed by the other parent (or a step-parent) named in
		// the sentence, and no other relative: the parents' violence,
		// an adult harmed by a partner (row 134).
		childHarmed, parentHarmed, otherParent, otherKin := false, false, false, false
		for _, c := range ctx {
			switch {
			case c.sent != sent:
			case c.parent && c.role == roleHarmed:
				parentHarmed = true
			case c.parent:
				otherParent = true
			case c.cat == FamilyViolence:
				otherKin = true
			}
		}
		parents := parentHarmed && otherParent && !otherKin
		for _, c := range ctx {
			cat := c.cat
			if c.parent && c.role == roleHarmed && !parents {
				cat = FamilyViolence
			}
			if c.sent == sent && c.role != roleBystander && !(parents && c.parent && cat == FamilyViolence) {
				here.add(cat)
				childHarmed = childHarmed || c.cat == ChildAbuse && c.role == roleHarmed
			}
		}
		if childHarmed && !pc.writerHarmedAmong(sent) {
			// A child the object of the harm: child abuse alone, whoever
			// harms ("a férjem megütötte a gyereket", "he hit our son").
			here = catOf(ChildAbuse)
		}
		if here == 0 && exploit {
			// No one named, and the writer sold or trafficked: the harm
			// is theirs who exploit (row 131), not a partner's.
			continue
		}
		if here == 0 && !msg.has(PartnerViolence) && !msg.has(FamilyViolence) && pc.writerHarmed(sent) {
			// No one named here, a child named elsewhere, the writer the
			// one harmed ("a torkomat szorította"): an adult's violence.
			here.add(PartnerViolence)
		}
		if here == catOf(ChildAbuse) && msg.has(PartnerViolence) && pc.writerHarmedAmong(sent) {
			// The writer harmed ("a párnát nyomta az arcomra"), a partner
			// in the message, a child named only as in the rest of the
			// sentence: the partner's violence too.
			here.add(PartnerViolence)
		}
		if here == 0 {
			for _, c := range []Category{PartnerViolence, FamilyViolence, ChildAbuse} {
				if msg.has(c) {
					here.add(c)
					break
				}
			}
			// No one named here and only a child elsewhere: the one who
			// harms is most often an unnamed partner ("itt van az ajtó
			// előtt … a gyerekek sírnak"), the child the one at risk.
			if here == catOf(ChildAbuse) && !pc.sentNamesChild(sent) {
				here.add(PartnerViolence)
			}
		}
		if here.has(FamilyViolence) && msg.has(ChildAbuse) {
			// A relative, and a child in the message: a child harmed at
			// home is child abuse, as the operators file it.
			here = here&^catOf(FamilyViolence) | catOf(ChildAbuse)
		}
		out |= here
	}
	return out
}

func (c catSet) has(k Category) bool { return c&(1<<categoryIndex(k)) != 0 }

func catOf(c Category) catSet {
	var s catSet
	s.add(c)
	return s
}

// writerHarmed reports whether a sentence names the writer as the one
// harmed (an unsaid object, "me", "my throat"), and no child.
func (pc *policyContext) writerHarmed(sent clauseRef) bool {
	w, m := pc.s.words(sent.field), pc.s.matches[sent.field]
	harmed := false
	for i := int(w.sents[sent.n]); i < len(w.toks) && w.toks[i].sent == sent.n; i++ {
		if hasConcept(w, m, i, pc.r.policy.child) || hasConcept(w, m, i, pc.r.policy.minorAge) {
			return false
		}
		harmed = harmed || pc.closeMarker(w, m, i, true) && !pc.person(w, m, i)
	}
	return harmed
}

// writerHarmedAmong reports whether a sentence names the writer as the one
// harmed ("az arcomra", "megvert"), whoever else it names.
func (pc *policyContext) writerHarmedAmong(sent clauseRef) bool {
	w, m := pc.s.words(sent.field), pc.s.matches[sent.field]
	for i := int(w.sents[sent.n]); i < len(w.toks) && w.toks[i].sent == sent.n; i++ {
		if pc.closeMarker(w, m, i, true) && !pc.person(w, m, i) && !hasConcept(w, m, i, pc.r.policy.minorAge) {
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

// sentNamesChild reports whether a sentence names a child or an age
// under 18.
func (pc *policyContext) sentNamesChild(sent clauseRef) bool {
	w, m := pc.s.words(sent.field), pc.s.matches[sent.field]
	for i := int(w.sents[sent.n]); i < len(w.toks) && w.toks[i].sent == sent.n; i++ {
		if hasConcept(w, m, i, pc.r.policy.child) || hasConcept(w, m, i, pc.r.policy.minorAge) {
			return true
		}
	}
	return false
}

// kinRefuge reports whether a relative is named in passing, not as one
// who harms or is harmed: as where the writer would go or stay
// ("anyámékhoz nem mehetek", "a nővéremnél lakunk", "at my sister's"),
// as someone the writer is with or speaks to ("a húgommal", "szólok
// anyámnak", "with my mother", "told my sister"), or as the owner of a
// thing ("anyu gyógyszere", "my mother's flat").
func (pc *policyContext) kinRefuge(h hit) bool {
	w := pc.s.words(h.field)
	last := w.folded(int(h.t1))
	n := len(last)
	if n >= 6 {
		switch string(last[n-3:]) {
		case "hoz", "hez", "nal", "nel", "val", "vel", "nak", "nek":
			return true
		}
		// -val/-vel after a consonant doubles it: "a húgommal", "anyámmal".
		if (string(last[n-2:]) == "al" || string(last[n-2:]) == "el") && last[n-3] == last[n-4] && !isVowel(last[n-3]) {
			return true
		}
	}
	if n > 3 && (string(last[n-2:]) == "'s" || string(last[n-2:]) == "’s") {
		return true
	}
	if j := int(h.t1) + 1; j < len(w.toks) && w.toks[j].sent == w.toks[h.t1].sent {
		if nx := w.folded(j); len(nx) > 0 && pc.lang == "hu" && pc.possessed(nx) && !pc.person(w, pc.s.matches[h.field], j) {
			return true
		}
	}
	for j := int(h.t0) - 1; j >= 0 && j >= int(h.t0)-2 && w.toks[j].sent == w.toks[h.t0].sent; j-- {
		switch string(w.folded(j)) {
		case "at", "with", "to", "told", "tell", "bei", "mit", "zu", "la", "cu", "у", "к", "с", "до", "з":
			return true
		}
		if !w.is(j, clsPossessive|clsArticle) {
			break
		}
	}
	return false
}

// possessed reports whether a Hungarian word is a thing owned by the word
// before it ("anyu gyógyszere", "a húgom lakása"): a third person
// possessive ending, -a, -e, -ja, -je, and the endings after it.
func (pc *policyContext) possessed(b []byte) bool {
	n := len(b)
	if n < 5 {
		return false
	}
	for _, end := range []string{"ja", "je", "jat", "jet", "jan", "jen", "jaban", "jeben", "jara", "jere", "jarol", "jerol"} {
		if n > len(end)+2 && string(b[n-len(end):]) == end {
			return true
		}
	}
	return false
}

// elderWriter reports whether the new text says the writer is old or the
// child grown up (a pension, "retired", "felnőtt fiam"): a son or a
// daughter who harms them is violence in the family, not a child harmed.
func (pc *policyContext) elderWriter() bool {
	e := pc.r.policy.elder
	if e < 0 {
		return false
	}
	for f := range pc.s.matches {
		w, m := pc.s.words(uint8(f)), pc.s.matches[f]
		for i := range w.toks {
			if w.toks[i].region != RegionQuoted && hasConcept(w, m, i, e) {
				return true
			}
		}
	}
	return false
}

// kinWord reports whether a context hit names a relative (a son, a
// daughter), not a child by age.
func (pc *policyContext) kinWord(h hit) bool {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	for i := int(h.t0); i <= int(h.t1); i++ {
		if hasConcept(w, m, i, pc.r.policy.kinOther) {
			return true
		}
	}
	return false
}

// parentWord gives the token of a context hit that names a parent, or -1.
func (pc *policyContext) parentWord(h hit) int {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	for i := int(h.t0); i <= int(h.t1); i++ {
		if hasConcept(w, m, i, pc.r.policy.kinParent) {
			return i
		}
	}
	return -1
}

// offspringWord reports whether a context hit names a son or a daughter.
func (pc *policyContext) offspringWord(h hit) bool {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	for i := int(h.t0); i <= int(h.t1); i++ {
		if hasConcept(w, m, i, pc.r.policy.offspring) {
			return true
		}
	}
	return false
}

// contextHit is a context rule's category and the sentence it stands in.
type contextHit struct {
	sent clauseRef
	cat  Category
	role childRole
	kin  bool // a son or a daughter, read as a child
	// parent: a mother or a father (a step-parent), who harms unless the
	// sentence makes them the one harmed
	parent bool
}

// sentHas reports whether a context hit of category c stands in sentence sent.
func sentHas(ctx []contextHit, sent clauseRef, c Category) bool {
	for _, x := range ctx {
		if x.sent == sent && x.cat == c {
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
	if pc.lang == "hu" {
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
	for k := 0; k < 3 && j >= 0 && w.toks[j].clause == cl; k++ {
		if string(w.folded(j)) == "pe" && pc.lang == "ro" {
			return true
		}
		if !w.is(j, clsPossessive|clsArticle|clsTheirs) && !numberWord(w.folded(j)) {
			break
		}
		j--
	}
	return j >= 0 && w.toks[j].clause == cl && pc.signalAt(field, j)
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

// language names the language of the writer's new text.
func (r *Rules) language(s *scratch) string {
	if s.other > s.latin && s.cyr*2 > s.other {
		if s.ukMark > s.ruMark {
			return "uk"
		}
		return "ru"
	}
	huWeak := s.subj.huWeak + s.body.huWeak
	if s.subj.foreignLetters+s.body.foreignLetters >= 2 {
		huWeak = 0 // Slovak, Czech or Polish acutes (vážení, spoluprácu)
	}
	return language(s.lang, s.latin, s.other, s.subj.huStrong+s.body.huStrong, huWeak, s.huSuffix)
}
