package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// okit rules check names the concept lemmas the word-form table lacks.
func TestRulesCheckListsUnknownLemmas(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "r.yaml")
	yaml := "version: t-1\nconcepts:\n  - id: hit\n    hu: [megver, zzmegpofozgat]\nrules:\n  - id: beat\n    priority: 2\n    match: [\"@hit\"]\n"
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, nil, "rules", "check", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "is valid") || !strings.Contains(out, "zzmegpofozgat") || strings.Contains(out, "megver,") {
		t.Errorf("rules check output does not list exactly the unknown lemma:\n%s", out)
	}
}

// okit triage explain names concept, lemma, person and clause of each hit,
// as text and as JSON.
func TestTriageExplainReadsWords(t *testing.T) {
	t.Parallel()
	msg := "From: a@example.hu\nSubject: segitseg\n\nSziasztok. A parom tegnap fojtogatott, azt mondta, ma este megol.\n"
	out, errOut, code := runIn(t, nil, msg, "triage", "explain")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"concept strangle, lemma fojtogat", "concept kill, lemma megöl", "clause 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain text lacks %q:\n%s", want, out)
		}
	}
	out, errOut, code = runIn(t, nil, msg, "triage", "explain", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var ex struct {
		Hits []struct {
			Rule, Concept, Lemma, Person string
			Clause                       int
		}
	}
	if err := json.Unmarshal([]byte(out), &ex); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range ex.Hits {
		found = found || h.Rule == "strangling" && h.Concept == "strangle" && h.Lemma == "fojtogat" && h.Person != "" && h.Clause == 2
	}
	if !found {
		t.Errorf("no strangling hit with concept, lemma, person and clause in %s", out)
	}
}
