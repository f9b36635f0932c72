package triage

import (
	"slices"
	"testing"
)

// TestOtherLanguagesRead holds the concept words of German, Polish,
// Slovak, Romanian, Ukrainian and Russian (round 13) to what they are
// for: each sentence says one P1 or P2 sign in a form other than the one
// the lexicons held before (another person, tense or aspect, a case, a
// spelling without diacritics or with ae/oe/ue/ss), and must get at least
// that priority from that rule. The sentences are written for this test.
func TestOtherLanguagesRead(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, tc := range []struct {
		lang, text string
		want       Priority
		rule       string
	}{
		// German
		{"de", "Er hat geschrieben, dass er mich heute erschießt.", P1, "kill-threat"},
		{"de", "Er sagt, er erschiesst uns alle, wenn ich gehe.", P1, "kill-threat"},
		{"de", "Mein Freund hat mich gestern gewuergt.", P1, "strangling"},
		{"de", "Er hat mich fast erdrosselt.", P1, "strangling"},
		{"de", "Ich habe ständig Suizidgedanken.", P1, "suicide-intent"},
		{"de", "Er hat eine Schusswaffe im Schlafzimmer und ich habe Angst.", P1, "weapon"},
		{"de", "Mein Stiefvater hat mich missbraucht.", P2, "sexual-violence"},
		{"de", "Mein Mann hat gedroht, mich abzuknallen.", P1, "kill-threat"},
		{"de", "Er hat mich gestern die Treppe hinuntergestoßen.", P2, "pushed-from-height"},
		{"de", "Er hat gedroht, mich vom Balkon zu stoßen.", P1, "pushed-from-height"},
		{"de", "Er schließt mich jede Nacht ab.", P1, "locked-in"},
		{"de", "Ich bin schwanger und er schlägt mich.", P1, "beating-now"},
		// Polish
		{"pl", "Zastrzelę was wszystkich, krzyczał do mnie.", P1, "kill-threat"},
		{"pl", "Napisał, że mnie zamorduje.", P1, "kill-threat"},
		{"pl", "Grozi, że mnie zadźga, jak odejdę.", P1, "kill-threat"},
		{"pl", "Mąż mnie wczoraj podduszał.", P1, "strangling"},
		{"pl", "Złapał mnie za szyję i trzymał.", P1, "strangling"},
		{"pl", "Myślę o samobójstwie.", P1, "suicide-intent"},
		{"pl", "Zgwałcił mnie mój ojczym.", P2, "sexual-violence"},
		{"pl", "Jestem w ciąży, a on mnie bije.", P1, "beating"},
		{"pl", "Kupiłam tabletki nasenne.", P2, "means-at-hand"},
		{"pl", "On ma pistolet w szafie.", P2, "weapon"},
		{"pl", "Zepchnął mnie ze schodów.", P2, "pushed-from-height"},
		{"pl", "Trzymał mnie za szyję, aż straciłam przytomność.", P1, "strangling"},
		{"pl", "Zamyka mnie na noc na klucz.", P1, "locked-in"},
		{"pl", "Zbieram tabletki od miesiąca.", P1, "suicide-intent"},
		// Slovak
		{"sk", "Manžel povedal, že ma zabije.", P1, "kill-threat"},
		{"sk", "Vyhráža sa, že ma zastrelí.", P1, "kill-threat"},
		{"sk", "Priškrtil ma v kuchyni.", P1, "strangling"},
		{"sk", "Manžel ma zase zbil.", P2, "beating"},
		{"sk", "Myslím na samovraždu.", P1, "suicide-intent"},
		{"sk", "Držal ma pod krkom, kým som nestratila vedomie.", P1, "strangling"},
		{"sk", "Som tehotná a on ma bije.", P1, "beating"},
		// Romanian, with and without diacritics
		{"ro", "M-a amenințat că o să mă înjunghie.", P1, "kill-threat"},
		{"ro", "Fostul sot a zis ca ne impusca pe toti.", P1, "kill-threat"},
		{"ro", "Mă sugrumă când bea.", P1, "strangling"},
		{"ro", "Am pregătit frânghia în pod.", P1, "means-prepared"},
		{"ro", "am ganduri sinucigase de o luna", P1, "suicide-intent"},
		{"ro", "Sunt gravidă și soțul mă bate.", P1, "beating-now"},
		{"ro", "M-a împins pe scări.", P2, "pushed-from-height"},
		// Ukrainian
		{"uk", "Він сказав, що вбиватиме мене повільно.", P1, "kill-threat"},
		{"uk", "Чоловік придушив мене вчора.", P1, "strangling"},
		{"uk", "Я постійно думаю про суїцид.", P1, "suicide-intent"},
		{"uk", "Він мене згвалтував.", P2, "sexual-violence"},
		{"uk", "Він тримає в шафі обріз.", P2, "weapon"},
		{"uk", "cholovik skazav shcho mene vbyvatyme, ya boyusia", P1, "kill-threat"},
		{"uk", "vin pohrozhuvav mene vbyty, u nioho nizh", P1, "kill-threat"}, // told as Ukrainian by vin, mene, nioho
		// Russian, and in Latin letters
		{"ru", "Муж сказал, что пристрелит меня.", P1, "kill-threat"},
		{"ru", "Он меня вчера придушил.", P1, "strangling"},
		{"ru", "Отчим меня изнасиловал.", P2, "sexual-violence"},
		{"ru", "Я думаю о самоубийстве.", P1, "suicide-intent"},
		{"ru", "Она столкнула меня с лестницы.", P2, "pushed-from-height"},
		{"ru", "muzh skazal chto menya pristrelit segodnya", P1, "kill-threat"},
		// Rules rather than concepts: time words, jumping, swallowing,
		// not wanting to live, being let out, papers taken, a weapon in
		// bed, a child's age, asking not to be written to
		{"pl", "Słyszę krzyk dziecka u sąsiadów, w tej chwili.", P1, "heard-now"},
		{"sk", "Počujem krik dieťaťa od susedov, práve teraz.", P1, "heard-now"},
		{"pl", "Połknęłam wszystkie tabletki nasenne.", P1, "suicide-intent"},
		{"sk", "Prehltla som všetky tabletky.", P1, "suicide-intent"},
		{"ro", "Am înghițit toate pastilele.", P1, "suicide-intent"},
		{"pl", "Nie chcę już żyć.", P1, "suicide-intent"},
		{"sk", "Nechcem už žiť, nemá to zmysel.", P1, "suicide-intent"},
		{"pl", "Pójdę na most i skoczę.", P1, "suicide-intent"},
		{"sk", "Pôjdem na most a skočím.", P1, "suicide-intent"},
		{"ro", "Mă arunc de pe pod diseară.", P1, "suicide-intent"},
		{"pl", "Zabrali mi paszport i nie pozwalają mi wyjść.", P1, "locked-in"},
		{"sk", "Zobrali mi doklady a nepustia ma von.", P1, "locked-in"},
		{"pl", "Mąż zamknął mnie w piwnicy.", P1, "locked-in"},
		{"ro", "M-a închis în casă și mi-a luat buletinul.", P1, "locked-in"},
		{"de", "Er hat ein Messer unter dem Kopfkissen, wenn ich schlafe.", P1, "weapon-held"},
		{"pl", "Ma pod poduszką nóż.", P1, "weapon-held"},
		{"pl", "Moja córka ma 15 lat i on ją bije.", P2, "ctx-child"},
		{"sk", "Dcéra má 14 rokov a otčim ju bije.", P2, "ctx-child"},
	} {
		v := r.Triage(Input{Text: tc.text})
		if v.Priority > tc.want || !slices.Contains(v.Rules, tc.rule) {
			t.Errorf("%s %q: got %s %v, want %s or higher from %s", tc.lang, tc.text, v.Priority, v.Rules, tc.want, tc.rule)
		}
	}
}

