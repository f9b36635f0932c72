package message

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// maxHTMLIn bounds the HTML of one part that is read: more than any
// message intake takes in.
const maxHTMLIn = 32 << 20

// text reads a text/plain or text/html part whose text is the writer's.
func (p *parser) text(typ string, params map[string]string, body []byte, kind transferKind, name string) []segment {
	if p.skipText {
		return nil
	}
	budget := min(maxText, maxHeldText-p.held)
	if budget <= 0 {
		p.truncated = true
		return nil
	}
	dec := newBodyReader(body, kind)
	var (
		s     string
		cut   bool
		words bool // the part has words, whatever became of them
	)
	var d decoding // how the charset was read
	if typ == "text/html" {
		s, cut, words, d = p.html(dec, params["charset"], budget, name)
	} else {
		s, cut, words, d = p.plain(dec, params, budget)
	}
	s, c1, controls := cleanText(s)
	if typ == "text/plain" && controls*50 > len(s)+controls {
		p.lose("part %s: binary data labelled as text; not read as text", name)
		return nil
	}
	switch {
	case d.unreadable:
		p.lose("part %s: %s", name, d.note)
	case d.note != "":
		p.problem("part %s: %s", name, d.note)
	}
	if dec.bad > 0 {
		p.lose("part %s: %s of broken base64 skipped", name, describe(dec.bad, "line"))
	}
	if c1 > 0 {
		p.problem("part %s: %s dropped", name, describe(c1, "control character"))
	}
	if len(s) > budget {
		s, cut = cutUTF8(s, budget), true
	}
	p.truncated = p.truncated || cut
	if words && strings.TrimSpace(s) == "" {
		p.lose("part %s: a text part gave no readable text", name)
	}
	p.held += len(s) + segmentCost
	return []segment{{text: s, html: typ == "text/html"}}
}

// segmentCost is what a segment costs beyond its text, counted against
// maxHeldText so that a million tiny text parts cannot hold much either.
const segmentCost = 64

// plain reads a text/plain part: at most twice budget bytes of it, in
// the charset its label and bytes say, unwrapped if format=flowed.
func (p *parser) plain(dec *bodyReader, params map[string]string, budget int) (s string, cut, words bool, d decoding) {
	b, more := dec.bytes(2 * budget)
	if more {
		b = cutPartialRune(b) // half a character would look like another charset
	}
	d = decodingFor(b, params["charset"])
	s = d.text(b)
	if strings.EqualFold(params["format"], "flowed") {
		s = unflow(s, strings.EqualFold(params["delsp"], "yes"))
	}
	return s, more, len(bytes.TrimSpace(b)) > 0, d
}

// html reads a text/html part into text. Its charset is the label's or,
// when MIME gives none, the one its <meta> declares, checked against the
// bytes like any other.
func (p *parser) html(dec *bodyReader, cs string, budget int, name string) (s string, cut, words bool, d decoding) {
	b, more := dec.bytes(maxHTMLIn)
	p.truncated = p.truncated || more
	if lookupLabel(cs).kind == labelNone {
		if meta := metaCharset(b); meta != "" {
			cs = meta
		}
	}
	d = decodingFor(b, cs)
	var r io.Reader = bytes.NewReader(b)
	if d.newT != nil {
		r = transform.NewReader(r, d.newT())
	}
	res := htmlToText(r, budget)
	if res.cutElements > 0 {
		p.problem("part %s: %s over %d KiB in its HTML cut short", name, describe(res.cutElements, "element"), maxTag>>10)
	}
	switch {
	case res.lostRaw:
		p.lose("part %s: HTML %s never closed and over %d KiB; what it holds not read whole", name, res.reread, maxTag>>10)
	case res.reread != "":
		p.problem("part %s: HTML %s never closed; what it holds read as text", name, res.reread)
	}
	if res.err != nil {
		p.lose("part %s: HTML could not be read to the end", name)
	}
	return res.text, res.cut, res.words, d
}

// textAttachment notes a text part sent as an attachment, whose text is
// read when no other text is found: some mailers send the writer's whole
// text so, and a text attachment may be all a writer managed to send.
func (p *parser) textAttachment(typ string, params map[string]string, body []byte, kind transferKind, name string) {
	if p.fallback != nil || p.skipText {
		return
	}
	size := len(body)
	if kind == transferBase64 {
		size = size / 4 * 3
	}
	if size > maxText {
		p.bigText = true
		return
	}
	p.fallback = &textPart{typ: typ, params: params, body: body, kind: kind, name: name}
}

// textPart is a text part kept for reading later.
type textPart struct {
	typ    string
	params map[string]string
	body   []byte
	kind   transferKind
	name   string
}

// cutPartialRune drops an incomplete UTF-8 sequence at the end of b.
func cutPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// unflow joins the lines of format=flowed text (RFC 3676): a line that
// ends in a space goes on in the next line of the same quote depth, and
// with delsp=yes that space was added by the mailer and goes. A leading
// space that protects a line ("space-stuffing") goes too. Quoted lines
// keep their "> " marks.
func unflow(s string, delsp bool) string {
	var b strings.Builder
	b.Grow(len(s))
	open := -1 // quote depth of a flowed line waiting for its continuation
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, "\r\n")
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		text := strings.TrimPrefix(line[depth:], " ")
		if open >= 0 && open != depth {
			b.WriteByte('\n') // a flowed line followed by another depth ends
		}
		if open != depth {
			b.WriteString(strings.Repeat(">", depth))
			if depth > 0 {
				b.WriteByte(' ')
			}
		}
		flowed := strings.HasSuffix(text, " ") && text != "-- "
		if flowed && delsp {
			text = text[:len(text)-1]
		}
		b.WriteString(text)
		if flowed {
			open = depth
		} else {
			open = -1
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// cleanText makes line ends \n and drops control characters but tab and
// newline, and a byte order mark. It counts the C1 control characters
// (U+0080–U+009F, what ISO-8859 makes of windows-125x punctuation) it
// dropped, a repair worth a problem, and the other control characters,
// of which text has few and a binary file many.
func cleanText(s string) (_ string, c1, controls int) {
	var b []byte // nil while nothing needs changing
	kept := 0    // s[:kept] is in b
	for i := 0; i < len(s); {
		c := s[i]
		drop, put := 0, byte(0)
		switch {
		case c >= ' ' && c != 0x7f && c != 0xc2 && c != 0xef, c == '\n', c == '\t':
			i++
			continue
		case c == '\r':
			drop = 1 // of CRLF the LF stays; a lone CR becomes one
			if i+1 == len(s) || s[i+1] != '\n' {
				put = '\n'
			}
		case c < ' ' || c == 0x7f:
			drop = 1
			controls++
		case c == 0xc2 && i+1 < len(s) && s[i+1] <= 0x9f: // s is UTF-8: U+0080–U+009F
			drop = 2
			c1++
		case strings.HasPrefix(s[i:], "\uFEFF"):
			drop = 3
		default:
			i++
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s))
		}
		b = append(b, s[kept:i]...)
		if put != 0 {
			b = append(b, put)
		}
		i += drop
		kept = i
	}
	if b == nil {
		return s, 0, 0
	}
	return string(append(b, s[kept:]...)), c1, controls
}
