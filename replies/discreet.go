package replies

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ncsszi/okit/triage"
)

// signals reports whether the triage rules find any sign in s: any rule
// at all, violence, a shelter, a partner, a child. The word lists below
// catch what a reply itself might say; a writer's own subject ("apu
// megütött", "A fiam bánt") can say far more, so it is echoed only when
// the rules okit triages with — the configured ones, so that a danger word
// a supervisor adds is never echoed either — find nothing in it.
func signals(rules *triage.Rules, s string) bool {
	return len(rules.Triage(triage.Input{Subject: s}).Rules) > 0
}

// revealingStems are words that, in a subject or the first lines of a
// reply, would tell anyone glancing at the writer's screen (a lock-screen
// preview, a mailbox list) what the mail is about. They are folded
// (lower case, no accents; see triage.Fold) and matched anywhere in a
// word, because Hungarian joins them into compounds
// ("gyermekbántalmazás", "krízisotthon") and writers often leave out the
// accents ("eroszak").
var revealingStems = []string{
	// Hungarian
	"eroszak", "bantalm", "krizis", "menedek", "aldozat", "prostitu",
	"emberkereskedel", "fenyeget", "zaklat", "megver", "molesztal",
	"tavoltart", "segelyvonal", "lelkisegely", "gyermekvedelm",
	"gyermekjolet", "csaladsegit", "rendor",
	// English
	"violen", "abus", "shelter", "crisis", "victim", "traffick",
	"prostitut", "assault", "harass", "threat", "refuge", "hotline",
	"helpline", "police",
	// Ukrainian and Russian (folded: й is и, ї is і, ё is е)
	"насил", "криз", "притул", "убежищ", "жертв", "поліц", "полиц",
	"проститу",
}

// revealingWords are matched as whole words only, because they are short
// enough to hide inside innocent words. "okit" is here: the name is one
// search away from "Országos Kríziskezelő", and while the sender address
// names it anyway, a subject line is what previews show first.
var revealingWords = []string{"okit", "ncsszi", "rape"}

// hotlineDigits is the free line without punctuation: "80/20-55-20",
// "06 80 205 520" and the like all contain it once the digits are joined.
const hotlineDigits = "80205520"

// Revealing returns the first word in s that would reveal what a reply is
// about (abuse, violence, a shelter, a crisis line, the hotline's number),
// or "" when s is discreet. It is meant for subjects, opening lines and
// display names, not for a whole body.
func Revealing(s string) string {
	f := triage.Fold(s)
	for _, w := range revealingStems {
		if strings.Contains(f, w) {
			return w
		}
	}
	for _, w := range strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		for _, r := range revealingWords {
			if w == r {
				return r
			}
		}
	}
	digits := strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, s)
	if strings.Contains(digits, hotlineDigits) {
		return "80/20-55-20"
	}
	return ""
}

// maxSubject is the most runes of the writer's subject echoed back: enough
// to recognise the thread, short enough for any header line.
const maxSubject = 150

// replyPrefixes are the reply markers mail programs put before a subject,
// folded: English, Hungarian Outlook ("Vá:"), German, Nordic.
var replyPrefixes = []string{"re", "va", "aw", "sv", "vs", "antw"}

// replySubject is the subject of a reply to a message with the given
// subject: "Re: " and the writer's own subject, or neutral when the
// writer's subject is empty or would reveal what the mail is about to
// anyone (Revealing) or to the rules. A writer chose their words for a
// mail they sent; a reply's subject shows on their screen when it
// arrives, where someone else may see it.
func replySubject(rules *triage.Rules, subject, neutral string) string {
	s := strings.Join(strings.Fields(subject), " ")
	for {
		t := stripReplyPrefix(s)
		if t == s {
			break
		}
		s = t
	}
	if s == "" || Revealing(s) != "" || signals(rules, s) {
		return neutral
	}
	if utf8.RuneCountInString(s) > maxSubject {
		s = string([]rune(s)[:maxSubject]) + "…"
	}
	return "Re: " + s
}

// stripReplyPrefix removes one leading "Re:", "RE[2]:", "Vá:" or the like.
func stripReplyPrefix(s string) string {
	colon := strings.IndexByte(s, ':')
	if colon < 0 || colon > 10 {
		return s
	}
	p := triage.Fold(s[:colon])
	if i := strings.IndexByte(p, '['); i > 0 && strings.HasSuffix(p, "]") {
		p = p[:i] // "Re[2]"
	}
	for _, r := range replyPrefixes {
		if p == r {
			return strings.TrimSpace(s[colon+1:])
		}
	}
	return s
}
