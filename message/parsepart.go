package message

import (
	"bytes"
	"strconv"
	"strings"
)

// part is where a MIME part sits in the tree.
type part struct {
	path     string // IMAP-style part number ("1.2"); "" for the top of a multipart message
	depth    int
	inReport bool   // inside multipart/report: a returned message is not the writer's text
	inner    bool   // inside an attached message: its parts are not listed as attachments
	defType  string // the media type of a part without Content-Type (message/rfc822 in a digest)
	atEOF    bool   // the part runs to the end of the input: a multipart in it that is not closed was cut short
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

func (pt part) child(n int, parentType string, atEOF bool) part {
	c := part{path: strconv.Itoa(n), depth: pt.depth + 1, inner: pt.inner, atEOF: atEOF,
		inReport: pt.inReport || parentType == "multipart/report"}
	if pt.path != "" {
		c.path = pt.path + "." + c.path
	}
	if parentType == "multipart/digest" {
		c.defType = "message/rfc822"
	}
	return c
}

// isText reports whether a media type is one whose text is the writer's.
func isText(typ string) bool { return typ == "text/plain" || typ == "text/html" }

// walk reads one part and what it contains, listing attachments as it
// goes, and returns the text segments the part contributes.
func (p *parser) walk(h header, body []byte, pt part) []segment {
	p.parts++
	name := pt.name()
	typ, params := p.contentType(h, pt)
	if strings.HasPrefix(typ, "multipart/") {
		if pt.depth >= maxDepth {
			p.lose("part %s: nested more than %d deep; not read", name, maxDepth)
			return nil
		}
		return p.multipart(typ, params["boundary"], body, pt)
	}

	if len(p.attachments) >= maxParts && !isText(typ) && !strings.HasPrefix(typ, "message/") {
		// Past the listing limit a part that holds no text costs only
		// its header: a message of a million tiny parts stays cheap.
		if !pt.inner {
			p.unlisted++
		}
		return nil
	}
	disp, dparams := parseParams(h.get("Content-Disposition"))
	att := Attachment{ContentType: typ, Filename: p.filename(dparams, params, name)}
	cte := strings.ToLower(strings.TrimSpace(h.get("Content-Transfer-Encoding")))
	kind := transferOf(cte)
	switch {
	case kind == transferUnknown:
		p.problem("part %s: unknown transfer encoding %q; kept undecoded", name, label(cte))
	case kind == transferBase64 && notBase64(body):
		p.problem("part %s: labelled base64 but is plain text; read as it is", name)
		kind = transferIdentity
	}
	switch {
	case typ == "message/rfc822" || typ == "message/global" || typ == "message/news":
		return p.attachedMessage(att, body, kind, pt)
	case typ == "message/partial":
		// One piece of a message sent in several: the rest is in other
		// mail, if anywhere.
		p.lose("part %s: a message sent in pieces (message/partial); only one piece is here", name)
		if params["number"] == "1" {
			return p.attachedMessage(att, body, kind, pt)
		}
		p.attach(att, body, kind, pt)
		return p.text("text/plain", nil, body, kind, name)
	case typ == "message/delivery-status" && pt.inReport:
		// The status of a bounce: text of a kind, read when the bounce
		// says nothing else.
		p.textAttachment("text/plain", nil, body, kind, name)
	case typ == "text/rfc822-headers" && pt.inReport:
		b, _ := newBodyReader(body, kind).bytes(maxHeader)
		p.returnedHeader(b, "returned headers in part "+name+": ")
		return nil
	case isText(typ) && (disp == "" || disp == "inline"):
		// A text part with a file name (Apple Mail, Netscape and some
		// webmail name the writer's text) is read, and listed.
		segs := p.text(typ, params, body, kind, name)
		if att.Filename != "" {
			p.attach(att, body, kind, pt)
		}
		return segs
	case isText(typ):
		p.textAttachment(typ, params, body, kind, name)
	}
	p.attach(att, body, kind, pt)
	return nil
}

// multipart walks the parts of a multipart body. Of an alternative it
// keeps the first part with plain text, else the last with any text; of
// every other kind it keeps all.
func (p *parser) multipart(typ, boundary string, body []byte, pt part) []segment {
	sc := newPartScanner(body, boundary)
	var all []segment
	var kids [][]segment // of an alternative, each part's
	n := 0
	for {
		raw, ok := sc.next()
		if !ok {
			break
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue // a delimiter line written twice
		}
		n++
		child := pt.child(n, typ, pt.atEOF && sc.done && !sc.closed)
		h, pbody, ok := p.readHeader(raw, "part "+child.name()+": ")
		if !ok {
			// An empty header (RFC 2046 allows it) or none at all.
			if line := firstLineWithEnd(raw); len(bytes.TrimRight(line, "\r\n")) == 0 {
				pbody = raw[len(line):]
			} else {
				p.problem("part %s has no header; read as text/plain", child.name())
				pbody = raw
			}
		}
		kid := p.walk(h, pbody, child)
		if typ != "multipart/alternative" {
			all = append(all, kid...)
			continue
		}
		kids = append(kids, kid)
		if !p.skipText && hasPlain(kid) {
			// The alternatives after the first with plain text are not
			// kept, so their text is not read (turning the HTML twin of
			// the text into text was a fifth of intake's parsing); they
			// are still walked for the attachments they list.
			p.skipText = true
			defer func() { p.skipText = false }()
		}
	}
	if n == 0 {
		return p.noParts(typ, boundary, body, pt)
	}
	switch {
	case !sc.closed && pt.atEOF:
		p.lose("%s: %s ends before its closing boundary; the message is cut short", pt.container(), typ)
	case !sc.closed:
		p.problem("%s: %s has no closing boundary", pt.container(), typ)
	}
	if sc.junk > 0 {
		p.problem("%s: %s with text after the boundary", pt.container(), describe(sc.junk, "delimiter line"))
	}
	if typ != "multipart/alternative" {
		return all
	}
	return alternative(kids)
}

// noParts reads a multipart in which the boundary it declares never
// comes: with the boundary its parts really use, if a line says, else as
// plain text, which may hold the writer's words among MIME's.
func (p *parser) noParts(typ, boundary string, body []byte, pt part) []segment {
	if len(bytes.TrimSpace(body)) == 0 {
		p.problem("%s: %s is empty", pt.container(), typ)
		return nil
	}
	if b := guessBoundary(body); b != "" && b != boundary {
		p.problem("%s: %s boundary not found; the one its parts use read instead", pt.container(), typ)
		return p.multipart(typ, b, body, pt)
	}
	p.lose("%s: %s without parts (boundary not found); body read as plain text", pt.container(), typ)
	return p.text("text/plain", nil, body, transferIdentity, pt.name())
}

// alternative picks the segments of the part of an alternative that is
// kept: the first with plain text, else the last with any.
func alternative(kids [][]segment) []segment {
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

// describe counts things for a problem: "1 line", "3 lines".
func describe(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
