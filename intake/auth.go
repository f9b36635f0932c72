package intake

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Auth is what the receiving mail server found of a message's sender,
// read from the Authentication-Results fields it added (RFC 8601). The
// outcomes are stored in clear: they say how a message was checked, not
// what it says or who wrote it.
//
// It lives in intake, beside the threading that uses it, rather than in
// package message: it is intake's reading of what its own mail server
// said, depends on intake's setting (the server's authserv-id), and keeps
// clear of the MIME parser.
type Auth struct {
	// SPF, DKIM and DMARC are the results ("pass", "fail", "softfail",
	// "none", …) of a trusted field; "" when none reported the method.
	SPF, DKIM, DMARC string
	// Verified says the From's domain is aligned with a passing check: a
	// DMARC pass, or without a DMARC result, a DKIM pass signed by the
	// From's organisational domain, or an SPF pass for its envelope
	// sender's (RFC 7489's relaxed alignment).
	Verified bool
}

// DMARCFail reports whether the From's domain published a DMARC policy
// the message failed: the domain's owner says it did not send it.
func (a Auth) DMARCFail() bool { return a.DMARC == "fail" }

// ReadAuth reads the Authentication-Results fields of a message (raw
// values, topmost first) that carry authservID, the receiving server's
// authserv-id (OKIT_AUTHSERV_ID; compared without regard to case). Other
// fields are ignored: anyone can write one. With authservID "" nothing is
// trusted and the sender is not verified. When several trusted fields
// report a method, the topmost wins: a server adds its fields above what
// the sender wrote. from is the From address whose domain must align.
func ReadAuth(fields []string, authservID, from string) Auth {
	var a Auth
	if authservID == "" {
		return a
	}
	var dkimAligned, spfAligned bool
	fromOrg := orgDomain(domainOf(from))
	dmarcFrom := ""
	for _, f := range fields {
		id, results := parseAuthResults(f)
		if !strings.EqualFold(id, authservID) {
			continue
		}
		for _, r := range results {
			switch r.method {
			case "spf":
				if a.SPF == "" {
					a.SPF = r.result
					spfAligned = r.result == "pass" && aligned(fromOrg, domainOf(r.props["smtp.mailfrom"]))
				}
			case "dkim":
				// A message may carry several signatures: one that passes
				// for the From's domain is enough.
				if a.DKIM == "" || a.DKIM != "pass" && r.result == "pass" {
					a.DKIM = r.result
				}
				d := r.props["header.d"]
				if d == "" {
					d = domainOf(r.props["header.i"])
				}
				dkimAligned = dkimAligned || r.result == "pass" && aligned(fromOrg, d)
			case "dmarc":
				if a.DMARC == "" {
					a.DMARC, dmarcFrom = r.result, r.props["header.from"]
				}
			}
		}
	}
	switch a.DMARC {
	case "pass":
		// The server checked a From: it must be the one okit read.
		a.Verified = fromOrg != "" && (dmarcFrom == "" || aligned(fromOrg, dmarcFrom))
	case "fail":
	default:
		a.Verified = dkimAligned || spfAligned
	}
	return a
}

// aligned reports whether domain d belongs to the organisational domain
// org (relaxed alignment: the same registered domain).
func aligned(org, d string) bool {
	return org != "" && orgDomain(d) == org
}

// orgDomain is the registered domain of d (example.co.uk for
// mail.example.co.uk), lower case; "" when d has none.
func orgDomain(d string) string {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	if d == "" {
		return ""
	}
	org, err := publicsuffix.EffectiveTLDPlusOne(d)
	if err != nil {
		return ""
	}
	return org
}

// domainOf is what follows the last @ of an address, or the whole of a
// bare domain.
func domainOf(addr string) string {
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return addr[at+1:]
	}
	return addr
}

// authResult is one resinfo of an Authentication-Results field.
type authResult struct {
	method, result string
	props          map[string]string // ptype.property → value, lower case keys
}

// parseAuthResults reads one Authentication-Results value: the
// authserv-id and the results, field by field as RFC 8601 section 2.2
// writes them (comments dropped, quoted values unquoted, spaces allowed
// around "=" and "/"). Methods and results are lower-cased; a result that
// is not a plain keyword is dropped.
func parseAuthResults(v string) (authservID string, results []authResult) {
	segs := splitOutsideQuotes(stripComments(v), ';')
	if len(segs) == 0 {
		return "", nil
	}
	head := fieldsOutsideQuotes(segs[0])
	if len(head) == 0 {
		return "", nil
	}
	authservID = unquote(head[0])
	for _, seg := range segs[1:] {
		items := fieldsOutsideQuotes(tightenEquals(seg))
		if len(items) == 0 {
			continue
		}
		method, result, ok := strings.Cut(items[0], "=")
		if !ok {
			continue // "none", or a broken resinfo
		}
		method, _, _ = strings.Cut(strings.ToLower(method), "/") // a method version
		result = strings.ToLower(unquote(result))
		if !keyword(method) || !keyword(result) {
			continue
		}
		r := authResult{method: method, result: result, props: map[string]string{}}
		for _, it := range items[1:] {
			if k, v, ok := strings.Cut(it, "="); ok {
				r.props[strings.ToLower(k)] = unquote(v)
			}
		}
		results = append(results, r)
	}
	return authservID, results
}

// keyword reports whether s is a short RFC 8601 Keyword: letters, digits
// and inner hyphens.
func keyword(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// stripComments replaces RFC 5322 comments (nested parentheses, with
// backslash escapes) outside quoted strings by a space.
func stripComments(s string) string {
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && (quoted || depth > 0) && i+1 < len(s):
			if depth == 0 {
				b.WriteByte(c)
				b.WriteByte(s[i+1])
			}
			i++
		case depth > 0:
			switch c {
			case '(':
				depth++
			case ')':
				if depth--; depth == 0 {
					b.WriteByte(' ')
				}
			}
		case c == '"':
			quoted = !quoted
			b.WriteByte(c)
		case c == '(' && !quoted:
			depth = 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// splitOutsideQuotes splits s at sep where it is not inside a quoted
// string.
func splitOutsideQuotes(s string, sep byte) []string {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// fieldsOutsideQuotes splits s at spaces that are not inside a quoted
// string.
func fieldsOutsideQuotes(s string) []string {
	var out []string
	for _, f := range splitOutsideQuotes(strings.Map(func(r rune) rune {
		if r == '\t' || r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s), ' ') {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// tightenEquals removes the spaces around "=" and "/" outside quoted
// strings, which RFC 8601 allows, so that each item is one field.
func tightenEquals(s string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && quoted && i+1 < len(s):
			b.WriteByte(c)
			i++
			c = s[i]
		case c == '"':
			quoted = !quoted
		case !quoted && (c == '=' || c == '/'):
			out := strings.TrimRight(b.String(), " \t\r\n")
			b.Reset()
			b.WriteString(out)
			b.WriteByte(c)
			for i+1 < len(s) && strings.IndexByte(" \t\r\n", s[i+1]) >= 0 {
				i++
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// unquote takes the quotes and escapes off an RFC 5322 quoted string;
// anything else comes back as it is.
func unquote(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	var b strings.Builder
	for i := 1; i < len(s)-1; i++ {
		if s[i] == '\\' && i+1 < len(s)-1 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
