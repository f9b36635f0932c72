package triage

import "testing"

// TestSkeleton: the Latin spellings of a Russian or Ukrainian word and the
// word in Cyrillic come to one skeleton.
func TestSkeleton(t *testing.T) {
	for _, tc := range []struct {
		cyr string
		lat []string
	}{
		{"убьёт", []string{"ubyot", "ubjot", "ubiot", "ub'jot", "ubyet"}},
		{"меня", []string{"menya", "menja", "menia"}},
		{"ночью", []string{"noch'ju", "nochyu", "nochju", "nochiu"}},
		{"замикають", []string{"zamykaiut", "zamykayut", "zamykajut"}},
		{"відповідайте", []string{"vidpovidaite", "vidpovidayte", "vidpovidajte"}},
		{"грошей", []string{"hroshei", "groshey", "hroshej"}},
		{"щось", []string{"shchos", "shchos'", "schos"}},
	} {
		want := skeleton(cyrToLatin(Fold(tc.cyr)))
		for _, l := range tc.lat {
			if got := skeleton(l); got != want {
				t.Errorf("skeleton(%q) = %q, want %q (from %s)", l, got, want, tc.cyr)
			}
		}
	}
}

// TestTranslitOnlyWhenSlavic: Hungarian, English, Polish and Slovak text is
// never rewritten; Latin-script Russian and Ukrainian is.
func TestTranslitOnlyWhenSlavic(t *testing.T) {
	r := Default()
	for _, tc := range []struct{ text, want string }{
		{"A ferjem tegnap megvert, nem tudom mit csinaljak, lenne vona jobb megoldas?", ""},
		{"My husband hit me again tonight and I don't know what to do.", ""},
		{"Dzien dobry, maz mnie bije i boje sie wrocic do domu, prosze o pomoc.", ""},
		{"Dobry den, som mimo kancelarie do piatku, odpoviem po navrate.", ""},
		{"zdravstvujte, muzh menja bjet, chto mne delat', pomogite", "ru"},
		{"dobryi den, cholovik mene b'ye, shcho meni robyty, dopomozhit", "uk"},
	} {
		var s scratch
		s.reset()
		r.run(Input{Text: tc.text}, &s, nil)
		if s.translit != tc.want {
			t.Errorf("%q: read as %q, want %q", tc.text, s.translit, tc.want)
		}
	}
}
