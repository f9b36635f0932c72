package message

import (
	"encoding/base64"
	"strings"
)

// decodeWords decodes the RFC 2047 encoded words in a header value, as
// mailers write them rather than as the RFC allows: inside quoted
// strings and parameters, with raw 8-bit bytes in a Q word, with a
// language tag (charset*hu), in UTF-7 or an unknown charset, and with a
// UTF-8 character split over two words (adjacent words in one charset
// are joined before they are decoded). White space between encoded words
// goes, as the RFC says. notes says how a charset was overridden or
// guessed; malformed is true when something looked like an encoded word
// and was kept as written.
func decodeWords(s string) (out string, notes []string, malformed bool) {
	if !strings.Contains(s, "=?") {
		return s, nil, false
	}
	var b strings.Builder
	var pending []byte // bytes of adjacent words in pendingCS
	pendingCS := ""
	lastWord := false // the last thing written was an encoded word
	flush := func() {
		if pendingCS == "" {
			return
		}
		d := decodingFor(pending, pendingCS)
		b.WriteString(d.text(pending))
		if d.note != "" {
			notes = append(notes, d.note)
		}
		pending, pendingCS = pending[:0], ""
	}
	for s != "" {
		i := strings.Index(s, "=?")
		if i < 0 {
			flush()
			b.WriteString(s)
			break
		}
		cs, raw, n, ok := parseWord(s[i:])
		if !ok {
			flush()
			b.WriteString(s[:i+2])
			s, malformed, lastWord = s[i+2:], true, false
			continue
		}
		gap := s[:i]
		blank := strings.Trim(gap, " \t\r\n") == ""
		if !blank || !strings.EqualFold(cs, pendingCS) {
			flush()
			if !blank || !lastWord {
				b.WriteString(gap)
			}
			pendingCS = cs
		}
		pending = append(pending, raw...)
		s, lastWord = s[i+n:], true
	}
	flush()
	return b.String(), notes, malformed
}

// parseWord reads an encoded word at the start of s: its charset
// (without a language tag), its decoded bytes and its length.
func parseWord(s string) (cs string, raw []byte, n int, ok bool) {
	rest := s[2:]
	q1 := strings.IndexByte(rest, '?')
	if q1 <= 0 || q1+2 >= len(rest) || rest[q1+2] != '?' {
		return "", nil, 0, false
	}
	cs, enc := rest[:q1], rest[q1+1]
	text := rest[q1+3:]
	end := strings.Index(text, "?=")
	if end < 0 || strings.ContainsAny(text[:end], "\r\n") {
		return "", nil, 0, false
	}
	text = text[:end]
	if i := strings.IndexByte(cs, '*'); i >= 0 {
		cs = cs[:i] // RFC 2231 language tag
	}
	switch enc {
	case 'b', 'B':
		raw, ok = decodeWordBase64(text)
	case 'q', 'Q':
		raw, ok = decodeWordQ(text), true
	}
	if !ok || cs == "" {
		return "", nil, 0, false
	}
	return cs, raw, 2 + q1 + 3 + end + 2, true
}

// decodeWordBase64 decodes a B word, with or without its padding.
func decodeWordBase64(text string) ([]byte, bool) {
	text = strings.TrimRight(strings.TrimSpace(text), "=")
	b, err := base64.RawStdEncoding.DecodeString(text)
	return b, err == nil
}

// decodeWordQ decodes a Q word: "_" is a space, =XX a byte, and any
// other byte, 8-bit ones too, itself.
func decodeWordQ(text string) []byte {
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			out = append(out, unhex(text[i+1])<<4|unhex(text[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}
