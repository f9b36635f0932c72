package triage

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kind says what a rule does when it matches.
type Kind uint8

// The kinds of rule. See README.md for what each does.
const (
	KindSignal    Kind = iota // a sign of danger or need: sets priority and category
	KindContext               // who is involved: adds a category to harm found elsewhere
	KindUrgent                // a time word ("ma este", "most"): raises nearby escalating signals
	KindPast                  // "years ago": lowers signals in the same sentence
	KindNegation              // "nem", "soha": marks the next words as negated
	KindTopic                 // writing about the subject (press, research, class)
	KindConcrete              // a specific person ("a tanítványom"): cancels topic
	KindSelf                  // first-person words that keep danger in automated mail
	KindSafety                // sets do_not_reply
	KindAutomated             // out-of-office and bounce wording: sets automated
	KindRecent                // "tegnap", "last night": cancels past in the same sentence
	KindCombine               // several signals of the writer at once: counts when at_least of its rules count
	KindCompanion             // a circumstance that does nothing alone and raises the signals that name it in escalate_with
	KindFigure                // a figure of speech ("this job is killing me"): a signal matched inside it does not count
)

var kindNames = [...]string{"signal", "context", "urgent", "past", "negation", "topic", "concrete", "self", "safety", "automated", "recent", "combine", "companion", "figure"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// modifier says what happens to a hit that is negated or in the past.
type modifier uint8

const (
	keep   modifier = iota // counts as it is
	lower                  // counts one priority lower
	ignore                 // does not count
)

// field mask for the "in" key.
const (
	inSubject = 1 << iota
	inBody
)

// rule is one rule of a rules file, as checked by Load.
type rule struct {
	id        string
	line      int
	kind      Kind
	category  Category
	priority  Priority
	phrases   []phrase
	nears     []near
	exclude   []elem   // words a match must not be
	exclPhr   []phrase // phrases a match must not start
	exclNext  []int32  // the elem ids of every exclPhr's second word; nil if one has a single word
	allow     []string
	in        uint8
	start     bool
	ifNegated modifier
	ifPast    modifier
	escalate  bool
	escAny    uint8    // escalated by a time word anywhere in the writer's new text: escAnyNow any, escAnyTonight a time of the day
	escWith   []string // rule ids; escalated when one of them counted in new text
	escIdx    []int32
	escLine   int
	within    int32 // urgent rules: how many words away they reach
	note      string
	ifOther   modifier // when the sentence names no one close to the writer
	pastTense modifier // when the matched form is in the past tense ("megölte")
	reason    Reason   // safety rules: why the writer must not get a reply
	held      bool     // confinement or control: at P1 the writer gets no automatic mail
	reveals   bool     // self rules: the one written about in the third person is the writer ("ez én vagyok")
	over      bool     // past rules: the writer is safe now, so what they tell in a past form anywhere is over ("biztonságban vagyok")
	minor     uint8    // context rules: minorAge, an age under 18 ("a lányom 14 éves"), or minorWriter, the writer's ("am 16 ani") (row 94)
	of        []string // combine rules: the rules that count together
	ofIdx     []int32
	ofLine    int
	atLeast   int // combine rules: how many of them must count
}

// The values of escalate_anywhere.
const (
	escAnyNow     uint8 = 1 + iota // any time word, a bare "now" too
	escAnyTonight                  // a time of the day: "ma este", "tonight"
)

// The values of a context rule's minor key (row 94).
const (
	minorAge    uint8 = 1 + iota // an age under 18 named
	minorWriter                  // the writer says they are under 18
)

var ruleKeys = []string{"id", "kind", "category", "priority", "match", "near", "exclude", "allow",
	"in", "start", "if_negated", "if_past", "if_other", "past_tense", "escalate", "escalate_anywhere", "escalate_with", "within", "note", "reason", "held", "reveals", "over", "minor", "of", "at_least"}

// rule reads one entry of the rules list. It returns nil when the entry is
// too broken to use; the problems are recorded either way.
func (l *loader) rule(n *yaml.Node) *rule {
	if n.Kind != yaml.MappingNode {
		l.fail(n, "each rule must be a mapping (id:, kind:, match: …)")
		return nil
	}
	before := len(l.problems)
	r := &rule{line: n.Line, in: inSubject | inBody}
	var prioNode, catNode, withinNode *yaml.Node
	kindOK := true
	for _, kv := range l.pairs(n, ruleKeys...) {
		v := kv.val
		switch kv.key {
		case "id":
			r.id = l.str(v)
			if !idPattern.MatchString(r.id) {
				l.fail(v, "bad id %q: use lower-case letters, digits and dashes", v.Value)
			}
		case "kind":
			s, ok := l.str(v), false
			for i, name := range kindNames {
				if s == name {
					r.kind, ok = Kind(i), true
				}
			}
			if kindOK = ok; !ok {
				l.fail(v, "unknown kind %q (known: %s)", v.Value, strings.Join(kindNames[:], ", "))
			}
		case "category":
			catNode = v
			r.category = l.category(v)
		case "priority":
			prioNode = v
			r.priority = l.priority(v)
		case "match":
			for _, p := range l.list(v) {
				ph, err := parsePhrase(l.str(p))
				if err != nil {
					l.fail(p, "%v", err)
					continue
				}
				r.phrases = append(r.phrases, ph)
			}
		case "near":
			for _, p := range l.list(v) {
				if nr, ok := l.near(p); ok {
					r.nears = append(r.nears, nr)
				}
			}
		case "exclude":
			for _, p := range l.list(v) {
				if txt := l.str(p); strings.ContainsAny(strings.TrimSpace(txt), " \t") {
					ph, err := parsePhrase(txt)
					if err != nil {
						l.fail(p, "exclude: %v", err)
						continue
					}
					r.exclPhr = append(r.exclPhr, ph)
					continue
				}
				e, err := parseWord(l.str(p), true, false)
				if err != nil {
					l.fail(p, "exclude: %v", err)
					continue
				}
				r.exclude = append(r.exclude, e)
			}
		case "allow":
			for _, p := range l.list(v) {
				e, err := parseWord(l.str(p), false, false)
				if err != nil {
					l.fail(p, "allow: %v", err)
					continue
				}
				r.allow = append(r.allow, e.word)
			}
		case "in":
			switch l.str(v) {
			case "subject":
				r.in = inSubject
			case "body":
				r.in = inBody
			case "any":
			default:
				l.fail(v, "in must be subject, body or any, not %q", v.Value)
			}
		case "start":
			r.start = l.boolean(v)
		case "held":
			r.held = l.boolean(v)
		case "reveals":
			r.reveals = l.boolean(v)
		case "over":
			r.over = l.boolean(v)
		case "minor":
			switch l.str(v) {
			case "age":
				r.minor = minorAge
			case "writer":
				r.minor = minorWriter
			default:
				l.fail(v, "minor must be age or writer, not %q", v.Value)
			}
		case "reason":
			r.reason = Reason(l.str(v))
			if !slices.Contains(ruleReasons, r.reason) {
				l.fail(v, "reason must be one of %v, not %q", ruleReasons, v.Value)
			}
		case "if_negated", "if_past", "if_other", "past_tense":
			m := keep
			switch l.str(v) {
			case "keep":
			case "lower":
				m = lower
			case "ignore":
				m = ignore
			default:
				l.fail(v, "%s must be keep, lower or ignore, not %q", kv.key, v.Value)
			}
			switch kv.key {
			case "if_negated":
				r.ifNegated = m
			case "if_past":
				r.ifPast = m
			case "if_other":
				r.ifOther = m
			default:
				r.pastTense = m
			}
		case "escalate":
			r.escalate = l.boolean(v)
		case "escalate_anywhere":
			// "tonight": only a time of the day ("ma este",
			// "tonight"), not a bare "most"/"now" (row 95).
			switch {
			case l.str(v) == "tonight":
				r.escAny = escAnyTonight
			case l.boolean(v):
				r.escAny = escAnyNow
			}
		case "escalate_with":
			for _, p := range l.list(v) {
				r.escWith = append(r.escWith, l.str(p))
			}
			r.escLine = v.Line
		case "within":
			w, err := strconv.Atoi(l.str(v))
			if err != nil || w < 1 || w > 20 {
				l.fail(v, "within must be a number of words from 1 to 20, not %q", v.Value)
			}
			r.within = int32(w)
			withinNode = v
		case "note":
			r.note = l.str(v)
		case "of":
			for _, p := range l.list(v) {
				r.of = append(r.of, l.str(p))
			}
			r.ofLine = v.Line
		case "at_least":
			k, err := strconv.Atoi(l.str(v))
			if err != nil || k < 2 {
				l.fail(v, "at_least must be a number of rules, 2 or more, not %q", v.Value)
			}
			r.atLeast = k
		}
	}
	if r.id == "" && !l.has(n, "id") {
		l.fail(n, "rule without an id")
	}
	if r.reveals && r.kind != KindSelf {
		l.fail(n, "rule %q: reveals is for self rules", r.id)
	}
	if r.over && r.kind != KindPast {
		l.fail(n, "rule %q: over is for past rules", r.id)
	}
	if r.minor != 0 && r.kind != KindContext {
		l.fail(n, "rule %q: minor is for context rules", r.id)
	}
	switch {
	case r.kind == KindCombine:
		if len(r.phrases) > 0 || len(r.nears) > 0 {
			l.fail(n, "rule %q (kind combine) matches no words: it names rules in of:", r.id)
		}
		if r.atLeast == 0 || r.atLeast > len(r.of) {
			l.fail(n, "rule %q (kind combine) needs of: (rule ids) and at_least: (2 … as many as of: lists)", r.id)
		}
	case len(r.of) > 0 || r.atLeast > 0:
		l.fail(n, "rule %q: of and at_least are for combine rules", r.id)
	case len(r.phrases) == 0 && len(r.nears) == 0 && len(l.problems) == before:
		l.fail(n, "rule %q has no patterns: give match: or near:", r.id)
	}
	if !kindOK {
		return nil
	}
	if r.kind != KindUrgent && withinNode != nil {
		l.fail(withinNode, "rule %q: within is for urgent rules; give near pairs their own within", r.id)
	}
	if r.within == 0 {
		r.within = urgentWindow
	}
	switch r.kind {
	case KindSignal, KindTopic, KindCombine:
		if prioNode == nil {
			l.fail(n, "rule %q (kind %s) needs a priority: 1, 2, 3 or 4", r.id, r.kind)
		}
	default:
		if prioNode != nil {
			l.fail(prioNode, "rule %q: kind %s does not take a priority", r.id, r.kind)
		}
	}
	switch r.kind {
	case KindContext:
		if catNode == nil {
			l.fail(n, "rule %q (kind context) needs a category", r.id)
		}
	case KindSignal, KindTopic, KindCombine:
	default:
		if catNode != nil {
			l.fail(catNode, "rule %q: kind %s does not take a category", r.id, r.kind)
		}
	}
	if r.kind == KindSafety && r.reason == "" {
		r.reason = ReasonAskedNotToWrite
	}
	if r.reason != "" && r.kind != KindSafety {
		l.fail(n, "rule %q: reason is for safety rules", r.id)
	}
	if len(l.problems) > before {
		return nil
	}
	return r
}

// near reads {words: […], with: […], within: N}.
func (l *loader) near(n *yaml.Node) (near, bool) {
	if n.Kind != yaml.MappingNode {
		l.fail(n, "near takes entries like {words: [a, b], with: [c], within: 4}")
		return near{}, false
	}
	nr := near{within: 4}
	ok := true
	var wordsNode, withNode bool
	for _, kv := range l.pairs(n, "words", "with", "within") {
		switch kv.key {
		case "words", "with":
			var es []elem
			for _, p := range l.list(kv.val) {
				e, err := parseWord(l.str(p), true, true)
				if err != nil {
					l.fail(p, "near: %v", err)
					ok = false
					continue
				}
				es = append(es, e)
			}
			if len(es) == 0 {
				l.fail(kv.val, "near: %s must list at least one word", kv.key)
				ok = false
			}
			if kv.key == "words" {
				nr.first, wordsNode = es, true
			} else {
				nr.second, withNode = es, true
			}
		case "within":
			w, err := strconv.Atoi(l.str(kv.val))
			if err != nil || w < 1 || w > 20 {
				l.fail(kv.val, "near: within must be a number of words from 1 to 20, not %q", kv.val.Value)
				ok = false
			}
			nr.within = w
		}
	}
	if !wordsNode || !withNode {
		l.fail(n, "near needs both words: and with:")
		ok = false
	}
	return nr, ok
}
