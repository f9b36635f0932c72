package triage

// harmCategories gives the categories of harm signals that have none of
// their own: those of the context rules in the same sentence, or, when no
// sentence says who is involved, of the whole message (a partner before
// family before a child).
func (pc *policyContext) harmCategories(sents []clauseRef, msg catSet) catSet {
	ctx := pc.s.ctx[:0]
	for _, h := range pc.s.hits {
		if ru := pc.r.rules[h.rule]; ru.kind == KindContext && h.region != RegionQuoted &&
			!(ru.category == ChildAbuse && pc.childAlong(h)) {
			ctx = append(ctx, contextHit{clauseRef{h.field, pc.s.words(h.field).toks[h.t0].sent}, ru.category})
		}
	}
	pc.s.ctx = ctx
	msg &^= catOf(ChildAbuse) // a child named only as being along is no child harmed
	for _, c := range ctx {
		if c.cat == ChildAbuse {
			msg.add(ChildAbuse)
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
		if here == 0 {
			for _, c := range []Category{PartnerViolence, FamilyViolence, ChildAbuse} {
				if msg.has(c) {
					here.add(c)
					break
				}
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
		case "with", "of", // with the kids, in front of the children
			"при", "перед", "vor":
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
	if s.translit != "" {
		return s.translit
	}
	if s.other > s.latin && s.cyr*2 > s.other {
		if s.ukMark > s.ruMark {
			return "uk"
		}
		return "ru"
	}
	return language(s.lang, s.latin, s.other, s.subj.huStrong+s.body.huStrong, s.subj.huWeak+s.body.huWeak, s.huSuffix)
}
