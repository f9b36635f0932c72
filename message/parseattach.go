package message

import (
	"io"
	"strings"
)

// attach lists a part as an attachment with its decoded size. Its bytes
// are kept only for AttachmentData's caller, and only for the one asked
// for; past maxParts attachments are counted, not listed.
func (p *parser) attach(att Attachment, body []byte, kind transferKind, pt part) {
	listed := !pt.inner && len(p.attachments) < maxParts
	keep := listed && p.keep == len(p.attachments)
	if (kind == transferIdentity || kind == transferUnknown) && !keep {
		att.Size = int64(len(body))
	} else {
		dec := newBodyReader(body, kind)
		if keep {
			p.kept, _ = dec.bytes(len(body)) // decoding never makes more
			att.Size = int64(len(p.kept))
		} else {
			att.Size, _ = io.Copy(io.Discard, dec)
		}
		if dec.bad > 0 {
			p.problem("part %s: %s of broken base64 skipped", pt.name(), describe(dec.bad, "line"))
		}
	}
	switch {
	case listed:
		p.attachments = append(p.attachments, att)
	case !pt.inner:
		p.unlisted++
	}
}

// attachedMessage lists a message/rfc822 part as an attachment and, unless
// it is the returned message of a delivery report, returns its text after
// a separator line, so that a forwarded threat is read like the rest.
func (p *parser) attachedMessage(att Attachment, body []byte, kind transferKind, pt part) []segment {
	p.attach(att, body, kind, pt)
	dec := newBodyReader(body, kind)
	inner, _ := dec.bytes(len(body)) // no copy unless encoded
	name := pt.name()
	switch {
	case pt.inReport:
		p.returnedHeader(inner, "returned message in part "+name+": ")
		return nil
	case pt.depth >= maxDepth:
		p.lose("part %s: attached messages nested more than %d deep; not read", name, maxDepth)
		return nil
	}
	where := "attached message in part " + name + ": "
	h, ibody, ok := p.readHeader(inner, where)
	if !ok {
		p.problem("part %s: attached message has no header; read as text", name)
		return p.text("text/plain", nil, inner, transferIdentity, name)
	}
	head := "---------- Attached message ----------"
	if from := p.addressList(h, "From", where); len(from) > 0 {
		head += "\nFrom: " + formatAddress(from[0])
	}
	if d := strings.TrimSpace(h.get("Date")); d != "" {
		head += "\nDate: " + p.cleanHeader(d, where+"Date")
	}
	if s := p.headerText(h, "Subject", where); s != "" {
		head += "\nSubject: " + s
	}
	inside := part{path: pt.path, depth: pt.depth + 1, inner: true, atEOF: pt.atEOF}
	return append([]segment{{text: head}}, p.walk(h, ibody, inside)...)
}

// returnedHeader reads the header of a message a delivery report returns,
// for its Message-ID: the bounce threads to the message that bounced.
func (p *parser) returnedHeader(b []byte, where string) {
	if h, _, ok := p.readHeader(b, where); ok && p.returned == "" {
		p.returned = messageID(h)
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
func (p *parser) contentType(h header, pt part) (string, map[string]string) {
	v := h.get("Content-Type")
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

// filename returns an attachment's name, decoded, without any directory
// a mailer left on it: Content-Disposition's filename, else
// Content-Type's name, else whichever of the two a mailer put in the
// other field, and file= as a last resort.
func (p *parser) filename(dparams, params map[string]string, name string) string {
	var f string
	for _, v := range []string{dparams["filename"], params["name"], dparams["name"], params["filename"], params["file"], dparams["file"]} {
		if f = strings.TrimSpace(v); f != "" {
			break
		}
	}
	if f == "" {
		return ""
	}
	// RFC 2047 inside a quoted parameter is not allowed, and common.
	f = strings.TrimSpace(p.words(f, "part "+name+" file name"))
	if i := strings.LastIndexAny(f, `/\`); i >= 0 && i < len(f)-1 {
		f = f[i+1:]
	}
	return f
}
