package triage

// harmCategories gives the categories of harm signals that have none of
// their own: those of the context rules in the same sentence, or, when no
// sentence says who is involved, of the whole message (a partner before
// family before a child).
func (pc *policyContext) harmCategories(sents []clauseRef, msg catSet) catSet {
	var out catSet
	for _, sent := range sents {
		var here catSet
		w := pc.s.words(sent.field)
		for _, h := range pc.s.hits {
			ru := pc.r.rules[h.rule]
			if ru.kind == KindContext && h.field == sent.field && h.region != RegionQuoted && w.toks[h.t0].sent == sent.n {
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
