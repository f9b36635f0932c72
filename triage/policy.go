package triage

import (
	"slices"
	"strings"
)

// effect is what one hit counted for, for Explain.
type effect struct {
	priority Priority // 0: sets no priority
	ignored  bool
	other    bool // lowered: its sentence names no one close to the writer, or it is a topic ("about …")
	capped   bool // capped by writing about the subject
}

// decide turns the hits into a verdict, following the decision table of
// README.md: each signal counts at its rule's priority, raised by a time
// word or a companion signal, lowered only by a softener of its own clause
// (negation, the past, a past-tense form, nobody close to the writer in
// the sentence, a topic); the most urgent wins; quoted mail counts at most
// P3; writing about the subject caps only the signals not about someone
// close to the writer, and nothing caps a P1 below P2; an unread language
// is P2.
func (r *Rules) decide(in Input, s *scratch, ex *explainer) Verdict {
	hdr := automatedByHeader(in)
	lang := r.language(s)
	pc := policyContext{r: r, s: s, hu: lang == "hu", close: map[[2]int32]bool{}}
	best, newBest, p1New := P4, P4, false
	var cats, ctxCats, quotedCats, topicCats catSet
	var topic, concrete, autoHit, closeDanger bool
	var reasons []Reason
	topicPrio := P4
	fired := make([]bool, len(r.rules))
	countedNew := make([]bool, len(r.rules))
	for _, h := range s.hits {
		if _, ok := r.base(h); ok && h.region != RegionQuoted {
			countedNew[h.rule] = true
		}
	}
	for _, h := range s.hits {
		if ru := r.rules[h.rule]; h.region != RegionQuoted {
			switch ru.kind {
			case KindTopic:
				topic = true
				topicPrio = min(topicPrio, ru.priority)
				if ru.category != "" {
					topicCats.add(ru.category)
				}
			case KindConcrete:
				concrete = true
			}
		}
	}
	capTopic := topic && !concrete
	var harmSents []int32 // sentences of harm signals in new text, by field
	var harmFields []uint8
	effects := make([]effect, len(s.hits))
	for i, h := range s.hits {
		ru := r.rules[h.rule]
		inNew := h.region != RegionQuoted
		eff := &effects[i]
		switch ru.kind {
		case KindSignal:
			p, ok := r.base(h)
			if ok && ru.pastTense != keep && pc.hitHas(h, featPast) {
				if ru.pastTense == ignore {
					ok = false
				}
				p++
			}
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
			close := pc.closeSentence(h, capTopic) && !pc.about(h)
			if !close && ru.ifOther == lower {
				p++
				eff.other = true
			}
			p = min(max(p, P1), P4)
			if inNew {
				if p == P1 {
					p1New = true
					if ru.held && pc.closeSentence(h, true) {
						reasons = addReason(reasons, ReasonHeldOrControlled)
					}
				}
				if p <= P2 && pc.closeSentence(h, true) {
					closeDanger = true
				}
				if capTopic && !close && p < topicPrio {
					p, eff.capped = topicPrio, true
				}
				newBest = min(newBest, p)
				if ru.category != "" {
					cats.add(ru.category)
				} else {
					harmSents = append(harmSents, s.words(h.field).toks[h.t0].sent)
					harmFields = append(harmFields, h.field)
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
		case KindSafety:
			if h.negated && ru.ifNegated != keep || !pc.safetyHolds(h, in) {
				eff.ignored = true
				break
			}
			reasons = addReason(reasons, ru.reason)
		case KindAutomated:
			autoHit = autoHit || inNew
			eff.ignored = !inNew
		}
		if !eff.ignored && ru.kind != KindNegation {
			fired[h.rule] = true
		}
	}
	if ex != nil {
		ex.effects = effects
	}
	if len(harmSents) > 0 {
		cats |= pc.harmCategories(harmSents, harmFields, ctxCats)
		if cats&violenceCats() == 0 {
			cats.add(PartnerViolence)
		}
	}
	if p1New && best > P2 {
		ex.note("a P1 signal in the writer's own words: priority %s instead of %s", P2, best)
		best = P2
	}
	if capTopic && topicCats != 0 && best >= topicPrio {
		cats = topicCats
	}
	automated := len(hdr) > 0 || autoHit
	if automated {
		if newBest <= P2 && closeDanger {
			ex.note("automated mail, but the writer speaks of danger to themselves: priority kept")
			cats.add(Automated)
		} else {
			if best < P4 {
				ex.note("automated mail: priority %s instead of %s", P4, best)
			}
			best, cats, reasons = P4, 0, nil
			cats.add(Automated)
		}
	}
	if !automated && lang == "other" && best > P2 {
		ex.note("a language triage cannot read: priority %s instead of %s", P2, best)
		best = P2
	}
	if cats == 0 {
		cats = quotedCats
	}
	if cats == 0 {
		cats.add(Information)
	}
	if slices.Contains(reasons, ReasonOtherPersonsDevice) && ownAddress(in) {
		ex.note("writes from someone else's device but gives an address of their own: no flag for that")
		reasons = slices.DeleteFunc(reasons, func(x Reason) bool { return x == ReasonOtherPersonsDevice })
	}
	v := Verdict{Priority: best, Categories: cats.list(), Language: lang, RuleSetVersion: r.version}
	if automated {
		v.Flags = append(v.Flags, FlagAutomated)
	}
	if len(reasons) > 0 {
		v.Flags = append(v.Flags, FlagDoNotReply)
		slices.SortFunc(reasons, func(a, b Reason) int { return reasonIndex(a) - reasonIndex(b) })
		v.Reasons = reasons
	}
	v.Rules = append(v.Rules, hdr...)
	for i, ok := range fired {
		if ok {
			v.Rules = append(v.Rules, r.rules[i].id)
		}
	}
	return v
}

func addReason(rs []Reason, x Reason) []Reason {
	if slices.Contains(rs, x) {
		return rs
	}
	return append(rs, x)
}

func reasonIndex(x Reason) int {
	return slices.Index([]Reason{ReasonAskedNotToWrite, ReasonSomeoneReads, ReasonOtherPersonsDevice, ReasonHeldOrControlled}, x)
}

// ownAddress reports whether the writer gives an address to answer: a
// Reply-To other than the sender, or an email address in the text that is
// not the hotline's.
func ownAddress(in Input) bool {
	if in.ReplyTo != "" && !strings.EqualFold(strings.TrimSpace(in.ReplyTo), strings.TrimSpace(in.From)) {
		return true
	}
	text := in.Text
	for _, sp := range findRegions(text, false) {
		if sp.region == RegionQuoted || sp.region == RegionUnread || sp.region == RegionForwarded {
			text = text[:min(sp.start, len(text))]
			break
		}
	}
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\n' || r == '\t' || r == ',' || r == '<' || r == '>' || r == '(' || r == ')'
	}) {
		f = strings.Trim(f, ".;:!?\"'")
		at := strings.IndexByte(f, '@')
		if at > 0 && strings.Contains(f[at:], ".") && !strings.Contains(strings.ToLower(f), "ncsszi.hu") &&
			!strings.EqualFold(f, in.From) {
			return true
		}
	}
	return false
}
