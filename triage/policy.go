package triage

import (
	"slices"
	"strings"
)

// effect is what one hit counted for, for Explain.
type effect struct {
	priority    Priority // 0: sets no priority
	ignored     bool
	other       bool // lowered: its sentence names no one close to the writer
	about       bool // named as a subject of talk ("about …", "-ról"): a topic, not an event
	conditional bool // confinement on a condition ("unless I tell him"): control, one lower
	capped      bool // capped by writing about the subject
	floored     bool // a P1 signal kept at P2 although the topic capped it
}

// stackRules is how many rules decide counts on the stack; a larger rule
// set allocates for every message (TestRulesFitStack).
const stackRules = 256

// decide turns the hits into a verdict, following the decision table of
// README.md: each signal counts at its rule's priority, raised by a time
// word or a companion signal, lowered only by a softener of its own clause
// (negation, the past, a past-tense form, nobody close to the writer in
// the sentence, a condition, being named as a subject of talk); the most
// urgent wins; quoted mail counts at most P3; writing about the subject
// caps only the signals of its own sentences that do not name the writer
// as harmed, and signals named as a subject; nothing caps a P1 signal
// below P2; a combine rule counts when enough of its rules counted for
// the writer (row 18); an unread language is P2.
func (r *Rules) decide(in Input, s *scratch, ex *explainer) Verdict {
	hdr := automatedByHeader(in)
	lang := r.language(s)
	pc := policyContext{r: r, s: s, lang: lang, close: s.closeCache()}
	best, newBest := P4, P4
	var cats, ctxCats, quotedCats, topicCats catSet
	// nowSaid: a time word of now in the writer's new text (rows 6, 20);
	// ownLife: the writer speaks of their own life or someone close, and
	// phoneSaid: of someone's phone or mail (row 58).
	// revealed: the writer says the friend they wrote about is themself
	// (row 60), so their story is no one else's; tonightSaid: a time of
	// the day, not a bare "now" (row 74).
	// minorSaid: an age under 18 in the writer's new text, minorWriter:
	// the writer's own; soldSaid: a prostitution signal there (row 94).
	var topic, concrete, autoHit, closeDanger, signalHit, nowSaid, ownLife, phoneSaid, revealed, tonightSaid, minorSaid, minorWrites, soldSaid bool
	// Row 132: trafficking told only by papers taken or kept (a held
	// rule), which a partner does too.
	var papersOnly, exploitSaid bool
	// Row 201: a child_abuse signal whose sentence names no child
	// (childSignal) and one that names one (childNamed).
	var childSignal, childNamed bool
	var reasons []Reason
	topicPrio := P4
	fired := s.fired(len(r.rules))
	countedNew := s.counted(len(r.rules))
	topicClauses := s.topicClauses[:0]
	for _, h := range s.hits {
		ru := r.rules[h.rule]
		// A companion raises another signal only when it is said, not
		// denied ("I am not locked in" raises nothing: row 6); a rule
		// that keeps its negation says it with one ("nem merek kimenni").
		// An arrest threatened ("the police will lock us up") raises
		// nothing either.
		if _, ok := r.base(h); ok && h.region != RegionQuoted && !(h.negated && ru.ifNegated != keep) &&
			!(ru.held && pc.byAuthority(h)) {
			countedNew[h.rule] = true
		}
		if h.region == RegionQuoted {
			continue
		}
		switch ru.kind {
		case KindTopic:
			topic = true
			topicPrio = min(topicPrio, ru.priority)
			if ru.category != "" {
				topicCats.add(ru.category)
			}
			topicClauses = append(topicClauses, clauseRef{h.field, s.words(h.field).toks[h.t0].sent})
		case KindConcrete:
			concrete = true
		case KindUrgent:
			nowSaid = nowSaid || !h.negated
			// A time of the day ("ma este", "tonight"), not a bare
			// "most"/"now", whose reach the rules file shortens (row 74).
			tonightSaid = tonightSaid || !h.negated && ru.within >= urgentWindow
		case KindSelf, KindContext:
			ownLife = true
			revealed = revealed || ru.reveals && !h.negated
			minorSaid = minorSaid || ru.minor != 0 && !h.negated
			minorWrites = minorWrites || ru.minor == minorWriter && !h.negated
		case KindSafety:
			phoneSaid = true
		}
	}
	s.topicClauses = topicClauses
	capTopic := topic && !concrete
	// onlyFoundUs: every topic stands in a sentence that says where the
	// writer found the address ("I found your address after a talk about
	// domestic violence at my school"): that says nothing of what they
	// write about (row 58).
	onlyFoundUs := topic
	for _, c := range topicClauses {
		onlyFoundUs = onlyFoundUs && foundUs(s.words(c.field), c.n)
	}
	// readHit: a signal read, in quoted text too, other than one capped by
	// a topic or named as a subject in new text (row 58).
	readHit := false
	harm := s.harm[:0] // sentences of harm signals in new text
	effects := s.effects(len(s.hits))
	var ownBuf [stackRules]ownSignal // on the stack while the rule set fits (TestRulesFitStack)
	var own []ownSignal              // row 18: by rule, counted at P2 or higher for the writer
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
			// An arrest threatened ("the police will lock us up") is
			// control, and no sign of being held for row 18.
			arrest := ru.held && pc.byAuthority(h)
			// "a kamrába zárt egy órára", "locked me in the shed for a
			// night": a confinement in a past form that ended is an
			// episode told, not being held now (row 75).
			arrest = arrest || ru.held && pc.bounded(h)
			if ru.held && (arrest || pc.conditional(h)) {
				p++
				eff.conditional = true
			}
			// In a sentence that speaks about the subject the writer
			// speaks in the first person as a professional: only the
			// writer as the one harmed makes it theirs. The words there
			// are examples listed ("choked, threats to kill, locked in"),
			// not signs that go together: no companion raises another.
			inTopic := capTopic && containsClause(topicClauses, h.field, s.words(h.field).toks[h.t0].sent)
			up := (ru.escalate && h.urgent || ru.escAny == escAnyNow && nowSaid || ru.escAny == escAnyTonight && tonightSaid) && !h.negated
			for _, j := range ru.escIdx {
				up = up || countedNew[j] && !h.negated && !inTopic
			}
			if up {
				p--
			}
			// A confinement whose sentence names no one is the writer's
			// ("the door is locked from outside"), as row 14 reads it.
			close := pc.closeSentence(h, inTopic)
			// There, words in quotation marks are examples cited ("he
			// choked me"), not the writer (row 82).
			if close && inTopic {
				close = pc.closeOutsideQuotes(h)
			}
			// A topic elsewhere in the mail (a school talk) does not stop
			// reading who is held in the writer's own sentence.
			if !close && ru.ifOther == lower && ru.held && !inTopic {
				close = pc.heldSelf(h)
			}
			// Someone else's danger happening now (a time word near) is
			// no story: a witness writes for help (row 8).
			if !close && ru.ifOther == lower && !(h.urgent && !h.negated) && !revealed {
				p++
				eff.other = true
			}
			// Only the writer as the one harmed keeps a danger from being a
			// subject ("he talks about killing me"); for suicide the writer
			// who speaks is the one at risk ("I keep thinking about
			// suicide"), unless they speak as a professional.
			eff.about = pc.about(h, inTopic || ru.category != SuicideRisk)
			if eff.about && !capTopic {
				p = max(p, P3)
			}
			// The subject of a reply repeats the thread's first mail, which
			// was triaged when it came: the body decides (row 29).
			if h.field == fieldSubject && s.replySubject {
				p = max(p, P2)
			}
			p = min(max(p, P1), P4)
			if inNew {
				if p == P1 && ru.held && !h.past && pc.heldSelf(h) {
					reasons = addReason(reasons, ReasonHeldOrControlled)
				}
				// A danger in a sentence that speaks about the subject (a
				// newsletter's "kampányunk") is not the writer's (row 17).
				if p <= P2 && !inTopic && pc.closeSentence(h, true) {
					closeDanger = true
				}
				// The topic is a softener too: it reaches the signals of its
				// own sentences and those named as a subject, never a
				// danger told elsewhere ("I found your address at a school
				// talk. He is at the door.").
				// Abuse named in general (P3) in the topic's own sentences is
				// the topic itself, even where a professional says "me".
				if capTopic && (eff.about || inTopic && (!close || p >= P3)) && p < topicPrio {
					eff.floored = p == P1 && !eff.about
					p, eff.capped = topicPrio, true
					if eff.floored {
						p = P2
					}
				}
				if p <= P2 && !eff.other && !h.negated && !h.past && !arrest {
					if own == nil {
						own = ownBuf[:0]
						if len(r.rules) > len(ownBuf) {
							own = make([]ownSignal, 0, len(r.rules))
						}
						own = own[:len(r.rules)]
					}
					o := &own[h.rule]
					switch {
					case !o.counted:
						*o = ownSignal{counted: true, field: h.field, t0: h.t0, t1: h.t1}
					case !o.alt && (o.field != h.field || h.t0 > o.t1 || o.t0 > h.t1):
						o.alt, o.af, o.a0, o.a1 = true, h.field, h.t0, h.t1
					}
					o.held = o.held || ru.held && pc.heldSelf(h)
				}
				newBest = min(newBest, p)
				soldSaid = soldSaid || (ru.category == Prostitution || ru.category == Trafficking) && !h.negated && !h.past && !eff.capped
				if ru.category != "" {
					cats.add(ru.category)
					if ru.category == Trafficking {
						papersOnly = ru.held && !pc.employerSaid(h) && (papersOnly || !exploitSaid)
						exploitSaid = true
					}
					if ru.category == ChildAbuse {
						named := pc.childSaid(h)
						childSignal, childNamed = childSignal || !named, childNamed || named
					}
				} else {
					if sent := s.words(h.field).toks[h.t0].sent; !containsClause(harm, h.field, sent) {
						harm = append(harm, clauseRef{h.field, sent})
					}
				}
			} else {
				p = max(p, P3) // an earlier message was triaged when it came
				if ru.category != "" {
					quotedCats.add(ru.category)
				}
			}
			best = min(best, p)
			eff.priority = p
			signalHit = signalHit || inNew
			readHit = readHit || !inNew || !eff.capped && !eff.about
		case KindContext:
			if inNew {
				ctxCats.add(ru.category)
			} else {
				quotedCats.add(ru.category)
			}
		case KindSafety:
			if h.negated && ru.ifNegated != keep || !pc.safetyHolds(h) {
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
	s.harm = harm
	for ci, ru := range r.rules {
		if ru.kind != KindCombine || own == nil {
			continue
		}
		n, held := 0, false
		for k, j := range ru.ofIdx {
			o := own[j]
			if o.counted && overlapsEarlier(own, ru.ofIdx[:k], o) && o.alt {
				o.field, o.t0, o.t1 = o.af, o.a0, o.a1
			}
			if o.counted && !overlapsEarlier(own, ru.ofIdx[:k], o) {
				n++
				held = held || own[j].held
			}
		}
		if n < ru.atLeast {
			continue
		}
		ex.note("%s: %d of its rules count for the writer: %s", ru.id, n, ru.priority)
		fired[ci] = true
		best, newBest = min(best, ru.priority), min(newBest, ru.priority)
		closeDanger = closeDanger || ru.priority <= P2
		if ru.category != "" {
			cats.add(ru.category)
			papersOnly = papersOnly && ru.category != Trafficking
		}
		if ru.held && held && ru.priority == P1 {
			reasons = addReason(reasons, ReasonHeldOrControlled)
		}
	}
	if ex != nil {
		ex.effects = append(ex.effects[:0], effects...)
	}
	// Row 132: papers taken or kept, and nothing else of trafficking,
	// where the writer names a partner and no boss keeps them: his
	// control, partner violence.
	if papersOnly && cats.has(Trafficking) && !cats.has(Prostitution) && ctxCats.has(PartnerViolence) {
		ex.note("papers kept by a partner: partner_violence, not trafficking")
		cats.remove(Trafficking)
		cats.add(PartnerViolence)
	}
	exploit := cats.has(Trafficking) || cats.has(Prostitution)
	var harmCats catSet
	if len(harm) > 0 {
		harmCats = pc.harmCategories(harm, ctxCats, cats)
	}
	// Row 201: where the writer is sold or trafficked, a child_abuse
	// signal that names no child ("the father comes to my room at night",
	// "men are brought to me at night") is the writer's exploitation,
	// unless a child is harmed elsewhere or an age under 18 is said.
	if exploit && childSignal && !childNamed && !minorSaid && !harmCats.has(ChildAbuse) {
		ex.note("a child's signal where the writer is exploited and no child is named: child_abuse left out")
		cats.remove(ChildAbuse)
	}
	if len(harm) > 0 {
		cats |= harmCats
		if cats&violenceCats() == 0 {
			cats.add(PartnerViolence)
		}
	}
	if capTopic && topicCats != 0 && best >= topicPrio {
		cats = topicCats
	}
	// Row 133: a shelter or a legal question with no harm of a category
	// of its own, a partner or no relative named: the violence it is
	// about is a partner's, as for a harm no one is named in ("a
	// távoltartás lejár", "a krízisotthonban vagyunk a gyerekekkel").
	// A legal question where an age under 18 is said with a child named
	// is about the child, as in row 202 ("feljelenthetem? 16 vagyok"); a
	// shelter with a small child along stays the partner's.
	if best < P4 && cats&violenceCats() == 0 && (cats.has(LegalInfo) || cats.has(ShelterRequest)) {
		switch {
		case minorSaid && ctxCats.has(ChildAbuse) && cats.has(LegalInfo):
			cats.add(ChildAbuse)
		case ctxCats.has(PartnerViolence) || !ctxCats.has(FamilyViolence):
			cats.add(PartnerViolence)
		}
	}
	automated := len(hdr) > 0 || autoHit
	if automated {
		if newBest <= P2 && closeDanger && !toList(hdr) {
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
	if !automated && best > P2 && (lang == LanguageOther || s.readable.unread || thinLexicon(lang) && !signalHit && !topic) {
		ex.note("a language triage cannot read, or reads thinly and found nothing in: priority %s instead of %s", P2, best)
		best = P2
	}
	// Row 94: a child sold for sex (an age under 18 and a prostitution
	// signal in the writer's words) with a time of the day named ("ma
	// éjjel is jön valaki", "tonight"): it is to happen today; or the
	// child writes it herself ("am 16 ani", "16 éves vagyok").
	// Row 160: a child trafficked (sold on, moved abroad) counts the same.
	if !automated && best > P1 && soldSaid && (minorSaid && tonightSaid || minorWrites) {
		ex.note("a child sold for sex or trafficked, with a time word: priority %s instead of %s", P1, best)
		best = P1
		cats.add(ChildAbuse)
	}
	// Row 58: the writer speaks of their own life or someone close, and
	// the rules read no sign (nor in a quoted mail, row 7), no topic and
	// nothing of a phone or mail in it (row 26 decides that): what they
	// could not read may be the danger (an unread plea is urgent, as in
	// row 15).
	// Row 74: the same, with a time of the day named ("ma este",
	// "tonight", someone reading the phone or not): something is to
	// happen today that the rules cannot read.
	// Either way the people named say what it is about: a partner
	// before family before a child, as for a harm without a category.
	// Row 114: the writer's new text breaks off mid-sentence, on a word
	// that opens a clause ("azt mondja hogy ha", "and he says if"), with
	// a time word of now: the writer may have been stopped while writing.
	if !automated && best > P1 && nowSaid && (!topic || onlyFoundUs) && brokenOff(in.Text) {
		ex.note("the message breaks off mid-sentence while the writer says now: priority %s instead of %s", P1, best)
		best = P1
		if cats&violenceCats() == 0 {
			c, ok := namedCategory(ctxCats, minorSaid)
			if !ok {
				c = PartnerViolence // a harm without a category
			}
			cats.add(c)
		}
	}
	unread := !automated && best > P2 && ownLife && !readHit && (!topic || onlyFoundUs)
	if unread && tonightSaid {
		ex.note("the writer speaks of their own life today or tonight and no rule read what about: priority %s instead of %s", P1, best)
		best = P1
	} else if unread && !phoneSaid {
		ex.note("the writer speaks of their own life and no rule read what about: priority %s instead of %s", P2, best)
		best = P2
	}
	if unread && best < P4 && cats&violenceCats() == 0 {
		if c, ok := namedCategory(ctxCats, minorSaid); ok {
			cats.add(c)
		}
	}
	// Row 26: someone reads or checks the writer's phone or mail, the
	// writer asks not to be written to, or writes on someone else's
	// device: a controlling relationship, or a writer who cannot be
	// answered safely. Nothing automatic will reach them, so an operator
	// must find a safe way soon: at least P2.
	if !automated && best > P2 && slices.ContainsFunc(reasons, func(r Reason) bool { return slices.Contains(ruleReasons, r) }) {
		ex.note("the writer cannot be written to safely: priority %s instead of %s", P2, best)
		if best > P3 && containsReason(reasons, ReasonSomeoneReads) && cats&violenceCats() == 0 {
			if c := ctxCats & (catOf(PartnerViolence) | catOf(FamilyViolence) | catOf(ChildAbuse)); c != 0 {
				if minorWrites && c.has(FamilyViolence) {
					c = c&^catOf(FamilyViolence) | catOf(ChildAbuse) // the writer a child (row 202)
				}
				cats |= c
			} else {
				cats.add(PartnerViolence)
			}
		}
		best = P2
	}
	// Row 30: at P1 the categories name the danger; a legal word counts
	// only where the writer asks about the law.
	if best == P1 && cats.has(LegalInfo) && !pc.asksLegal(in) {
		ex.note("legal words at P1, but no question about the law: legal_info left out")
		cats.remove(LegalInfo)
	}
	// Row 203: a writer under 18 ("13 vagyok", "ich bin 15") whose message
	// is urgent or asks for advice and no rule gave a category of: a
	// child's own trouble, child abuse.
	if !automated && best < P4 && cats == 0 && minorWrites {
		ex.note("a writer under 18 and no category: child_abuse")
		cats.add(ChildAbuse)
	}
	if cats == 0 {
		cats = quotedCats
	}
	if cats == 0 {
		cats.add(Information)
	}
	if containsReason(reasons, ReasonOtherPersonsDevice) && ownAddress(in) {
		ex.note("writes from someone else's device but gives an address of their own: no flag for that")
		reasons = removeReason(reasons, ReasonOtherPersonsDevice)
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
	n := len(hdr)
	for _, ok := range fired {
		if ok {
			n++
		}
	}
	if n > 0 {
		v.Rules = append(make([]string, 0, n), hdr...)
	}
	for i, ok := range fired {
		if ok {
			v.Rules = append(v.Rules, r.rules[i].id)
		}
	}
	return v
}

// namedCategory gives the category of a danger no rule gave one, from the
// people named: a partner before family before a child; a child first
// where an age under 18 is said (the writer's: "15 vagyok"; a child's:
// "a 2 éves fiamat"), since the danger no rule read is the child's
// (row 202).
func namedCategory(ctxCats catSet, minor bool) (Category, bool) {
	if minor && ctxCats.has(ChildAbuse) {
		return ChildAbuse, true
	}
	for _, c := range []Category{PartnerViolence, FamilyViolence, ChildAbuse} {
		if ctxCats.has(c) {
			return c, true
		}
	}
	return "", false
}

// ownSignal says how a signal rule counted in the writer's new text, for
// combine rules (row 18 of the decision table): at P2 or higher, not
// negated, not in the past, not someone else's story (counted, with the
// words of its first such hit, and of a later one on other words, so
// that a sign that shares its first words with another rule's still
// counts when it is said again apart); and, for a held rule, with the
// writer the one held.
type ownSignal struct {
	counted, held bool
	field         uint8
	t0, t1        int32
	alt           bool // a0, a1: a later hit on other words
	af            uint8
	a0, a1        int32
}

// overlapsEarlier reports whether o stands on words that one of the rules
// before it has counted already: "elvette a bankkártyámat" is control and
// documents taken, but one sign, not two.
func overlapsEarlier(own []ownSignal, before []int32, o ownSignal) bool {
	for _, j := range before {
		e := own[j]
		if e.counted && e.field == o.field && e.t0 <= o.t1 && o.t0 <= e.t1 {
			return true
		}
	}
	return false
}

// clauseRef names a clause (or a sentence) of the subject or the body.
type clauseRef struct {
	field uint8
	n     int32
}

func containsClause(cs []clauseRef, field uint8, n int32) bool {
	for _, c := range cs {
		if c.field == field && c.n == n {
			return true
		}
	}
	return false
}

func addReason(rs []Reason, x Reason) []Reason {
	if containsReason(rs, x) {
		return rs
	}
	return append(rs, x)
}

func containsReason(rs []Reason, x Reason) bool { return slices.Contains(rs, x) }

func removeReason(rs []Reason, x Reason) []Reason {
	return slices.DeleteFunc(rs, func(y Reason) bool { return y == x })
}

func reasonIndex(x Reason) int {
	return slices.Index([]Reason{ReasonAskedNotToWrite, ReasonSomeoneReads, ReasonOtherPersonsDevice, ReasonHeldOrControlled}, x)
}

// asksLegal reports whether a legal signal of the new text stands in a
// sentence that asks: a question mark closes it, or a word of asking
// ("kérdezni", "megkérdezném", "ask", "wondering") is in it.
func (pc *policyContext) asksLegal(in Input) bool {
	lastField, lastSent := uint8(255), int32(-1)
	for _, h := range pc.s.hits {
		ru := pc.r.rules[h.rule]
		if ru.kind != KindSignal || ru.category != LegalInfo || h.region == RegionQuoted {
			continue
		}
		w := pc.s.words(h.field)
		sent := w.toks[h.t0].sent
		if h.field == lastField && sent == lastSent {
			continue
		}
		lastField, lastSent = h.field, sent
		text := in.Text
		if h.field == fieldSubject {
			text = in.Subject
		}
		lo, hi := w.sentence(int(h.t0))
		end := len(text)
		if hi+1 < len(w.toks) {
			end = int(w.toks[hi+1].start)
		}
		if strings.IndexByte(text[w.toks[hi].end:end], '?') >= 0 {
			return true
		}
		for i := lo; i <= hi; i++ {
			if w.is(i, clsAsk) {
				return true
			}
		}
	}
	return false
}

// toList reports whether the header says the message went to a mailing
// list (List-Id, List-Unsubscribe): mail to many is no victim's plea
// relayed by a web form (row 17).
func toList(hdr []string) bool {
	for _, h := range hdr {
		if h == hdrListID || h == hdrListUnsubscribe {
			return true
		}
	}
	return false
}

// foundUs reports whether sentence n says where the writer found the
// hotline's address: an address word and a verb of finding or hearing
// ("onnan tudom a címeteket", "I found your address after a talk").
func foundUs(w *words, n int32) bool {
	addr, found := false, false
	for i := int(w.sents[n]); i < len(w.toks) && w.toks[i].sent == n; i++ {
		switch string(w.folded(i)) {
		case "cimeteket", "cimetek", "cimet", "cimuket", "cimeket", "elerhetoseget", "elerhetosegeteket", "elerhetoseguket",
			"address", "adresse", "adresa", "адрес", "адресу":
			addr = true
		case "tudom", "kaptam", "talaltam", "kaptuk", "talaltuk", "hallottam", "olvastam", "found", "got", "learnt", "learned",
			"heard", "gefunden", "bekommen", "gasit", "нашла", "нашел", "знайшла", "знайшов":
			found = true
		}
	}
	return addr && found
}

// brokenOff reports whether a paragraph of the writer's text ends
// mid-sentence: its last line (not a quoted one) ends with no closing mark
// on a word that opens a clause or joins one ("hogy", "ha", "és", "that",
// "if", "and", "dass", "wenn", "că", "якщо", "że"), as when someone is
// stopped while writing. A paragraph ends at an empty line, a quoted
// line, a signature's "--" or the end of the text.
func brokenOff(text string) bool {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, ">") {
			continue
		}
		if i+1 < len(lines) {
			next := strings.TrimSpace(lines[i+1])
			if next != "" && !strings.HasPrefix(next, ">") && !strings.HasPrefix(next, "--") {
				continue
			}
		}
		fields := strings.Fields(strings.ToLower(l))
		if len(fields) >= 3 && clauseWord(fields[len(fields)-1]) {
			return true
		}
	}
	return false
}

// clauseWord reports whether a word opens or joins a clause, so a text
// cannot end on it.
func clauseWord(w string) bool {
	switch w {
	case "hogy", "ha", "és", "es", "mert", "de", "meg", "aztán", "aztan", "akkor",
		"that", "if", "and", "because", "then", "but",
		"dass", "wenn", "und", "weil", "că", "ca", "dacă", "daca", "și", "si",
		"що", "якщо", "і", "та", "что", "если", "и", "że", "ze", "jeśli", "jesli", "i", "a", "že", "ak":
		return true
	}
	return false
}
