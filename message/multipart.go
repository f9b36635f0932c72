package message

import "bytes"

// partScanner splits a multipart body at its boundary, as RFC 2046 5.1.1
// writes the grammar: a delimiter is a line of "--", the boundary, and
// nothing but white space; the close delimiter has "--" after the
// boundary. A line where the boundary is followed by anything else
// ("--b.165-1", the boundary of a part nested inside) is not one: that
// is golang/go#10616, which go-message still has and which lost the
// whole text of such mail. Two leniencies: a delimiter with white space
// and then other text after the boundary counts (and is counted, for a
// problem), and an empty part (a delimiter line written twice) is
// skipped.
//
// The scanner works on the bytes in memory and finds each delimiter
// with bytes.Index, so a part that cannot be read costs only itself: the
// next delimiter is found whatever the part held.
type partScanner struct {
	body    []byte
	dash    []byte // "--" + boundary
	pos     int    // where the next part starts
	started bool   // the first delimiter was found
	done    bool
	closed  bool // the close delimiter was found
	junk    int  // delimiter lines with text after the boundary
}

func newPartScanner(body []byte, boundary string) *partScanner {
	s := &partScanner{body: body, dash: []byte("--" + boundary)}
	if boundary == "" {
		s.done = true
	}
	return s
}

type delimiter int

const (
	noDelimiter delimiter = iota
	openDelimiter
	closeDelimiter
)

// next returns the bytes of the next part, header and body, without the
// line break that belongs to the delimiter after it; false when there
// are no more. Before the first delimiter is the preamble, after the
// close delimiter the epilogue: neither is a part.
func (s *partScanner) next() ([]byte, bool) {
	if s.done {
		return nil, false
	}
	if !s.started {
		_, after, kind := s.find(0)
		if kind != openDelimiter {
			s.done, s.closed = true, kind == closeDelimiter
			return nil, false
		}
		s.started, s.pos = true, after
	}
	at, after, kind := s.find(s.pos)
	if kind == noDelimiter {
		s.done = true
		return s.body[s.pos:], true
	}
	end := at
	if end > s.pos && s.body[end-1] == '\n' {
		end--
		if end > s.pos && s.body[end-1] == '\r' {
			end--
		}
	}
	part := s.body[s.pos:end]
	if kind == closeDelimiter {
		s.done, s.closed = true, true
	} else {
		s.pos = after
	}
	return part, true
}

// find returns where the next delimiter line at or after from starts,
// where the line after it starts, and what kind it is.
func (s *partScanner) find(from int) (at, after int, kind delimiter) {
	for i := from; i < len(s.body); {
		j := bytes.Index(s.body[i:], s.dash)
		if j < 0 {
			break
		}
		at = i + j
		i = at + 1
		if at > 0 && s.body[at-1] != '\n' {
			continue // not at the start of a line
		}
		rest := s.body[at+len(s.dash):]
		after = len(s.body)
		if k := bytes.IndexByte(rest, '\n'); k >= 0 {
			rest, after = rest[:k], at+len(s.dash)+k+1
		}
		if kind = s.classify(bytes.TrimSuffix(rest, []byte("\r"))); kind != noDelimiter {
			return at, after, kind
		}
	}
	return 0, 0, noDelimiter
}

// classify reads what follows the boundary on a line.
func (s *partScanner) classify(rest []byte) delimiter {
	switch {
	case len(rest) == 0:
		return openDelimiter
	case bytes.HasPrefix(rest, []byte("--")):
		return closeDelimiter
	case rest[0] != ' ' && rest[0] != '\t':
		return noDelimiter // the boundary goes on: another one
	case len(bytes.TrimLeft(rest, " \t")) > 0:
		s.junk++
	}
	return openDelimiter
}

// guessBoundary finds the boundary a multipart's parts really use when
// the one it declares never comes: the first line of "--" and a token
// followed by a header field. "" if there is none.
func guessBoundary(body []byte) string {
	for len(body) > 0 {
		line := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		line = bytes.TrimRight(line, " \t\r")
		if len(line) < 3 || len(line) > 74 || !bytes.HasPrefix(line, []byte("--")) || bytes.ContainsAny(line, " \t") {
			continue
		}
		if next := firstLine(body); isFieldLine(next) {
			return string(line[2:])
		}
	}
	return ""
}

// firstLine returns b's first line without its line end.
func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return bytes.TrimSuffix(b, []byte("\r"))
}
