package message

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"golang.org/x/net/html"
)

// The walk below uses go-message's textproto layer (header and multipart
// readers) and decodes each part itself rather than through message.Read
// and Entity.Walk, because those decide the decoding from a strict
// Content-Type parse (an unquoted boundary=----=_Part_1 loses the whole
// tree), stop at the first broken part, and convert the charset of text
// attachments, which would misstate their size.

// part is where a MIME part sits in the tree.
type part struct {
	path     string // IMAP-style part number ("1.2"); "" for the top of a multipart message
	depth    int
	inReport bool   // inside multipart/report: a returned message is not the writer's text
	inner    bool   // inside an attached message: its parts are not listed as attachments
	defType  string // the media type of a part without Content-Type (message/rfc822 in a digest)
}

// name is the part number used in problems.
func (pt part) name() string {
	if pt.path == "" {
		return "1"
	}
	return pt.path
}

// container names a multipart in problems.
func (pt part) container() string {
	if pt.path == "" {
		return "message"
	}
	return "part " + pt.path
}

func (pt part) child(n int, parentType string) part {
	c := part{path: strconv.Itoa(n), depth: pt.depth + 1, inner: pt.inner,
		inReport: pt.inReport || parentType == "multipart/report"}
	if pt.path != "" {
		c.path = pt.path + "." + c.path
	}
	if parentType == "multipart/digest" {
		c.defType = "message/rfc822"
	}
	return c
}

// walk reads one part and what it contains, listing attachments as it
// goes, and returns the text segments the part contributes.
func (p *parser) walk(h mail.Header, body io.Reader, pt part) []segment {
	p.parts++
	if p.parts > maxParts {
		p.problem("more than %d parts; the rest not read", maxParts)
		return nil
	}
	name := pt.name()
	typ, params := p.contentType(&h, pt)
	if strings.HasPrefix(typ, "multipart/") {
		switch {
		case pt.depth >= maxDepth:
			p.problem("part %s: nested more than %d deep; not read", name, maxDepth)
			return nil
		case params["boundary"] == "":
			p.problem("%s: %s without a boundary; read as text", pt.container(), typ)
			typ = "text/plain"
		default:
			return p.multipart(typ, params["boundary"], body, pt)
		}
	}

	disp, dparams := parseParams(h.Get("Content-Disposition"))
	att := Attachment{ContentType: typ, Filename: p.filename(dparams["filename"], params["name"], name)}
	cte := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding")))
	r, ok := transferDecoder(cte, cutMarker{body})
	if !ok {
		p.problem("part %s: unknown transfer encoding %q; kept undecoded", name, label(cte))
	}
	switch {
	case typ == "message/rfc822" || typ == "message/global":
		return p.attachedMessage(att, r, cte, pt)
	case typ == "text/rfc822-headers" && pt.inReport:
		p.returnedHeader(bufio.NewReader(r), "returned headers in part "+name+": ")
		return nil
	case (typ == "text/plain" || typ == "text/html") && att.Filename == "" && (disp == "" || disp == "inline"):
		return p.text(typ, params["charset"], r, name, cte)
	}
	p.attach(att, r, cte, pt)
	return nil
}

// multipart walks the parts of a multipart body. Of an alternative it
// keeps the first part with plain text, else the last with any text; of
// every other kind it keeps all.
func (p *parser) multipart(typ, boundary string, body io.Reader, pt part) []segment {
	mr := textproto.NewMultipartReader(body, boundary)
	var kids [][]segment
	for n := 1; ; n++ {
		if p.parts >= maxParts {
			p.problem("more than %d parts; the rest not read", maxParts)
			break
		}
		tp, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if n == 1 && pt.path == "" && !pt.inner {
				// No boundary line at all: a mislabelled message. Its
				// text is still worth more than nothing.
				p.problem("message: %s without parts (boundary not found); body read as plain text", typ)
				return p.text("text/plain", "", bytes.NewReader(p.rootBody), "1", "")
			}
			if p.cut {
				p.problem("%s: %s ends before its closing boundary; the message is cut short", pt.container(), typ)
			} else {
				p.problem("%s: %s broken after %d parts; the rest not read", pt.container(), typ, n-1)
			}
			break
		}
		h := mail.Header{Header: message.Header{Header: tp.Header}}
		kid := p.walk(h, tp, pt.child(n, typ))
		kids = append(kids, kid)
		if typ == "multipart/alternative" && !p.skipText && hasPlain(kid) {
			// The alternatives after the first with plain text are not
			// kept, so their text is not read (turning the HTML twin of
			// the text into text was a fifth of intake's parsing); they
			// are still walked for the attachments they list.
			p.skipText = true
			defer func() { p.skipText = false }()
		}
	}
	if typ != "multipart/alternative" {
		var all []segment
		for _, k := range kids {
			all = append(all, k...)
		}
		return all
	}
	for _, k := range kids {
		if hasPlain(k) {
			return k
		}
	}
	for i := len(kids) - 1; i >= 0; i-- {
		for _, s := range kids[i] {
			if strings.TrimSpace(s.text) != "" {
				return kids[i]
			}
		}
	}
	return nil
}

// hasPlain reports whether segs has plain text, not made from HTML.
func hasPlain(segs []segment) bool {
	for _, s := range segs {
		if !s.html && strings.TrimSpace(s.text) != "" {
			return true
		}
	}
	return false
}

