package triage

import "math/bits"

const (
	fieldSubject uint8 = iota
	fieldBody
)

// Windows, in words, of the modifiers. They are fixed rather than set in
// the rules file: they describe Hungarian and English sentences, not a
// supervisor's choice.
const (
	negationWindow = 3  // "nem akarom megölni": a negation up to 3 words before
	urgentWindow   = 10 // "ma este … megöl": a time word up to 10 words away, unless its rule says less
	langSample     = 400
)

// hit is one match of one pattern of one rule.
type hit struct {
	rule    int32
	field   uint8
	t0, t1  int32 // first and last token
	pat     int32 // phrase index, or len(phrases)+near index
	region  Region
	negated bool
	past    bool
	urgent  bool
}

// scratch is the per-call working space.
type scratch struct {
	subj, body   words
	matches      [2][]int32
	hits         []hit
	lastA, lastB []int32
	lang         [numLangs]int
	latin, other int
	huSuffix     int    // words ending in a Hungarian case suffix (-ban, -nak, -hoz …)
	cyr          int    // words in Cyrillic script
	ukMark       int    // Cyrillic words with і, є or ґ (Ukrainian)
	ruMark       int    // Cyrillic words with ы, э or ъ (Russian)
	translit     string // "ru" or "uk": the message was rewritten from Latin letters (translit.go)
	negEnd       []bool
	urgentAt     []bool      // by word: a time word reaches it (modifiers)
	pastIn       []uint8     // by clause: the regions with a past marker (modifiers)
	nowIn        []uint8     // by clause: the regions with a time word of the present
	sigClause    [2][]bool   // by field, then clause: a signal of the new text stands there (signalInClause)
	memo         [2]wordMemo // by field
	starts       []int32     // the words whose matches start a pattern (matchField)
	readable     readability
	replySubject bool // the subject is a reply's ("Re: …"): it repeats the thread (row 29)
	// the decision's (scratch.go)
	close        [2][]uint8
	firedBuf     []bool
	countedBuf   []bool
	effectBuf    []effect
	topicClauses []clauseRef
	harm         []clauseRef
	ctx          []contextHit
}

// reset prepares a pooled scratch for the next message.
func (s *scratch) reset() {
	s.hits = s.hits[:0]
	s.readable = readability{sent: -1}
	s.replySubject = false
	s.lang = [numLangs]int{}
	s.latin, s.other, s.huSuffix, s.cyr, s.ukMark, s.ruMark = 0, 0, 0, 0, 0, 0
	s.translit = ""
}

func (s *scratch) words(field uint8) *words {
	if field == fieldSubject {
		return &s.subj
	}
	return &s.body
}

