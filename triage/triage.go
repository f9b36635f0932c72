package triage

import "strings"

// Triage decides priority, categories, flags and language of a message.
// The verdict holds rule ids and categories only, never the message's
// words.
func (r *Rules) Triage(in Input) Verdict {
	s, _ := r.pool.Get().(*scratch)
	if s == nil {
		s = new(scratch)
	}
	s.reset()
	r.run(in, s)
	v := r.decide(in, s, nil)
	if cap(s.body.toks) <= 1<<16 { // keep pooled memory bounded after a huge message
		r.pool.Put(s)
	}
	return v
}

// run tokenises and matches the subject and the body.
func (r *Rules) run(in Input, s *scratch) {
	spans := findRegions(in.Text, isForwardSubject(in.Subject))
	tokenize(in.Subject, nil, &s.subj)
	tokenize(in.Text, spans, &s.body)
	r.matchField(s, fieldSubject)
	r.matchField(s, fieldBody)
}

func isForwardSubject(subj string) bool {
	f := strings.TrimSpace(Fold(subj))
	for _, p := range []string{"fwd:", "fw:", "tovabbitas:", "tov:", "wg:", "tr:"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

type catSet uint16

func (c *catSet) add(k Category) {
	if i := categoryIndex(k); i >= 0 {
		*c |= 1 << i
	}
}

func (c catSet) list() []Category {
	var out []Category
	for i, k := range categoryOrder {
		if c&(1<<i) != 0 {
			out = append(out, k)
		}
	}
	return out
}

// effect is what one hit counted for, for Explain.
type effect struct {
	priority Priority // 0: sets no priority
	ignored  bool
}

// decide turns the hits into a verdict. When effects is not nil it gets
// what each hit counted for, and notes get the decisions made on the
// whole message.
func (r *Rules) decide(in Input, s *scratch, ex *explainer) Verdict {
	hdr := automatedByHeader(in)
	best, newBest := P4, P4
	var cats, ctxCats, quotedCats, topicCats catSet
	var harm, topic, concrete, self, autoHit, doNotReply bool
	topicPrio := P4
	fired := make([]bool, len(r.rules))
	// First pass: which rules count in the writer's new text, for
	// escalate_with.
	countedNew := make([]bool, len(r.rules))
	for _, h := range s.hits {
		if _, ok := r.base(h); ok && h.region != RegionQuoted {
			countedNew[h.rule] = true
		}
	}
	for i, h := range s.hits {
		ru := r.rules[h.rule]
		inNew := h.region != RegionQuoted
		eff := effect{}
		switch ru.kind {
		case KindSignal:
			p, ok := r.base(h)
			if !ok {
				eff.ignored = true
				break
			}
			up := ru.escalate && h.urgent
			for _, j := range ru.escIdx {
				up = up || countedNew[j]
			}
			if up {
				p--
			}
			p = min(max(p, P1), P4)
			if inNew {
				newBest = min(newBest, p)
				if ru.category != "" {
					cats.add(ru.category)
				} else {
					harm = true
				}
			} else {
				p = max(p, P3) // an earlier message was triaged when it came
				if ru.category != "" {
					quotedCats.add(ru.category)
				}
			}
			best = min(best, p)
			eff.priority = p
		case KindContext:
			if inNew {
				ctxCats.add(ru.category)
			} else {
				quotedCats.add(ru.category)
			}
		case KindTopic:
			if inNew {
				topic = true
				topicPrio = min(topicPrio, ru.priority)
				if ru.category != "" {
					topicCats.add(ru.category)
				}
			}
		case KindConcrete:
			concrete = concrete || inNew
		case KindSelf:
			self = self || inNew
		case KindSafety:
			if h.negated && ru.ifNegated != keep {
				eff.ignored = true
				break
			}
			doNotReply = true
		case KindAutomated:
			autoHit = autoHit || inNew
			eff.ignored = !inNew
		}
		if !eff.ignored && ru.kind != KindNegation {
			fired[h.rule] = true
		}
		if ex != nil {
			ex.effects[i] = eff
		}
	}
	if harm {
		cats |= ctxCats
		if cats&violenceCats() == 0 {
			cats.add(PartnerViolence)
		}
	}
	if topic && !concrete && !self && best < topicPrio {
		ex.note("writes about the subject and names no one in particular: priority %s instead of %s", topicPrio, best)
		best = topicPrio
		cats = topicCats
	}
	automated := len(hdr) > 0 || autoHit
	if automated {
		if newBest <= P2 && self {
			ex.note("automated mail, but the writer speaks of danger to themselves: priority kept")
			cats.add(Automated)
		} else {
			if best < P4 {
				ex.note("automated mail: priority %s instead of %s", P4, best)
			}
			best, cats, doNotReply = P4, 0, false
			cats.add(Automated)
		}
	}
	if cats == 0 {
		cats = quotedCats
	}
	if cats == 0 {
		cats.add(Information)
	}
	v := Verdict{
		Priority:       best,
		Categories:     cats.list(),
		Language:       language(s.lang, s.latin, s.other, s.subj.huStrong+s.body.huStrong, s.subj.huWeak+s.body.huWeak, s.huSuffix),
		RuleSetVersion: r.version,
	}
	if automated {
		v.Flags = append(v.Flags, FlagAutomated)
	}
	if doNotReply {
		v.Flags = append(v.Flags, FlagDoNotReply)
	}
	v.Rules = append(v.Rules, hdr...)
	for i, ok := range fired {
		if ok {
			v.Rules = append(v.Rules, r.rules[i].id)
		}
	}
	return v
}

// base is the priority a signal hit counts for before escalation, after
// negation and past; ok is false when the rule says to ignore it. Hits of
// other kinds count (ok) unless negated or past with ignore.
func (r *Rules) base(h hit) (Priority, bool) {
	ru := r.rules[h.rule]
	p := ru.priority
	for _, m := range [2]struct {
		on  bool
		mod modifier
	}{{h.negated, ru.ifNegated}, {h.past, ru.ifPast}} {
		switch {
		case m.on && m.mod == lower:
			p++
		case m.on && m.mod == ignore:
			return 0, false
		}
	}
	return p, true
}

func violenceCats() catSet {
	var c catSet
	for _, k := range []Category{PartnerViolence, ChildAbuse, FamilyViolence, Trafficking, Prostitution, SuicideRisk} {
		c.add(k)
	}
	return c
}
