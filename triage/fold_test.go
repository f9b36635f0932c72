package triage

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestFold(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"megölt", "megolt"},
		{"MEGÖLT", "megolt"},
		{"megõlt", "megolt"},             // legacy Latin-1 õ for ő
		{"fûtés", "futes"},               // legacy û for ű
		{"me\u0067o\u0308lt", "megolt"},  // NFD: o + combining diaeresis
		{"Fojtogatott!", "fojtogatott!"}, // punctuation kept
		{"ŐRÜLT Ű", "orult u"},           // capitals with double acute
		{"Soțul meu", "sotul meu"},       // Romanian comma below
		{"Мій чоловік", "міи чоловік"},   // every script loses its marks; patterns fold alike
		{"don’t", "don't"},               // typographic apostrophe
		{"ﬁnom", "finom"},                // compatibility ligature
		{"Ärger über Grüße", "arger uber gruße"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

type tok struct {
	Orig, Fold string
	Sent       int32
}

func tokens(s string, spans []span) []tok {
	var w words
	tokenize(s, spans, &w)
	var out []tok
	for i, t := range w.toks {
		out = append(out, tok{s[t.start:t.end], string(w.folded(i)), t.sent})
	}
	return out
}

func TestTokenizeOffsets(t *testing.T) {
	t.Parallel()
	in := "A férjem MEGÖLT-e?  Nem.\n\nde o\u0308lt, don’t kés…vége"
	want := []tok{
		{"A", "a", 0}, {"férjem", "ferjem", 0}, {"MEGÖLT", "megolt", 0}, {"e", "e", 0},
		{"Nem", "nem", 1},
		{"de", "de", 2}, {"o\u0308lt", "olt", 2}, {"don’t", "don't", 2}, {"kés", "kes", 2},
		{"vége", "vege", 3},
	}
	if diff := cmp.Diff(want, tokens(in, nil)); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
}

func TestTokenizeSkipsSignature(t *testing.T) {
	t.Parallel()
	in := "segitseg kell\n-- \nKiss Anna, kriziskozpont"
	spans := findRegions(in, false)
	got := tokens(in, spans)
	if len(got) != 2 || got[1].Fold != "kell" {
		t.Errorf("tokens with signature = %v, want only the two words above it", got)
	}
}

func TestDecodeRuneAsUTF8(t *testing.T) {
	t.Parallel()
	for a := 0; a < 256; a++ {
		for b := 0; b < 256; b++ {
			for _, s := range []string{string([]byte{byte(a), byte(b)}), string([]byte{byte(a), byte(b), 0xBF}), string([]byte{byte(a)})} {
				r, n := decodeRune(s, 0)
				wr, wn := utf8.DecodeRuneInString(s)
				if r != wr || n != wn {
					t.Fatalf("decodeRune(% x) = %U %d, utf8 says %U %d", s, r, n, wr, wn)
				}
			}
		}
	}
}

// The Cyrillic fast path of tokenize folds every letter as Fold does.
func TestTokenizeCyrillicAsFold(t *testing.T) {
	t.Parallel()
	for r := rune(0x400); r <= 0x4FF; r++ {
		s := "а" + string(r) + "я"
		var w words
		tokenize(s, nil, &w)
		if len(w.toks) != 1 {
			continue // not a letter: it splits the word, on either path
		}
		if got, want := string(w.folded(0)), Fold(s); got != want {
			t.Errorf("tokenize(%q) folds to %q, Fold gives %q", s, got, want)
		}
	}
}

// Folding can make a word longer than it is written ("ŉ" is "ʼn"): the
// letters after it still fold as Fold folds them when the buffer sized to
// the text is full.
func TestTokenizePastTheBuffer(t *testing.T) {
	t.Parallel()
	s := strings.Repeat("ŉ", 8) + "AbcDEF12"
	var w words
	tokenize(s, nil, &w)
	if len(w.toks) != 1 || string(w.folded(0)) != Fold(s) {
		t.Errorf("tokenize(%q) = %d words, %q; want one, %q", s, len(w.toks), w.folded(0), Fold(s))
	}
}
