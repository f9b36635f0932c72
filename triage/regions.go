package triage

import (
	"bytes"
	"strings"
	"sync"
)

// Region says whose words a part of the body holds.
type Region uint8

const (
	// RegionNew is the writer's new text.
	RegionNew Region = iota
	// RegionQuoted is an earlier message quoted in a reply: below a reply
	// header ("… ezt írta (időpont: …):", "On … wrote:", Outlook's
	// Feladó/Elküldve/Címzett/Tárgy block, "-------- Eredeti üzenet
	// --------") or on lines starting with ">".
	RegionQuoted
	// RegionForwarded is a forwarded message ("---------- Forwarded
	// message ---------", "Továbbított üzenet", a header block under a
	// "Fwd:" subject). The writer sends it as evidence, so it counts as
	// their own words.
	RegionForwarded
	// RegionSignature is a signature: below a "-- " line, or a closing
	// word (Üdvözlettel, Tisztelettel, Köszönettel, Best regards, …)
	// followed by a few short lines. It is not read at all.
	RegionSignature
	// RegionUnread is quoted mail beyond the first quotedBudget bytes: a
	// long thread's history was triaged when each message came, and reading
	// it again would only cost time.
	RegionUnread
)

// quotedBudget is how much quoted or forwarded-as-quote text is read.
const quotedBudget = 4 << 10

// String gives "new", "quoted", "forwarded" or "signature".
func (r Region) String() string {
	switch r {
	case RegionQuoted:
		return "quoted"
	case RegionForwarded:
		return "forwarded"
	case RegionSignature:
		return "signature"
	case RegionUnread:
		return "unread"
	}
	return "new"
}

// span is a part of the body, as byte offsets, that is not new text.
type span struct {
	start, end int
	region     Region
}

type line struct {
	start, end int    // without the line break
	fold       []byte // folded and trimmed; nil when the line cannot be a header
}

// lineBuf is splitLines' working space, reused through lineBufs: the
// lines of a 20 KiB message took some 14 KiB, most of what triaging it
// allocated, and findRegions runs twice for some messages (triage and
// the safety check of the writer's own address).
type lineBuf struct {
	lines []line
	fold  []byte
	refs  []lineRef
}

var lineBufs = sync.Pool{New: func() any { return new(lineBuf) }}

// lineRef is a folded line in lineBuf.fold, until the buffer stops growing.
type lineRef struct{ i, a, b int }

// splitLines cuts text into lines, in lb's space: they hold until lb is
// used again. Only lines that may be reply headers, separators or
// closings are folded, to keep long messages cheap: short lines, and
// lines with a colon, an @ or a leading dash.
func splitLines(text string, lb *lineBuf) []line {
	lines := lb.lines[:0]
	if n := 16 + len(text)/64; cap(lines) < n {
		lines = make([]line, 0, n)
	}
	buf, refs := lb.fold[:0], lb.refs[:0]
	for start := 0; start <= len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		t := strings.TrimSpace(text[start:end])
		if len(t) > 0 && t[0] != '>' && (len(t) <= 48 || len(t) < 240 && (hasColonOrAt(t) || strings.ContainsRune("-_*=", rune(t[0])))) {
			a := len(buf)
			buf = appendFold(buf, t)
			refs = append(refs, lineRef{len(lines), a, len(buf)})
		}
		lines = append(lines, line{start: start, end: end})
		start = end + 1
	}
	for _, r := range refs {
		lines[r.i].fold = bytes.TrimSpace(buf[r.a:r.b:r.b])
	}
	lb.lines, lb.fold, lb.refs = lines, buf, refs
	return lines
}

// hasColonOrAt is strings.ContainsAny(t, ":@") done as two IndexByte
// scans, which are vectorised: ContainsAny goes a byte at a time, and on
// a long message's lines it was some 5% of triage's instructions.
func hasColonOrAt(t string) bool {
	return strings.IndexByte(t, ':') >= 0 || strings.IndexByte(t, '@') >= 0
}

// findRegions marks quoted, forwarded and signature parts of a body.
// fwdSubject says the subject starts with Fwd:/Fw:/Továbbítás:, so a bare
// header block in the body is a forwarded message rather than a quote.
func findRegions(text string, fwdSubject bool) []span {
	lb := lineBufs.Get().(*lineBuf)
	defer lineBufs.Put(lb)
	return limitQuoted(scanRegions(text, fwdSubject, lb))
}

// limitQuoted marks quoted text beyond quotedBudget bytes as unread.
func limitQuoted(spans []span) []span {
	left := quotedBudget
	for i := 0; i < len(spans); i++ {
		sp := spans[i]
		if sp.region != RegionQuoted {
			continue
		}
		if n := sp.end - sp.start; n <= left {
			left -= n
			continue
		}
		cut := sp.start + left
		left = 0
		spans[i].end = cut
		rest := span{cut, sp.end, RegionUnread}
		spans = append(spans[:i+1], append([]span{rest}, spans[i+1:]...)...)
		i++
	}
	return spans
}

