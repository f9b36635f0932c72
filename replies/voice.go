package replies

import (
	"regexp"
	"slices"

	"github.com/ncsszi/okit/triage"
)

// Voice is how an answer addresses the writer: formally (magázás, "Ön";
// "Ви", "Вы") or informally (tegezés, "te"; "ти", "ты"; in English a
// plainer, warmer wording).
type Voice string

// The voices of an answer.
const (
	VoiceFormal   Voice = "formal"
	VoiceInformal Voice = "informal"
)

// Voices are the voices, the default first.
func Voices() []Voice { return []Voice{VoiceFormal, VoiceInformal} }

// FrameName is the template of an answer in a voice: the formal one is
// the template itself (information), the informal one the template of the
// same name with _informal (information_informal). The informal frame is
// written for a child or a teenager: it leaves out what is an adult's
// (a crisis home for "you and your children") and asks them to tell us
// instead.
func FrameName(template string, v Voice) string {
	if v == VoiceInformal {
		return template + "_" + string(VoiceInformal)
	}
	return template
}

// FlagMinor marks a case whose writer says they are a child or a
// teenager. Triage does not set it yet; a rule set that does is heard.
const FlagMinor = "minor"

// childWriter are ways a writer says, in Hungarian, English, Ukrainian or
// Russian, that they are a child or a teenager, folded as triage folds
// text: an age under 18 said of oneself, a school class, words children
// use of their parents ("apu megütött").
var childWriter = regexp.MustCompile(`(?:^|[^\p{L}\d])(?:` + `(?:[6-9]|1[0-7]) ?eves vagyok|vagyok (?:[6-9]|1[0-7]) ?eves|tizen\p{L}* eves vagyok|` +
	`\d\d?\. ?(?:-?os|-?es|-?as)? ?osztalyos|osztalyba jarok|osztalyfonok|iskolas vagyok|diak vagyok|kamasz vagyok|` +
	`apu|anyu|apukam|anyukam|apum|anyum|` +
	`i(?: am|'m|m) (?:only )?(?:[6-9]|1[0-7])\b|(?:[6-9]|1[0-7]) years? old|i(?: am|'m|m) (?:a )?(?:kid|child|teen|teenager|student)\b|my mum|my mom|my dad|` +
	`мені (?:[6-9]|1[0-7]) рок|мне (?:[6-9]|1[0-7]) (?:лет|год)|я школяр|я школьни|я підліт|я подрост|мама б|папа б|тато б)`)

// VoiceFor is the voice an answer is offered in by default: informal
// when the case is flagged as a minor's or the writer's words say they
// are a child or a teenager, formal otherwise. The operator sees the
// frame and can switch before sending.
func VoiceFor(flags []string, writerTexts ...string) Voice {
	if slices.Contains(flags, FlagMinor) {
		return VoiceInformal
	}
	for _, t := range writerTexts {
		if childWriter.MatchString(triage.Fold(t)) {
			return VoiceInformal
		}
	}
	return VoiceFormal
}
