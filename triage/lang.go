package triage

import "strings"

// Language hints: frequent words that belong to one language only, folded.
// Words shared by two of them, or with Slavic languages ("a", "is", "de",
// "in", "mit", "ma", "am", "do")
// are left out on purpose.
const (
	langHU = iota
	langEN
	langDE
	langRO
	langRUt // Russian in Latin letters (translit.go)
	langUKt // Ukrainian in Latin letters
	numLangs
)

func langWords() [numLangs][]string {
	return [numLangs][]string{
		langHU: strings.Fields(`az es hogy nem van egy meg mar csak ha mert mint ez azt ezt el ki fel
			nekem engem vagyok vagy volt lesz nagyon hol hova hogyan tudom tudok kerem koszonom
			szeretnek szeretnem kell sem majd mindig megint tegnap ota utan elott alatt nalam vele
			neki aki ami amikor akkor igy ugy itt ott miatt szerint sziasztok szia tisztelt kedves
			jo napot ferjem parom gyerekek gyerekem segitseg segitsetek segitseget vagyunk vannak
			nincs kerdes kerdezni lehet tudnak tudnatok ilyen minden semmi valami azota mikor
			ezert pedig vagyis illetve mert hanem sot tole nala velem rola errol arrol akar akart akarok
			mondta mondja tudja haza otthon kellene voltam lett tudna egyik masik mindenki senki valaki
			nekunk nekik tavaly holnap reggel ejjel dolgozom ez uzenet uzenetet uzenetem levelet levelem levelere altal
			kovetkezo eredeti sikerult sikerul elso onok onoket onnek ont onnel szeretettel meghivjuk helyszin
			beluli eroszak idopont`),
		langEN: strings.Fields(`the and i to my me he she you of it that this with for have has was are
			not don't can please help him her his we they would what from at or if your our
			about out there been know want because hi hello dear thank thanks who how where when
			just very scared husband boyfriend i'm it's can't won't didn't doesn't he's she's`),
		langDE: strings.Fields(`ich und der die das nicht mein meine mich mir ist bin sie er ein eine zu
			habe wir bitte auf fur von dem den ihr ihnen vielen dank nachricht mann kinder hilfe
			kein keine schon noch auch aber oder wenn weil`),
		langRO: strings.Fields(`si nu sa este sunt eu meu mea la pe cu ca dar vreau va rog multumesc sotul
			copiii copilul foarte pentru fost ajutor buna ziua aseara spus daca unde cand mi
			sotia nevoie acasa ajutati`),
		// Transliterated Russian and Ukrainian: words no other language
		// the rules read, or Polish and Slovak, writes this way.
		langRUt: strings.Fields(`menya menja mne chto shto eto muzh pishu segodnja segodnya segodnia sevodnya vchera uzhe
			esli yesli kogda pomogite pozhalujsta pozhaluista pozhaluysta zdravstvujte zdravstvuyte seichas sejchas
			seychas deti detej detey kvartire zabral skazal skazala govorit mozhno nichego khochu hochu khochet
			hochet mogu boyus bojus pomoshch pomosch tolko ochen privezli latinitsej latinitsey latinicej russkoj
			russkoy klaviatury kotoryj chtoby shtoby bylo yego nego tebya sebya vsyo ubyot ubyu ubjot ubju ubil
			menia mnoj ubyet ubiet ubjet moya moyu moego moyego segodnja zarezhet ugrozhal`),
		langUKt: strings.Fields(`mene meni shcho scho tse cholovik pyshu sohodni sogodni vchora vzhe yakshcho yakscho
			jakscho koly dopomozhit dopomozhit dopomozhy dopomozhitj dobryi dobryy dobrij sichas dity ditei ditey
			kvartyri zabraly kazhut kazhe hovoryt mozhna nichoho nichogo khoche mozhu boius boiusia boyusya dopomoha
			dopomoga tilky tilki duzhe pryvezly latynkoiu latynytseiu latynytseyu cholovikiv yakyi shchob shchoby bulo
			buv vony yikh yiyi yoho joho nyoho yomu jomu ukrainy vidpovidaite pyshit dyakuyu diakuiu dyakuju
			hroshei hroshi kolehy vin vona moia moya mii miy moho nioho teper skazav skazala kazav
			pohrozhuvav pohrozhuie vbye vbyty`),
	}
}

