package triage

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLoad feeds arbitrary bytes to the rules loader: it must return
// rules or an error, never panic, and loaded rules must triage.
func FuzzLoad(f *testing.F) {
	f.Add(defaultRules)
	f.Add([]byte("version: x\nrules:\n  - id: a\n    priority: 1\n    match: [megöl*]\n"))
	f.Add([]byte("version: x\nrules:\n  - id: a\n    priority: 1\n    near:\n      - {words: [bezár*], with: [szobába], within: 3}\n    exclude: [\"most már\"]\n"))
	f.Add([]byte("rules: [\n"))
	f.Add([]byte("version: [1]\nrules:\n  - [a]\n  - id: b\n    match: {x: 1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Load(data, "fuzz.yaml")
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		r.Triage(Input{Subject: "teszt", Text: "A férjem ma este megöl, most már nem bírom. > idézet\n-- \nAnna"})
	})
}

// FuzzTriage feeds arbitrary subjects and bodies to the default rules:
// no panic, a valid verdict, and explanation offsets inside the text.
func FuzzTriage(f *testing.F) {
	r := Default()
	for _, s := range []string{
		"", "a", ">", "--", "-- \n", "\n\n\n", "megöl", "Nem akarom megölni magam",
		"OKIT <okit@ncsszi.hu> ezt írta (időpont: 2025. jan. 12., V,\n21:40):\n> megöl",
		"Feladó: a\nElküldve: b\nCímzett: c\nTárgy: d\n\nfojtogat", "Üdvözlettel,\nUi.: ma este megöl",
		"o\u0308\u0308\u0308", "вб'є", "don’t reply", "\xff\xfe megöl \xc3",
	} {
		f.Add("subject", s)
	}
	f.Fuzz(func(t *testing.T, subject, text string) {
		in := Input{Subject: subject, Text: text, Header: map[string][]string{"Auto-Submitted": {subject}}}
		v := r.Triage(in)
		if v.Priority < P1 || v.Priority > P4 || len(v.Categories) == 0 || v.Language == "" {
			t.Fatalf("bad verdict %+v", v)
		}
		e := r.Explain(in)
		if e.Verdict.Priority != v.Priority {
			t.Fatalf("Explain says %s, Triage %s", e.Verdict.Priority, v.Priority)
		}
		for _, h := range e.Hits {
			src := text
			if h.Field == "subject" {
				src = subject
			}
			if h.Start < 0 || h.End > len(src) || h.Start > h.End || src[h.Start:h.End] != h.Text {
				t.Fatalf("hit %+v outside its text", h)
			}
		}
		if utf8.ValidString(text) && strings.TrimSpace(text) == "" && v.Priority != P4 && subject == "" {
			t.Fatalf("empty message triaged %s", v)
		}
	})
}
