package triage

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultRulesLoad(t *testing.T) {
	t.Parallel()
	r := Default()
	if r.Version() == "" || len(r.rules) < 20 {
		t.Fatalf("default rules: version %q, %d rules", r.Version(), len(r.rules))
	}
}

// TestLoadErrors checks that a supervisor's mistake is reported with its
// line, in words they can act on.
func TestLoadErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		yaml string
		want []string
	}{{
		name: "unknown key",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 2\n    prioritty: 1\n    match: [megver*]\n",
		want: []string{`t.yaml:5: unknown key "prioritty" (known keys here: id, kind, category, priority, match, near, exclude, allow, in, start, if_negated, if_past, if_other, past_tense, escalate, escalate_anywhere, escalate_with, within, note, reason, held, reveals, over, minor, of, at_least)`},
	}, {
		name: "a long form split from its contraction, over on a signal",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 1\n    over: true\n    match: [\"i'm|im|i am on the bridge\", \"i'm|im on the bridge\", \"ne írj az e-mail|email címre\"]\n",
		want: []string{
			`t.yaml:6: pattern "i'm|im|i am on the bridge": "i" stands as one word beside "i'm", so the words after it are a place of their own: "|" lists one-word alternatives; write the long form ("i" …) as a pattern of its own`,
			`t.yaml:6: pattern "ne írj az e-mail|email címre": "e-mail|email": a hyphen splits a word into two places, so these alternatives never match as written; write the hyphenated word as a pattern of its own`,
			`t.yaml:3: rule "a": over is for past rules`,
		},
	}, {
		name: "a phrase written as an alternative",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 2\n    match: [\"he is at the gate|door|front door\", \"he is at the front door\"]\n",
		want: []string{
			`t.yaml:5: pattern "he is at the gate|door|front door": "door" stands among the alternatives of one place and as the next place, so a phrase was written as an alternative ("a|b c" is a or b, then c) and the pattern never matches as meant; write each phrase as a pattern of its own`,
		},
	}, {
		name: "combine mistakes",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 2\n    match: [megver*]\n  - id: b\n    kind: combine\n    priority: 1\n    of: [a, nincs]\n    at_least: 3\n  - id: c\n    priority: 2\n    match: [megöl*]\n    at_least: 2\n",
		want: []string{
			`t.yaml:6: rule "b" (kind combine) needs of: (rule ids) and at_least: (2 … as many as of: lists)`,
			`t.yaml:11: rule "c": of and at_least are for combine rules`,
		},
	}, {
		name: "combine names no signal",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    kind: negation\n    match: [nem]\n  - id: b\n    kind: combine\n    priority: 1\n    of: [a, nincs]\n    at_least: 2\n",
		want: []string{
			`t.yaml:9: rule "b": of names "a", which is no signal rule`,
			`t.yaml:9: rule "b": of names unknown rule "nincs"`,
		},
	}, {
		name: "unknown category",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 2\n    category: partner\n    match: [megver*]\n",
		want: []string{`t.yaml:5: unknown category "partner" (known: partner_violence, child_abuse, family_violence, trafficking, prostitution, suicide_risk, shelter_request, legal_info, information, automated)`},
	}, {
		name: "bad priority",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 5\n    match: [megver*]\n  - id: b\n    priority: high\n    match: [megvert]\n",
		want: []string{
			`t.yaml:4: bad priority "5": write 1, 2, 3 or 4 (1 is the most urgent)`,
			`t.yaml:7: bad priority "high": write 1, 2, 3 or 4 (1 is the most urgent)`,
		},
	}, {
		name: "empty pattern",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 2\n    match: [megver*, \"\"]\n",
		want: []string{`t.yaml:5: empty pattern`},
	}, {
		name: "prefix shorter than five letters",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 2\n    match:\n      - kés*\n      - \"nem ver* meg\"\n",
		want: []string{
			`t.yaml:6: pattern "kés*": prefix "kes*" is shorter than 5 letters: it would hit many unrelated words; list the exact words instead (for example kes, kest, kessel)`,
			`t.yaml:7: pattern "nem ver* meg": prefix "ver*" is shorter than 5 letters: it would hit many unrelated words; list the exact words instead (for example kes, kest, kessel)`,
		},
	}, {
		name: "duplicate ids",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 2\n    match: [megver*]\n  - id: a\n    priority: 1\n    match: [megöl*]\n",
		want: []string{`t.yaml:6: duplicate rule id "a" (first used on line 3)`},
	}, {
		name: "missing version and priority",
		yaml: "rules:\n  - id: a\n    match: [megver*]\n",
		want: []string{
			`t.yaml:2: rule "a" (kind signal) needs a priority: 1, 2, 3 or 4`,
			`t.yaml:1: missing version: add a line such as version: "2025-01-1"`,
		},
	}, {
		name: "kind problems",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    kind: urgentt\n    match: [most]\n  - id: b\n    kind: context\n    match: [férjem]\n  - id: c\n    kind: safety\n    priority: 1\n    match: [\"ne válaszolj\"]\n",
		want: []string{
			`t.yaml:4: unknown kind "urgentt" (known: signal, context, urgent, past, negation, topic, concrete, self, safety, automated, recent, combine, companion, figure)`,
			`t.yaml:6: rule "b" (kind context) needs a category`,
			`t.yaml:11: rule "c": kind safety does not take a priority`,
		},
	}, {
		name: "near mistakes",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 1\n    near:\n      - {words: [bezár*], within: 40}\n      - {words: [\"bezár a\"], with: [szoba]}\n",
		want: []string{
			`t.yaml:6: near: within must be a number of words from 1 to 20, not "40"`,
			`t.yaml:6: near needs both words: and with:`,
			`t.yaml:7: near: "bezár a": write one word here, not a phrase or alternatives`,
			`t.yaml:7: near: words must list at least one word`,
		},
	}, {
		name: "escalate_with unknown rule",
		yaml: "version: \"1\"\nrules:\n  - id: a\n    priority: 2\n    match: [fegyver*]\n    escalate_with: [fenyeget]\n",
		want: []string{`t.yaml:6: rule "a": escalate_with names unknown rule "fenyeget"`},
	}, {
		name: "not yaml",
		yaml: "version: \"1\"\nrules: [\n",
		want: []string{`t.yaml:2: not valid YAML: did not find expected node content`},
	}, {
		name: "not a mapping",
		yaml: "- a\n- b\n",
		want: []string{`t.yaml:1: the file must be a mapping with the keys version and rules`},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load([]byte(tc.yaml), "t.yaml")
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("Load error %v, want a *LoadError", err)
			}
			if diff := cmp.Diff(tc.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadMinimal(t *testing.T) {
	t.Parallel()
	r, err := Load([]byte("version: test-1\nrules:\n  - id: kill\n    priority: P1\n    category: partner_violence\n    match: [megöl*]\n    exclude: [megold*]\n"), "min.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v := r.Triage(Input{Text: "Azt mondta, megöl."})
	if v.Priority != P1 || v.RuleSetVersion != "test-1" || !slicesEqual(v.Rules, []string{"kill"}) {
		t.Errorf("verdict %s rules %v version %q", v, v.Rules, v.RuleSetVersion)
	}
	if v := r.Triage(Input{Text: "Van rá megoldás?"}); v.Priority != P4 {
		t.Errorf("exclude did not hold: %s", v)
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

// TestRulesFitStack: decide counts the writer's signals in a buffer on
// the stack, one place per rule; the default rules must fit it, or every
// message allocates (they outgrew 128 in round 19 unnoticed: 552 → 4008
// bytes per message).
func TestRulesFitStack(t *testing.T) {
	if n := len(Default().rules); n > stackRules {
		t.Errorf("%d rules, the stack buffer holds %d: raise stackRules", n, stackRules)
	}
}
