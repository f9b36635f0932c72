package triage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestBehaviour pins down how the default rules read Hungarian and
// English: prefix traps, negation, proximity, time words, the past,
// topic writing and quoting.
func TestBehaviour(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, tc := range []struct {
		name    string
		in      Input
		want    Priority
		rule    string // must fire, if set
		notRule string // must not fire, if set
	}{
		// Prefix traps: megöl* must not hit megoldás or megölelés; válás is not válasz.
		{"megold is not megöl", Input{Text: "Van megoldás arra, hogy ne keressen?"}, P4, "", "kill-threat"},
		{"megölel is not megöl", Input{Text: "Ma megölelt és bocsánatot kért."}, P4, "", "kill-threat"},
		{"válasz is not válás", Input{Text: "Várom válaszukat, köszönöm."}, P4, "", "legal"},
		{"válás is legal", Input{Text: "A válás után ki kapja a lakást?"}, P3, "legal", ""},
		{"késik is not kés", Input{Text: "Elnézést, késik a válaszom."}, P4, "", "weapon"},
		{"meghallgatás is not meghal", Input{Text: "A bírósági meghallgatáson ott lesz."}, P3, "", "suicide-intent"},
		{"inflected kill: megöllek", Input{Text: "azt irta: megollek"}, P1, "kill-threat", ""},
		{"inflected kill: megölni", Input{Text: "Meg akar ölni."}, P1, "kill-threat", ""},
		{"inflected kill: megölöm", Input{Text: "Azt mondta: megölöm a kutyádat is."}, P1, "kill-threat", ""},
		{"strangled: megfojtott", Input{Text: "Tegnap megfojtott majdnem."}, P1, "strangling", ""},
		{"strangled: fojtogatott", Input{Text: "fojtogatott a parom"}, P1, "strangling", ""},
		{"suicide: öngyilkos leszek", Input{Text: "Öngyilkos leszek."}, P1, "suicide-intent", ""},
		{"overdose: bevettem", Input{Text: "Bevettem az összes gyógyszert."}, P1, "suicide-intent", ""},
		{"locked: bezárt a szobába", Input{Text: "Bezárt a szobába."}, P1, "locked-in", ""},
		{"passport: elvették az útlevelemet", Input{Text: "Elvették az útlevelemet."}, P2, "trafficking-documents", ""},

		// Negation does not cancel suicide; it lowers beating by one.
		{"negated suicide stays P1", Input{Text: "Nem akarom megölni magam, csak fáradt vagyok."}, P1, "suicide-intent", ""},
		{"negated beating is lowered", Input{Text: "Soha nem vert meg."}, P3, "beating", ""},
		{"beating is P2", Input{Text: "Tegnap megvert."}, P2, "beating", ""},

		// Proximity: bezárt … lakásba within 4 words, not across a paragraph.
		{"near within window", Input{Text: "Bezárt minket a lakásba."}, P1, "locked-in", ""},
		{"near too far apart", Input{Text: "A boltot bezárták korán, így nem tudtam bevásárolni, ezért este otthon maradtunk a lakásban."}, P4, "", "locked-in"},

		// Time words raise threats and present-tense beating; "most már" is not now.
		{"present beating now is P1", Input{Text: "Most is veri a gyereket."}, P1, "beating-now", ""},
		{"present beating is P2", Input{Text: "Rendszeresen veri a gyereket."}, P2, "beating-now", ""},
		{"most már is not urgent", Input{Text: "Az apám évek óta veri anyámat, most már engem is."}, P2, "beating-now", ""},
		{"threat tonight is P1", Input{Text: "Ma este megint fenyegetett."}, P1, "threat", ""},
		{"weapon with fear is P1", Input{Text: "Van egy pisztolya otthon. Félek."}, P1, "weapon", ""},
		{"weapon alone is P2", Input{Text: "Van egy pisztolya a szekrényben."}, P2, "weapon", ""},

		// Abuse long ago is advice, not urgent.
		{"childhood abuse is P3", Input{Text: "Gyerekkoromban apám rendszeresen megvert."}, P3, "beating", ""},
		{"years ago is P3", Input{Text: "Évekkel ezelőtt megerőszakolt egy ismerősöm."}, P3, "sexual-violence", ""},
		{"years ago but now again", Input{Text: "Évekkel ezelőtt elváltunk, de most megint megvert."}, P2, "beating", ""},
		{"three years ago is the past", Input{Text: "Három éve bántalmazott a volt párom. A feljelentésről kérdeznék."}, P3, "abuse-reported", ""},
		{"yesterday cancels the past", Input{Text: "Régen is vert, de tegnap megint megvert."}, P2, "beating", ""},
		{"abused women is not a report", Input{Text: "Milyen segítség van bántalmazott nőknek?"}, P3, "", "abuse-reported"},

		// Hungarian compounds end with the weapon; a weapon with a threat anywhere is P1.
		{"weapon in a compound with a threat", Input{Text: "A vadászpuskájával fenyegetőzik."}, P1, "weapon", ""},
		{"future overdose", Input{Text: "ma este beveszem az osszes altatot"}, P1, "suicide-intent", ""},
		{"not wanting to be here", Input{Text: "Nem akarok már itt lenni."}, P1, "suicide-intent", ""},

		// Writing about the subject is not danger; a specific child now is.
		{"teacher topic is P4", Input{Text: "Tanár vagyok, osztályfőnöki órán beszélnénk a fojtogatásról és a fenyegetésről."}, P4, "topic-professional", ""},
		{"teacher with a pupil in danger", Input{Text: "Tanár vagyok. Az egyik tanítványom ma elmondta, hogy az apja tegnap fojtogatta."}, P1, "strangling", ""},
		{"student who is a victim", Input{Text: "Hallgató vagyok, a párom megver."}, P2, "beating", ""},

		// Quoted earlier mail sets a floor of P3, never more.
		{"quoted alarm under a calm reply", Input{Text: "Köszönöm, biztonságban vagyok.\n\n> a ferjem ma este megol"}, P3, "kill-threat", ""},
		{"alarm over a calm quote", Input{Text: "Most itt van, kés van nála, megöl.\n\n> Kedves Anna, a láthatásról"}, P1, "kill-threat", ""},
		{"threat in a postscript", Input{Text: "Köszönöm.\n\nÜdv,\nAnna\n\nUi.: ma este megöl, ha megtudja"}, P1, "kill-threat", ""},

		// English, German, Romanian, Ukrainian danger words.
		{"english kill tonight", Input{Text: "He said he is going to kill me tonight."}, P1, "kill-threat", ""},
		{"english negated suicide", Input{Text: "I don't want to live anymore."}, P1, "suicide-intent", ""},
		{"german", Input{Text: "Er hat gedroht, mich umzubringen."}, P1, "kill-threat", ""},
		{"romanian", Input{Text: "A spus că mă omoară."}, P1, "kill-threat", ""},
		{"ukrainian", Input{Text: "Він сказав, що вб'є мене."}, P1, "kill-threat", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := r.Triage(tc.in)
			if v.Priority != tc.want {
				t.Errorf("priority %s, want %s\n%s", v.Priority, tc.want, r.Explain(tc.in))
			}
			if tc.rule != "" && !slices.Contains(v.Rules, tc.rule) {
				t.Errorf("rule %s did not fire; rules %v", tc.rule, v.Rules)
			}
			if tc.notRule != "" && slices.Contains(v.Rules, tc.notRule) {
				t.Errorf("rule %s fired; rules %v", tc.notRule, v.Rules)
			}
		})
	}
}

