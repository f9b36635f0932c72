package triage

// Relatives and partners as a harm's categories read them (rows 100,
// 130-134): a relative named in passing, a son or a daughter, a parent,
// a partner of the writer's own or of someone else's.

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
	if knowerAfter(w, int(h.t1)) {
		return true
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
	return conceptIn(w, m, int(h.t0), int(h.t1), pc.r.policy.kinOther) >= 0
}

// parentWord gives the token of a context hit that names a parent, or -1.
func (pc *policyContext) parentWord(h hit) int {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	if i := conceptIn(w, m, int(h.t0), int(h.t1), pc.r.policy.kinParent); i >= 0 {
		return i
	}
	return -1
}

// offspringWord reports whether a context hit names a son or a daughter.
func (pc *policyContext) offspringWord(h hit) bool {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	return conceptIn(w, m, int(h.t0), int(h.t1), pc.r.policy.offspring) >= 0
}

// ownPartnerIn reports whether a partner of the writer's (not someone
// else's, see someoneElses) is named in sentence sent, or anywhere when
// sent is the zero clauseRef.
func ownPartnerIn(ctx []contextHit, sent clauseRef) bool {
	for _, x := range ctx {
		if x.cat == PartnerViolence && !x.other && x.role != roleBystander && (sent == clauseRef{} || x.sent == sent) {
			return true
		}
	}
	return false
}

// otherPartnerIn reports whether a partner of someone else's is named in
// sentence sent.
func otherPartnerIn(ctx []contextHit, sent clauseRef) bool {
	for _, x := range ctx {
		if x.cat == PartnerViolence && x.other && x.sent == sent {
			return true
		}
	}
	return false
}

// someoneElses reports whether a partner or a parent named is someone
// else's: a Hungarian third person possessive ("élettársa", "anyja
// párja", "az apja"), or "her", "his", "their" or a name with 's before it
// ("her boyfriend", "mum's boyfriend", "his dad").
func (pc *policyContext) someoneElses(h hit) bool {
	w := pc.s.words(h.field)
	for i := int(h.t0); i <= int(h.t1); i++ {
		if w.toks[i].feat&featThird != 0 && w.toks[i].feat&featMine == 0 {
			return true
		}
	}
	if j := int(h.t0) - 1; j >= 0 && w.toks[j].sent == w.toks[h.t0].sent {
		f := w.folded(j)
		n := len(f)
		return w.is(j, clsTheirs) || n > 3 && f[n-2] == '\'' && f[n-1] == 's'
	}
	return false
}

