package triage

import (
	"bytes"
	"strings"
)

// isClosing reports whether a folded line is a word a writer signs off
// with. A closing followed by at most maxSigLines short lines starts a
// signature.
func isClosing(s string) bool {
	switch s {
	case "udvozlettel", "udv", "udvozlet", "tisztelettel", "koszonettel",
		"koszonettel es udvozlettel", "baratsagos udvozlettel", "szivelyes udvozlettel",
		"tisztelettel es koszonettel", "maradok tisztelettel",
		"best regards", "kind regards", "regards", "best wishes", "sincerely",
		"yours sincerely", "many thanks", "thanks",
		"mit freundlichen grussen", "viele grusse", "cu stima", "cu drag":
		return true
	}
	return false
}

const (
	maxSigLines   = 6
	maxSigLineLen = 80
)

// markSignature finds a signature at the end of a run of new-text lines.
// A postscript ("Ui.:", "P.S.") after a closing is the writer's text again:
// a threat may well be written there.
func markSignature(text string, lines []line, add func(from, to int, r Region)) {
	if len(lines) == 0 {
		return
	}
	end := lines[len(lines)-1].end
	for i, l := range lines {
		raw := strings.TrimRight(text[l.start:l.end], " \t\r")
		if raw == "--" || raw == "-- " {
			add(l.start, end, RegionSignature)
			return
		}
		if l.fold == nil || !isClosing(strings.TrimRight(string(l.fold), ",.!: ")) {
			continue
		}
		rest := lines[i+1:]
		n, ok := 0, true
		for j, r := range rest {
			if blank(text, r) {
				continue
			}
			if isPostscript(r.fold) {
				add(l.start, rest[j].start, RegionSignature)
				return
			}
			n++
			if n > maxSigLines || r.end-r.start > maxSigLineLen {
				ok = false
				break
			}
		}
		if ok {
			add(l.start, end, RegionSignature)
			return
		}
	}
}

func isPostscript(f []byte) bool {
	for _, p := range []string{"ui", "u.i", "u. i", "ps", "p.s", "p. s"} {
		if bytes.HasPrefix(f, []byte(p)) && len(f) > len(p) {
			c := f[len(p)]
			if c == '.' || c == ':' || c == ' ' || c == ',' {
				return true
			}
		}
	}
	return false
}