// TestPolishNotTransliterated: Polish shares words with Russian and
// Ukrainian typed in Latin letters ("zaraz", "moja"); the hints of
// transliteration leave them out, so Polish stays "other".
func TestPolishNotTransliterated(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, text := range []string{
		"Mąż zaraz wróci, moja mama też jest w domu, a ja nie wiem, co robić.",
		"Manžel sa zaraz vráti, moja mama je doma a ja neviem, čo mám robiť.",
	} {
		if got := r.Triage(Input{Text: text}).Language; got != "other" {
			t.Errorf("language of %q = %s, want other", text, got)
		}
	}
}

// TestOtherLanguagesNoFalseHit: everyday words near the new prefixes
// stay what they are.
func TestOtherLanguagesNoFalseHit(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, text := range []string{
		"Zaškrtnite, prosím, políčko vo formulári.",  // tick a box, not strangle (škrti*)
		"Es sind neue Bücher erschienen.",            // erschienen is not erschießen
		"Mieszkam przy ulicy Mostowej, obok dworca.", // a street, not nowhere to sleep
		"Dziecko ma dietę bezglutenową.",             // dieta is no child
		"Am citit un roman despre un pod vechi.",     // a bridge in a novel
	} {
		if v := r.Triage(Input{Text: text}); v.Priority == P1 {
			t.Errorf("%q: got P1 %v", text, v.Rules)
		}
	}
}

// TestOtherLanguagesDoNotReply: asking not to be written to, and someone
// reading the writer's mail, in Polish, Slovak, Czech and German.
func TestOtherLanguagesDoNotReply(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, text := range []string{
		"Prosím, neodpisujte mi, bojím sa.",
		"Nepíšte mi späť, prosím.",
		"Proszę nie odpisywać na ten adres.",
		"Manžel číta moje e-maily.",
		"Mąż czyta moje wiadomości.",
		"Neodpovídejte mi, prosím.",
		"Bitte nicht zurückschreiben.",
	} {
		if v := r.Triage(Input{Text: text}); !slices.Contains(v.Flags, FlagDoNotReply) {
			t.Errorf("%q: no do_not_reply (%v)", text, v.Rules)
		}
	}
}

// TestDurationIsNoAge: "for 10 years" is how long, not how old: the
// writer harmed for years is no child. An age is said with "old",
// "-year-old", "she is N" and their forms in each language.
func TestDurationIsNoAge(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, tc := range []struct {
		text  string
		child bool
	}{
		{"My husband has been beating me for 10 years.", false},
		{"Mąż bije mnie od 10 lat.", false},
		{"Manžel ma bije už 10 rokov.", false},
		{"My daughter is 15 years old and he touches her.", true},
		{"Moja córka ma 15 lat i on ją bije.", true},
		{"Fiica mea are 14 ani și el o bate.", true},
		{"Meine Tochter ist 14 Jahre alt und er schlägt sie.", true},
		{"Дочке 14 лет, отчим её бьёт.", true},
	} {
		v := r.Triage(Input{Text: tc.text})
		if got := slices.Contains(v.Categories, ChildAbuse); got != tc.child {
			t.Errorf("%q: child_abuse %v, want %v (%v)", tc.text, got, tc.child, v.Rules)
		}
	}
}
