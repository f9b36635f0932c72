package triage

import (
	"fmt"
	"strings"
)

// Hit is one match of a rule, for a supervisor checking why a message got
// its verdict. Unlike a Verdict it quotes the message: show it only to
// someone allowed to read the message.
type Hit struct {
	Rule    string `json:"rule"`
	Kind    string `json:"kind"`
	Field   string `json:"field"` // "subject" or "body"
	Start   int    `json:"start"` // byte offsets into the subject or body as given
	End     int    `json:"end"`
	Region  string `json:"region"` // "new", "quoted" or "forwarded"
	Pattern string `json:"pattern"`
	Text    string `json:"text"` // the matched words as written
	Negated bool   `json:"negated,omitempty"`
	Past    bool   `json:"past,omitempty"`
	Urgent  bool   `json:"urgent,omitempty"`
	// Priority is what a signal hit counted for after negation, past,
	// urgency and quoting; 0 for hits that set no priority.
	Priority Priority `json:"priority,omitempty"`
	Ignored  bool     `json:"ignored,omitempty"` // the rule says to ignore it when negated or past
	// Other: lowered, its sentence names no one close to the writer.
	Other bool `json:"other,omitempty"`
	// About: named as a subject of talk ("about …", "-ról").
	About bool `json:"about,omitempty"`
	// Conditional: confinement on a condition, counted as control.
	Conditional bool `json:"conditional,omitempty"`
	// Capped: capped by writing about the subject; Floored: a P1 signal
	// the cap would have taken lower, kept at P2.
	Capped  bool `json:"capped,omitempty"`
	Floored bool `json:"floored,omitempty"`
	// Concept is the concept (@id) a word of the hit matched, Lemma the
	// dictionary form it is a form of, Person what its ending says
	// ("1st person", "mine", "3rd person, object unsaid (me)" …).
	Concept string `json:"concept,omitempty"`
	Lemma   string `json:"lemma,omitempty"`
	Person  string `json:"person,omitempty"`
	// Clause and Sentence number the hit's clause and sentence in its
	// field, from 1.
	Clause   int `json:"clause"`
	Sentence int `json:"sentence"`
}

// Span is a part of the body that is not the writer's new text.
type Span struct {
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Region string `json:"region"`
}

// Explanation is a verdict with its reasons.
type Explanation struct {
	Verdict Verdict  `json:"verdict"`
	Header  []string `json:"header,omitempty"` // header rules that mark automated mail
	Hits    []Hit    `json:"hits"`
	Spans   []Span   `json:"spans,omitempty"`
	Notes   []string `json:"notes,omitempty"` // decisions taken on the whole message
}

type explainer struct {
	effects []effect
	notes   []string
}

func (e *explainer) note(format string, args ...any) {
	if e != nil {
		e.notes = append(e.notes, fmt.Sprintf(format, args...))
	}
}

// Explain triages a message and says why: every rule hit with where it is
// and what it counted for, the parts of the body read as quoted or
// signature, and the decisions taken on the whole message.
func (r *Rules) Explain(in Input) Explanation {
	var s scratch
	ex := &explainer{}
	in, v := r.run(in, &s, ex)
	out := Explanation{Verdict: v, Header: automatedByHeader(in), Notes: ex.notes}
	for _, sp := range findRegions(in.Text, isForwardSubject(in.Subject)) {
		out.Spans = append(out.Spans, Span{sp.start, sp.end, sp.region.String()})
	}
	for i, h := range s.hits {
		ru := r.rules[h.rule]
		if ru.kind == KindNegation {
			continue
		}
		w, text, field := &s.body, in.Text, "body"
		if h.field == fieldSubject {
			w, text, field = &s.subj, in.Subject, "subject"
		}
		start, end := int(w.toks[h.t0].start), int(w.toks[h.t1].end)
		pat := ""
		if int(h.pat) < len(ru.phrases) {
			pat = ru.phrases[h.pat].text
		} else {
			pat = "near: " + ru.nears[int(h.pat)-len(ru.phrases)].String()
		}
		concept, lemma, person := r.reading(&s, h)
		out.Hits = append(out.Hits, Hit{
			Concept: concept, Lemma: lemma, Person: person,
			Clause: int(w.toks[h.t0].clause) + 1, Sentence: int(w.toks[h.t0].sent) + 1,
			Rule: ru.id, Kind: ru.kind.String(), Field: field, Start: start, End: end,
			Region: h.region.String(), Pattern: pat, Text: text[start:end],
			Negated: h.negated, Past: h.past, Urgent: h.urgent,
			Priority: ex.effects[i].priority, Ignored: ex.effects[i].ignored,
			Other: ex.effects[i].other, About: ex.effects[i].about, Conditional: ex.effects[i].conditional,
			Capped: ex.effects[i].capped, Floored: ex.effects[i].floored,
		})
	}
	return out
}

