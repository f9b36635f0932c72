package web

import (
	"strings"

	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage"
)

// answerFrame is the answer template in one voice around the operator's
// words, as the form shows it.
type answerFrame struct {
	Voice         replies.Voice
	Before, After string
}

// answerFrames renders the answer template in each voice, and says which
// voice the answer is offered in: informal when the writer's words say
// they are a child or a teenager (replies.VoiceFor). The operator sees the
// frame of the voice chosen and can switch before sending; the mail is
// rendered from the same template in the voice sent.
func (s *Server) answerFrames(cd storage.CaseDetail, signature string, msgs []caseMessage) (replies.Voice, []answerFrame) {
	var last message.Summary // the writer's latest message, which the answer answers
	var texts []string
	for _, m := range msgs {
		if m.Direction != "in" {
			continue
		}
		last = m.Summary
		texts = append(texts, m.Summary.Subject)
		if m.Parsed != nil {
			texts = append(texts, m.Parsed.Text)
		}
	}
	data := replies.DataFor(last, signature)
	data.Text = answerMarker
	var frames []answerFrame
	for _, v := range replies.Voices() {
		_, body, err := s.mail.Render(replies.FrameName(replies.TemplateInformation, v), cd.Language, data)
		if err != nil {
			s.log.Error("console: render the answer template", "voice", string(v), "err", err)
			continue
		}
		before, after, _ := strings.Cut(body, answerMarker)
		frames = append(frames, answerFrame{Voice: v, Before: strings.TrimRight(before, "\n"), After: strings.TrimLeft(after, "\n")})
	}
	return replies.VoiceFor(cd.Flags, texts...), frames
}

// DefaultAddr is the address an answer goes to unless the operator picks
// another; "" when they must pick.
func (d caseData) DefaultAddr() string {
	for _, a := range d.To {
		if a.Default {
			return a.Addr
		}
	}
	return ""
}

// voiceOf reads the voice an answer form chose; formal when it names none.
func voiceOf(v string) (replies.Voice, bool) {
	switch replies.Voice(v) {
	case "", replies.VoiceFormal:
		return replies.VoiceFormal, true
	case replies.VoiceInformal:
		return replies.VoiceInformal, true
	}
	return "", false
}
