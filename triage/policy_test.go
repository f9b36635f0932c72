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
		{"114 a message broken off mid-sentence with now", Input{Subject: "most", Text: "most jott haza es azt mondja hogy ha"}, P1, "", ""},
		{"114 broken off, in English", Input{Text: "he just came home now and he says that if"}, P1, "", ""},
		{"114 a finished sentence with now is not broken off", Input{Text: "most jött haza és azt mondja, hogy holnap elutazik."}, P4, "", ""},
		{"117 means counted and at hand, no time word", Input{Text: "Kiszámoltam, hány tabletta kell, ott vannak az asztalon."}, P1, "", ""},
		{"117 letters left for the children", Input{Text: "Megírtam a leveleket a gyerekeknek, a kulcsot a szomszédra bíztam."}, P1, "", ""},
		{"117 a goodbye written", Input{Text: "I'm writing to say goodbye. Please tell my sister I love her."}, P1, "", ""},
		{"117 a plan told in the past is one lower", Input{Text: "Tavaly megírtam a búcsúlevelet, de a barátnőm megtalált. Most terápiára járok."}, P2, "", ""},
		{"117 thoughts of death without a plan stay P2", Input{Text: "Sometimes I think everyone would be better off without me."}, P2, "", ""},
		{"118 safe now: a past form is over", Input{Text: "Húsz éve a férjem fojtogatott. Azóta elváltam, biztonságban vagyok."}, P2, "", ""},
		{"118 safe now, in English", Input{Text: "My ex strangled me. That is behind me, I'm safe now and married to someone kind."}, P2, "", ""},
		{"118 without it the past form counts in full", Input{Text: "A férjem fojtogatott. Elváltam tőle."}, P1, "", ""},
		{"118 safe now lowers the same past form", Input{Text: "A férjem fojtogatott. Elváltam tőle, biztonságban vagyok."}, P2, "", ""},
		{"118 a present threat keeps its priority", Input{Text: "Biztonságban vagyok a húgomnál, de ma azt írta, hogy megöl."}, P1, "", ""},
		{"118 a time word of its own keeps a past form recent", Input{Text: "I'm safe now at my sister's. Last night he strangled me."}, P1, "", ""},
		{"118 safety denied lowers nothing", Input{Text: "My husband strangled me. I don't think I'm safe."}, P1, "", ""},
		{"1 danger in the writer's words, a topic elsewhere", Input{Text: "Egy iskolai előadáson hallottam rólatok. A férjem ma este megöl, ha hazamegyek."}, P1, "", ""},
		{"1 danger in the writer's words, a topic elsewhere (en)", Input{Text: "I heard about you at a lecture at school. My husband said he will kill me tonight."}, P1, "", ""},
		{"2 past marker in another clause", Input{Text: "Évekkel ezelőtt elváltunk, de most megint megvert."}, P2, "", ""},
		{"3 past marker in the same clause", Input{Text: "Gyerekkoromban apám rendszeresen megvert."}, P3, "", ""},
		{"3 a past marker reaches the clause it reports", Input{Text: "Évekkel ezelőtt azt mondta, hogy megöl."}, P2, "", ""},
		{"3 a 'now' after a comma opens its own clause", Input{Text: "Két éve megvert, most külön élünk és el akarok válni."}, P3, "", ""},
		{"3 a past marker reaches a relative clause told in the past", Input{Text: "Négy évig éltem egy férfival, aki rendszeresen megvert. Van önsegítő csoport?"}, P3, "", ""},
		{"3 a past marker reaches a clause of place told in the past", Input{Text: "Tíz éve jöttem el egy kapcsolatból, ahol fojtogatott."}, P2, "", ""},
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
		{"58 the writer's own life, nothing read", Input{Text: "A férjemmel élek, megint úgy néz rám. Nem tudom, mit csináljak."}, P2, "", ""},
		{"58 the writer's own life, nothing read (en)", Input{Text: "My boyfriend looked at me in that way again. I don't know what to do."}, P2, "", ""},
		{"74 the writer's own life tonight, nothing read", Input{Text: "A férjemmel élek, ma este megint úgy néz rám. Nem tudom, mit csináljak."}, P1, "", ""},
		{"74 the writer's own life tonight, nothing read (en)", Input{Text: "My boyfriend looked at me in that way again tonight. I don't know what to do."}, P1, "", ""},
		{"74 where the writer found the address is no topic", Input{Text: "A férjemmel élek, ma este megint úgy néz rám.\n\nAz iskolában volt egy előadás a kapcsolati erőszakról, onnan tudom a címeteket."}, P1, "", ""},
		{"75 a confinement that ended is an episode, not held", Input{Text: "Ha szólok, lökdös, a múlt héten a kamrába zárt egy órára."}, P2, "", ReasonHeldOrControlled},
		{"75 a confinement that ended is an episode, not held (en)", Input{Text: "My husband locked me in the shed for a night last month."}, P2, "", ReasonHeldOrControlled},
		{"75 a confinement with no end told is held", Input{Text: "A férjem a kamrába zárt."}, P1, ReasonHeldOrControlled, ""},
		{"76 a request not to write in broken Hungarian", Input{Text: "Telefon ő nézi mindig, nem írni vissza kérem."}, P4, ReasonAskedNotToWrite, ""},
		{"76 don't send an answer", Input{Text: "please dont send answer here they will see"}, P4, ReasonAskedNotToWrite, ""},
		{"77 the writer asked not to write to someone else", Input{Text: "Megkért, hogy ne írjak neki semmit."}, P4, "", ReasonAskedNotToWrite},
		{"77 a text not to be written out is no request", Input{Text: "Ezt kérem, javítsák ki, vagy ne írják ki a honlapon."}, P4, "", ReasonAskedNotToWrite},
		{"78 a shared address someone reads", Input{Text: "Ez a közös email címünk, ő is olvassa."}, P3, ReasonSomeoneReads, ""},
		{"78 a phone looked through, in Ukrainian", Input{Text: "Увечері він перегляне мій телефон та пошту."}, P2, ReasonSomeoneReads, ""},
		{"79 what is not allowed is in the hogy clause, not the phone", Input{Text: "Nem engedi, hogy találkozzunk velük, a telefont sem adja át."}, P4, "", ReasonOtherPersonsDevice},
		{"80 a threat to do to a child what was done to the writer", Input{Text: "He said if I tell anyone he will do to my little sister what he did to me."}, P1, "", ""},
		{"80 the same, in Hungarian", Input{Text: "Azt mondta, ha szólok, a húgommal is ugyanezt fogja csinálni."}, P1, "", ""},
		{"81 a thud and then silence, heard by a witness", Input{Text: "A szomszédban kiabáltak, aztán nagy puffanás, és azóta teljes csend van."}, P1, "", ""},
		{"81 a thud and then silence (en)", Input{Text: "The couple next door were shouting, then a loud thud, and since then silence."}, P1, "", ""},
		{"82 examples in quotation marks in a topic's sentence are no one's", Input{Text: "We are a research team at a university studying how helplines respond when a caller discloses strangulation (\"he choked me\"), threats to kill, or being locked in."}, P4, "", ReasonHeldOrControlled},
		{"82 the writer's own words outside the quotation still count", Input{Text: "I am a student at a university and my boyfriend choked me last night."}, P1, "", ""},
		{"83 harm to the family back home with papers and phones taken, not let out", Input{Text: "A személyinket elvették, a telefonunkat is. Nem mehetünk le a boltba se. Azt mondták, ha valaki szól, otthon lesz baj."}, P1, ReasonHeldOrControlled, ""},
		{"83 harm to the family alone is a threat, not held", Input{Text: "Azt mondta, ha elmegyek, otthon lesz baj."}, P2, "", ReasonHeldOrControlled},
		{"84 fresh cuts on an arm", Input{Text: "A lányom karján friss vágások vannak."}, P2, "", ""},
		{"84 fresh cuts with a time word of today anywhere", Input{Text: "Most ért haza az iskolából. A karján friss vágások vannak."}, P1, "", ""},
		{"85 told so that someone knows, a pet given away", Input{Text: "Csak hogy valaki tudja. Mindent elintéztem, a macskát is odaadtam a szomszédnak."}, P1, "", ""},
		{"85 a pet given away with the means at hand (en)", Input{Text: "I've given the cat to my sister. The pills are in the drawer by the bed."}, P1, "", ""},
		{"85 a letter to a mother and pills bought (pl)", Input{Text: "Dziś kupiłam tabletki i napisałam list do mamy."}, P1, "", ""},
		{"86 pills gathered", Input{Text: "Összeszedtem a gyógyszereket, összesen 60 szem."}, P1, "", ""},
		{"86 a rope hung up (de)", Input{Text: "Den Strick habe ich schon im Schuppen aufgehängt."}, P1, "", ""},
		{"87 hands round the throat", Input{Text: "Last night he put both hands round my throat in the hallway."}, P1, "", ""},
		{"87 strangling in Slovak", Input{Text: "Včera v noci ma škrtil, kým som neomdlela."}, P1, "", ""},
		{"88 death foretold in broken Hungarian", Input{Text: "Férjem mondja ma éjszaka én meghal, ha nem aláírok papír."}, P1, "", ""},
		{"88 no one left to give to", Input{Text: "Azt mondja, ha reggelig nem adom oda a nyugdíjat, nem lesz kinek adni."}, P1, "", ""},
		{"88 run over with the car", Input{Text: "Azt mondta, ha beadom a papírt, elüt a kocsival."}, P1, "", ""},
		{"88 an unsaid verb over both of us", Input{Text: "Mondta, hogy ha meglát más férfival, akkor mindkettőnket."}, P1, "", ""},
		{"88 buried in the garden", Input{Text: "Azt mondta neki, hogy elássa a kertben, és senki nem fogja keresni."}, P1, "", ""},
		{"89 kept in a house", Input{Text: "They keep me in a house with four other girls."}, P1, ReasonHeldOrControlled, ""},
		{"89 a Russian lock verb with a pronoun", Input{Text: "хозяин запер нас в вагончике"}, P1, ReasonHeldOrControlled, ""},
		{"89 the key taken and no way out by the window", Input{Text: "A kulcsot elvitte reggel, az ablakon nem tudok kimenni, második emelet."}, P1, ReasonHeldOrControlled, ""},
		{"89 not able to go out of a hospital is not held", Input{Text: "Kórházban vagyok, innen nem tudok kimenni."}, P4, "", ReasonHeldOrControlled},
		{"91 a hunting rifle fetched with tonight (de)", Input{Text: "Mein Vater hat heute Nacht das Jagdgewehr aus dem Keller geholt."}, P1, "", ""},
		{"92 suicide told as a place: the edge of a bridge", Input{Text: "most ülök a hídon kint a szélén. nem tudom miért írok ide."}, P1, "", ""},
		{"92 standing on a ledge (en)", Input{Text: "I'm standing on the ledge of the roof and I can't do this anymore."}, P1, "", ""},
		{"92 an edge in a push is no suicide: held against the railing", Input{Text: "Last night he held my head against the balcony railing."}, P2, "", ""},
		{"93 cigarette burns on a child left alone with him tonight", Input{Text: "Az unokám 4 éves. Kerek sebeket láttam a karján, olyanok mint a cigarettától. Ma este a kisfiú egyedül marad vele."}, P1, "", ""},
		{"93 burned with a cigarette (en)", Input{Text: "He burned my arm with his cigarette last week."}, P2, "", ""},
		{"94 a child sold for sex, with tonight", Input{Text: "Az unokahúgom 16 éves. A barátja vendégeket hoz hozzá, ma éjjel is jön valaki."}, P1, "", ""},
		{"94 a child writes that she is sold", Input{Text: "I'm 16. My boyfriend makes me sleep with men for money."}, P1, "", ""},
		{"94 a mother of a small child in sex work, no time", Input{Text: "Van egy 5 éves fiam. Ki akarok szállni, a párom hozza a vendégeket."}, P2, "", ""},
		{"95 strangling told of a patient who goes home tonight", Input{Text: "A patient told me her partner held her by the throat until she lost consciousness. She is going home to him tonight."}, P1, "", ""},
		{"95 a past strangling with a bare now stays lower", Input{Text: "Tíz éve jöttem el egy kapcsolatból, ahol fojtogatott. Most pszichológiát tanulok."}, P2, "", ""},
		{"96 next time you won't get up", Input{Text: "A múltkor azt mondta, hogy legközelebb már nem fogok felkelni a konyhakőről."}, P1, "", ""},
		{"96 they will find her there", Input{Text: "Azt mondta neki, hogy ha este hazamegy, ott fogják megtalálni."}, P1, "", ""},
		{"96 none of us lives to see Christmas", Input{Text: "Ma azt írta, hogy ha beadom, egyikünk se éri meg a karácsonyt."}, P1, "", ""},
		{"96 drowning the baby and an accident claimed (en)", Input{Text: "He told me if I file he will drown the baby in the bath and say it was an accident."}, P1, "", ""},
		{"101 a thank-you that retells the alarm", Input{Text: "Három hete írtam nektek éjszaka, hogy megöl, ha elmegyek. Csak meg akartam köszönni."}, P2, "", ""},
		{"101 a weapon with a past marker", Input{Text: "Tavaly márciusban a férjem a konyhakéssel verte az ajtót. Azóta elváltunk."}, P3, "", ""},
		{"102 a goodbye and no answer since", Input{Text: "A húgom elbúcsúzott tőlem egy üzenetben, azóta nem veszi fel a telefont."}, P1, "", ""},
		{"103 bleeding a lot now", Input{Text: "He hit her with a bottle and she is bleeding a lot, what do we do?"}, P1, "", ""},
		{"104 poison threatened and found", Input{Text: "Azt mondta, tesz valamit a kávémba. Tegnap patkányirtót találtam a szekrényben."}, P1, "", ""},
		{"105 locked in without food", Input{Text: "A szomszéd nénit a fia bezárta a kamrába, nem kap enni."}, P1, "", ""},
		{"105 without food alone", Input{Text: "Az idős anyám nem kap enni a bátyámtól."}, P2, "", ""},
		{"106 not let home", Input{Text: "Négy napja itt vagyok nála és nem enged haza."}, P1, ReasonHeldOrControlled, ""},
		{"106 someone named kept in a flat", Input{Text: "Az unokahúgom azt mondta, egy lakásban tartják őket több lánnyal."}, P1, "", ReasonHeldOrControlled},
		{"106 the dog locked in", Input{Text: "A hídon vagyok. A kutyám a lakásban van bezárva, ki viszi el?"}, P1, "", ReasonHeldOrControlled},
		{"107 a death foretold by a date", Input{Text: "Tegnap azt mondta, hogy a karácsonyt már nem érem meg."}, P1, "", ""},
		{"107 the last Christmas", Input{Text: "Azt mondta, ez az utolsó karácsonyunk együtt."}, P1, "", ""},
		{"107 under the earth (de)", Input{Text: "Mein Sohn hat gesagt, er bringt mich noch vor Ostern unter die Erde."}, P1, "", ""},
		{"107 a broken neck threatened", Input{Text: "My brother is shouting that he will break his neck."}, P1, "", ""},
		{"108 pills counted out (pl)", Input{Text: "Mam odliczone tabletki na stole. Kto zajmie się psem?"}, P1, "", ""},
		{"108 a place picked out", Input{Text: "Nem bírom tovább. Kinéztem a hidat, ma este megyek."}, P1, "", ""},
		{"108 letters for them and the means got", Input{Text: "I've got the rope in the spare room and I've written letters for them."}, P1, "", ""},
		{"108 thinking of jumping (transliterated)", Input{Text: "privet, ya ne znayu vengerskiy. mne 15, otchim p'et i b'et menya, mama govorit terpi. ya seichas sizhu na kryshe nashego doma i dumayu prygnut'"}, P1, "", ""},
		{"109 a child shaken", Input{Text: "A párom megrázta a kisfiunkat, most nem sír és nagyon alszik."}, P1, "", ""},
		{"110 freezing in a car with a child", Input{Text: "Kidobott, mínusz 5 fok van, a kicsivel a kocsiban ülünk."}, P1, "", ""},
		{"110 alone tonight with the stepfather", Input{Text: "14 éves vagyok, anya ma éjjel dolgozik, egyedül leszek a mostohaapámmal. Mindig ilyenkor jön be a szobámba."}, P1, "", ""},
		{"111 do not write, with is", Input{Text: "Megüt, ha iszik. Kérem ne is írjanak vissza."}, P2, ReasonAskedNotToWrite, ""},
		{"112 a band's chorus quoted", Input{Text: "Zenekar vagyunk, új dalunk az erőszakról szól. A refrén: \"ha elmész, megöllek\". Kiírhatjuk a számotokat a klip végén?"}, P4, "", ""},
		{"113 a danger relayed by phone", Input{Text: "Dad just called me whispering that my brother hit him and is now standing at the bedroom door with a hammer."}, P1, "", ReasonHeldOrControlled},
		{"111 someone else's machine", Input{Text: "Ez az ő laptopja, nekem nincs emailem. Megvert tegnap."}, P2, ReasonOtherPersonsDevice, ""},
		{"97 only the boss has the key", Input{Text: "boss keep my passport. door always lock, only boss have key."}, P1, ReasonHeldOrControlled, ""},
		{"98 a door locked on her: the mother is held, not the writer", Input{Text: "Anyám a kis szobában van, kívülről rá van zárva az ajtó."}, P1, "", ReasonHeldOrControlled},
		{"74 a bare now is not tonight", Input{Text: "A férjemmel élek, most megint úgy néz rám. Nem tudom, mit csináljak."}, P2, "", ""},
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
		{"24 the writer taking the children is leaving, not a child taken", Input{Text: "He slapped me again yesterday. He is away from Friday; can I take the kids with me when I leave?"}, P2, "", ""},
		{"24 the abuser says he will take the child", Input{Text: "He hit me yesterday and says he will take the kids tonight."}, P1, "", ""},
		{"24 a child's room at night told of a past time is one lower", Input{Text: "Tíz és tizenkét éves korom között a nevelőapám éjszakánként bejött a szobámba."}, P2, "", ""},
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
		{"32 asked not to be written to, words between", Input{Text: "Kérlek, ne erre az e-mail címre írjatok, hanem hívjatok."}, P4, ReasonAskedNotToWrite, ""},
		{"32 asked not to be written to, words between (en)", Input{Text: "I need advice about a divorce. Please do not reply to this address."}, P3, ReasonAskedNotToWrite, ""},
		{"32 no need to reply, but a reply is welcome, is no request", Input{Text: "Köszönöm a segítséget. Nem kell válaszolni, de ha mégis, örülök neki."}, P4, "", ReasonAskedNotToWrite},
		{"33 no phone of her own: the partner does not allow it", Input{Text: "A húgom nevében írok: mobilja nincs, a férje nem engedi. Tegnap megverte."}, P3, ReasonOtherPersonsDevice, ""},
		{"33 no phone of her own (en)", Input{Text: "I am writing for my sister, her husband won't let her have a phone."}, P4, ReasonOtherPersonsDevice, ""},
		{"26 the ex still knows the password", Input{Text: "A volt férjem még mindig tudja a jelszavamat. Kérhetek távoltartást?"}, P3, ReasonSomeoneReads, ""},
		{"18 papers taken, a debt, not home until paid: held", Input{Text: "Elvették a személyimet, azt mondják, tartozom a szállásért, és amíg nem fizetem ki, nem mehetek haza."}, P1, ReasonHeldOrControlled, ""},
		{"18 papers taken, a debt, a door code not known: held", Input{Text: "They took my passport and say I owe them for the flight. The door has a code and I don't know the code."}, P1, ReasonHeldOrControlled, ""},
		{"19 'you're next' after a pet was killed", Input{Text: "Someone killed our cat and left a note on my car: you're next."}, P1, "", ""},
		{"19 'we won't live till morning' (uk)", Input{Text: "Він п'яний і каже, що ми не доживемо до ранку."}, P1, "", ""},
		{"19 no tomorrow for the writer", Input{Text: "Azt mondta, nem lesz holnapod, ha feljelented."}, P1, "", ""},
		{"19 into the woods and not coming home", Input{Text: "Az apja azt mondta neki, hogy kiviszi az erdőbe, és nem jön haza."}, P1, "", ""},
		{"20 an axe being sharpened (ru)", Input{Text: "Муж точит топор на кухне и молчит."}, P1, "", ""},
		{"34 a witness hears screams now", Input{Text: "Right now I can hear the girl next door screaming and heavy thuds through the wall."}, P1, "", ""},
		{"34 a witness hears screams, no time word", Input{Text: "Sometimes I hear the neighbours' boy screaming at night."}, P2, "", ""},
		{"34 a witness hears screams now (hu)", Input{Text: "Most is hallom a falon át, hogy a szomszéd kisfiú sikoltozik."}, P1, "", ""},
		{"35 a child put out on the balcony for an hour now", Input{Text: "A szomszédok már egy órája kizárták a kisfiút az erkélyre, mínusz öt fok van."}, P1, "", ""},
		{"35 a child put out on the balcony (uk)", Input{Text: "Сусіди вже годину тримають дитину на балконі на морозі."}, P1, "", ""},
		{"36 the abuser at the door of the writer's room, tonight: held", Input{Text: "I'm in the bathroom and he is outside the bathroom door, he says tonight he will kill me."}, P1, ReasonHeldOrControlled, ""},
		{"37 a threat to post intimate videos", Input{Text: "Azt írta, ha nem megyek vissza hozzá, feltölti a meztelen képeimet."}, P2, "", ""},
		{"37 a threat to post intimate videos (en)", Input{Text: "My ex says he will post the videos of us if I don't answer him."}, P2, "", ""},
		{"38 marks of a grip and a swollen eye", Input{Text: "My sister came to see me with a swollen eye and marks on her wrists."}, P2, "", ""},
		{"38 an excuse for an injury", Input{Text: "My daughter says she walked into a door again, the third time this month."}, P2, "", ""},
		{"38 an excuse for an injury, no one close named (row 8)", Input{Text: "She said she walked into a door again, the third time this month."}, P3, "", ""},
		{"39 a survivor asks for a support group", Input{Text: "Tíz éve elváltam tőle. Van olyan csoport, ahol hasonló nők beszélgetnek?"}, P3, "", ""},
		{"39 a survivor asks for a therapist (en)", Input{Text: "Something happened to me as a teenager. Do you know a therapist who works with adults?"}, P3, "", ""},
		{"39 a researcher asking for support groups stays capped", Input{Text: "As a journalist writing an article on helplines, I would like to know which support groups you recommend."}, P4, "", ""},
		{"15 an organisation introducing itself is a topic, not an unread plea", Input{Text: "Wir sind eine Beratungsstelle in Graz und möchten gerne mit Ihnen zusammenarbeiten."}, P4, "", ""},
		{"6 a bare 'now' raises only in its own sentence", Input{Text: "Azt mondta, nem hagyhatom el. Most alszik."}, P2, "", ReasonHeldOrControlled},
		{"6 a phrase stays in its sentence", Input{Text: "A barátnőm fél hazamenni, ezt ő maga mondta meg. Ma szabadnapos vagyok."}, P2, "", ""},
		{"11 a nurse's patient is a concrete person", Input{Text: "Körzeti ápoló vagyok. Az egyik betegem karján zúzódások vannak, a fia veszi fel a nyugdíját."}, P2, "", ""},
		{"40 a match that opens with its own negation is not negated", Input{Text: "A zár semmit nem ér\nne írjatok vissza, a férjem tegnap megvert."}, P2, ReasonAskedNotToWrite, ""},
		{"40 a line break ends a negation's reach", Input{Text: "nem akarok feljelentést\nő olvassa az összes levelemet"}, P3, ReasonSomeoneReads, ""},
		{"41 a door locked from outside holds the writer", Input{Text: "A párom reggel kulcsra zárta a bejárati ajtót kívülről, ma sem jön haza estig."}, P1, ReasonHeldOrControlled, ""},
		{"42 a child's plea to a parent relayed: the child held", Input{Text: "A fiam most üzent, hogy apa gyere értem, nem enged el."}, P1, "", ReasonHeldOrControlled},
		{"42 not let go and asking to be fetched", Input{Text: "Kérlek gyertek értem, nem enged el."}, P1, ReasonHeldOrControlled, ""},
		{"43 fuel poured around the home", Input{Text: "A benzines kannával körbeöntötte a házat és ott áll kint."}, P1, "", ""},
		{"43 a house set alight on those inside", Input{Text: "Azt üzente, hogy ránk gyújtja a házat."}, P1, "", ""},
		{"44 a baby shaken", Input{Text: "My boyfriend shook the baby because she would not stop crying."}, P1, "", ""},
		{"44 a baby shaken (hu)", Input{Text: "A párom megrázta a csecsemőt, azóta nagyon álmos."}, P1, "", ""},
		{"45 a child shut out in freezing cold", Input{Text: "The little girl next door has been outside on the balcony for an hour and it is minus eight."}, P1, "", ""},
		{"46 'tonight you die' is a threat to kill", Input{Text: "He sent me a text: tonight you die."}, P1, "", ""},
		{"46 an image of no one left", Input{Text: "Azt mondta, ha elmegyek, nem lesz kit elvinni."}, P1, "", ""},
		{"46 never seeing the child again (ru)", Input{Text: "Он сказал, что сына я больше не увижу."}, P1, "", ""},
		{"46 'it ends tonight' with a knife at hand", Input{Text: "A kés az asztal mellett van, és azt mondja, ma este lesz vége."}, P1, "", ""},
		{"47 afraid to fall asleep with a weapon in the house", Input{Text: "A baltája a kamrában van, és nem merek elaludni."}, P1, "", ""},
		{"48 held by the throat", Input{Text: "Yesterday he pinned me to the door by my throat."}, P1, "", ""},
		{"49 a rope taken up to the attic", Input{Text: "A kötelet már felvittem a padlásra."}, P1, "", ""},
		{"49 pills counted", Input{Text: "I have the codeine from my operation here, I counted it twice."}, P1, "", ""},
		{"49 a last letter to a parent and no more pain", Input{Text: "Megírtam a levelet anyának. Ott már nem lesz fájdalom."}, P1, "", ""},
		{"50 a gun across the knees, nobody leaves", Input{Text: "He is sitting with the shotgun across his knees and says nobody leaves this house."}, P1, ReasonHeldOrControlled, ""},
		{"51 a threat to throw a child out of the window now", Input{Text: "Most azt üvölti, hogy kidobja a kicsit az ablakon."}, P1, "", ""},
		{"51 things thrown out of a window are no fall", Input{Text: "Kirakott a lakásból, a ruháimat kidobta az ablakon."}, P2, "", ""},
		{"51 things thrown out of a window are no fall (en)", Input{Text: "Tonight he is throwing my things out the window again."}, P2, "", ""},
		{"52 a bank card taken is money, not being held", Input{Text: "Tegnap elvette a bankkártyámat és meglökött."}, P2, "", ReasonHeldOrControlled},
		{"53 papers, a debt for the ticket, out only with him: held", Input{Text: "Elvették az útlevelünket, tartozunk a repülőjeggyel, ki nem mehetünk csak vele."}, P1, ReasonHeldOrControlled, ""},
		{"59 'at first …, now' is these days: the now raises nothing", Input{Text: "At first it was only words, now she slaps me when he is at work."}, P2, "", ""},
		{"59 a now without a beginning still raises", Input{Text: "It was only words, now she slaps me."}, P1, "", ""},
		{"60 the friend is the writer: her story is the writer's", Input{Text: "Egy ismerősöm miatt írok. A férje hetente megveri. Jó, ez én vagyok."}, P2, "", ""},
		{"60 a friend's story stays someone else's", Input{Text: "Egy ismerősöm miatt írok. A férje hetente megveri."}, P3, "", ""},
		{"61 an arrest threatened is control, not being held", Input{Text: "Tartozom az útért, az útlevelem nála van, és a főnök azt mondja, a rendőrség minket fog bezárni."}, P2, "", ReasonHeldOrControlled},
		{"61 locked in by him is held", Input{Text: "Tartozom az útért, az útlevelem nála van, és minket bezár a szobába."}, P1, ReasonHeldOrControlled, ""},
		{"63 harm planned for when the writer sleeps", Input{Text: "She told me next time she'll wait until I'm asleep and use the kettle on my face."}, P1, "", ""},
		{"64 a push from a height with an accident foretold", Input{Text: "Tegnap kitolt a lépcsőházba, a lépcső tetejére, és azt mondta: senki nem kérdezné, baleset volt."}, P1, "", ""},
		{"64 a weapon with 'magának vége'", Input{Text: "Tegnap a fejszét az ajtó mellé támasztotta, és azt mondta, papa, magának vége."}, P1, "", ""},
		{"65 affairs put in order and letters written", Input{Text: "Rendbe tettem a dolgaimat, a kutyát a szomszéd fiú hazavitte. Levelet írtam mindkét fiamnak."}, P1, "", ""},
		{"65 affairs in order and the pills saved up (en)", Input{Text: "Things are in order, my cat goes to my neighbour tomorrow. I've got what I need saved up from the prescriptions."}, P1, "", ""},
		{"65 affairs in order alone", Input{Text: "Rendbe tettem a dolgaimat, mert költözöm."}, P2, "", ""},
		{"66 a house to burn with the writer in it", Input{Text: "Azt mondta, hogy ennek a háznak le kéne égnie, velem együtt."}, P1, "", ""},
		{"66 setting alight, in Slovak", Input{Text: "Môj bývalý stojí pred domom a kričí, že ma podpáli."}, P1, "", ""},
		{"67 hidden photos of a child, the child alone with him now", Input{Text: "A párom telefonján képek vannak a lányomról a fürdőszobában. Most ők ketten vannak otthon."}, P1, "", ""},
		{"67 hidden photos alone", Input{Text: "A párom telefonján képeket találtam a lányomról, alvás közben."}, P2, "", ""},
		{"68 everything ready, the rope bought", Input{Text: "A garázsban már kész minden, a kötelet megvettem."}, P1, "", ""},
		{"69 a child not to be taken: a worry, not a child taken", Input{Text: "До війни він мене бив. Чи можна зробити так, щоб він не забрав доньку?"}, P3, "", ""},
		{"70 a 'because' clause tells of its clause's time", Input{Text: "Két éve elköltöztem a férjemtől, mert akkor rendszeresen bántott."}, P3, "", ""},
		{"70 childhood is a past marker", Input{Text: "My father beat me throughout our childhood."}, P3, "", ""},
		{"71 a blow named by where it lands", Input{Text: "Tegnap este a férjem a kocsiban fejbe vágott, és kitett az út szélén."}, P2, "", ""},
		{"71 finger marks on a child's arm", Input{Text: "A kislányom karján ujjnyomokat láttam."}, P2, "", ""},
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
		{"54 Russian in Latin letters with a paragraph in English", Input{Text: "muzh skazal chto segodnja ubyot menja, ja bojus, pishu s telefona sestry.\n\nThank you so much for reading this."}, "ru", nil, nil},
		{"55 where to stay, asked", Input{Text: "A volt párom fenyeget. Hétfőtől hol tudnék lakni a gyerekekkel?"}, "hu", []Category{ShelterRequest}, nil},
		{"55 where to go tonight, asked (en)", Input{Text: "He hit me again. Where can I go tonight?"}, "en", []Category{ShelterRequest}, nil},
		{"56 abuse at a child's age told by an adult", Input{Text: "Tíz éves koromban a nagybátyám bántott. Elévült már?"}, "hu", []Category{ChildAbuse}, nil},
		{"56 abuse at a child's age told by an adult (en)", Input{Text: "When I was eight my uncle abused me. Can I still report it?"}, "en", []Category{ChildAbuse}, nil},
		{"57 men counted by the day", Input{Text: "Minden nap hat férfi jön, a pénzt ő tartja meg."}, "hu", []Category{Prostitution}, nil},
		{"57 made to stand in the street (ro)", Input{Text: "iubitul meu ma pune sa stau pe strada noaptea si ia toti banii"}, "ro", []Category{Prostitution}, nil},
		{"72 sex work told by its practices: clients found for her", Input{Text: "Két éve dolgozom, a párom talál ügyfeleket és ő tartja a pénzt."}, "hu", []Category{Prostitution}, nil},
		{"72 an advert put up by him", Input{Text: "Ő visz mindenhova, ő adja fel a hirdetést, és elveszi a pénz felét."}, "hu", []Category{Prostitution}, nil},
		{"72 working with men (de)", Input{Text: "Jetzt ich muss in einem Haus arbeiten mit Männern, jeden Tag."}, "other", []Category{Prostitution}, nil},
		{"73 whom to tell, asked", Input{Text: "Az egyik tanítványom karján foltokat láttam. Kinek kell szólnom?"}, "hu", []Category{LegalInfo}, nil},
		{"73 is it legal, asked (en)", Input{Text: "He keeps texting me at night. Is there anything I can legally do?"}, "en", []Category{LegalInfo}, nil},
		{"90 a place asked for", Input{Text: "Van olyan hely, ahol egy 17 éves lehet pár napig?"}, "hu", []Category{ShelterRequest}, nil},
		{"90 where one can go, asked", Input{Text: "Este 6 után tudok indulni. Hova lehet menni aznap?"}, "hu", []Category{ShelterRequest}, nil},
		{"58 the people named say what it is about", Input{Text: "A férjemmel élek, megint úgy néz rám. Nem tudom, mit csináljak."}, "hu", []Category{PartnerViolence}, nil},
		{"72 a massage with extras, a client's phone (en)", Input{Text: "I work in a massage salon with extras. I write from a client phone."}, "en", []Category{Prostitution}, nil},
		{"72 out of the street (hu)", Input{Text: "Egy éve kiszálltam az utcáról, maradt egy bírságom. Részletfizetést lehet kérni?"}, "hu", []Category{Prostitution}, nil},
		{"100 a relative named as a refuge is no family violence", Input{Text: "Tegnap a nyakamat szorította. Anyámékhoz nem mehetek, ott keresne először."}, "hu", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"100 an unnamed harm beside a child is a partner's", Input{Text: "most itt van az ajto elott es dorombol, reszeg. a gyerekek sirnak a szobaban."}, "hu", []Category{PartnerViolence}, []Category{ChildAbuse}},
		{"130 a child there while the writer is harmed is no child harmed", Input{Text: "A férjem megvert, a gyerekek otthon voltak."}, "hu", []Category{PartnerViolence}, []Category{ChildAbuse}},
		{"130 children named apart from the harm (en)", Input{Text: "My husband beats me. The kids are at home."}, "en", []Category{PartnerViolence}, []Category{ChildAbuse}},
		{"130 children with the writer afraid", Input{Text: "A párom megvert. Félek, két kisgyerekünk van."}, "hu", []Category{PartnerViolence}, []Category{ChildAbuse}},
		{"130 a child the object of the harm is child abuse alone", Input{Text: "A férjem megütötte a gyereket."}, "hu", []Category{ChildAbuse}, []Category{PartnerViolence, FamilyViolence}},
		{"130 a son hit is a child harmed (en)", Input{Text: "He hit our son."}, "en", []Category{ChildAbuse}, []Category{FamilyViolence}},
		{"130 a son who hits the writer is family violence", Input{Text: "My son hits me when I don't give him money."}, "en", []Category{FamilyViolence}, []Category{ChildAbuse, PartnerViolence}},
		{"130 a relative the writer is with is no family violence", Input{Text: "Megvert, a húgommal voltam."}, "hu", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"130 a relative told is no family violence (en)", Input{Text: "He hit me and told my sister."}, "en", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"130 a relative owning a thing is no family violence", Input{Text: "Tegnap megvert a férjem a húgom kocsija mellett."}, "hu", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"130 the writer's own age counts", Input{Text: "16 éves vagyok, apám tegnap megvert."}, "hu", []Category{ChildAbuse}, nil},
		{"130 a writer under 18 harmed by a mother's partner", Input{Text: "17 vagyok, anyám élettársa tegnap megvert."}, "hu", []Category{ChildAbuse}, []Category{PartnerViolence, FamilyViolence}},
		{"130 a child harmed by someone else's partner", Input{Text: "A szomszédban az anyja élettársa veri a kisfiút."}, "hu", []Category{ChildAbuse}, []Category{PartnerViolence}},
		{"130 the writer and the children threatened (en)", Input{Text: "He says he will kill me and the kids."}, "en", []Category{PartnerViolence, ChildAbuse}, nil},
		{"130 a relative told of after the harm", Input{Text: "Tegnap megint megvert a párom, mert holnap jön az anyósa."}, "hu", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"130 a childhood told as a phrase (en)", Input{Text: "I was abused by my father as a child. Is there a group for adults?"}, "en", []Category{ChildAbuse}, []Category{FamilyViolence}},
		{"130 a son of an adult's age", Input{Text: "A fiam (41) tegnap megütött, mert nem adtam pénzt."}, "hu", []Category{FamilyViolence}, []Category{ChildAbuse}},
		{"130 a son of an adult's age (en)", Input{Text: "My son, who is 52, hit me when I would not give him my card."}, "en", []Category{FamilyViolence}, []Category{ChildAbuse}},
		{"131 a relative threatened by traffickers", Input{Text: "Elvették az útlevelemet, tartozom nekik az útért. Tegnap megvertek, és azt mondták, tudják, hol lakik anyám."}, "hu", []Category{Trafficking}, []Category{FamilyViolence, PartnerViolence}},
		{"132 papers kept by a partner", Input{Text: "A férjem elvette az útlevelemet, és nem enged ki a lakásból."}, "hu", []Category{PartnerViolence}, []Category{Trafficking}},
		{"132 papers kept by a partner (en)", Input{Text: "My husband took my passport and locks me in."}, "en", []Category{PartnerViolence}, []Category{Trafficking}},
		{"132 papers kept, and men brought, is trafficking still", Input{Text: "A barátom elvette az útlevelemet, minden nap férfiakat hoz hozzám."}, "hu", []Category{Trafficking}, nil},
		{"133 a protection order asked about", Input{Text: "A távoltartás december közepén lejár. Meg lehet hosszabbítani?"}, "hu", []Category{PartnerViolence, LegalInfo}, nil},
		{"133 a shelter with the children", Input{Text: "Három hete a krízisotthonban vagyunk a gyerekekkel. Új lakcímkártyához kell a személyi?"}, "hu", []Category{PartnerViolence, ShelterRequest}, nil},
		{"134 a mother harmed by the father", Input{Text: "Apa megint ivott és kést fogott anyára a konyhában."}, "hu", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"134 a mother harmed by a stepfather (en)", Input{Text: "My stepdad hits mum every weekend."}, "en", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"134 a mother harmed by a brother", Input{Text: "A bátyám megverte anyámat."}, "hu", []Category{FamilyViolence}, []Category{PartnerViolence}},
		{"135 the children's father", Input{Text: "A gyerekek apja tegnap megvert."}, "hu", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"135 the father of my children (en)", Input{Text: "The father of my children hit me last night."}, "en", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"136 a sister harmed by her partner", Input{Text: "A húgomat a férje veri, mit tehetek, hogy segítsek neki?"}, "hu", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"136 a sister harmed by her ex (en)", Input{Text: "My sister was abused by her ex last year. Can you recommend a therapist?"}, "en", []Category{PartnerViolence}, []Category{FamilyViolence}},
		{"136 a sister harmed by a brother stays family violence", Input{Text: "A bátyám megverte a húgomat."}, "hu", []Category{FamilyViolence}, []Category{PartnerViolence}},
		{"137 a partner named as a relative's owner", Input{Text: "A férjem öccse nálunk lakik, tegnap a pulthoz nyomott és megcsavarta a csuklómat."}, "hu", []Category{FamilyViolence}, []Category{PartnerViolence}},
		{"137 a partner named as a relative's owner (en)", Input{Text: "My husband's brother lives with us and yesterday he pushed me against the wall."}, "en", []Category{FamilyViolence}, []Category{PartnerViolence}},
		{"90 be nice to his friends, they pay", Input{Text: "Azt mondta, a barátainak is kell néha kedvesnek lenni, de azért fizetnek."}, "hu", []Category{Prostitution}, nil},
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

