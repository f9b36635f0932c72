package triage

import (
	"slices"
	"testing"
)

// TestDecisionTable tests each row of the decision table in README.md,
// by its number: when a row changes, its test changes with it.
func TestDecisionTable(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, tc := range []struct {
		row    string
		in     Input
		want   Priority
		reason Reason // must be given, if set
		never  Reason // must not be given, if set
	}{
		{"1 danger in the writer's words, a topic elsewhere", Input{Text: "Egy iskolai előadáson hallottam rólatok. A férjem ma este megöl, ha hazamegyek."}, P1, "", ""},
		{"1 danger in the writer's words, a topic elsewhere (en)", Input{Text: "I heard about you at a lecture at school. My husband said he will kill me tonight."}, P1, "", ""},
		{"2 past marker in another clause", Input{Text: "Évekkel ezelőtt elváltunk, de most megint megvert."}, P2, "", ""},
		{"3 past marker in the same clause", Input{Text: "Gyerekkoromban apám rendszeresen megvert."}, P3, "", ""},
		{"3 a past marker reaches the clause it reports", Input{Text: "Évekkel ezelőtt azt mondta, hogy megöl."}, P2, "", ""},
		{"3 a 'now' after a comma opens its own clause", Input{Text: "Két éve megvert, most külön élünk és el akarok válni."}, P3, "", ""},
		{"3 a past marker reaches a relative clause told in the past", Input{Text: "Négy évig éltem egy férfival, aki rendszeresen megvert. Van önsegítő csoport?"}, P3, "", ""},
		{"3 a past marker reaches a relative clause told in the past (en)", Input{Text: "Three years ago I left a man who beat me. Is there a support group?"}, P3, "", ""},
		{"3 a relative clause in the present keeps its own time", Input{Text: "Két éve elköltöztem a férjemtől, aki most is fenyeget és ver."}, P1, "", ""},
		{"3 a past marker reaches the quotation its sentence introduces", Input{Text: "Tavaly novemberben a volt férjem ezt írta nekem:\n\n\"ha elhagysz, megöllek\"\n\nAzóta elköltöztem. Felhasználhatom a bíróságon?"}, P2, "", ""},
		{"3 a quotation introduced today keeps its time", Input{Text: "Ma este ezt írta nekem:\n\n\"ha elhagysz, megöllek\""}, P1, "", ""},
		{"3 last year and months ago are past markers", Input{Text: "Tavaly nyáron egyszer megütötte anyát, de azóta nem."}, P3, "", ""},
		{"3 a time word keeps the reported clause present", Input{Text: "Két éve elváltunk, de ma este azt mondta, hogy megöl."}, P1, "", ""},
		{"4 negation in the signal's clause", Input{Text: "Soha nem vert meg."}, P3, "", ""},
		{"4 negation does not cancel suicide", Input{Text: "Nem akarom megölni magam, csak fáradt vagyok."}, P1, "", ""},
		{"4 negated confinement counts one lower, not held", Input{Text: "Nobody locks me in, but I want to stop this work."}, P2, "", ReasonHeldOrControlled},
		{"5 negation stops at a comma", Input{Text: "Nem engednek el, elvették az útlevelemet."}, P2, "", ""},
		{"6 time word raises", Input{Text: "Ma este megint fenyegetett."}, P1, "", ""},
		{"20 a weapon with a time word anywhere in the writer's words", Input{Text: "Most itthon van és iszik. A fiókban ott a pisztoly, láttam."}, P1, "", ""},
		{"20 a weapon with a time word anywhere (en)", Input{Text: "He is home now, drinking. The rifle is leaning in the kitchen corner."}, P1, "", ""},
		{"20 a weapon negated gets nothing from the time word", Input{Text: "Most itthon van. Nincs fegyvere, soha nem is volt."}, P3, "", ""},
		{"58 the writer's own life, nothing read", Input{Text: "A férjemmel élek, ma este megint úgy néz rám. Nem tudom, mit csináljak."}, P2, "", ""},
		{"58 the writer's own life, nothing read (en)", Input{Text: "My boyfriend looked at me in that way again tonight. I don't know what to do."}, P2, "", ""},
		{"58 a topic is no plea", Input{Text: "Szakdolgozatot írok a családon belüli erőszakról. Kérhetnék statisztikát?"}, P4, "", ""},
		{"6 'minutes ago' is a time word too", Input{Text: "A few minutes ago he threatened me again."}, P1, "", ""},
		{"6 a negated signal is never raised", Input{Text: "Most nem fenyeget, csak kérdeznék a távoltartásról."}, P3, "", ""},
		{"6 a denied companion raises nothing", Input{Text: "They took my passport when I arrived. I am not locked in, but I have no money."}, P2, "", ReasonHeldOrControlled},
		{"6 a past form is not raised by the next sentence's time word", Input{Text: "Tavaly feljelentettem, de visszavontam, mert megfenyegetett. Most úgy döntöttem, hogy elmegyek."}, P2, "", ""},
		{"6 a past form is raised by a time word before it in its sentence", Input{Text: "Ma este, amikor hazajött, megfenyegetett."}, P1, "", ""},
		{"7 quoted earlier mail counts at most P3", Input{Text: "Köszönöm, biztonságban vagyok.\n\n> a ferjem ma este megol"}, P3, "", ""},
		{"8 someone else's story", Input{Text: "A szomszéd férfi megverte a feleségét."}, P3, "", ""},
		{"8 someone else's danger happening now is no story", Input{Text: "The neighbour's boyfriend is drunk and said tonight he will finish them both."}, P1, "", ""},
		{"9 retold news", Input{Text: "Olvastam a hírekben, hogy egy nőt megölt a volt párja."}, P3, "", ""},
		{"10 named as a subject", Input{Text: "Szeretnék többet tudni a fojtogatásról."}, P3, "", ""},
		{"10 about me is no subject", Input{Text: "He keeps talking about killing me."}, P1, "", ""},
		{"10 a writer thinking about suicide is no subject", Input{Text: "I keep thinking about suicide."}, P1, "", ""},
		{"11 writing about the subject", Input{Text: "Újságíró vagyok, cikket írok a párkapcsolati erőszakról: évente sok nőt öl meg a partnere."}, P4, "", ""},
		{"12 a P1 signal the topic reaches stays P2", Input{Text: "Tanár vagyok és öngyilkos leszek."}, P2, "", ""},
		{"13 confinement on a condition is control", Input{Text: "Nem enged ki a házból, ha nem mondom meg, hova megyek."}, P2, "", ReasonHeldOrControlled},
		{"14 the writer held at P1", Input{Text: "Bezárt a pincébe, nem tudok kijönni."}, P1, ReasonHeldOrControlled, ""},
		{"14 not let out, said with a new verb", Input{Text: "Nem hagyja, hogy kimenjek a lakásból."}, P1, ReasonHeldOrControlled, ""},
		{"14 kept on the farm, papers taken", Input{Text: "They took my passport and I work without pay, I can't leave the farm."}, P1, ReasonHeldOrControlled, ""},
		{"14 someone else held", Input{Text: "Az anyámat a bátyám bezárja a lakásba."}, P1, "", ReasonHeldOrControlled},
		{"14 the writer locking themself in hides, is not held", Input{Text: "A fürdőszobában vagyunk, bezártuk az ajtót, kint üvölt a baltával."}, P1, "", ReasonHeldOrControlled},
		{"14 'bezártam az ajtót' is the writer hiding too", Input{Text: "Kimenekültem a kocsiba és bezártam az ajtót, kint áll a késsel."}, P1, "", ReasonHeldOrControlled},
		{"14 a confinement told as a past state is not held", Input{Text: "Eleven years ago I was locked in a house and sold every night."}, P2, "", ReasonHeldOrControlled},
		{"14 a pension taken is control, not being held", Input{Text: "A fiam ma este megint elvette a nyugdíjamat."}, P1, "", ReasonHeldOrControlled},
		{"15 a language read thinly, nothing found", Input{Text: "Guten Tag, ich weiß nicht mehr weiter, er lässt mich nachts nicht schlafen und ich habe keine Kraft mehr."}, P2, "", ""},
		{"15 a language read thinly, asking for information", Input{Text: "Bună ziua, aș dori informații despre serviciile voastre. Mulțumesc."}, P4, "", ""},
		{"15 a language triage cannot read", Input{Text: "Dzień dobry, mój mąż mnie bije i boję się wrócić do domu."}, P2, "", ""},
		{"16 read as written when that is more urgent than the transliterated reading", Input{Text: "zdravstvujte, chto mne delat, pomogite, menja muzh: a ferjem ma este megol"}, P1, "", ""},
		{"16 a reason not to reply found in either reading counts", Input{Text: "zdravstvujte, muzh menja bjet kazhdyj den, chto mne delat, pomogite. Please don't reply to this email."}, P2, ReasonAskedNotToWrite, ""},
		{"16 conflicting readings: the more urgent wins", Input{Text: "Régen is vert. Ma este megöl, azt mondta."}, P1, "", ""},
		{"17 automated mail", Input{Text: "Két nőt ölt meg a volt partnere.", Header: map[string][]string{"List-Id": {"<hirlevel.example.hu>"}}}, P4, "", ""},
		{"17 a newsletter's campaign sentence is not the writer's danger", Input{Text: "Megölték, mert el akart menni – kampányunk a nőket ért erőszak ellen.", Header: map[string][]string{"List-Id": {"<hirlevel.example.hu>"}}}, P4, "", ""},
		{"17 mail to a list never keeps a priority", Input{Text: "Új kiadványunk: \"Segítség, bántanak\" – letölthető.", Header: map[string][]string{"List-Id": {"<hirlevel.example.hu>"}}}, P4, "", ""},
		{"17 automated mail with the writer in danger", Input{Text: "Üzenet: A férjem ma este megöl.", From: "noreply@example.hu"}, P1, "", ""},
		{"18 documents, debt and not let home: held", Input{Text: "Elvették az útlevelemet, tartozom nekik az útért, és nem engednek haza."}, P1, ReasonHeldOrControlled, ""},
		{"18 documents and debt alone stay P2", Input{Text: "Elvették az útlevelemet, és azt mondják, tartozom nekik az útért."}, P2, "", ReasonHeldOrControlled},
		{"18 one sign in words of two rules counts once", Input{Text: "A férjem elvette a bankkártyámat és a személyimet. Félek tőle."}, P2, "", ""},
		{"18 threats, violence and fear", Input{Text: "He threatens me every day, he hit me again and I am terrified of him."}, P1, "", ""},
		{"19 a threat said to the writer", Input{Text: "Azt mondta, innen élve nem jutok ki."}, P1, "", ""},
		{"19 a threat said to the writer (en)", Input{Text: "He said I won't leave here alive."}, P1, "", ""},
		{"19 a threat said to the writer, in the future", Input{Text: "A barátom azt mondta, ha szakítok vele, nem fogom megérni a reggelt."}, P1, "", ""},
		{"19 neither of us will live to see it", Input{Text: "Azt mondta, ha nem vonom vissza, a tárgyalást egyikünk sem fogja megérni."}, P1, "", ""},
		{"19 a threat to break the writer's neck", Input{Text: "Azt mondta, ha még egyszer szólok, eltöri a nyakamat."}, P1, "", ""},
		{"19 a threat said in images of death", Input{Text: "He sent me a photo of a grave with my name on it and said I should sleep with one eye open."}, P1, "", ""},
		{"19 a threat to the children on a condition", Input{Text: "Azt mondta, ha feljelentem, baja lesz a gyerekeknek."}, P1, "", ""},
		{"19 you won't see her alive (ro)", Input{Text: "Mi-a scris: dacă nu te întorci, n-o s-o mai vezi vie."}, P1, "", ""},
		{"20 a weapon shown in every quarrel", Input{Text: "Fegyvert tart a fiókban, és mindig megmutatja, ha veszekszünk."}, P1, "", ""},
		{"20 a photo of a weapon sent", Input{Text: "Küldött egy képet egy késről, azzal, hogy ez nekem lesz."}, P1, "", ""},
		{"20 a weapon in the doorway", Input{Text: "He is standing in the doorway with a baseball bat, not saying a word."}, P1, "", ""},
		{"20 a tool held as a weapon, with a conditional threat", Input{Text: "Kalapácsot tart az ágya mellett, és azt mondta, ha elhagyom, megbánom."}, P1, "", ""},
		{"20 a weapon with control", Input{Text: "A baltát az ajtó mellé tette, és azt mondta, nem mész sehova."}, P1, "", ""},
		{"20 a weapon named alone", Input{Text: "A férjemnek van egy vadászpuskája."}, P2, "", ""},
		{"21 smothering", Input{Text: "Párnát nyomott az arcomra, amíg aludtam."}, P1, "", ""},
		{"21 drowning", Input{Text: "Lenyomta a fejemet a kádban a víz alá."}, P1, "", ""},
		{"22 pushed down the stairs tonight", Input{Text: "He pushed me down the stairs tonight."}, P1, "", ""},
		{"22 pushed down the stairs, no time", Input{Text: "Lelökött a lépcsőn, eltört a karom."}, P2, "", ""},
		{"23 pills collected", Input{Text: "Összegyűjtöttem a nyugtatóimat, már elég van."}, P1, "", ""},
		{"23 despair with the means at hand", Input{Text: "Nem bírom tovább, itt van előttem egy doboz altató."}, P1, "", ""},
		{"23 despair with the means at hand (ru)", Input{Text: "Я больше не могу, у меня есть таблетки."}, P1, "", ""},
		{"23 thoughts of death with a goodbye", Input{Text: "Búcsúzom mindenkitől. Mindenkinek jobb lesz nélkülem."}, P1, "", ""},
		{"23 the means made ready", Input{Text: "I have the razor ready in the bathroom."}, P1, "", ""},
		{"23 the means at hand and the writer will take them", Input{Text: "I have 40 sleeping pills and I'm going to take them."}, P1, "", ""},
		{"23 a last letter and 'by morning I won't be here'", Input{Text: "Ez az utolsó levelem, holnap reggelre már nem leszek."}, P1, "", ""},
		{"23 thoughts of death alone stay P2", Input{Text: "Sometimes I feel everyone would be better off without me."}, P2, "", ""},
		{"24 the abuser takes the child tonight", Input{Text: "Ma este a volt férjem jön a gyerekért, és részegen fog vezetni."}, P1, "", ""},
		{"24 the child with the parent who beat him", Input{Text: "My 6 year old is with his father this weekend and he beat him last time."}, P1, "", ""},
		{"24 the child with the stepfather now (ru)", Input{Text: "Моя дочь сейчас с отчимом, он ее бьет."}, P1, "", ""},
		{"24 a relative in a child's room at night", Input{Text: "A nevelőapám éjszakánként bejön a húgom szobájába."}, P1, "", ""},
		{"26 someone checks the writer's calls", Input{Text: "A férjem nézi a hívásaimat. Mi történik, ha felhívom a számotokat?"}, P3, ReasonSomeoneReads, ""},
		{"26 someone else's phone is no flag", Input{Text: "My friend's boyfriend checks her phone every evening. How can I help her?"}, P4, "", ReasonSomeoneReads},
		{"26 the writer's mail read on his phone", Input{Text: "Please be careful, he reads my mail on his phone."}, P3, ReasonSomeoneReads, ""},
		{"27 abuse in general in a survey", Input{Text: "I am a PhD student researching helplines. Could you point me to statistics on domestic violence?"}, P4, "", ""},
		{"28 a -ról word of place is no subject", Input{Text: "Mikor elmegy, kulcsra zárja az ajtót kívülről, és nem tudok kimenni."}, P1, "", ""},
		{"29 the subject of a reply repeats the thread", Input{Subject: "Re: he said he would kill me", Text: "Thank you. I'm OK now. Can I apply for the divorce while the case is going on?"}, P2, "", ""},
		{"29 the body of a reply still counts", Input{Subject: "Re: segítség", Text: "Ma este megöl, azt mondta."}, P1, "", ""},
		{"25 mail to many", Input{Text: "Hírlevelünkben beszámolunk a családon belüli erőszak elleni kampányról."}, P4, "", ""},
		{"8 a confinement whose sentence names no one is the writer's", Input{Text: "The door is locked from the outside every night. Please help."}, P1, ReasonHeldOrControlled, ""},
		{"14 locked myself in is hiding, not held", Input{Text: "He is outside the room with a knife, I locked myself in."}, P1, "", ReasonHeldOrControlled},
		{"15 Polish unread, a grave concept read", Input{Text: "Zamknął mnie w mieszkaniu i powiedział, że mnie zabije."}, P1, "", ""},
		{"15 Russian in Latin letters", Input{Text: "muzh skazal chto segodnja ubyot menja, ja bojus"}, P1, "", ""},
		{"15 Ukrainian in Latin letters, asked not to reply", Input{Text: "Dobryi den, cholovik mene byv, ne vidpovidaite na tsei lyst, vin chytaie moi povidomlennia."}, P2, ReasonAskedNotToWrite, ""},
		{"18 locked at night, papers taken, a debt: held", Input{Text: "Éjjel lakatot tesznek a kapura, elvették az útleveleinket, és azt mondják, tartozunk az útért."}, P1, ReasonHeldOrControlled, ""},
		{"31 kept from friends and threatened with death: controlled", Input{Text: "Nem találkozhatok a barátnőimmel, és azt mondta, ha elmegyek, megöl."}, P1, ReasonHeldOrControlled, ""},
		{"31 kept from friends alone stays P2", Input{Text: "My husband says I can't see my friends anymore."}, P2, "", ReasonHeldOrControlled},
	} {
		t.Run(tc.row, func(t *testing.T) {
			t.Parallel()
			v := r.Triage(tc.in)
			if v.Priority != tc.want {
				t.Errorf("priority %s, want %s\n%s", v.Priority, tc.want, r.Explain(tc.in))
			}
			if tc.reason != "" && !slices.Contains(v.Reasons, tc.reason) {
				t.Errorf("reasons %v, want %s", v.Reasons, tc.reason)
			}
			if tc.never != "" && slices.Contains(v.Reasons, tc.never) {
				t.Errorf("reasons %v, must not hold %s", v.Reasons, tc.never)
			}
		})
	}
}

