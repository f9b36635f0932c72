package message

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Summary is the small part of a message that lists show. It is sealed
// apart from the raw message so that a list decrypts little.
type Summary struct {
	MessageID   string `json:"message_id,omitempty"`
	FromName    string `json:"from_name,omitempty"`
	FromAddr    string `json:"from_addr,omitempty"`
	Subject     string `json:"subject,omitempty"`
	Snippet     string `json:"snippet,omitempty"`
	Attachments int    `json:"attachments,omitempty"`
	// Note says, for a message that was not stored whole, why (for
	// example "larger than the 25 MiB limit; left on the mail server").
	Note string `json:"note,omitempty"`
}

// snippetLen is about three lines of a list: enough to see what a message
// is about without opening it.
const snippetLen = 280

// Summarize makes the Summary of a parsed message.
func Summarize(m *Message) Summary {
	return Summary{
		MessageID:   m.MessageID,
		FromName:    m.From.Name,
		FromAddr:    m.From.Addr,
		Subject:     m.Subject,
		Snippet:     snippet(m.Text, snippetLen),
		Attachments: len(m.Attachments),
	}
}

// snippet joins the first non-empty lines of text up to about n bytes,
// cut at a rune boundary.
func snippet(text string, n int) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" || strings.HasPrefix(line, ">") {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(line)
		if b.Len() >= n {
			break
		}
	}
	s := b.String()
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Marshal encodes the summary for sealing.
func (s Summary) Marshal() []byte {
	b, _ := json.Marshal(s) // a struct of strings and ints always encodes
	return b
}

// UnmarshalSummary decodes an opened summary.
func UnmarshalSummary(b []byte) (Summary, error) {
	var s Summary
	err := json.Unmarshal(b, &s)
	return s, err
}