// TestDecisionTableFlags tests the rows of the decision table that decide
// the do_not_reply flag rather than the priority.
func TestDecisionTableFlags(t *testing.T) {
	t.Parallel()
	r := Default()
	for _, tc := range []struct {
		row  string
		in   Input
		flag bool
	}{
		{"62 no one reads: 'úgysem olvassa senki'", Input{Text: "Nem is tudom, miért írok, úgysem olvassa senki."}, false},
		{"62 someone reads", Input{Text: "Nem tudom, miért írok, a férjem olvassa a leveleimet."}, true},
		{"62 the writer's own phone", Input{Text: "I have no papers. I am writing from my own phone."}, false},
		{"62 a friend's phone", Input{Text: "I am writing from my friend's phone."}, true},
		{"99 from his computer, said colloquially", Input{Text: "az ő gépénről írok mert a telefonom nála van"}, true},
		{"99 his phone named in a story is no device written from", Input{Text: "In the film she sends a message from his phone."}, false},
		{"115 on someone else's phone, in the -n case", Input{Text: "a sogornom telefonjan irok. kerem segitsenek"}, true},
		{"115 on my own phone", Input{Text: "a saját telefonomon írok, kérem segítsenek"}, false},
	} {
		t.Run(tc.row, func(t *testing.T) {
			t.Parallel()
			v := r.Triage(tc.in)
			if got := slices.Contains(v.Flags, FlagDoNotReply); got != tc.flag {
				t.Errorf("do_not_reply %v, want %v\n%s", got, tc.flag, r.Explain(tc.in))
			}
		})
	}
}
