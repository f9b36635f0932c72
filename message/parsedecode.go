package message

import (
	"encoding/base64"
	"errors"
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// transferDecoder undoes a Content-Transfer-Encoding; ok is false for an
// encoding it does not know, and r is then returned as it is.
func transferDecoder(cte string, r io.Reader) (_ io.Reader, ok bool) {
	switch cte {
	case "quoted-printable":
		return quotedprintable.NewReader(&qpLines{r: r}), true
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, spaceToNewline{r}), true
	case "", "7bit", "8bit", "binary":
		return r, true
	}
	return r, false
}

// qpLines breaks quoted-printable lines longer than qpLineMax with soft
// line breaks ("=\n"), never inside an =XX escape. The decoder reads a
// line at a time into a 4 KiB buffer and fails on a longer one, which
// mailers that never wrap their HTML do write.
type qpLines struct {
	r    io.Reader
	buf  [4096]byte
	in   []byte // read from r, not yet passed on
	err  error
	line int // bytes since the last line break
	esc  int // bytes of an =XX escape still to come
}

const qpLineMax = 1000

func (q *qpLines) Read(p []byte) (int, error) {
	if len(q.in) == 0 {
		if q.err != nil {
			return 0, q.err
		}
		var n int
		n, q.err = q.r.Read(q.buf[:])
		q.in = q.buf[:n]
	}
	n := 0
	for len(q.in) > 0 && n < len(p) {
		c := q.in[0]
		if q.line >= qpLineMax && q.esc == 0 && c != '\r' && c != '\n' {
			if n+3 > len(p) {
				break // no room for the break and c; the decoder reads 4 KiB at a time
			}
			p[n], p[n+1] = '=', '\n'
			n += 2
			q.line = 0
		}
		switch {
		case c == '\n':
			q.line, q.esc = 0, 0
		case q.esc > 0:
			q.esc--
			q.line++
		case c == '=':
			q.esc = 2
			q.line++
		default:
			q.line++
		}
		p[n] = c
		n++
		q.in = q.in[1:]
	}
	if len(q.in) == 0 && q.err != nil {
		return n, q.err
	}
	return n, nil
}

// spaceToNewline lets the base64 decoder, which skips line breaks, skip
// the spaces and tabs some mailers indent base64 with, too.
type spaceToNewline struct{ r io.Reader }

func (s spaceToNewline) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	for i := range b[:n] {
		if b[i] == ' ' || b[i] == '\t' {
			b[i] = '\n'
		}
	}
	return n, err
}

// errCut marks a part whose multipart ended before its boundary; the
// enclosing multipart reports it once.
var errCut = errors.New("part cut short")

type cutMarker struct{ r io.Reader }

func (c cutMarker) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	if err == io.ErrUnexpectedEOF {
		err = errCut
	}
	return n, err
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// readProblem reports an error met reading a part's body, without its
// text, which may quote the body.
func (p *parser) readProblem(err error, name, cte string) {
	switch {
	case errors.Is(err, errCut):
		p.cut = true
	case err == nil:
	case cte == "base64" || cte == "quoted-printable":
		p.problem("part %s: broken %s; kept what could be decoded", name, cte)
	default:
		p.problem("part %s: could not be read to the end", name)
	}
}

// charsetReader decodes r from the named charset to UTF-8. The repair says
// what to do with bytes that are still not UTF-8; known is false for a
// charset the decoders do not have, and r is then returned as it is.
func charsetReader(cs string, r io.Reader) (_ io.Reader, _ repair, known bool) {
	cs = strings.ToLower(strings.Trim(cs, " \t\"'"))
	switch cs {
	case "", "us-ascii", "ascii":
		// Many mailers send UTF-8, or their local charset, and say
		// nothing or us-ascii.
		return r, repair{}, true
	case "utf-8", "utf8":
		return r, repair{utf8: true}, true
	}
	dr, err := charset.Reader(cs, r)
	if err != nil {
		return r, repair{}, false
	}
	return dr, repair{utf8: true}, true
}

// repair makes text valid UTF-8. Text that claims to be UTF-8, or mostly
// is, gets its bad bytes replaced; other text is read as windows-1250,
// which also reads ISO-8859-2 and the Hungarian letters of ISO-8859-1
// right: the likeliest guess for a Hungarian line.
type repair struct {
	utf8     bool // the text claims to be UTF-8
	replaced bool // invalid bytes were replaced
	latin    bool // the text was read as windows-1250
}

func (r *repair) fix(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if r.utf8 || mostlyUTF8(s) {
		r.replaced = true
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	r.latin = true
	d, _ := charmap.Windows1250.NewDecoder().String(s) // a single-byte decoder cannot fail
	return d
}

// how says in a problem line what fix did.
func (r *repair) how() string {
	switch {
	case r.latin:
		return "read as windows-1250"
	case r.replaced:
		return "read as UTF-8, invalid bytes replaced"
	}
	return "read as UTF-8"
}

// mostlyUTF8 reports whether s has more valid multi-byte characters than
// invalid bytes.
func mostlyUTF8(s string) bool {
	good, bad := 0, 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n > 1:
			good++
		}
		i += n
	}
	return good > bad
}

// normalizeText makes line ends \n and drops control characters other
// than tab and newline, and a byte order mark.
func normalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\t' || r == '\n':
			return r
		case r < ' ' || r == 0x7f || r == '\uFEFF':
			return -1
		}
		return r
	}, s)
}
