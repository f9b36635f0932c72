package message

import (
	"bytes"
	"io"
)

// The HTML tokenizer holds a whole token in memory and gives up for good
// on one larger than its limit: one inline image as a data: URI in an
// attribute would cost all the text after it, and one tag with a million
// attributes a hundred MiB. htmlGuard stands between the bytes and the
// tokenizer and cuts every tag, comment and raw-text element (script,
// style, title …) to maxTag bytes, closing what it cut ('"', '>', "-->")
// and dropping the rest up to its real end; a long run of text gets an
// empty comment now and then, which ends a token without changing the
// text. Reading resumes after the element. The guard follows the
// tokenizer's rules only as far as it needs to find where things end.

// maxTag bounds a tag, comment or raw-text element passed on.
const maxTag = 64 << 10

// textRun is how much text passes before an empty comment breaks the
// token; the tokenizer's own limit (maxHTMLToken) is far above.
const textRun = 256 << 10

type guardState int

const (
	inText     guardState = iota
	afterLT               // after "<"
	inTag                 // in a start or end tag
	afterBang             // after "<!"
	inComment             // in "<!-- … -->"
	inBogus               // in "<!…>" or "<?…>", up to ">"
	inRaw                 // in the content of a raw-text element
	afterRawLT            // after "<" in raw text: its end tag?
)

type htmlGuard struct {
	r     io.Reader
	buf   []byte
	in    []byte // read, not yet passed on
	out   []byte // passed on, not yet read
	err   error
	state guardState
	n     int  // bytes of the current tag or comment, or of the text run
	drop  bool // the element went over maxTag: its bytes are dropped up to its end
	cut   int  // elements cut

	// in a tag
	name    []byte // its name, lower case
	inName  bool
	endTag  bool
	quote   byte // the quote of an attribute value, 0 outside one
	afterEq bool // after "=": a quote opens a value

	dashes int    // "-" just seen in a comment, or after "<!"
	raw    string // the raw-text element whose end tag is awaited
	rawN   int    // bytes of its content so far
	rawEnd int    // bytes of "/name" matched after "<"
}

func newHTMLGuard(r io.Reader) *htmlGuard {
	return &htmlGuard{r: r, buf: make([]byte, 32<<10)}
}

func (g *htmlGuard) Read(p []byte) (int, error) {
	for len(g.out) == 0 {
		if len(g.in) == 0 {
			if g.err != nil {
				return 0, g.err
			}
			var n int
			n, g.err = g.r.Read(g.buf)
			g.in = g.buf[:n]
			continue
		}
		g.out = g.out[:0]
		switch g.state {
		case inText:
			g.text()
		case inRaw:
			g.rawText()
		default:
			g.markup()
		}
	}
	n := copy(p, g.out)
	g.out = g.out[n:]
	return n, nil
}

// text passes on text up to the next "<", breaking long runs.
func (g *htmlGuard) text() {
	i := bytes.IndexByte(g.in, '<')
	if i < 0 {
		i = len(g.in)
	}
	if g.n+i > textRun {
		k := max(textRun-g.n, 0)
		// Break before white space or "&" if one is near, so that no
		// word or entity is split, and never inside a UTF-8 character.
		if j := bytes.IndexAny(g.in[k:i], " \n\t&"); j >= 0 && j < 4096 {
			k += j
		}
		for k > 0 && g.in[k]&0xc0 == 0x80 {
			k--
		}
		g.out = append(append(g.out, g.in[:k]...), "<!---->"...)
		g.in, g.n = g.in[k:], 0
		return
	}
	g.out = append(g.out, g.in[:i]...)
	g.in, g.n = g.in[i:], g.n+i
	if len(g.in) > 0 {
		g.out = append(g.out, '<')
		g.in, g.state, g.n = g.in[1:], afterLT, 1
	}
}

// rawText passes on the content of a raw-text element up to the next
// "<", dropping what goes over maxTag.
func (g *htmlGuard) rawText() {
	i := bytes.IndexByte(g.in, '<')
	if i < 0 {
		i = len(g.in)
	}
	keep := min(i, max(maxTag-g.rawN, 0))
	if keep < i && g.rawN <= maxTag {
		g.cut++
	}
	g.out = append(g.out, g.in[:keep]...)
	g.in, g.rawN = g.in[i:], g.rawN+i
	if len(g.in) > 0 {
		g.out = append(g.out, '<')
		g.in, g.state, g.rawEnd = g.in[1:], afterRawLT, 0
	}
}