// matchField finds every rule hit in one tokenised field.
func (r *Rules) matchField(s *scratch, field uint8) {
	w := s.words(field)
	mo := &s.memo[field]
	mo.reset(len(w.toks))
	// The words where a pattern may start: fewer than half of a letter's.
	starts := s.starts[:0]
	w.sents, w.clauses = w.sents[:0], w.clauses[:0]
	// The language is told from the first langSample words of new text.
	sampled := s.latin+s.other >= langSample
	for i := range w.toks {
		t := &w.toks[i]
		en := mo.find(r, w.buf, t.f0, t.f1)
		lang := en.lang
		t.class = en.class
		if w.opensClause(i) {
			w.newClause(i)
		}
		if !en.split {
			t.m0, t.m1, t.feat = en.id0, en.id1, en.feat
			if en.starts {
				starts = append(starts, int32(i))
			}
		} else {
			t.m0 = int32(len(mo.ids))
			mo.ids = append(mo.ids, mo.ids[en.id0:en.id1]...)
			for _, rf := range mo.refs[en.ref0:en.ref1] {
				if r.morph.splitHere(w, i, rf) {
					t.feat |= rf.feat
					mo.ids = addID(mo.ids, t.m0, rf.elem)
				}
			}
			t.m1 = int32(len(mo.ids))
			if r.startsPattern(mo.ids[t.m0:t.m1]) {
				starts = append(starts, int32(i))
			}
		}
		if sampled || t.region == RegionQuoted {
			continue
		}
		suffix := t.f1-t.f0 >= 5 && huSuffix(w.buf[t.f1-3:t.f1])
		hinted := lang != 0 || suffix
		if c := w.buf[t.f0]; c < 0x80 {
			s.latin++
			if field == fieldBody && (c < '0' || c > '9') {
				s.readable.word(t.sent, hinted || readableEnding(w.buf[t.f0:t.f1]), t.foreign)
			}
		} else {
			s.other++
			if c == 0xD0 || c == 0xD1 || c == 0xD2 {
				s.cyrillic(w.buf[t.f0:t.f1])
			}
		}
		if suffix {
			s.huSuffix++
		}
		for b := lang; b != 0; b &= b - 1 {
			s.lang[bits.TrailingZeros8(b)]++
		}
		sampled = s.latin+s.other >= langSample
	}
	m := mo.ids
	s.matches[field], s.starts = m, starts
	s.readable.end()
	if cap(s.lastA) < len(r.nears) {
		s.lastA = make([]int32, len(r.nears))
		s.lastB = make([]int32, len(r.nears))
	}
	for k := range r.nears {
		s.lastA[k], s.lastB[k] = -1, -1
	}
	first := len(s.hits)
	bit := uint8(inSubject)
	if field == fieldBody {
		bit = inBody
	}
	for _, i := range starts {
		t := &w.toks[i]
		for _, e := range m[t.m0:t.m1] {
			for _, tr := range r.trig[e] {
				ru := r.rules[tr.rule]
				if ru.in&bit == 0 || r.excluded(w, m, tr.rule, i) {
					continue
				}
				switch tr.kind {
				case trigPhrase:
					at := i - int32(tr.off)
					if at < 0 || ru.start && at != 0 {
						continue
					}
					if last, ok := r.phraseAt(w, m, tr.rule, &ru.phrases[tr.idx], at, int32(tr.off)); ok {
						s.hits = append(s.hits, hit{rule: tr.rule, field: field, t0: at, t1: last, pat: tr.idx, region: t.region})
					}
				case trigFirst, trigSecond:
					mine, other := s.lastA, s.lastB
					if tr.kind == trigSecond {
						mine, other = s.lastB, s.lastA
					}
					ref := r.nears[tr.idx]
					nr := ru.nears[ref.idx]
					if j := other[tr.idx]; j >= 0 && j < i && i-j <= int32(nr.within) && w.toks[j].region == t.region {
						s.hits = append(s.hits, hit{rule: tr.rule, field: field, t0: j, t1: i, pat: int32(len(ru.phrases)) + ref.idx, region: t.region})
					}
					mine[tr.idx] = i
				}
			}
		}
	}
	if r.hasExclPhr && len(s.hits) > first {
		s.hits = r.dropExcluded(w, m, s.hits, first)
	}
	if r.hasFigure && len(s.hits) > first {
		s.hits = r.dropFigured(s.hits, first)
	}
	r.modifiers(s, field, first)
}

// cyrillic counts a Cyrillic word and the letters that tell Ukrainian
// (і, є, ґ) from Russian (ы, э, ъ); folding keeps them.
func (s *scratch) cyrillic(b []byte) {
	s.cyr++
	uk, ru := false, false
	for k := 0; k+1 < len(b); k++ {
		switch {
		case b[k] == 0xD1 && (b[k+1] == 0x96 || b[k+1] == 0x94), b[k] == 0xD2 && b[k+1] == 0x91:
			uk = true
		case b[k] == 0xD1 && (b[k+1] == 0x8B || b[k+1] == 0x8D || b[k+1] == 0x8A):
			ru = true
		}
	}
	if uk {
		s.ukMark++
	}
	if ru {
		s.ruMark++
	}
}

// startsPattern reports whether an elem of ids starts a pattern.
func (r *Rules) startsPattern(ids []int32) bool {
	for _, e := range ids {
		if len(r.trig[e]) > 0 {
			return true
		}
	}
	return false
}

