package replies

import "strings"

// lineLen is the length header lines are folded to (RFC 5322 section
// 2.1.1 asks for 78 without the CRLF). A single token longer than that (a
// long message id) stays on a line of its own.
const lineLen = 78

// header is a message header written in the order fields are added, with
// their names spelt as given ("Message-ID", not "Message-Id").
type header struct {
	b strings.Builder
}

// add appends a field, folding its value at spaces. Values are already
// encoded: ASCII, no CR or LF, single spaces between words.
func (h *header) add(name, value string) {
	h.b.WriteString(name)
	h.b.WriteByte(':')
	n := len(name) + 1
	for i, word := range strings.Split(value, " ") {
		if i > 0 && n+1+len(word) > lineLen {
			h.b.WriteString("\r\n")
			n = 0
		}
		h.b.WriteByte(' ')
		h.b.WriteString(word)
		n += 1 + len(word)
	}
	h.b.WriteString("\r\n")
}

func (h *header) String() string { return h.b.String() }
