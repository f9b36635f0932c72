package message

import (
	"bytes"
	"encoding/base64"
	"io"
)

// Content-Transfer-Encodings are undone here a line at a time, from the
// part's bytes in memory, rather than by encoding/base64 and
// mime/quotedprintable, which stop at the first error: one broken
// base64 line would cost a writer every word after it. Here it costs
// that line; a quoted-printable escape that is not one is kept as
// written, as RFC 2045 6.7 advises.

// transferKind is how a part's body is encoded.
type transferKind int

const (
	transferIdentity transferKind = iota // 7bit, 8bit, binary, or none
	transferQP
	transferBase64
	transferUnknown // an encoding okit does not know: kept as it is
)

func transferOf(cte string) transferKind {
	switch cte {
	case "", "7bit", "8bit", "binary", "7-bit", "8-bit":
		return transferIdentity
	case "quoted-printable":
		return transferQP
	case "base64":
		return transferBase64
	}
	return transferUnknown
}

// chunk bounds the input decoded at once, so that a body of one long
// line costs no more memory than one of many.
const chunk = 64 << 10

// bodyReader decodes a part's body.
type bodyReader struct {
	in   []byte // encoded bytes not yet decoded
	kind transferKind
	buf  []byte // decoded bytes of the current line
	out  []byte // of buf, not yet read
	quad [4]byte
	nq   int // base64 digits in quad
	bad  int // base64 lines skipped as broken
	done bool
}

func newBodyReader(body []byte, kind transferKind) *bodyReader {
	return &bodyReader{in: body, kind: kind}
}