// TestDecisionTableCategories tests the rows of the decision table that
// decide categories rather than the priority.
func TestDecisionTableCategories(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, tc := range []struct {
		row  string
		in   Input
		lang string
		has  []Category
		not  []Category
	}{
		{"30 a legal word at P1 without a question", Input{Text: "A férjem ma este megöl. Holnap megyek az ügyvédhez."}, "hu", []Category{PartnerViolence}, []Category{LegalInfo}},
		{"30 a legal question at P1", Input{Text: "A férjem ma este megöl. Azt szeretném kérdezni, kérhetek-e távoltartást?"}, "hu", []Category{PartnerViolence, LegalInfo}, nil},
		{"30 a legal word at P2 counts", Input{Text: "Tegnap megvert a férjem, holnap megyek az ügyvédhez."}, "hu", []Category{LegalInfo}, nil},
		{"15 Russian in Latin letters is read as Russian", Input{Text: "muzh skazal chto segodnja ubyot menja, ja bojus"}, "ru", nil, nil},
		{"15 Ukrainian in Latin letters is read as Ukrainian", Input{Text: "Dobryi den, pyshu z telefonu, cholovik mene byv, dopomozhit"}, "uk", nil, nil},
		{"15 Polish stays unread", Input{Text: "Dzien dobry, maz mnie bije i boje sie wrocic do domu, prosze o pomoc."}, "other", nil, nil},
	} {
		t.Run(tc.row, func(t *testing.T) {
			t.Parallel()
			v := r.Triage(tc.in)
			if v.Language != tc.lang {
				t.Errorf("language %s, want %s", v.Language, tc.lang)
			}
			for _, c := range tc.has {
				if !slices.Contains(v.Categories, c) {
					t.Errorf("categories %v, want %s\n%s", v.Categories, c, r.Explain(tc.in))
				}
			}
			for _, c := range tc.not {
				if slices.Contains(v.Categories, c) {
					t.Errorf("categories %v, must not hold %s\n%s", v.Categories, c, r.Explain(tc.in))
				}
			}
		})
	}
}