// addID appends x to ids unless ids[from:] has it.
func addID(ids []int32, from int32, x int32) []int32 {
	if containsID(ids[from:], x) {
		return ids
	}
	return append(ids, x)
}

func containsID(ids []int32, x int32) bool {
	for _, e := range ids {
		if e == x {
			return true
		}
	}
	return false
}

// dropExcluded removes, from index first on, hits that start an exclude
// phrase of their rule: "most már" is not "most".
func (r *Rules) dropExcluded(w *words, m []int32, hits []hit, first int) []hit {
	out := hits[:first]
	for _, h := range hits[first:] {
		ru := r.rules[h.rule]
		if ru.exclNext != nil && (int(h.t0)+1 >= len(w.toks) || !slotMatches(w, m, ru.exclNext, h.t0+1)) {
			out = append(out, h)
			continue
		}
		drop := false
		for k := range ru.exclPhr {
			ph := &ru.exclPhr[k]
			if slotMatches(w, m, ph.ids[0], h.t0) {
				_, ok := r.phraseAt(w, m, -1, ph, h.t0, 0)
				drop = drop || ok
			}
		}
		if !drop {
			out = append(out, h)
		}
	}
	return out
}

// dropFigured removes, from index first on, signal hits that lie within a
// figure of speech ("this job is killing me", "ez a meleg megöl"): the
// words of the sign are there, the sign is not (row 246). The figure's own
// hit stays, for Explain.
func (r *Rules) dropFigured(hits []hit, first int) []hit {
	var figs []hit
	for _, h := range hits[first:] {
		if r.rules[h.rule].kind == KindFigure {
			figs = append(figs, h)
		}
	}
	if len(figs) == 0 {
		return hits
	}
	out := hits[:first]
	for _, h := range hits[first:] {
		inside := false
		if r.rules[h.rule].kind == KindSignal {
			for _, f := range figs {
				inside = inside || f.t0 <= h.t0 && h.t1 <= f.t1
			}
		}
		if !inside {
			out = append(out, h)
		}
	}
	return out
}

// phraseAt checks a phrase that starts at token i and whose word number
// known is already matched. A phrase stays within one sentence: "… meg. Ma …"
// is no "még ma".
func (r *Rules) phraseAt(w *words, m []int32, ri int32, ph *phrase, i, known int32) (int32, bool) {
	if int(i)+len(ph.ids) > len(w.toks) {
		return 0, false
	}
	for k := 0; k < len(ph.ids); k++ {
		if int32(k) == known {
			continue
		}
		j := i + int32(k)
		if w.toks[j].region != w.toks[i].region || w.toks[j].sent != w.toks[i].sent || !slotMatches(w, m, ph.ids[k], j) || r.excluded(w, m, ri, j) {
			return 0, false
		}
	}
	return i + int32(len(ph.ids)) - 1, true
}

// slotMatches reports whether token j matched one of the elems ids.
func slotMatches(w *words, m []int32, ids []int32, j int32) bool {
	t := w.toks[j]
	for _, e := range m[t.m0:t.m1] {
		for _, x := range ids {
			if e == x {
				return true
			}
		}
	}
	return false
}

// excluded reports whether token j matches an exclude entry of rule ri.
func (r *Rules) excluded(w *words, m []int32, ri, j int32) bool {
	if ri < 0 {
		return false
	}
	ex := r.excl[ri]
	if len(ex) == 0 {
		return false
	}
	t := w.toks[j]
	for _, e := range m[t.m0:t.m1] {
		for _, x := range ex {
			if e == x {
				return true
			}
		}
	}
	return false
}

