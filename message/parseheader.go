package message

import (
	"io"
	"mime"
	netmail "net/mail"
	"regexp"
	"strings"
	"unicode/utf8"
)

// headerText decodes an unstructured field such as Subject.
func (p *parser) headerText(h header, key, where string) string {
	return p.words(h.get(key), where+key)
}

// words decodes the encoded words of a header value, saying in problems
// what was guessed or kept as written, and cleans it.
func (p *parser) words(v, what string) string {
	s, notes, malformed := decodeWords(v)
	for _, n := range notes {
		p.problem("%s: %s", what, n)
	}
	if malformed {
		p.problem("%s: malformed encoded word; kept as written", what)
	}
	return p.cleanHeader(s, what)
}

// cleanHeader makes a decoded header value valid UTF-8 without control
// characters. Raw 8-bit values that are not UTF-8 are read as a mailer
// that does not say would have written them: windows-1250, as a rule.
func (p *parser) cleanHeader(s, what string) string {
	if !utf8.ValidString(s) {
		d := decodingFor([]byte(s), "")
		s = d.text([]byte(s))
		p.problem("%s: %s", what, d.note)
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			return ' '
		}
		return r
	}, s)
}

// addressParser reads address lists with encoded words in any charset
// decodingFor reads, saying in problems what it guessed.
func (p *parser) addressParser() *netmail.AddressParser {
	return &netmail.AddressParser{WordDecoder: &mime.WordDecoder{
		CharsetReader: func(label string, r io.Reader) (io.Reader, error) {
			b, err := io.ReadAll(r)
			d := decodingFor(b, label)
			if d.note != "" {
				p.problem("%s: %s", p.field, d.note)
			}
			return strings.NewReader(d.text(b)), err
		},
	}}
}

// addressList parses an address field, falling back to a lenient reading
// so that a broken From still shows who wrote.
func (p *parser) addressList(h header, key, where string) []Address {
	v := strings.TrimSpace(h.get(key))
	if v == "" {
		return nil
	}
	if v == "<>" {
		return []Address{{}} // the null sender of bounces
	}
	p.field = where + key
	list, err := p.addressParser().ParseList(v)
	if err != nil {
		p.problem("%s%s: not a valid address list; read leniently", where, key)
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
		// net/mail leaves encoded words inside quotes, where mailers
		// put them against the RFC, and malformed ones as written.
		out = append(out, Address{Name: p.words(a.Name, where+key), Addr: a.Address})
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
	a.Name = strings.Trim(strings.TrimSpace(p.words(name, what)), `"`)
	a.Addr = p.cleanHeader(a.Addr, what)
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
func messageID(h header) string {
	if ids := lenientIDs(h.get("Message-Id")); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

var bracketed = regexp.MustCompile(`<([^<>\s]+)>`)

// lenientIDs finds the message ids in a value (In-Reply-To, References,
// Message-ID): every <...>, or failing that every word. Comments and
// broken lists need no other parser, and go-message read a comment in
// quadratic time.
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