// othersParentIn reports whether a parent of someone else's ("az apja",
// "his dad") who harms is named in sentence sent.
func othersParentIn(ctx []contextHit, sent clauseRef) bool {
	for _, x := range ctx {
		if x.parent && x.other && x.role != roleHarmed && x.sent == sent {
			return true
		}
	}
	return false
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

// childsParent reports whether the parent named at token i is a child's:
// a child or a son or a daughter just before it ("a gyerekek apja", "a
// lányom apja", "the kids' dad", "my son's father") or after "of" ("the
// father of my children").
func (pc *policyContext) childsParent(field uint8, i int) bool {
	w, m := pc.s.words(field), pc.s.matches[field]
	c := &pc.r.policy
	kid := func(j int) bool {
		return j >= 0 && j < len(w.toks) && w.toks[j].clause == w.toks[i].clause &&
			(hasConcept(w, m, j, c.child) || hasConcept(w, m, j, c.offspring))
	}
	if kid(i - 1) {
		return true
	}
	if i+1 < len(w.toks) && string(w.folded(i+1)) == "of" {
		for j := i + 2; j <= i+4; j++ {
			if kid(j) {
				return true
			}
		}
	}
	return false
}

// afterHarm reports whether a relative is named after the harm of its
// sentence, in a clause of their own ("… megvert, mert jön az anyósa",
// "ha felhívom anyámat, akkor …" read from the harm): someone the
// writer goes on to tell of, not the one who harms.
func (pc *policyContext) afterHarm(h hit) bool {
	w := pc.s.words(h.field)
	sent, cl := w.toks[h.t0].sent, w.toks[h.t0].clause
	harm := false
	for _, g := range pc.s.hits {
		ru := pc.r.rules[g.rule]
		if g.field != h.field || ru.kind != KindSignal || ru.category != "" || g.region == RegionQuoted || w.toks[g.t0].sent != sent {
			continue
		}
		if w.toks[g.t0].clause == cl || w.toks[g.t1].clause == cl || g.t1 >= h.t0 {
			return false
		}
		harm = true
	}
	return harm
}

// adultAge reports whether a son or a daughter is given an adult's age
// next to the word: a number from 18 to 99 up to three words before or
// after it in its sentence ("a 45 éves fiam", "a fiam (41)", "my son, who
// is 52").
func (pc *policyContext) adultAge(h hit) bool {
	w := pc.s.words(h.field)
	sent := w.toks[h.t0].sent
	for j := int(h.t0) - 3; j <= int(h.t1)+3; j++ {
		if j < 0 || j >= len(w.toks) || w.toks[j].sent != sent {
			continue
		}
		f := w.folded(j)
		if len(f) == 2 && f[0] >= '0' && f[0] <= '9' && f[1] >= '0' && f[1] <= '9' && f[0] > '1' || string(f) == "18" || string(f) == "19" {
			return true
		}
	}
	return false
}

// grownKin reports whether a son or a daughter named anywhere in the new
// text is given an adult's age (adultAge): the one the writer names
// elsewhere is the same grown child.
func (pc *policyContext) grownKin() bool {
	for _, h := range pc.s.hits {
		ru := pc.r.rules[h.rule]
		if ru.kind == KindContext && h.region != RegionQuoted && pc.offspringWord(h) && pc.adultAge(h) {
			return true
		}
	}
	return false
}

// partnerOwnsKin reports whether a partner is named as the one whose
// relative is meant: in Hungarian a relative right after the partner (the
// possessive construction "a férjem öccse"), in English one after
// "husband's": the relative is the person of the sentence.
func (pc *policyContext) partnerOwnsKin(h hit) bool {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	c := &pc.r.policy
	j := int(h.t1) + 1
	if j >= len(w.toks) || w.toks[j].sent != w.toks[h.t1].sent {
		return false
	}
	last := w.folded(int(h.t1))
	n := len(last)
	owner := pc.lang == "hu" || n > 3 && last[n-2] == '\'' && last[n-1] == 's'
	return owner && (hasConcept(w, m, j, c.kinOther) || hasConcept(w, m, j, c.kinParent))
}

// exploiterIn reports whether a sentence of harm names one who exploits
// the writer (a context rule of trafficking or prostitution: a boss, an
// employer, a gangmaster, a recruiter), row 200.
func (pc *policyContext) exploiterIn(sents []clauseRef) bool {
	for _, h := range pc.s.hits {
		ru := pc.r.rules[h.rule]
		if ru.kind == KindContext && h.region != RegionQuoted && (ru.category == Trafficking || ru.category == Prostitution) &&
			containsClause(sents, h.field, pc.s.words(h.field).toks[h.t0].sent) && pc.exploiterNamed(h) {
			return true
		}
	}
	return false
}

// exploiterNamed reports whether a boss or an employer is named as one who
// acts: not in passing ("told my boss", "a főnökömnek szólt", kinRefuge)
// and not beside a partner in the sentence ("a párom, aki a főnököm is"):
// then the partner is the one.
func (pc *policyContext) exploiterNamed(h hit) bool {
	if pc.kinRefuge(h) {
		return false
	}
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	lo, hi := w.sentence(int(h.t0))
	return conceptIn(w, m, lo, hi, pc.r.policy.partner) < 0
}

// sellingPartner reports whether a partner named where the writer is sold
// or trafficked is the one who sells (row 200): a boyfriend or an ex (the
// lover concept: "a barátom szedi a pénzt", "my boyfriend", "volt
// párom"), or a partner in quotation marks (a „barátom” who locks the
// door). A husband or a life partner who forces the writer stays a
// partner who harms.
func (pc *policyContext) sellingPartner(h hit) bool {
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	for i := int(h.t0); i <= int(h.t1); i++ {
		if w.toks[i].quoted {
			return true
		}
	}
	// "volt párom", "volt férjem": an ex said in two words.
	for i := max(int(h.t0)-1, 0); i <= int(h.t0); i++ {
		if string(w.folded(i)) == "volt" && w.toks[i].sent == w.toks[h.t0].sent {
			return true
		}
	}
	return conceptIn(w, m, int(h.t0), int(h.t1), pc.r.policy.lover) >= 0
}

// childSaid reports whether the sentence of a hit names a child or an age
// under 18: a child_abuse context rule there (row 201).
func (pc *policyContext) childSaid(h hit) bool {
	w := pc.s.words(h.field)
	sent := w.toks[h.t0].sent
	for _, g := range pc.s.hits {
		if g.field == h.field && g.region != RegionQuoted && pc.r.rules[g.rule].kind == KindContext &&
			pc.r.rules[g.rule].category == ChildAbuse && w.toks[g.t0].sent == sent {
			return true
		}
	}
	return false
}

// knowerAfter reports whether the words after a relative (token i) make
// them one who knows or does not know ("a szüleim nem tudják", "my
// parents don't know", "мама не знает"): someone the writer tells of, not
// one who harms.
func knowerAfter(w *words, i int) bool {
	for j := i + 1; j <= i+3 && j < len(w.toks) && w.toks[j].sent == w.toks[i].sent; j++ {
		switch string(w.folded(j)) {
		case "nem", "not", "don't", "dont", "doesn't", "doesnt", "does", "do", "nu", "не", "nicht", "még", "meg", "still":
			continue
		case "tud", "tudja", "tudjak", "tudnak", "tudta", "tudtak", "know", "knows", "knew", "stie", "stiu", "știe", "știu", "знает",
			"знают", "знає", "знають", "weiss", "weiß", "wissen":
			return true
		}
		return false
	}
	return false
}