// String renders the explanation for a terminal.
func (e Explanation) String() string {
	var b strings.Builder
	v := e.Verdict
	fmt.Fprintf(&b, "verdict: %s\n", v)
	if so := v.SecondOpinion(); so != "" {
		fmt.Fprintf(&b, "%s\n", so)
	}
	fmt.Fprintf(&b, "rules:   %s\n", strings.Join(v.Rules, ", "))
	fmt.Fprintf(&b, "version: %s\n", v.RuleSetVersion)
	if len(e.Header) > 0 {
		fmt.Fprintf(&b, "header:  %s\n", strings.Join(e.Header, ", "))
	}
	for _, n := range e.Notes {
		fmt.Fprintf(&b, "note:    %s\n", n)
	}
	for _, s := range e.Spans {
		fmt.Fprintf(&b, "body %d-%d is %s\n", s.Start, s.End, s.Region)
	}
	for _, h := range e.Hits {
		var tags []string
		if h.Priority > 0 {
			tags = append(tags, h.Priority.String())
		}
		for _, t := range []struct {
			on   bool
			name string
		}{{h.Region != "new", h.Region}, {h.Negated, "negated"}, {h.Past, "past"}, {h.Urgent, "urgent"}, {h.Ignored, "ignored"},
			{h.Other, "other"}, {h.About, "about"}, {h.Conditional, "conditional"}, {h.Capped, "capped"}, {h.Floored, "floored"}} {
			if t.on {
				tags = append(tags, t.name)
			}
		}
		fmt.Fprintf(&b, "  %-28s %-9s %s %d-%d %q  (%s) %s\n", h.Rule, h.Kind, h.Field, h.Start, h.End, h.Text, h.Pattern, strings.Join(tags, " "))
		if r := h.reading(); r != "" {
			fmt.Fprintf(&b, "  %-28s %s\n", "", r)
		}
	}
	return b.String()
}

// reading says in words how a hit was read: "concept strangle, lemma
// fojtogat, 3rd person, clause 2".
func (h Hit) reading() string {
	var parts []string
	for _, p := range [...][2]string{{"concept ", h.Concept}, {"lemma ", h.Lemma}, {"", h.Person}} {
		if p[1] != "" {
			parts = append(parts, p[0]+p[1])
		}
	}
	parts = append(parts, fmt.Sprintf("clause %d", h.Clause))
	return strings.Join(parts, ", ")
}

// Lines gives one line per rule that matched, for a person reading the
// case: the words that made it match and how they were read, and what
// the rule counted for, such as
//
//	strangling: «fojtogatta» (concept strangle, lemma fojtogat, 3rd person, clause 2) P1
//
// Like Hits, the lines quote the message: show them only to someone
// allowed to read it.
func (e Explanation) Lines() []string {
	var out []string
	best := map[string]int{} // rule → index in Hits of the hit its line shows
	var order []string
	for i, h := range e.Hits {
		j, seen := best[h.Rule]
		if !seen {
			order = append(order, h.Rule)
			best[h.Rule] = i
			continue
		}
		if o := e.Hits[j]; h.Priority > 0 && (o.Priority == 0 || h.Priority < o.Priority) {
			best[h.Rule] = i
		}
	}
	for _, rule := range order {
		h := e.Hits[best[rule]]
		line := fmt.Sprintf("%s: «%s» (%s)", rule, h.Text, h.reading())
		if h.Priority > 0 {
			line += " " + h.Priority.String()
		}
		for _, t := range []struct {
			on   bool
			name string
		}{{h.Region != "new", h.Region}, {h.Negated, "negated"}, {h.Past, "past"}, {h.Other, "someone else's"},
			{h.About, "a subject"}, {h.Capped, "capped by the topic"}, {h.Ignored, "ignored"}} {
			if t.on {
				line += ", " + t.name
			}
		}
		out = append(out, line)
	}
	return out
}
