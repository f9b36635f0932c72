package message

import (
	"bytes"
	"net/textproto"
	"slices"
	"strings"
)

// header is a header block as okit reads it: the fields in order, their
// names canonical (textproto.CanonicalMIMEHeaderKey) and their values
// unfolded, 8-bit bytes kept as they came. okit reads header blocks
// itself rather than through go-message's textproto, which fails on the
// lines real mail has and allocated several KiB for each block: most of
// the cost of a message of many small parts.
type header []field

type field struct {
	key   string
	value string
}

// get returns the first value of the field key (canonical), "" if none.
func (h header) get(key string) string {
	for _, f := range h {
		if f.key == key {
			return f.value
		}
	}
	return ""
}

// values returns every value of the field key (canonical), in order.
func (h header) values(key string) []string {
	var vs []string
	for _, f := range h {
		if f.key == key {
			vs = append(vs, f.value)
		}
	}
	return vs
}

// maxField bounds one header field: a longer one is cut there.
const maxField = 64 << 10

// readHeader reads the header block at the start of b and returns it and
// the body after it. A line that is not a header field ends the header
// and starts the body (some mailers forget the blank line); a field over
// maxField is cut there, and past maxHeader only the fields okit reads
// are kept, so one huge field cannot push Content-Type out. ok is false
// when b does not start with a header: no field any mailer writes
// ("Szia: segíts" is a writer's first line, not a field). where prefixes
// problems ("" for the message itself).
func (p *parser) readHeader(b []byte, where string) (h header, body []byte, ok bool) {
	start := 0
	if line := firstLineWithEnd(b); bytes.HasPrefix(line, []byte("From ")) && !isFieldLine(line) {
		start = len(line) // an mbox separator, not a field
	}
	var fields [][]byte // each with its continuation lines, slices of b
	known, blank := false, false
	i := start
	for i < len(b) {
		line := firstLineWithEnd(b[i:])
		content := bytes.TrimRight(line, "\r\n")
		if len(content) == 0 {
			blank = true
			i += len(line)
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(fields) == 0 {
				return nil, nil, false
			}
			f := &fields[len(fields)-1]
			*f = (*f)[:len(*f)+len(line)] // the next bytes of b
		} else if isFieldLine(content) {
			fields = append(fields, line)
			known = known || knownField(content)
		} else {
			break // the body begins without a blank line
		}
		i += len(line)
	}
	if !known {
		return nil, nil, false
	}
	if !blank && i < len(b) {
		p.problem("%sheader ends without a blank line", where)
	}
	return p.fields(fields, where), b[i:], true
}

// fields parses the fields. Each is cut at maxField; past maxHeader in
// all, only the fields okit reads are kept.
func (p *parser) fields(raw [][]byte, where string) header {
	total := 0
	for _, f := range raw {
		total += len(f)
	}
	if total > maxHeader {
		p.problem("%sheader longer than %d MiB; only the fields okit reads kept", where, maxHeader>>20)
	}
	h := make(header, 0, len(raw))
	for _, f := range raw {
		name, value, _ := bytes.Cut(f, []byte(":"))
		key := textproto.CanonicalMIMEHeaderKey(string(bytes.TrimRight(name, " \t")))
		if total > maxHeader && !readField(key) {
			continue
		}
		if len(f) > maxField {
			p.problem("%sa header field longer than %d KiB; cut there", where, maxField>>10) // its name may be a writer's word
			value = value[:max(maxField-len(name)-1, 0)]
		}
		h = append(h, field{key: key, value: unfold(value)})
	}
	return h
}

// unfold joins the lines of a folded value with single spaces, each
// trimmed of the white space around it, as go-message did.
func unfold(v []byte) string {
	if bytes.IndexByte(v, '\n') == bytes.LastIndexByte(v, '\n') {
		return string(bytes.Trim(v, " \t\r\n")) // one line: the common case
	}
	var b strings.Builder
	for line := range bytes.Lines(v) {
		if line = bytes.Trim(line, " \t\r\n"); len(line) > 0 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.Write(line)
		}
	}
	return b.String()
}

// readField reports whether a field (by its canonical name) is one okit
// reads.
func readField(key string) bool {
	switch key {
	case "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "From", "To", "Reply-To",
		"Subject", "Date", "Message-Id", "In-Reply-To", "References":
		return true
	}
	return slices.Contains(triageHeaders, key)
}

// firstLineWithEnd returns b's first line with its line end.
func firstLineWithEnd(b []byte) []byte {
	if k := bytes.IndexByte(b, '\n'); k >= 0 {
		return b[:k+1]
	}
	return b
}

// knownField reports whether a field line names a field mailers write,
// which tells a header from a first line of text that has a colon.
func knownField(line []byte) bool {
	name, _, _ := bytes.Cut(line, []byte(":"))
	n := strings.ToLower(strings.TrimSpace(string(name)))
	switch {
	case strings.HasPrefix(n, "x-"), strings.HasPrefix(n, "content-"), strings.HasPrefix(n, "list-"),
		strings.HasPrefix(n, "resent-"), strings.HasPrefix(n, "arc-"):
		return true
	}
	switch n {
	case "from", "to", "cc", "bcc", "subject", "date", "message-id", "received", "return-path", "reply-to",
		"sender", "mime-version", "in-reply-to", "references", "delivered-to", "dkim-signature",
		"authentication-results", "thread-topic", "thread-index", "user-agent", "importance", "priority",
		"organization", "comments", "keywords", "precedence", "auto-submitted", "newsgroups", "path":
		return true
	}
	return false
}

// isFieldLine reports whether line starts with a field name and a colon.
func isFieldLine(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	name := bytes.TrimRight(line[:i], " \t") // "Subject :" occurs in the wild
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}
