package triage

// harmCategories gives the categories of harm signals that have none of
// their own: those of the context rules in the same sentence, or, when no
// sentence says who is involved, of the whole message (a partner before
// family before a child). given holds the categories the message's own
// signals gave: the writer sold or trafficked (row 131), at risk of
// suicide (row 204).
func (pc *policyContext) harmCategories(sents []clauseRef, msg, given catSet) catSet {
	exploit := given.has(Trafficking) || given.has(Prostitution)
	// A boss, an employer or a recruiter named in a sentence of harm: the
	// writer exploited, as a trafficking signal says it (row 200).
	sold := exploit
	exploit = exploit || pc.exploiterIn(sents)
	ctx := pc.s.ctx[:0]
	elder := 0           // not asked yet; 1 no, 2 yes (a scan of the text, so only when a son or daughter is named)
	writerMinor := false // the writer says they are under 18 ("16 vagyok", "I'm 15")
	childNamed := msg.has(ChildAbuse)
	partnerNamed := false // a partner named other than as a relative's owner ("a férjem öccse")
	for _, h := range pc.s.hits {
		ru := pc.r.rules[h.rule]
		if ru.kind != KindContext || h.region == RegionQuoted {
			continue
		}
		cat, kin := ru.category, false
		if cat == PartnerViolence && sold && pc.sellingPartner(h) || (cat == Trafficking || cat == Prostitution) && !pc.exploiterNamed(h) {
			// The writer sold or trafficked by a boyfriend or an ex, or by
			// a "boyfriend" in quotation marks: the one who sells, not a
			// partner who harms; a boss named in passing, or beside a
			// partner, harms no one (row 200).
			continue
		}
		if cat == ChildAbuse && pc.kinWord(h) || cat == FamilyViolence && pc.offspringWord(h) {
			if elder == 0 {
				elder = 1
				if pc.elderWriter() {
					elder = 2
				}
			}
			grown := pc.grownKin()
			if (elder == 2 || grown) && cat == ChildAbuse {
				continue
			}
			// A son or a daughter of a writer who is not old, and of no
			// adult's age ("a fiam (41)", "my son, who is 52"), is a
			// child: harmed, child abuse; there, nothing (row 130).
			kin = elder == 1 && !grown
			if kin {
				cat = ChildAbuse
			}
		}
		// Where the writer tells of being sold or trafficked, relatives
		// are those the traffickers threaten ("tudják, hol lakik anyám"),
		// not the ones who harm (row 131).
		if !(cat == ChildAbuse && pc.childAlong(h)) && !(cat == FamilyViolence && (exploit || pc.kinRefuge(h) || !msg.has(ChildAbuse) && pc.afterHarm(h))) {
			c := contextHit{sent: clauseRef{h.field, pc.s.words(h.field).toks[h.t0].sent}, cat: cat, role: roleNamed, kin: kin}
			if cat == ChildAbuse {
				c.role = pc.childRole(h)
			}
			if cat == PartnerViolence {
				// A partner named only as a relative's ("a férjem
				// öccse") is no partner who harms (row 137).
				c.other = pc.someoneElses(h)
				if pc.partnerOwnsKin(h) {
					c.role = roleBystander
				} else {
					partnerNamed = true
				}
			}
			if ru.minor == minorWriter {
				writerMinor = true
			}
			if cat == FamilyViolence {
				if k := pc.parentWord(h); k >= 0 {
					c.parent = true
					if pc.harmedObject(h.field, k) {
						// A mother or a father harmed ("anyut a falhoz
						// vágta", "бьет маму"): an adult harmed by a
						// partner, the other parent or theirs (row 134).
						c.cat, c.role = PartnerViolence, roleHarmed
					} else if pc.childsParent(h.field, k) {
						// The children's father ("a gyerekek apja", "the
						// kids' dad", "father of my children"): the
						// writer's partner or ex (row 135).
						c.cat, c.parent = PartnerViolence, false
					} else {
						c.other = pc.someoneElses(h)
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
	if !partnerNamed {
		msg &^= catOf(PartnerViolence)
	}
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
	// relPartner: a sentence read a relative harmed by her partner (row
	// 136); famElse: a sentence read family violence other than a
	// sibling's own, with no partner there (row 238).
	relPartner, famElse := false, false
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
		if here.has(FamilyViolence) && here.has(PartnerViolence) && !msg.has(ChildAbuse) && otherPartnerIn(ctx, sent) && !ownPartnerIn(ctx, sent) &&
			!pc.writerHarmedAmong(sent) {
			// A relative and her partner ("my sister was abused by her
			// ex", "a húgomat a férje veri"): the relative is the one
			// harmed, by a partner (row 136).
			here &^= catOf(FamilyViolence)
			relPartner = true
		}
		if here.has(PartnerViolence) && otherPartnerIn(ctx, sent) && !ownPartnerIn(ctx, sent) && otherParent && msg.has(ChildAbuse) &&
			!pc.writerHarmedAmong(sent) {
			// A parent's partner ("az anyukája új párja", "mum's
			// boyfriend") harming where a child is harmed in the message
			// and the writer is not harmed here: the child's harm (row
			// 206), not a partner's violence.
			here = here&^(catOf(PartnerViolence)|catOf(FamilyViolence)) | catOf(ChildAbuse)
		}
		if childHarmed && !pc.writerHarmedAmong(sent) {
			// A child the object of the harm: child abuse alone, whoever
			// harms ("a férjem megütötte a gyereket", "he hit our son").
			here = catOf(ChildAbuse)
		} else if childHarmed && here == catOf(ChildAbuse) && !writerMinor {
			// The writer harmed with the child, no one named who harms
			// ("he will kill me and the kids"): a partner's violence too.
			here.add(PartnerViolence)
		}
		if writerMinor && pc.writerHarmedAmong(sent) {
			// The writer a child, and the one harmed: child abuse, whoever
			// harms ("anyám élettársa megvert, 17 vagyok"); a partner of
			// the writer's own is partner violence too.
			own := here.has(PartnerViolence) && ownPartnerIn(ctx, sent)
			here = catOf(ChildAbuse)
			if own {
				here.add(PartnerViolence)
			}
		}
		if here == 0 && exploit {
			// No one named, and the writer sold or trafficked: the harm
			// is theirs who exploit (row 131), not a partner's.
			continue
		}
		if here == 0 && !msg.has(PartnerViolence) && !msg.has(FamilyViolence) && pc.writerHarmedAmong(sent) {
			// No one named here but a child who is only there, the writer
			// the one harmed ("a torkomat szorította", "11 évig bántott,
			// ő kapta meg a gyerekeket"): a partner's violence.
			here.add(PartnerViolence)
		}
		if here == catOf(ChildAbuse) && !writerMinor && ownPartnerIn(ctx, clauseRef{}) && pc.writerHarmedAmong(sent) {
			// The writer harmed ("a párnát nyomta az arcomra"), a partner
			// in the message, a child named only as in the rest of the
			// sentence: the partner's violence too.
			here.add(PartnerViolence)
		}
		if here == 0 {
			// A partner of someone else's ("her boyfriend", "anyja
			// élettársa") comes after a child harmed.
			order := []Category{PartnerViolence, FamilyViolence, ChildAbuse}
			if !ownPartnerIn(ctx, clauseRef{}) && msg.has(ChildAbuse) {
				order = []Category{ChildAbuse, FamilyViolence, PartnerViolence}
			}
			// The writer at risk of suicide, and not the one harmed here
			// ("я больше не могу"): despair, not a relative's violence;
			// the relative is named elsewhere as family (row 204).
			despair := given.has(SuicideRisk) && !pc.writerHarmedAmong(sent)
			for _, c := range order {
				if msg.has(c) && !(despair && c == FamilyViolence) {
					here.add(c)
					break
				}
			}
		}
		if here.has(FamilyViolence) && (writerMinor || childNamed && othersParentIn(ctx, sent) && !pc.writerHarmedAmong(sent)) {
			// A relative harming a writer under 18 ("anyám kidobott, 15
			// vagyok"), or someone else's parent with a child in the
			// message ("az apja övvel veri", a teacher of a pupil): a
			// child harmed (row 202).
			here = here&^catOf(FamilyViolence) | catOf(ChildAbuse)
		}
		if here.has(FamilyViolence) && msg.has(ChildAbuse) {
			// A relative, and a child in the message: a child harmed at
			// home is child abuse, as the operators file it.
			here = here&^catOf(FamilyViolence) | catOf(ChildAbuse)
		}
		if here.has(FamilyViolence) && !here.has(PartnerViolence) {
			sibling := !pc.writerHarmedAmong(sent)
			for _, c := range ctx {
				if c.sent == sent && c.cat == FamilyViolence && c.parent {
					sibling = false
				}
			}
			famElse = famElse || !sibling
		}
		out |= here
	}
	if relPartner && !famElse && out.has(FamilyViolence) {
		// "a húgom volt élettársa rúgja az ajtaját … a húgom nem mer
		// kimenni": the sister named alone in another sentence is the
		// same one harmed by her partner (row 238), no relative's harm.
		out = out&^catOf(FamilyViolence) | catOf(PartnerViolence)
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
	role childRole
	kin  bool // a son or a daughter, read as a child
	// parent: a mother or a father (a step-parent), who harms unless the
	// sentence makes them the one harmed
	parent bool
	other  bool // a partner or a parent of someone else's ("her boyfriend", "az apja")
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