// modifiers marks the hits of one field, from index first on, as negated,
// in the past or urgent.
func (r *Rules) modifiers(s *scratch, field uint8, first int) {
	w := s.words(field)
	hits := s.hits[first:]
	if cap(s.negEnd) < len(w.toks) {
		s.negEnd = make([]bool, len(w.toks))
	}
	negEnd := s.negEnd[:len(w.toks)]
	clear(negEnd)
	// By clause, the regions in which a past marker stands, and those in
	// which a time word makes the clause present: one look for each hit
	// rather than a scan of every marker of the field.
	s.pastIn, s.nowIn = resizeMask(s.pastIn, len(w.clauses)), resizeMask(s.nowIn, len(w.clauses))
	// Each time word marks the words within its reach, in its region, as
	// urgent.
	s.urgentAt = resize(s.urgentAt, len(w.toks))
	var over uint8 // the regions in which the writer says they are safe now
	for _, o := range hits {
		at := &w.toks[o.t0]
		switch r.rules[o.rule].kind {
		case KindNegation:
			negEnd[o.t1] = true
		case KindPast:
			// The writer safe now ("biztonságban vagyok", "I'm safe
			// now"), said and not denied: what they tell in a past form
			// anywhere in the field is over (row 129).
			if r.rules[o.rule].over {
				if !negatedHit(w, negEnd, o) {
					over |= 1 << at.region
				}
				continue
			}
			s.pastIn[at.clause] |= 1 << at.region
		case KindUrgent:
			reach := r.rules[o.rule].within
			// "At first it was only words, now she slaps me": a bare
			// "now" set against a beginning is these days, not this
			// moment; it still makes its clause present.
			if reach < urgentWindow && afterBeginning(w, int(o.t0)) {
				s.nowIn[at.clause] |= 1 << at.region
				continue
			}
			for j := max(0, o.t0-reach); j < int32(len(w.toks)) && j <= o.t0+reach; j++ {
				s.urgentAt[j] = s.urgentAt[j] || w.toks[j].region == at.region && (reach >= urgentWindow || w.toks[j].sent == at.sent)
			}
			s.nowIn[at.clause] |= 1 << at.region
		case KindRecent:
			s.nowIn[at.clause] |= 1 << at.region
		}
	}
	for i := range hits {
		h := &hits[i]
		if k := r.rules[h.rule].kind; k != KindSignal && k != KindSafety {
			continue
		}
		t := w.toks[h.t0]
		h.negated = negatedHit(w, negEnd, *h)
		// A safety pair (not a phrase, which says its own negation: "do
		// not reply") with a negation right before its last word
		// ("írok, úgysem olvassa senki"): no one reads.
		if ru := r.rules[h.rule]; ru.kind == KindSafety && int(h.pat) >= len(ru.phrases) && h.t1-1 > h.t0 && negEnd[h.t1-1] && w.toks[h.t1-1].clause == w.toks[h.t1].clause {
			h.negated = true
		}
		// A pair of a rule that ignores its negation with a negation
		// before its last word ("a fejem fáj, de nem hánytam", "ma doare
		// capul, dar nu am vomitat"): the sign that makes it is denied.
		if ru := r.rules[h.rule]; ru.kind == KindSignal && ru.ifNegated == ignore && int(h.pat) >= len(ru.phrases) {
			for j := h.t1 - 1; j > h.t0 && j >= h.t1-negationWindow; j-- {
				if negEnd[j] && w.toks[j].clause == w.toks[h.t1-1].clause {
					h.negated = true
				}
			}
		}
		h.urgent = s.urgentAt[h.t0]
		if h.urgent && pastForm(w, *h) {
			h.urgent = r.urgentBefore(w, hits, *h)
		}
		pastHere := s.pastIn[t.clause]&(1<<t.region) != 0 || s.pastReported(w, t, pastForm(w, *h)) || s.pastCited(w, t) ||
			over&(1<<t.region) != 0 && pastForm(w, *h)
		urgentSent := s.nowIn[t.clause]&(1<<t.region) != 0
		h.past = pastHere && !urgentSent
	}
}

// negatedHit reports whether a negation stands up to negationWindow
// words before a hit, in its clause and region. A negation reaches its own
// words: not across a comma ("nem engednek el, elvették az útlevelemet").
// A match that opens with a negation of its own ("ne írjatok vissza", "nem
// enged ki") says it with that one: an earlier negation ("a zár semmit nem
// ér ne írjatok vissza") ends there.
func negatedHit(w *words, negEnd []bool, h hit) bool {
	t := w.toks[h.t0]
	for j := h.t0 - 1; j >= 0 && j >= h.t0-negationWindow && !w.toks[j+1].punct && !negEnd[h.t0]; j-- {
		if negEnd[j] && w.toks[j].clause == t.clause && w.toks[j].region == t.region {
			return true
		}
	}
	return false
}