func (r *bodyReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if !r.next() {
			return 0, io.EOF
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// WriteTo lets io.Copy skip a copy: the decoded line goes to w as it is.
func (r *bodyReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if len(r.out) > 0 {
			n, err := w.Write(r.out)
			total += int64(n)
			r.out = r.out[n:]
			if err != nil {
				return total, err
			}
		}
		if !r.next() {
			return total, nil
		}
	}
}

// bytes returns the decoded body, or its first limit bytes and whether
// there was more. An unencoded body is returned without a copy.
func (r *bodyReader) bytes(limit int) ([]byte, bool) {
	if r.kind == transferIdentity || r.kind == transferUnknown {
		b := r.in
		r.in = nil
		if len(b) > limit {
			return b[:limit], true
		}
		return b, false
	}
	est := len(r.in)
	if r.kind == transferBase64 {
		est = est / 4 * 3
	}
	out := make([]byte, 0, min(est, limit)+1)
	for len(out) <= limit {
		if len(r.out) == 0 && !r.next() {
			return out, false
		}
		n := min(len(r.out), limit+1-len(out))
		out = append(out, r.out[:n]...)
		r.out = r.out[n:]
	}
	return out[:limit], true
}

// next decodes the next line (or chunk of a long line) into out; false
// at the end.
func (r *bodyReader) next() bool {
	if len(r.in) == 0 {
		if r.done {
			return false
		}
		r.done = true
		r.buf = r.buf[:0]
		if r.kind == transferBase64 {
			r.endBase64()
		}
		r.out = r.buf
		return len(r.out) > 0
	}
	line := r.takeLine()
	r.buf = r.buf[:0]
	switch r.kind {
	case transferQP:
		r.qpLine(line)
	case transferBase64:
		r.base64Line(line)
	default:
		r.buf = append(r.buf, line...)
	}
	r.out = r.buf
	return true
}

// takeLine takes the next line with its line end from in, or a chunk of
// a longer one that does not split a quoted-printable escape.
func (r *bodyReader) takeLine() []byte {
	n := len(r.in)
	if i := bytes.IndexByte(r.in[:min(n, chunk)], '\n'); i >= 0 {
		n = i + 1
	} else if n > chunk {
		n = chunk
		if j := bytes.LastIndexByte(r.in[n-2:n], '='); j >= 0 {
			n = n - 2 + j // keep "=XX" together
		}
	}
	line := r.in[:n]
	r.in = r.in[n:]
	return line
}

// qpLine decodes one quoted-printable line: =XX escapes (either case),
// soft line breaks (with the spaces some mailers leave after the "="),
// and trailing white space, which RFC 2045 says a transport may add.
func (r *bodyReader) qpLine(line []byte) {
	content, end := splitLineEnd(line)
	if len(end) > 0 || len(r.in) == 0 {
		content = bytes.TrimRight(content, " \t")
		if c, soft := bytes.CutSuffix(content, []byte("=")); soft {
			content, end = c, nil
		}
	}
	for len(content) > 0 {
		i := bytes.IndexByte(content, '=')
		if i < 0 {
			r.buf = append(r.buf, content...)
			break
		}
		r.buf = append(r.buf, content[:i]...)
		if i+2 < len(content) && isHex(content[i+1]) && isHex(content[i+2]) {
			r.buf = append(r.buf, unhex(content[i+1])<<4|unhex(content[i+2]))
			content = content[i+3:]
		} else {
			r.buf = append(r.buf, '=')
			content = content[i+1:]
		}
	}
	r.buf = append(r.buf, end...)
}

// splitLineEnd splits a line into its content and its line end.
func splitLineEnd(line []byte) (content, end []byte) {
	if c, ok := bytes.CutSuffix(line, []byte("\r\n")); ok {
		return c, line[len(c):]
	}
	if c, ok := bytes.CutSuffix(line, []byte("\n")); ok {
		return c, line[len(c):]
	}
	return line, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// base64Line decodes one line of base64. Space around the digits is
// ignored (some mailers indent); a line with anything else in it is
// skipped whole and counted, with the digits carried over from the line
// before, which no longer line up.
func (r *bodyReader) base64Line(line []byte) {
	line = bytes.TrimSpace(line)
	if r.nq == 0 && len(line)%4 == 0 {
		// The common line: whole quads, nothing carried. Decode checks
		// it; what it refuses goes the careful way below.
		at := len(r.buf)
		r.buf = append(r.buf, make([]byte, len(line)/4*3)...)
		if m, err := base64.StdEncoding.Decode(r.buf[at:], line); err == nil {
			r.buf = r.buf[:at+m]
			return
		}
		r.buf = r.buf[:at]
	}
	spaced := false
	for _, c := range line {
		switch {
		case base64Chars[c]:
		case c == ' ' || c == '\t':
			spaced = true
		default:
			r.bad++
			r.nq = 0
			return
		}
	}
	if spaced {
		line = bytes.ReplaceAll(bytes.ReplaceAll(line, []byte(" "), nil), []byte("\t"), nil)
	}
	r.base64Digits(line)
}

// base64Digits decodes digits, whole quads at once, a quad begun on the
// line before first and one left unfinished kept for the next.
func (r *bodyReader) base64Digits(d []byte) {
	for r.nq > 0 && len(d) > 0 {
		r.addDigit(d[0])
		d = d[1:]
	}
	n := len(d) / 4 * 4
	if i := bytes.IndexByte(d[:n], '='); i >= 0 {
		n = i / 4 * 4
	}
	if n > 0 {
		at := len(r.buf)
		r.buf = append(r.buf, make([]byte, n/4*3)...)
		m, _ := base64.StdEncoding.Decode(r.buf[at:], d[:n]) // n digits, no padding: cannot fail
		r.buf = r.buf[:at+m]
	}
	for _, c := range d[n:] {
		r.addDigit(c)
	}
}

func (r *bodyReader) addDigit(c byte) {
	r.quad[r.nq] = c
	r.nq++
	if r.nq == 4 {
		r.flushQuad()
	}
}

// flushQuad decodes a quad that padding or the end may have cut short:
// the digits before the first "=" are what it holds.
func (r *bodyReader) flushQuad() {
	k := bytes.IndexByte(r.quad[:r.nq], '=')
	if k < 0 {
		k = r.nq
	}
	r.nq = 0
	if k < 2 {
		return // one digit makes no byte
	}
	q := r.quad
	for i := k; i < 4; i++ {
		q[i] = '='
	}
	var out [3]byte
	m, _ := base64.StdEncoding.Decode(out[:], q[:])
	r.buf = append(r.buf, out[:m]...)
}

// endBase64 decodes the digits of an unpadded last quad.
func (r *bodyReader) endBase64() {
	if r.nq > 0 {
		r.flushQuad()
	}
}

// base64Chars are the base64 digits and "=".
var base64Chars = func() (t [256]bool) {
	for c := range t {
		t[c] = base64Value(byte(c)) >= 0 || c == '='
	}
	return t
}()

// notBase64 reports whether a body labelled base64 is plain text: most
// of its first bytes are in lines that cannot be base64 (words with
// spaces between them, punctuation, 8-bit letters).
func notBase64(body []byte) bool {
	body = body[:min(len(body), 2<<10)]
	text, digits := 0, 0
	for len(body) > 0 {
		line := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		line = bytes.TrimSpace(line)
		if isBase64Line(line) {
			digits += len(line)
		} else {
			text += len(line)
		}
	}
	return text > digits
}

func isBase64Line(line []byte) bool {
	for _, c := range line {
		if !base64Chars[c] {
			return false
		}
	}
	return true
}