func scanRegions(text string, fwdSubject bool, lb *lineBuf) []span {
	if text == "" {
		return nil
	}
	lines := splitLines(text, lb)
	var spans []span
	add := func(from, to int, r Region) {
		if from >= to {
			return
		}
		if n := len(spans); n > 0 && spans[n-1].region == r && spans[n-1].end >= from-1 {
			spans[n-1].end = to
			return
		}
		spans = append(spans, span{from, to, r})
	}
	newFrom := 0 // first line of the current run of new text
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if isQuoteLine(text[l.start:l.end]) {
			markSignature(text, lines[newFrom:i], add)
			j := i
			for j < len(lines) && (isQuoteLine(text[lines[j].start:lines[j].end]) || blank(text, lines[j])) {
				j++
			}
			add(l.start, lines[j-1].end, RegionQuoted)
			i, newFrom = j-1, j
			continue
		}
		first, last, r, ok := headerAt(lines, i, fwdSubject)
		if !ok {
			continue
		}
		if first < newFrom {
			first = newFrom
		}
		markSignature(text, lines[newFrom:first], add)
		// A header followed by ">" lines quotes only those lines; the
		// writer's text may go on below them (bottom posting).
		j := last + 1
		for j < len(lines) && blank(text, lines[j]) {
			j++
		}
		if j < len(lines) && isQuoteLine(text[lines[j].start:lines[j].end]) {
			for j < len(lines) && (isQuoteLine(text[lines[j].start:lines[j].end]) || blank(text, lines[j])) {
				j++
			}
			add(lines[first].start, lines[j-1].end, r)
			i, newFrom = j-1, j
			continue
		}
		add(lines[first].start, len(text), r)
		return spans
	}
	markSignature(text, lines[newFrom:], add)
	return spans
}

func blank(text string, l line) bool { return strings.TrimSpace(text[l.start:l.end]) == "" }

func isQuoteLine(s string) bool {
	s = strings.TrimLeft(s, " \t")
	return strings.HasPrefix(s, ">")
}

// headerAt reports whether a reply or forward header starts at (or just
// before) line i, and which lines it spans.
func headerAt(lines []line, i int, fwdSubject bool) (first, last int, r Region, ok bool) {
	f := lines[i].fold
	if f == nil {
		return 0, 0, 0, false
	}
	if sep, isSep := separator(f); isSep {
		return i, i, sep, true
	}
	prevAt := func() bool {
		return i > 0 && lines[i-1].fold != nil && (bytes.IndexByte(lines[i-1].fold, '@') >= 0 ||
			bytes.Contains(lines[i-1].fold, []byte("idopont")) || bytes.HasPrefix(lines[i-1].fold, []byte("on ")))
	}
	// Gmail, Hungarian: "Név <cím> ezt írta (időpont: 2025. jan. 12., V, 21:40):",
	// often wrapped after the date.
	if bytes.Contains(f, []byte("ezt irta (idopont")) || bytes.Contains(f, []byte("ezt irta(idopont")) {
		last = i
		if !bytes.HasSuffix(f, []byte(":")) && i+1 < len(lines) {
			last = i + 1
		}
		first = i
		if prevAt() && !bytes.Contains(f, []byte("@")) {
			first = i - 1
		}
		return first, last, RegionQuoted, true
	}
	// "On … wrote:", "… írta:", "Am … schrieb …:", possibly wrapped so
	// that the name and address are on the line before.
	for _, end := range [][]byte{[]byte("wrote:"), []byte("irta:"), []byte("schrieb:"), []byte("a scris:")} {
		if !bytes.HasSuffix(f, end) {
			continue
		}
		if bytes.IndexByte(f, '@') >= 0 || bytes.HasPrefix(f, []byte("on ")) || bytes.HasPrefix(f, []byte("am ")) {
			return i, i, RegionQuoted, true
		}
		if prevAt() {
			return i - 1, i, RegionQuoted, true
		}
	}
	// Outlook: "Feladó:" / "From:" followed by Elküldve/Címzett/Tárgy or
	// Sent/To/Subject lines.
	if startsField(f, "felado", "from", "von", "de la") {
		n := 0
		for j := i + 1; j < len(lines) && j <= i+6; j++ {
			g := lines[j].fold
			if g == nil {
				continue
			}
			if startsField(g, "elkuldve", "kuldve", "datum", "sent", "date", "cimzett", "to", "targy", "subject", "cc", "masolatot kap", "gesendet", "an", "betreff") {
				n++
			}
		}
		if n >= 2 {
			r := RegionQuoted
			if fwdSubject {
				r = RegionForwarded
			}
			return i, i, r, true
		}
	}
	return 0, 0, 0, false
}

// separator recognises "-------- Eredeti üzenet --------" and the like.
func separator(f []byte) (Region, bool) {
	s := strings.Trim(string(f), "-_=*<> ")
	switch s {
	case "eredeti uzenet", "original message", "ursprungliche nachricht", "mesaj original":
		if len(s)+2 <= len(f) {
			return RegionQuoted, true
		}
	case "forwarded message", "tovabbitott uzenet", "weitergeleitete nachricht", "mesaj redirectionat":
		if len(s)+2 <= len(f) {
			return RegionForwarded, true
		}
	case "kezdete a tovabbitott uzenetnek:", "begin forwarded message:":
		return RegionForwarded, true
	}
	return 0, false
}

// startsField reports whether f starts with one of the names followed by
// a colon, allowing the "*From:*" of a text rendering of bold HTML.
func startsField(f []byte, names ...string) bool {
	f = bytes.TrimLeft(f, "*")
	for _, n := range names {
		if len(f) > len(n) && string(f[:len(n)]) == n {
			rest := bytes.TrimLeft(f[len(n):], " *")
			if len(rest) > 0 && rest[0] == ':' {
				return true
			}
		}
	}
	return false
}
