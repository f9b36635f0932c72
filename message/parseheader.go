package message

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// readHeader reads a header block from br, leaving br at the start of the
// body. It is more forgiving than textproto.ReadHeader, which it uses for
// the fields: a line that is not a header field ends the header and starts
// the body (some mailers forget the blank line), where textproto would fail
// and lose the line. It reports false when there is no header field at all.
// where prefixes problems ("" for the message itself).
func (p *parser) readHeader(br *bufio.Reader, where string) (mail.Header, bool) {
	var buf bytes.Buffer
	fields := 0
	for first := true; ; first = false {
		line := peekLine(br)
		if len(line) == 0 {
			break // end of input: a message that is all header
		}
		if first && bytes.HasPrefix(line, []byte("From ")) && !isFieldLine(line) {
			discardLine(br, nil) // an mbox separator, not a field
			continue
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			discardLine(br, nil)
			break
		}
		switch {
		case line[0] == ' ' || line[0] == '\t':
			if fields == 0 {
				return mail.Header{}, false
			}
		case isFieldLine(line):
			fields++
		default:
			if fields == 0 {
				return mail.Header{}, false
			}
			p.problem("%sheader ends without a blank line", where)
			return p.finishHeader(&buf, where), true
		}
		if buf.Len() >= maxHeader {
			discardLine(br, nil)
			continue
		}
		discardLine(br, &buf)
		if buf.Len() >= maxHeader {
			p.problem("%sheader longer than %d MiB; the rest of it ignored", where, maxHeader>>20)
		}
	}
	if fields == 0 {
		return mail.Header{}, false
	}
	return p.finishHeader(&buf, where), true
}

func (p *parser) finishHeader(buf *bytes.Buffer, where string) mail.Header {
	if b := buf.Bytes(); len(b) > 0 && b[len(b)-1] != '\n' {
		buf.WriteString("\r\n")
	}
	buf.WriteString("\r\n")
	// The whole header is in buf: a bufio.Reader of its size suffices,
	// and ReadHeader joins lines longer than that.
	h, err := textproto.ReadHeader(bufio.NewReaderSize(buf, min(buf.Len(), 4096)))
	if err != nil {
		// Lines were checked above, so this is a corner the check missed;
		// the fields read so far are kept.
		p.problem("%sheader partly unreadable", where)
	}
	return mail.Header{Header: message.Header{Header: h}}
}

// peekLine returns the start of the next line, enough to classify it.
func peekLine(br *bufio.Reader) []byte {
	b, _ := br.Peek(1024) // fewer bytes at the end of input
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i+1]
	}
	return b
}

