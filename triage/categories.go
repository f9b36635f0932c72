package triage

// harmCategories gives the categories of harm signals that have none of
// their own: those of the context rules in the same sentence, or, when no
// sentence says who is involved, of the whole message (a partner before
// family before a child).
func (pc *policyContext) harmCategories(sents []clauseRef, msg catSet) catSet {
	ctx := pc.s.ctx[:0]
	for _, h := range pc.s.hits {
		if ru := pc.r.rules[h.rule]; ru.kind == KindContext && h.region != RegionQuoted {
			ctx = append(ctx, contextHit{clauseRef{h.field, pc.s.words(h.field).toks[h.t0].sent}, ru.category})
		}
	}
	pc.s.ctx = ctx
	var out catSet
	for _, sent := range sents {
		var here catSet
		for _, c := range ctx {
			if c.sent == sent {
				here.add(c.cat)
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
	return language(s.lang, s.latin, s.other, s.subj.huStrong+s.body.huStrong, s.subj.huWeak+s.body.huWeak, s.huSuffix)
}