// afterBeginning reports whether a word is preceded, in its sentence, by
// a beginning it is set against ("eleinte", "at first", "at the
// beginning").
func afterBeginning(w *words, i int) bool {
	sent := w.toks[i].sent
	for j := i - 1; j >= 0 && w.toks[j].sent == sent; j-- {
		if w.is(j, clsAtFirst) {
			return true
		}
		if f := string(w.folded(j)); (f == "first" || f == "beginning") && j > 0 && string(w.folded(j-1)) == "at" ||
			f == "beginning" && j > 1 && string(w.folded(j-2)) == "at" {
			return true
		}
	}
	return false
}

// pastForm reports whether the first or last word of a hit is a past
// form: a Hungarian past ("megfenyegetett") or an English -ed or
// irregular past.
func pastForm(w *words, h hit) bool {
	for _, i := range [2]int32{h.t0, h.t1} {
		t := w.toks[i]
		if t.feat&featPast != 0 || t.feat == 0 && englishPast(w.folded(int(i))) {
			return true
		}
	}
	return false
}

// urgentBefore reports whether a time word within reach of a hit stands
// in its sentence, in its clause or an earlier one: a past form is made
// present only by its own time ("ma este megfenyegetett", "Tonight, when
// he came home, he choked me"), not by the "most" of the next sentence
// or clause ("… mert megfenyegetett. Most úgy döntöttem …").
func (r *Rules) urgentBefore(w *words, hits []hit, h hit) bool {
	t := w.toks[h.t0]
	for _, o := range hits {
		ru := r.rules[o.rule]
		if ru.kind != KindUrgent {
			continue
		}
		at := w.toks[o.t0]
		if at.sent == t.sent && at.clause <= t.clause && at.region == t.region && o.t0 >= h.t0-ru.within && o.t0 <= h.t1+ru.within {
			return true
		}
	}
	return false
}

// pastCited reports whether t stands in a quotation that opens a sentence
// after a colon ("Tavaly a volt férjem ezt írta nekem:\n\n\"…\""), and
// the sentence before, which introduces it, has a past marker and no time
// word of the present: the quotation tells what was said then (row 3).
func (s *scratch) pastCited(w *words, t token) bool {
	if t.sent == 0 {
		return false
	}
	first := w.toks[w.sents[t.sent]]
	if !first.cite {
		return false
	}
	bit, past := uint8(1)<<t.region, false
	for c := first.clause - 1; c >= 0 && w.toks[w.clauses[c]].sent == t.sent-1; c-- {
		if s.nowIn[c]&bit != 0 {
			return false
		}
		past = past || s.pastIn[c]&bit != 0
	}
	return past
}

// pastReported reports whether the clause of t is what a past clause
// reported ("nyolc és tizenkét éves korom között azzal fenyegetett, hogy
// ha elmondom, megöli"): a "hogy"/"that" clause, or a chain of them,
// right after a clause with a past marker and no time word of the
// present; it tells of that time. A relative or temporal clause ("aki",
// "amikor", "who", "when") after such a clause tells of that time too when
// its verb is a past form ("Négy évig éltem egy nővel, aki megütött"); a
// present one ("…, aki most is fenyeget") keeps its own time, and so
// does a reason ("mert", "because") told in a past form ("Két éve
// elköltöztem, mert akkor rendszeresen bántott").
func (s *scratch) pastReported(w *words, t token, pastVerb bool) bool {
	bit := uint8(1) << t.region
	for c := t.clause; c > 0; c-- {
		open := int(w.clauses[c])
		if !(w.is(open, clsClauseOpener) || w.toks[open].cite || pastVerb && w.is(open, clsRelOpener|clsBecause)) || w.toks[open-1].sent != t.sent || s.nowIn[c-1]&bit != 0 {
			return false
		}
		if s.pastIn[c-1]&bit != 0 {
			return true
		}
	}
	return false
}
