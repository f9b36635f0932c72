package message

import (
	"mime"
	"slices"
	"strconv"
	"strings"
)

// parseParams parses a Content-Type or Content-Disposition value into its
// lower-case value and parameters. It uses mime.ParseMediaType and falls
// back to a lenient reading for what that rejects: an unquoted boundary
// with "=" in it, a file name with spaces, a repeated parameter. RFC 2231
// values (a "*" in the value) are always read leniently: the standard
// library decodes only UTF-8 ones and drops the first piece of a
// continuation in any other charset, and ISO-8859-2 file names are
// common in Hungarian mail.
func parseParams(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	if !strings.Contains(v, "*") {
		if typ, params, err := mime.ParseMediaType(v); err == nil {
			return typ, params
		}
	}
	return lenientParams(v)
}

// lenientParams reads a value and its parameters (key=token,
// key="quoted", RFC 2231 key*0*=charset'lang'%XX pieces) the way mailers
// write them rather than the way RFC 2045 says.
func lenientParams(v string) (string, map[string]string) {
	typ, rest, _ := strings.Cut(v, ";")
	params := make(map[string]string)
	pieces := make(map[string][]rfc2231Piece)
	for {
		rest = strings.TrimLeft(rest, " \t\r\n;")
		if rest == "" {
			break
		}
		i := strings.IndexAny(rest, "=;")
		if i < 0 {
			break // a last key without a value
		}
		if rest[i] == ';' {
			rest = rest[i+1:]
			continue
		}
		key := strings.ToLower(strings.TrimSpace(rest[:i]))
		rest = strings.TrimLeft(rest[i+1:], " \t")
		var val string
		if strings.HasPrefix(rest, `"`) {
			val, rest = unquote(rest[1:])
		} else {
			val, rest, _ = strings.Cut(rest, ";")
			val = strings.TrimSpace(val)
		}
		base, idx, enc, starred := splitStar(key)
		switch {
		case key == "":
		case starred:
			pieces[base] = append(pieces[base], rfc2231Piece{idx, enc, val})
		default:
			if _, dup := params[key]; !dup {
				params[key] = val
			}
		}
	}
	for base, ps := range pieces {
		// An RFC 2231 value is the better one when a plain fallback
		// is given too.
		params[base] = joinRFC2231(ps)
	}
	return strings.ToLower(strings.TrimSpace(typ)), params
}

// unquote reads a quoted string whose opening quote is gone and returns
// it and what follows the closing quote up to the next parameter.
func unquote(s string) (val, rest string) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			_, rest, _ = strings.Cut(s[i+1:], ";")
			return b.String(), rest
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), "" // no closing quote: the rest is the value
}

type rfc2231Piece struct {
	idx int
	enc bool // percent-encoded, the first piece with charset'language'
	val string
}

// splitStar splits an RFC 2231 key: "name*" (one encoded piece), "name*0"
// or "name*1*" (pieces of a continuation).
func splitStar(key string) (base string, idx int, enc, ok bool) {
	base, suffix, ok := strings.Cut(key, "*")
	if !ok || base == "" {
		return key, 0, false, false
	}
	if suffix == "" {
		return base, 0, true, true
	}
	suffix, enc = strings.CutSuffix(suffix, "*")
	n, err := strconv.Atoi(suffix)
	if err != nil || n < 0 || n > 999 {
		return key, 0, false, false
	}
	return base, n, enc, true
}

func joinRFC2231(ps []rfc2231Piece) string {
	slices.SortStableFunc(ps, func(a, b rfc2231Piece) int { return a.idx - b.idx })
	var raw []byte
	cs := ""
	for i, pc := range ps {
		v := pc.val
		if pc.enc && i == 0 {
			// charset'language'value; the language is of no use here.
			if parts := strings.SplitN(v, "'", 3); len(parts) == 3 {
				cs, v = parts[0], parts[2]
			}
		}
		if pc.enc {
			raw = append(raw, percentDecode(v)...)
		} else {
			raw = append(raw, v...)
		}
	}
	return decodingFor(raw, cs).text(raw)
}

// percentDecode undoes %XX escapes, keeping a stray % as it is.
func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if b, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				out = append(out, byte(b))
				i += 2
				continue
			}
		}
		out = append(out, s[i])
	}
	return out
}