// text reads an inline text/plain or text/html part.
func (p *parser) text(typ, cs string, r io.Reader, name, cte string) []segment {
	if p.skipText {
		return nil
	}
	budget := min(maxText, maxHeldText-p.held)
	if budget <= 0 {
		p.truncated = true
		return nil
	}
	r, rep, known := charsetReader(cs, r)
	var (
		s   string
		cut bool
		err error
	)
	if typ == "text/html" {
		s, cut, err = htmlToText(r, budget, rep.fix)
		s = normalizeText(s)
		if errors.Is(err, html.ErrBufferExceeded) {
			p.problem("part %s: HTML has an element over %d MiB; the text after it is not read", name, maxHTMLToken>>20)
			err = nil
		}
	} else {
		s, cut, err = readPlain(r, budget, &rep)
	}
	p.readProblem(err, name, cte)
	p.truncated = p.truncated || cut
	switch {
	case !known:
		p.problem("unknown charset %q in part %s; %s", label(cs), name, rep.how())
	case rep.latin || rep.replaced:
		p.problem("part %s: text not valid in its charset; %s", name, rep.how())
	}
	p.held += len(s)
	return []segment{{text: s, html: typ == "text/html"}}
}

// readPlain reads at most budget bytes of text.
func readPlain(r io.Reader, budget int, rep *repair) (string, bool, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(budget)+1))
	cut := len(b) > budget
	if cut {
		b = b[:budget]
		// Do not leave half a character for fix to mistake for another
		// charset.
		for i := len(b) - 1; i >= 0 && i >= len(b)-3; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	return normalizeText(rep.fix(string(b))), cut, err
}

// attach lists a part as an attachment, counting its decoded bytes
// without keeping them.
func (p *parser) attach(att Attachment, r io.Reader, cte string, pt part) {
	n, err := io.Copy(p.keeper(pt), r)
	att.Size = n
	p.readProblem(err, pt.name(), cte)
	if !pt.inner {
		p.attachments = append(p.attachments, att)
	}
}

// attachedMessage lists a message/rfc822 part as an attachment and, unless
// it is the returned message of a delivery report, returns its text after
// a separator line, so that a forwarded threat is read like the rest.
func (p *parser) attachedMessage(att Attachment, r io.Reader, cte string, pt part) []segment {
	cr := &countReader{r: io.TeeReader(r, p.keeper(pt))}
	var segs []segment
	name := pt.name()
	if pt.inReport {
		p.returnedHeader(bufio.NewReader(cr), "returned message in part "+name+": ")
	} else if pt.depth < maxDepth {
		br := bufio.NewReader(cr)
		where := "attached message in part " + name + ": "
		if h, ok := p.readHeader(br, where); ok {
			head := "---------- Attached message ----------"
			if from := p.addressList(&h, "From", where); len(from) > 0 {
				head += "\nFrom: " + formatAddress(from[0])
			}
			if d := strings.TrimSpace(h.Get("Date")); d != "" {
				head += "\nDate: " + p.cleanHeader(d, where+"Date")
			}
			if s := p.headerText(&h, "Subject", where); s != "" {
				head += "\nSubject: " + s
			}
			segs = append([]segment{{text: head}}, p.walk(h, br, part{path: pt.path, depth: pt.depth + 1, inner: true})...)
		} else {
			p.problem("part %s: attached message has no header; listed only", name)
		}
	}
	_, err := io.Copy(io.Discard, cr)
	att.Size = cr.n
	p.readProblem(err, name, cte)
	if !pt.inner {
		p.attachments = append(p.attachments, att)
	}
	return segs
}

// keeper is where the decoded bytes of an attachment go: to the caller of
// AttachmentData for the one asked for, nowhere otherwise.
func (p *parser) keeper(pt part) io.Writer {
	if pt.inner || p.keep != len(p.attachments) {
		return io.Discard
	}
	p.kept = &bytes.Buffer{}
	return p.kept
}

// returnedHeader reads the header of a message a delivery report returns,
// for its Message-ID: the bounce threads to the message that bounced.
func (p *parser) returnedHeader(br *bufio.Reader, where string) {
	if h, ok := p.readHeader(br, where); ok && p.returned == "" {
		if id, err := h.MessageID(); err == nil {
			p.returned = id
		}
	}
}

func formatAddress(a Address) string {
	switch {
	case a.Name == "":
		return a.Addr
	case a.Addr == "":
		return a.Name
	}
	return a.Name + " <" + a.Addr + ">"
}

// contentType returns a part's media type, lower case, and parameters.
func (p *parser) contentType(h *mail.Header, pt part) (string, map[string]string) {
	v := h.Get("Content-Type")
	if strings.TrimSpace(v) == "" {
		if pt.defType != "" {
			return pt.defType, nil
		}
		return "text/plain", nil
	}
	typ, params := parseParams(v)
	if !validMediaType(typ) {
		// RFC 2045 5.2: a Content-Type that cannot be understood means
		// text/plain.
		p.problem("part %s: Content-Type not understood; read as text/plain", pt.name())
		return "text/plain", params
	}
	return typ, params
}

func validMediaType(t string) bool {
	typ, sub, ok := strings.Cut(t, "/")
	return ok && isToken(typ) && isToken(sub)
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?=`, c) >= 0 {
			return false
		}
	}
	return true
}

// filename returns an attachment's name: Content-Disposition's, else
// Content-Type's, decoded, without any directory a mailer left on it.
func (p *parser) filename(disp, ctName, name string) string {
	f := disp
	if f == "" {
		f = ctName
	}
	if f == "" {
		return ""
	}
	if encodedWord.MatchString(f) {
		// RFC 2047 inside a quoted parameter is not allowed, and common.
		f = decodeWords(f)
	}
	f = strings.TrimSpace(p.cleanHeader(f, "part "+name+" file name"))
	if i := strings.LastIndexAny(f, `/\`); i >= 0 && i < len(f)-1 {
		f = f[i+1:]
	}
	return f
}
