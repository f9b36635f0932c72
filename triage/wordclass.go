package triage

// wordClass marks the small closed sets of words the policy asks about
// (pronouns, articles, conjunctions …). They sit in the matching trie, so
// a word's classes come with the walk that matches it, and the policy
// asks a bit instead of a map.
type wordClass uint32

const (
	clsPossessive     wordClass = 1 << iota // my, our, mein, мій …
	clsObjectPronoun                        // me, us, engem, minket, rám …: the writer as the one acted on
	clsOnMeAux                              // akar, fog: "meg akar ölni" (me); akarja is him or her
	clsGeneric                              // valaki, someone: a verb's unsaid object is not the writer
	clsArticle                              // a, az, egy, the
	clsNotObject                            // sokat, kicsit: -t words that are no object
	clsRomanianMe                           // mă, mi, îmi …: the writer in Romanian
	clsClauseOpener                         // hogy, that: a retold clause starts with one
	clsAbout                                // about, regarding, the risk of …
	clsThirdPronoun                         // őt, rá, him, her, them
	clsNeg                                  // nem, not (for "ha nem", "if not")
	clsWriterOrReader                       // I, we, you: they read their own mail
	clsPlease                               // please, kindly: an imperative follows
	clsThirdSubject                         // he, she, someone, my husband …: reads the writer's mail
	clsClauseWord                           // opens a clause after a comma: hogy, mert, that, because …
	clsContrast                             // opens a clause always: de, but, however …
	clsUnless                               // hacsak, unless
	clsIf                                   // ha, if
	clsFromPlace                            // kívülről, belülről …: -ról/-ről of place, not "about"
	clsTheirs                               // his, her, their …: a thing that is someone else's
	clsAsk                                  // kérdezni, ask, wondering …: the writer asks (row 29)
	clsReflexive                            // myself, magamra …: the writer's own act on themself (row 14)
	clsRelOpener                            // aki, amikor, ahol, who, when, where …: a clause about the person, time or place just named (row 3)
	clsAtFirst                              // eleinte, at first …: a bare "now" after it is "these days" (row 59)
	clsBecause                              // mert, because …: a reason told of the time of the clause it hangs on (row 3)
	clsToldWriter                           // értettem, hallottam, heard …: what follows was told to the writer (row 163)
	clsMessaged                             // sms, texted, üzent …: a message came to the writer, unless the writer sent it (row 163)
	clsGroupHeld                            // girls, women, lányok, dziewczyny …: a group named as the ones held (rows 14, 231)
)

// classWords lists the words of each class, as a message may spell them;
// they are folded when compiled. They describe the languages, not a
// supervisor's choice, so they live here rather than in the rules file.
var classWords = []struct {
	class wordClass
	words string
}{
	{clsPossessive, `my our mein meine meinen meinem meiner unser unsere мій моя мого моєї мой моего моей meu mea mei mele`},
	{clsObjectPronoun, `engem minket nekem nekünk velem velünk rám ránk tőlem magam magamat myself me us mich mir uns мене мені нас меня мне`},
	{clsOnMeAux, `akar akart akarnak akartak fog fognak`},
	{clsGeneric, `valaki valakit valakinek valakivel bárki bárkit aki akit someone somebody anyone anybody`},
	{clsArticle, `a az egy the`},
	{clsNotObject, `sokat keveset eleget egyet éppet kicsit nagyot újat`},
	{clsRomanianMe, `mă m mi îmi ne eu noi`},
	{clsRelOpener, `aki akit akinek akivel akitől amikor mikor ahol ahonnan who whom when where который которая которые когда где який яка які коли де care când cand unde der die als wo`},
	{clsClauseOpener, `hogy that`},
	{clsAbout, `about regarding concerning über risk risks prevention kockázat kockázata veszély veszélye megelőzés prevenció
		főszereplő főszereplője főszereplőjét főszereplőm főszereplőmet szereplő szereplője szereplőjét szereplőm hősnő hősnője hősnőjét
		hősnőm character characters protagonist heroine recognising recognizing recognition identifying indicators felismerése
		felismerését felismeréséről`},
	{clsThirdPronoun, `őt őket neki nekik vele velük rá rájuk him her them his their ihn ihr sie ее его їх її ju ją`},
	{clsNeg, `nem not`},
	{clsWriterOrReader, `i we you i'll i'm i've we'll we're you'll you're let's lets`},
	{clsPlease, `please kindly pls`},
	{clsThirdSubject, `he she they someone somebody he's she's they're husband boyfriend partner ex wife girlfriend father mother dad stepdad`},
	{clsClauseWord, `hogy és mert ha amikor mikor míg amíg aki ami amit akit amely ahol majd vagy pedig hiszen úgyhogy
		ezért mivel mintha bár habár akkor
		that and because when if while although though so who which where since after before until then
		dass und weil wenn als ob că si pentru dacă când що і бо коли якщо что и потому когда если
		most now jetzt acum сейчас теперь зараз тепер`},
	{clsContrast, `de viszont azonban mégis csakhogy but however although aber dar але но однако`},
	{clsUnless, `hacsak unless`},
	{clsIf, `ha if`},
	{clsFromPlace, `kívülről belülről felülről alulról hátulról elölről oldalról fentről lentről távolról közelről messziről
		mindenhonnan kintről bentről`},
	{clsTheirs, `his her their ihr ihre ihren ihrem sein seine seinen seinem його її їх его ее её их jej jego jeho`},
	{clsAsk, `kérdezni kérdezném kérdeznék kérdezem kérdezek kérdezhetek kérdezném megkérdezni megkérdezném megkérdeznék
		megkérdezem kérdés kérdésem kérdéseim kérdéssel érdeklődnék érdeklődni érdeklődöm érdeklődünk ask asking wondering
		question questions fragen frage fragen întreb intreb întrebare întrebări intrebari спросить спрашиваю вопрос запитати
		запитую питання`},
	{clsBecause, `mert because weil deoarece fiindcă fiindca бо оскільки потому поскольку`},
	{clsGroupHeld, `girls women workers men people lányok lányokat nők nőket emberek embereket dziewczyny dziewczyn kobiety kobiet
		ludzie ludzi девушки девушек женщины женщин люди людей дівчата дівчат жінки жінок mädchen frauen menschen arbeiter fetele fete
		femeile femei oamenii oameni dievčatá ženy ľudia`},
	{clsToldWriter, `értettem hallottam megtudtam megértettem erzählt understood heard`},
	{clsMessaged, `sms üzent üzente texted scris geschrieben írt írta wrote messaged написала написал написав schrieb napisała napisał`},
	{clsAtFirst, `eleinte kezdetben kezdetekben initially anfangs zuerst сначала спочатку inițial initial`},
	{clsReflexive, `myself ourselves magamra magunkra magam magamat magunkat себя себе`},
}

// is reports whether word i of w is of class c.
func (w *words) is(i int, c wordClass) bool { return w.toks[i].class&c != 0 }
