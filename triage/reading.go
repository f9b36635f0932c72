package triage

import "strings"

// reading finds, for Explain, the concept a word of a hit matched, the
// lemma the word is a form of, and what its ending says about the person.
// It runs the word-form lookup again: Explain is for a person checking one
// message, Triage never pays for it.
func (r *Rules) reading(s *scratch, h hit) (concept, lemma, person string) {
	w, m := s.words(h.field), s.matches[h.field]
	for i := int(h.t0); i <= int(h.t1); i++ {
		t := w.toks[i]
		for _, e := range m[t.m0:t.m1] {
			id, ok := strings.CutPrefix(r.elems[e].word, "@")
			if !ok || !r.ruleNames(h.rule, e) {
				continue
			}
			lemma = string(w.folded(i))
			for _, ref := range r.morph.lookup(w, i, nil) {
				if ref.elem == e {
					lemma = r.morph.lemmas[ref.lemma]
				}
			}
			if l, ok := r.enLemma[lemma]; ok {
				lemma = l
			}
			return id, lemma, personOf(t.feat)
		}
	}
	return "", "", personOf(w.toks[h.t0].feat)
}

// ruleNames reports whether rule ri names elem e in a pattern.
func (r *Rules) ruleNames(ri int32, e int32) bool {
	ru := r.rules[ri]
	for _, ph := range ru.phrases {
		for _, slot := range ph.ids {
			if containsID(slot, e) {
				return true
			}
		}
	}
	want := r.elems[e]
	for _, nr := range ru.nears {
		for _, x := range append(append([]elem(nil), nr.first...), nr.second...) {
			if x == want {
				return true
			}
		}
	}
	return false
}

// personOf says in words what a Hungarian ending tells about the person.
func personOf(f feat) string {
	var parts []string
	for _, p := range []struct {
		f    feat
		name string
	}{
		{featFirst, "1st person"}, {featMine, "mine"}, {featYou, "I … you"}, {featSecond, "2nd person"},
		{featOnMe, "3rd person, object unsaid (me)"}, {featPast, "past"}, {featImper, "imperative"}, {featNoun, "noun"},
		{featAbout, "about"},
	} {
		if f&p.f != 0 {
			parts = append(parts, p.name)
		}
	}
	if f&featThird != 0 && f&featOnMe == 0 {
		parts = append([]string{"3rd person"}, parts...)
	}
	return strings.Join(parts, ", ")
}