// language guesses "hu", "en", "de", "ro" or LanguageOther from language hints and script.
// Text too short to tell, in Latin script, is taken as Hungarian, the
// language most writers use. A language must account for at least one
// word in ten to be chosen: a stray "i" does not make Polish English.
func language(counts [numLangs]int, latin, nonLatin, huStrong, huWeak, huSuffix int) string {
	counts[langHU] += huStrong + huWeak/3 + huSuffix
	if nonLatin > latin {
		return LanguageOther
	}
	if latin <= 3 {
		if counts[langEN] > counts[langHU] {
			return "en"
		}
		return "hu"
	}
	best, bestN := -1, 0
	for l := 0; l < numLangs; l++ {
		if counts[l] > bestN {
			best, bestN = l, counts[l]
		}
	}
	switch {
	case best >= 0 && (bestN*10 < latin || bestN < 2 && latin > 6):
		return LanguageOther
	case best == langHU:
		return "hu"
	case best == langEN:
		return "en"
	case best == langDE:
		return "de"
	case best == langRO:
		return "ro"
	}
	return LanguageOther
}

// thinLexicon reports whether the rules read lang only thinly: German,
// Romanian, Ukrainian and Russian have lexicons for the gravest concepts,
// not for every way a plea is said, so a message in one of them in which
// no signal and no topic is found is read as urgent, like an unknown
// language (row 15).
func thinLexicon(lang string) bool {
	switch lang {
	case "de", "ro", "uk", "ru":
		return true
	}
	return false
}

// huSuffix reports whether a folded word ends in a Hungarian case suffix
// that English, German and Romanian words seldom end in: -ban/-ben (in),
// -nak/-nek (to), -hoz/-hez (towards), -bol (out of), -rol/-rel (about,
// off), or a Hungarian noun ending: -ság/-ség, -zás/-vás (the -ás/-és of a
// deed after z or v). It lets accent-free Hungarian with few function
// words ("a lakasbol", "a szomszednak", a newsletter's "felhivas",
// "leiratkozas") be told from English.
func huSuffix(end []byte) bool {
	switch string(end) {
	case "ban", "ben", "nak", "nek", "hoz", "hez", "bol", "rol", "rel", "sag", "seg", "zas", "vas":
		return true
	}
	return false
}

// readability finds a sentence of the writer's new text in Latin script
// that triage cannot read: unreadWords words or more, two of them with
// letters of an alphabet it does not read (Polish ą ł ś, Czech ř ů …),
// fewer than one in five a hint of Hungarian, English, German or
// Romanian (a frequent word, or an ending, see readableEnding). Accents do not
// count, so that a message typed without them reads the same. A Polish plea with a
// Hungarian closing added is still a plea nobody has read.
const unreadWords = 6

type readability struct {
	sent                   int32 // the sentence being counted, -1 before the first
	words, hinted, foreign int
	unread                 bool
}

// word counts one word of sentence sent.
func (r *readability) word(sent int32, hinted, foreign bool) {
	if sent != r.sent {
		r.end()
		r.sent = sent
	}
	r.words++
	if hinted {
		r.hinted++
	}
	if foreign {
		r.foreign++
	}
}

// end closes the sentence being counted.
func (r *readability) end() {
	if r.words >= unreadWords && r.foreign >= 2 && r.hinted*5 < r.words {
		r.unread = true
	}
	r.words, r.hinted, r.foreign = 0, 0, 0
}

// readableEnding reports whether a word of five letters or more ends the
// way Hungarian or English words do and Polish, Czech or Slovak words
// seldom do: Hungarian cases (-ról, -tól, -val, -nál, -ért, -ban …) and
// past forms (-ott, -ett, -tta), English -ing, -ion, -ly.
func readableEnding(b []byte) bool {
	n := len(b)
	if n < 5 {
		return false
	}
	switch string(b[n-3:]) {
	case "rol", "tol", "val", "vel", "ert", "nal", "nel", "ott", "ett", "tte", "tta", "nak", "nek", "ban", "ben", "hoz", "hez", "bol", "ing", "ion":
		return true
	}
	return string(b[n-2:]) == "ly"
}
