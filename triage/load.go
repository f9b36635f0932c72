package triage

import (
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed rules.yaml
var defaultRules []byte

// Default returns the rule set built into the program. It parses the
// embedded file on each call: call it once and keep the result.
func Default() *Rules {
	r, err := Load(defaultRules, "rules.yaml (built in)")
	if err != nil {
		panic("triage: built-in rules do not load: " + err.Error()) // a test keeps this from happening
	}
	return r
}

// Problem is one mistake in a rules file.
type Problem struct {
	Line int    // 1-based; 0 when the file as a whole is wrong
	Msg  string // in plain words, for the supervisor who wrote the file
}

// LoadError lists every problem found in a rules file.
type LoadError struct {
	Name     string
	Problems []Problem
}

func (e *LoadError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		if p.Line > 0 {
			fmt.Fprintf(&b, "%s:%d: %s", e.Name, p.Line, p.Msg)
		} else {
			fmt.Fprintf(&b, "%s: %s", e.Name, p.Msg)
		}
	}
	return b.String()
}

type loader struct {
	problems []Problem
}

func (l *loader) fail(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	l.problems = append(l.problems, Problem{line, fmt.Sprintf(format, args...)})
}

var (
	idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	yamlLine  = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// Load parses and checks a rules file and prepares it for matching. name
// is used in error messages. The error, a *LoadError, lists every problem
// with its line.
func Load(data []byte, name string) (*Rules, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, &LoadError{name, []Problem{{line, "not valid YAML: " + m[2]}}}
		}
		return nil, &LoadError{name, []Problem{{0, "not valid YAML: " + msg}}}
	}
	l := &loader{}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		l.fail(&doc, "the file must be a mapping with the keys version and rules")
		return nil, &LoadError{name, l.problems}
	}
	top := doc.Content[0]
	var version string
	var specs []*rule
	var concepts []*concept
	conceptLine := map[string]int{}
	seen := map[string]int{}
	index := map[string]int{}
	for _, kv := range l.pairs(top, "version", "concepts", "rules") {
		switch kv.key {
		case "version":
			version = l.str(kv.val)
			if version == "" {
				l.fail(kv.val, "version must not be empty")
			}
		case "concepts":
			if kv.val.Kind != yaml.SequenceNode {
				l.fail(kv.val, "concepts must be a list")
				continue
			}
			for _, cn := range kv.val.Content {
				c := l.concept(cn)
				if c == nil {
					continue
				}
				if prev, dup := conceptLine[c.id]; dup {
					l.fail(cn, "duplicate concept id %q (first used on line %d)", c.id, prev)
					continue
				}
				conceptLine[c.id] = c.line
				concepts = append(concepts, c)
			}
		case "rules":
			if kv.val.Kind != yaml.SequenceNode {
				l.fail(kv.val, "rules must be a list")
				continue
			}
			for _, rn := range kv.val.Content {
				r := l.rule(rn)
				if r == nil {
					continue
				}
				if prev, dup := seen[r.id]; dup {
					l.fail(rn, "duplicate rule id %q (first used on line %d)", r.id, prev)
					continue
				}
				seen[r.id] = r.line
				index[r.id] = len(specs)
				specs = append(specs, r)
			}
		}
	}
	if version == "" && !l.has(top, "version") {
		l.fail(top, "missing version: add a line such as version: \"2025-01-1\"")
	}
	for _, r := range specs {
		for _, id := range r.conceptRefs() {
			if _, ok := conceptLine[id]; !ok {
				l.problems = append(l.problems, Problem{r.line, fmt.Sprintf("rule %q: names unknown concept @%s", r.id, id)})
			}
		}
		for _, id := range r.escWith {
			i, ok := index[id]
			switch {
			case !ok:
				l.problems = append(l.problems, Problem{r.escLine, fmt.Sprintf("rule %q: escalate_with names unknown rule %q", r.id, id)})
			case id == r.id:
				l.problems = append(l.problems, Problem{r.escLine, fmt.Sprintf("rule %q: escalate_with names the rule itself", r.id)})
			default:
				r.escIdx = append(r.escIdx, int32(i))
			}
		}
		for _, id := range r.of {
			i, ok := index[id]
			switch {
			case !ok:
				l.problems = append(l.problems, Problem{r.ofLine, fmt.Sprintf("rule %q: of names unknown rule %q", r.id, id)})
			case specs[i].kind != KindSignal:
				l.problems = append(l.problems, Problem{r.ofLine, fmt.Sprintf("rule %q: of names %q, which is no signal rule", r.id, id)})
			default:
				r.ofIdx = append(r.ofIdx, int32(i))
			}
		}
	}
	if len(l.problems) > 0 {
		return nil, &LoadError{name, l.problems}
	}
	return compileChecked(name, version, specs, concepts)
}

// compileChecked compiles the rules, turning the matching tables' limits
// (a rule set far larger than any real one) into a clear error instead of
// a crash at start-up.
func compileChecked(name, version string, specs []*rule, concepts []*concept) (r *Rules, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &LoadError{name, []Problem{{0, fmt.Sprint(v)}}}
		}
	}()
	return compile(version, specs, concepts), nil
}

type pair struct {
	key     string
	keyNode *yaml.Node
	val     *yaml.Node
}

// pairs returns the entries of a mapping, reporting unknown and repeated
// keys.
func (l *loader) pairs(m *yaml.Node, known ...string) []pair {
	var out []pair
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		ok := false
		for _, s := range known {
			ok = ok || s == k.Value
		}
		switch {
		case !ok:
			l.fail(k, "unknown key %q (known keys here: %s)", k.Value, strings.Join(known, ", "))
		case seen[k.Value]:
			l.fail(k, "key %q given twice", k.Value)
		default:
			seen[k.Value] = true
			out = append(out, pair{k.Value, k, v})
		}
	}
	return out
}

func (l *loader) has(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

func (l *loader) str(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		l.fail(n, "expected a single value, not a list or mapping")
		return ""
	}
	return strings.TrimSpace(n.Value)
}

func (l *loader) list(n *yaml.Node) []*yaml.Node {
	switch n.Kind {
	case yaml.SequenceNode:
		return n.Content
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		return []*yaml.Node{n}
	}
	l.fail(n, "expected a list")
	return nil
}

func (l *loader) boolean(n *yaml.Node) bool {
	switch l.str(n) {
	case "true", "yes":
		return true
	case "false", "no", "":
		return false
	}
	l.fail(n, "expected true or false, not %q", n.Value)
	return false
}

func (l *loader) priority(n *yaml.Node) Priority {
	s := strings.ToUpper(l.str(n))
	s = strings.TrimPrefix(s, "P")
	p, err := strconv.Atoi(s)
	if err != nil || p < 1 || p > 4 {
		l.fail(n, "bad priority %q: write 1, 2, 3 or 4 (1 is the most urgent)", n.Value)
		return 0
	}
	return Priority(p)
}

func (l *loader) category(n *yaml.Node) Category {
	c := Category(l.str(n))
	if categoryIndex(c) < 0 {
		names := make([]string, len(categoryOrder))
		for i, k := range categoryOrder {
			names[i] = string(k)
		}
		l.fail(n, "unknown category %q (known: %s)", n.Value, strings.Join(names, ", "))
		return ""
	}
	return c
}