func TestFlags(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, tc := range []struct {
		name string
		in   Input
		want []Flag
		prio Priority
	}{
		{"asks for no reply", Input{Text: "Kérem, ne válaszoljanak erre a címre."}, []Flag{FlagDoNotReply}, P2},
		{"husband reads mail", Input{Text: "A férjem olvassa a leveleimet."}, []Flag{FlagDoNotReply}, P2},
		{"he checks my phone", Input{Text: "He checks my phone every night."}, []Flag{FlagDoNotReply}, P2},
		{"I check my email is no alarm", Input{Text: "I check my email every day, please write back."}, nil, P4},
		{"see the email below is no alarm", Input{Text: "Please see the email below and read my message."}, nil, P4},
		{"he sees what I write", Input{Text: "A férjem mindent lát, olvassa, amit írok."}, []Flag{FlagDoNotReply}, P2},
		{"negated: nobody reads it", Input{Text: "A férjem nem olvassa a leveleimet, nyugodtan írjatok."}, nil, P4},
		{"third party phone is not the writer's", Input{Text: "A húgom férje nézi a telefonját."}, nil, P4},
		{"out of office by header", Input{Subject: "Re: kérdés", Text: "Köszönöm.", Header: map[string][]string{"Auto-Submitted": {"auto-replied"}}}, []Flag{FlagAutomated}, P4},
		{"out of office by subject", Input{Subject: "Automatikus válasz: kérdés", Text: "Jövő héten jövök."}, []Flag{FlagAutomated}, P4},
		{"auto-submitted no is a person", Input{Text: "Szia.", Header: map[string][]string{"Auto-Submitted": {"no"}}}, nil, P4},
		{"newsletter about femicide stays P4", Input{Text: "Két nőt ölt meg a volt partnere, fojtogatás előzte meg.", Header: map[string][]string{"List-Id": {"<hirlevel.example.hu>"}}}, []Flag{FlagAutomated}, P4},
		{"form mail with a writer in danger keeps P1", Input{Text: "Üzenet: A férjem ma este megöl. Ne válaszoljanak.", From: "noreply@example.hu"}, []Flag{FlagAutomated, FlagDoNotReply}, P1},
		{"noreply footer does not ask for no reply", Input{Text: "Ez automatikus üzenet, kérjük, ne válaszoljon rá.", From: "no-reply@example.hu"}, []Flag{FlagAutomated}, P4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := r.Triage(tc.in)
			if !slices.Equal(v.Flags, tc.want) || v.Priority != tc.prio {
				t.Errorf("got %s, want %s flags %v\n%s", v, tc.prio, tc.want, r.Explain(tc.in))
			}
		})
	}
}