// discardLine consumes one line, copying it to buf, up to maxHeader
// bytes, unless buf is nil.
func discardLine(br *bufio.Reader, buf *bytes.Buffer) {
	for {
		chunk, err := br.ReadSlice('\n')
		if buf != nil && buf.Len() < maxHeader {
			buf.Write(chunk[:min(len(chunk), maxHeader-buf.Len())])
		}
		if err != bufio.ErrBufferFull {
			return
		}
	}
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

// encodedWord matches the start of an RFC 2047 encoded word. Left in a
// decoded value, it means the word was malformed.
var encodedWord = regexp.MustCompile(`=\?[^?\s]+\?[bBqQ]\?`)

// headerText decodes an unstructured field such as Subject. A value that
// cannot be decoded is kept as written.
func (p *parser) headerText(h *mail.Header, key, where string) string {
	s, err := h.Text(key)
	switch {
	case err != nil:
		p.problem("%s%s: encoded word in an unknown charset; kept as written", where, key)
		s = h.Get(key)
	case encodedWord.MatchString(s):
		p.problem("%s%s: malformed encoded word; kept as written", where, key)
	}
	return p.cleanHeader(s, where+key)
}

// cleanHeader makes a decoded header value valid UTF-8 without control
// characters. Raw 8-bit values that are not UTF-8 are read as windows-1250,
// the likeliest charset of a Hungarian mailer that does not say.
func (p *parser) cleanHeader(s, what string) string {
	if !utf8.ValidString(s) {
		var rep repair
		s = rep.fix(s)
		p.problem("%s: 8-bit text that is not UTF-8; %s", what, rep.how())
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// addressList parses an address field, falling back to a lenient reading
// so that a broken From still shows who wrote.
func (p *parser) addressList(h *mail.Header, key, where string) []Address {
	v := strings.TrimSpace(h.Get(key))
	if v == "" {
		return nil
	}
	if v == "<>" {
		return []Address{{}} // the null sender of bounces
	}
	list, err := h.AddressList(key)
	if err != nil {
		if strings.Contains(err.Error(), "charset") {
			// net/mail gives up on the whole list for one word in a
			// charset it cannot decode.
			p.problem("%s%s: encoded word in an unknown charset; kept as written", where, key)
		} else {
			p.problem("%s%s: not a valid address list; kept as written", where, key)
		}
		if key == "From" || key == "Sender" {
			return []Address{p.lenientAddress(v, where+key)}
		}
		var out []Address
		for _, s := range splitAddresses(v) {
			out = append(out, p.lenientAddress(s, where+key))
		}
		return out
	}
	out := make([]Address, 0, len(list))
	for _, a := range list {
		if encodedWord.MatchString(a.Name) {
			p.problem("%s%s: malformed encoded word in a name; kept as written", where, key)
		}
		out = append(out, Address{Name: p.cleanHeader(a.Name, where+key), Addr: a.Address})
	}
	return out
}

// lenientAddress reads a broken address: the address in angle brackets, or
// the first word with an @, and the whole text as the name, decoded where
// it has encoded words.
func (p *parser) lenientAddress(s, what string) Address {
	var a Address
	name := s
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 && strings.Contains(s[i:i+j], "@") {
			a.Addr = strings.TrimSpace(s[i+1 : i+j])
			name = s[:i] + s[i+j+1:]
		}
	}
	if a.Addr == "" {
		for _, w := range strings.Fields(s) {
			if w = strings.Trim(w, `<>()"',;`); strings.Contains(w, "@") {
				a.Addr = w
				break
			}
		}
	}
	a.Name = p.cleanHeader(strings.Trim(strings.TrimSpace(decodeWords(name)), `"`), what)
	return a
}

// splitAddresses splits a list at commas outside quotes and angle
// brackets, joining pieces without an @ to the next ("Nagy, Eva <e@x>").
func splitAddresses(v string) []string {
	var pieces []string
	quoted, angle, start := false, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			quoted = !quoted
		case c == '<' && !quoted:
			angle = true
		case c == '>' && !quoted:
			angle = false
		case c == ',' && !quoted && !angle:
			pieces = append(pieces, v[start:i])
			start = i + 1
		}
	}
	pieces = append(pieces, v[start:])

	var out, pending []string
	for _, pc := range pieces {
		if pc = strings.TrimSpace(pc); pc == "" {
			continue
		}
		pending = append(pending, pc)
		if strings.Contains(pc, "@") {
			out = append(out, strings.Join(pending, ", "))
			pending = pending[:0]
		}
	}
	if len(pending) > 0 {
		out = append(out, strings.Join(pending, ", "))
	}
	return out
}

// messageID returns the Message-ID without angle brackets, leniently.
func messageID(h *mail.Header) string {
	v := h.Get("Message-Id")
	// go-message reads a comment in quadratic time: a hostile
	// "(aaaa..." would stall intake. Comments go the lenient way.
	if !strings.Contains(v, "(") {
		if id, err := h.MessageID(); err == nil {
			return id
		}
	}
	if ids := lenientIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// msgIDList returns In-Reply-To or References without angle brackets,
// leniently.
func msgIDList(h *mail.Header, key string) []string {
	v := h.Get(key)
	if !strings.Contains(v, "(") { // see messageID
		if ids, err := h.MsgIDList(key); err == nil {
			return ids
		}
	}
	return lenientIDs(v)
}

var bracketed = regexp.MustCompile(`<([^<>\s]+)>`)

// lenientIDs finds message ids in a value that is not a clean list: every
// <...>, or failing that every word.
func lenientIDs(v string) []string {
	var ids []string
	for _, m := range bracketed.FindAllStringSubmatch(v, -1) {
		ids = append(ids, m[1])
	}
	if len(ids) > 0 {
		return ids
	}
	for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if w = strings.Trim(w, "<>"); w != "" {
			ids = append(ids, w)
		}
	}
	return ids
}
