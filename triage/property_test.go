package triage

import (
	"path/filepath"
	"slices"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

// softeners are sentences a writer in danger adds without meaning less
// danger: where they learnt the address, something long past, the mail
// they answer, a signature, a polite closing. Issue 12: none of them may
// lower the priority of a P1 or P2 message.
var softeners = []struct{ name, text string }{
	{"school talk hu", "\n\nAz iskolában volt egy előadás a kapcsolati erőszakról, onnan tudom a címeteket."},
	{"school talk en", "\n\nI found your address after a talk about domestic violence at my school."},
	{"past event hu", "\n\nÉvekkel ezelőtt is volt már egy rossz kapcsolatom, de az elmúlt."},
	{"past event en", "\n\nYears ago I had a bad relationship too, but that is over."},
	{"quoted earlier mail", "\n\nOKIT <okit@ncsszi.hu> ezt írta (időpont: 2026. dec. 1., H, 10:00):\n\n> Kedves Levélíró, köszönjük a levelét, kollégánk hamarosan válaszol.\n"},
	{"signature", "\n\n-- \nKiss Anna\n+36 30 555 0100"},
	{"polite closing hu", "\n\nKöszönöm szépen a segítséget.\n\nÜdvözlettel:\nAnna"},
	{"polite closing en", "\n\nThank you so much for reading this.\n\nKind regards,\nAnna"},
}

// seenCorpus reads the corpus and its seen parts.
func seenCorpus(t *testing.T) []labelled {
	t.Helper()
	c := readCorpus(t, "testdata/corpus")
	for _, p := range seenParts {
		c = append(c, readCorpus(t, filepath.Join("testdata/corpus", p))...)
	}
	return c
}

func TestSoftenersNeverLower(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, l := range seenCorpus(t) {
		if l.priority > P2 {
			continue
		}
		base := r.Triage(l.in).Priority
		for _, sf := range softeners {
			in := l.in
			in.Text += sf.text
			if got := r.Triage(in).Priority; got > base {
				t.Errorf("%s + %s: %s, was %s\n%s", l.name, sf.name, got, base, r.Explain(in))
			}
		}
	}
}

func TestAccentsNeverMatter(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, l := range seenCorpus(t) {
		want := r.Triage(l.in)
		in := l.in
		in.Subject, in.Text = stripAccents(in.Subject), stripAccents(in.Text)
		got := r.Triage(in)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s without accents (-with +without):\n%s", l.name, diff)
		}
	}
}

// stripAccents removes the combining marks of s, as a writer on a phone
// without a Hungarian keyboard types.
func stripAccents(s string) string {
	d := []rune(norm.NFD.String(s))
	return norm.NFC.String(string(slices.DeleteFunc(d, func(r rune) bool { return unicode.Is(unicode.Mn, r) })))
}