// TestVerdictHoldsNoText makes sure what gets stored carries rule ids and
// categories only, never the writer's words.
func TestVerdictHoldsNoText(t *testing.T) {
	t.Parallel()
	in := Input{Subject: "Kovács Ilona titka", Text: "A férjem, Kovács Béla, tegnap fojtogatott a Rózsa utcában, és azt mondta, megöl."}
	v := Default().Triage(in)
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range strings.Fields("Kovács Ilona titka férjem Béla fojtogatott Rózsa utcában megöl") {
		if strings.Contains(strings.ToLower(string(data)), strings.ToLower(w)) {
			t.Errorf("stored verdict %s contains %q", data, w)
		}
	}
	if v.Priority != P1 || v.RuleSetVersion == "" || v.String() == "" {
		t.Errorf("verdict %s", v)
	}
}

func TestExplainOffsets(t *testing.T) {
	t.Parallel()
	in := Input{Subject: "segítség", Text: "Jó napot!\nA párom tegnap fojtogatott.\n\n> régi levél: megölöm"}
	e := Default().Explain(in)
	var sawQuoted, sawStrangle bool
	for _, h := range e.Hits {
		text := in.Text
		if h.Field == "subject" {
			text = in.Subject
		}
		if text[h.Start:h.End] != h.Text {
			t.Errorf("hit %s: offsets %d-%d give %q, text says %q", h.Rule, h.Start, h.End, text[h.Start:h.End], h.Text)
		}
		sawQuoted = sawQuoted || h.Rule == "kill-threat" && h.Region == "quoted" && h.Priority == P3
		sawStrangle = sawStrangle || h.Rule == "strangling" && h.Text == "fojtogatott" && h.Priority == P1
	}
	if !sawQuoted || !sawStrangle {
		t.Errorf("explanation misses the quoted threat or the strangling:\n%s", e)
	}
	if !strings.Contains(e.String(), "fojtogatott") {
		t.Errorf("rendered explanation does not show the match:\n%s", e)
	}
}

// TestConcurrentTriage runs one rule set from many goroutines, as intake
// does; go test -race checks the pooled working space.
func TestConcurrentTriage(t *testing.T) {
	t.Parallel()
	r := Default()
	inputs := []Input{longMessage(8 << 10), {Text: "Soha nem vert meg."}, {Text: "Öngyilkos leszek."}, {Text: "Várom válaszukat."}}
	want := make([]Verdict, len(inputs))
	for i, in := range inputs {
		want[i] = r.Triage(in)
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			for k := 0; k < 50; k++ {
				i := (g + k) % len(inputs)
				if got := r.Triage(inputs[i]); got.String() != want[i].String() || !slices.Equal(got.Rules, want[i].Rules) {
					done <- fmt.Errorf("input %d: got %s, want %s", i, got, want[i])
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestExplanationLines gives the console's "why" lines: one per rule,
// naming the words, concept, lemma, person and clause.
func TestExplanationLines(t *testing.T) {
	t.Parallel()
	e := Default().Explain(Input{Text: "Szia. A párom tegnap fojtogatott, és fojtogatta a húgomat is."})
	lines := e.Lines()
	var strangling []string
	for _, l := range lines {
		if strings.HasPrefix(l, "strangling: ") {
			strangling = append(strangling, l)
		}
	}
	want := "strangling: «fojtogatott» (concept strangle, lemma fojtogat, 3rd person, object unsaid (me), past, noun, clause 2) P1"
	if len(strangling) != 1 || strangling[0] != want {
		t.Errorf("strangling lines %q, want one: %q\nall: %q", strangling, want, lines)
	}
}
