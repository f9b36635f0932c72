package triage

import (
	"slices"
	"strings"
)

// Triage decides priority, categories, flags and language of a message.
// The verdict holds rule ids and categories only, never the message's
// words.
func (r *Rules) Triage(in Input) Verdict { return r.TriageRead(in, nil) }

// run reads a message into s and decides its verdict. A message in
// transliterated Russian or Ukrainian is rewritten in Cyrillic and read
// again (translit.go); when the message as written reads more urgent,
// that reading wins (the more urgent reading wins, and a wrong guess of
// the language must never lower a danger the rules found). run returns
// the input whose reading s holds.
func (r *Rules) run(in Input, s *scratch, ex *explainer) (Input, Verdict) {
	r.read(in, s)
	t := translitLang(s)
	if t == "" {
		return in, r.decide(in, s, ex)
	}
	asWritten := r.decide(in, s, nil)
	cyr := r.translitInput(in, t)
	s.reset()
	r.read(cyr, s)
	s.translit = t
	ex.note("read as %s written in Latin letters: the words below are its Cyrillic reading", t)
	v := r.decide(cyr, s, ex)
	if asWritten.Priority >= v.Priority {
		return cyr, keepReasons(v, asWritten)
	}
	s.reset()
	r.read(in, s)
	if ex != nil {
		ex.notes = ex.notes[:0]
		ex.note("read as written: it reads more urgent than as %s in Latin letters", t)
	}
	return in, keepReasons(r.decide(in, s, ex), v)
}

// keepReasons adds to v the reasons not to reply that the other reading
// found: do_not_reply fails safe.
func keepReasons(v, other Verdict) Verdict {
	for _, x := range other.Reasons {
		if !containsReason(v.Reasons, x) {
			v.Reasons = append(v.Reasons, x)
		}
	}
	if len(v.Reasons) > 0 && !v.Has(FlagDoNotReply) {
		v.Flags = append(v.Flags, FlagDoNotReply)
	}
	slices.SortFunc(v.Reasons, func(a, b Reason) int { return reasonIndex(a) - reasonIndex(b) })
	return v
}

func (r *Rules) read(in Input, s *scratch) {
	spans := findRegions(in.Text, isForwardSubject(in.Subject))
	s.replySubject = isReplySubject(in.Subject)
	tokenize(in.Subject, nil, &s.subj)
	tokenize(in.Text, spans, &s.body)
	r.matchField(s, fieldSubject)
	r.matchField(s, fieldBody)
}

// isReplySubject says the subject starts with Re:/Aw:/Válasz: …: it
// repeats the subject of the mail answered.
func isReplySubject(subj string) bool {
	f := strings.TrimSpace(Fold(subj))
	for _, p := range []string{"re:", "aw:", "sv:", "vs:", "valasz:", "antw:", "отв:", "ответ:", "вiдповiдь:", "відповідь:", "ra:"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
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

func (c *catSet) remove(k Category) {
	if i := categoryIndex(k); i >= 0 {
		*c &^= 1 << i
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
