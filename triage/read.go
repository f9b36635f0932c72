package triage

import "strings"

// Word is one word of the writer's new text as triage read it, for a
// learned second opinion (package secondopinion) that scores the same
// reading the rules made instead of tokenising the message again. It
// quotes the message: it must never be stored or logged.
type Word struct {
	// Form is the lemma when the word is a form of a concept's lemma
	// ("megölöm" → "megol", "killed" → "kill"), else the folded word.
	// It is valid only during the call.
	Form []byte
	// Concepts are the ids of the concepts the word matched ("kill",
	// "weapon"), without the @; valid only during the call.
	Concepts []string
	// Marks is what the word's Hungarian ending says: bit i is the mark
	// MarkCodes[i].
	Marks uint16
	// Sentence numbers the sentences of the subject and then the body,
	// so that pairs of words need not cross a sentence.
	Sentence int
}

// MarkCodes names the bits of Word.Marks: 1 first person, m mine, y I …
// you, 2 second person, 3 third person, p past, i imperative, n noun, a
// about, s split verb, o object unsaid (me).
const MarkCodes = featCodes

// TriageRead triages a message as Triage does and then shows visit, in
// order, the words of the writer's new text (subject, then body; quoted,
// forwarded and signature text left out) until visit returns false.
// visit may be nil.
func (r *Rules) TriageRead(in Input, visit func(*Word) bool) Verdict {
	s, _ := r.pool.Get().(*scratch)
	if s == nil {
		s = new(scratch)
	}
	s.reset()
	_, v := r.run(in, s, nil)
	if visit != nil {
		r.visitNew(s, visit)
	}
	if cap(s.body.toks) <= 1<<16 { // keep pooled memory bounded after a huge message
		r.pool.Put(s)
	}
	return v
}

// visitNew shows visit the words of the new text, as TriageRead says.
func (r *Rules) visitNew(s *scratch, visit func(*Word) bool) {
	var wd Word
	sent := 0
	for _, f := range [2]uint8{fieldSubject, fieldBody} {
		w, m := s.words(f), s.matches[f]
		for i, t := range w.toks {
			if t.region != RegionNew {
				continue
			}
			wd.Form, wd.Concepts, wd.Marks = w.folded(i), wd.Concepts[:0], uint16(t.feat)
			wd.Sentence = sent + int(t.sent)
			for _, e := range m[t.m0:t.m1] {
				if id, ok := strings.CutPrefix(r.elems[e].word, "@"); ok {
					wd.Concepts = append(wd.Concepts, id)
				}
			}
			if len(wd.Concepts) > 0 {
				wd.Form = r.lemmaOf(w, i, wd.Form)
			}
			if !visit(&wd) {
				return
			}
		}
		sent += len(w.sents)
	}
}

// lemmaOf gives the dictionary form of word i of w when the word-form
// table or the English forms know it, else form.
func (r *Rules) lemmaOf(w *words, i int, form []byte) []byte {
	if refs := r.morph.lookup(w, i, nil); len(refs) > 0 {
		return []byte(r.morph.lemmas[refs[0].lemma])
	}
	if l, ok := r.enLemma[string(form)]; ok {
		return []byte(l)
	}
	return form
}