// markup moves on by one byte of a tag or comment, passing it on unless
// the element went over maxTag.
func (g *htmlGuard) markup() {
	c := g.in[0]
	g.in = g.in[1:]
	g.n++
	if !g.drop {
		g.out = append(g.out, c)
	}
	switch g.state {
	case afterLT:
		g.afterLT(c)
	case inTag:
		g.tag(c)
	case afterBang:
		switch {
		case c == '-' && g.dashes == 0:
			g.dashes = 1
		case c == '-':
			g.state, g.dashes = inComment, 0
		case c == '>':
			g.finish(inText)
		default:
			g.state = inBogus
		}
	case inComment:
		switch {
		case c == '-':
			g.dashes++
		case c == '!' && g.dashes >= 2: // "--!>" ends a comment too
		case c == '>' && (g.dashes >= 2 || g.n == len("<!-->") || g.n == len("<!--->") && g.dashes == 1):
			g.finish(inText)
		default:
			g.dashes = 0
		}
	case inBogus:
		if c == '>' {
			g.finish(inText)
		}
	case afterRawLT:
		g.afterRawLT(c)
	}
	if g.n > maxTag && !g.drop && g.state != inText && g.state != inRaw {
		g.startDrop()
	}
}

func (g *htmlGuard) afterLT(c byte) {
	switch {
	case isASCIILetter(c):
		g.state, g.endTag = inTag, false
		g.name, g.inName = append(g.name[:0], lower(c)), true
	case c == '/':
		g.state, g.endTag = inTag, true
		g.name, g.inName = g.name[:0], true
	case c == '!':
		g.state, g.dashes = afterBang, 0
	case c == '?':
		g.state = inBogus
	default:
		g.state = inText // a "<" that is text
	}
}

// tag follows a tag: its name, then attributes whose quoted values may
// hold ">".
func (g *htmlGuard) tag(c byte) {
	if g.inName {
		if isASCIILetter(c) || '0' <= c && c <= '9' {
			if len(g.name) < 16 {
				g.name = append(g.name, lower(c))
			}
			return
		}
		g.inName = false
	}
	switch {
	case g.quote != 0:
		if c == g.quote {
			g.quote = 0
		}
	case c == '>':
		g.closeTag()
	case c == '=':
		g.afterEq = true
	case (c == '"' || c == '\'') && g.afterEq:
		g.quote, g.afterEq = c, false
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
	default:
		g.afterEq = false
	}
}

// closeTag ends a tag; after the start tag of a raw-text element comes
// its content.
func (g *htmlGuard) closeTag() {
	g.afterEq, g.quote = false, 0
	if !g.endTag && isRawText(string(g.name)) {
		g.raw, g.rawN = string(g.name), 0
		g.finish(inRaw)
		return
	}
	g.finish(inText)
}

// afterRawLT matches "/name" after a "<" in raw text; its end tag ends
// the element.
func (g *htmlGuard) afterRawLT(c byte) {
	want := "/" + g.raw
	switch {
	case g.rawEnd < len(want) && lower(c) == want[g.rawEnd]:
		g.rawEnd++
	case g.rawEnd == len(want) && (c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/'):
		g.state, g.endTag, g.inName, g.n = inTag, true, false, 1+len(want)+1
		if c == '>' {
			g.closeTag()
		}
	default:
		g.state = inRaw // not its end tag
	}
}

// startDrop closes what was passed on of an element over maxTag; the
// rest of it is dropped.
func (g *htmlGuard) startDrop() {
	g.cut++
	g.drop = true
	switch g.state {
	case inTag:
		if g.quote != 0 {
			g.out = append(g.out, g.quote)
		}
		g.out = append(g.out, '>')
	case inComment, afterBang:
		g.out = append(g.out, "-->"...)
	default:
		g.out = append(g.out, '>')
	}
}

// finish ends a tag or comment and goes on in state s.
func (g *htmlGuard) finish(s guardState) {
	g.state, g.n, g.drop = s, 0, false
}

func isRawText(name string) bool {
	switch name {
	case "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript":
		return true // not plaintext, whose content is text to the end
	}
	return false
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
