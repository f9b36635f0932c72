package triage

// harmCategories gives the categories of harm signals that have none of
// their own: those of the context rules in the same sentence, or, when no
// sentence says who is involved, of the whole message (a partner before
// family before a child).
func (pc *policyContext) harmCategories(sents []clauseRef, msg catSet) catSet {
	ctx := pc.s.ctx[:0]
	elder := 0 // not asked yet; 1 no, 2 yes (a scan of the text, so only when a son or daughter is named)
	for _, h := range pc.s.hits {
		ru := pc.r.rules[h.rule]
		if ru.kind != KindContext || h.region == RegionQuoted {
			continue
		}
		if ru.category == ChildAbuse && pc.kinWord(h) {
			if elder == 0 {
				elder = 1
				if pc.elderWriter() {
					elder = 2
				}
			}
			if elder == 2 {
				continue
			}
		}
		if !(ru.category == ChildAbuse && pc.childAlong(h)) && !(ru.category == FamilyViolence && pc.kinRefuge(h)) {
			ctx = append(ctx, contextHit{clauseRef{h.field, pc.s.words(h.field).toks[h.t0].sent}, ru.category})
		}
	}
	pc.s.ctx = ctx
	// A child named only as being along is no child harmed, nor a
	// relative named only as a refuge a relative who harms.
	msg &^= catOf(ChildAbuse) | catOf(FamilyViolence)
	for _, c := range ctx {
		if c.cat == ChildAbuse || c.cat == FamilyViolence {
			msg.add(c.cat)
		}
	}
	var out catSet
	for _, sent := range sents {
		var here catSet
		for _, c := range ctx {
			if c.sent == sent {
				here.add(c.cat)
			}
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

// childAlong reports whether a child is named as someone who is with the
// writer or sees the violence, not as the one harmed: "a gyerekekkel az
// utcán vagyunk", "a gyerekek előtt", "with the kids", "in front of the
// children". The harm of that sentence is then the adults'.
func (pc *policyContext) childAlong(h hit) bool {
	w := pc.s.words(h.field)
	last := w.folded(int(h.t1))
	if n := len(last); n > 5 && (string(last[n-3:]) == "val" || string(last[n-3:]) == "vel" ||
		string(last[n-3:]) == "kal" || string(last[n-3:]) == "kel") {
		return true
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

// kinRefuge reports whether a relative is named as where the writer
// would go or stay ("anyámékhoz nem mehetek", "a nővéremnél lakunk",
// "a testvéremhez"): a refuge, not the one who harms.
func (pc *policyContext) kinRefuge(h hit) bool {
	last := pc.s.words(h.field).folded(int(h.t1))
	n := len(last)
	if n < 6 {
		return false
	}
	switch string(last[n-3:]) {
	case "hoz", "hez", "nal", "nel":
		return true
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

// contextHit is a context rule's category and the sentence it stands in.
type contextHit struct {
	sent clauseRef
	cat  Category
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
