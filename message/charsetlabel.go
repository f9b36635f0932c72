package message

import (
	"regexp"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// labelKind sorts labels by what they promise.
type labelKind int

const (
	labelNone    labelKind = iota // no label or a US-ASCII alias: the bytes decide
	labelUnknown                  // a label no decoder has: the bytes decide
	labelUTF8
	labelUTF7
	labelUTF16
	labelLegacy // a single- or multi-byte charset of its own
)

// charsetLabel is a label looked up.
type charsetLabel struct {
	kind labelKind
	name string // the label as a safe name for problems
	enc  encoding.Encoding
}

// asciiAliases are the names of US-ASCII mailers write. They are read
// leniently: 8-bit bytes under them are the mailer's own charset.
var asciiAliases = map[string]bool{
	"us-ascii": true, "ascii": true, "us": true, "ansi_x3.4-1968": true, "ansi_x3.4-1986": true,
	"iso-ir-6": true, "iso_646.irv:1991": true, "iso646-us": true, "ibm367": true, "cp367": true,
	"csascii": true, "646": true, "iso-646": true, "x-ascii": true,
}

// quirks are labels the indexes lack or read uselessly.
var quirks = map[string]encoding.Encoding{
	"x-utf_8j":     unicode.UTF8,
	"ibm500":       charmap.CodePage037, // EBCDIC: the letters are where 037 has them
	"cp500":        charmap.CodePage037,
	"ebcdic-cp-be": charmap.CodePage037,
	"ebcdic-cp-ch": charmap.CodePage037,
}

var (
	windowsLabel = regexp.MustCompile(`^(?:x-)?(?:cp|win|windows|ms)[-_ ]?(125[0-8])$`)
	isoLabel     = regexp.MustCompile(`^iso[-_ ]?8859[-_ ]?(\d{1,2})(?:[-:].*)?$`)
	latinLabel   = regexp.MustCompile(`^(?:iso[-_]?)?latin[-_]?(\d{1,2})$`)
)

// latinParts maps ISO-8859 "Latin-N" to its part number.
var latinParts = map[string]string{"1": "1", "2": "2", "3": "3", "4": "4", "5": "9", "6": "10", "7": "13", "8": "14", "9": "15", "10": "16"}

// lookupLabel finds the charset a label names, the way mailers spell it.
func lookupLabel(raw string) charsetLabel {
	l := strings.ToLower(strings.Trim(raw, " \t\r\n\"'"))
	cl := charsetLabel{name: label(l)}
	switch {
	case l == "" || asciiAliases[l]:
		cl.kind = labelNone
		return cl
	case l == "utf-8" || l == "utf8":
		cl.kind = labelUTF8
		return cl
	case l == "utf-7" || l == "utf7" || l == "unicode-1-1-utf-7" || l == "x-unicode-2-0-utf-7":
		cl.kind = labelUTF7
		return cl
	case strings.HasPrefix(l, "utf-16") || strings.HasPrefix(l, "utf16") || l == "ucs-2" || l == "unicode":
		cl.kind, cl.enc = labelUTF16, utf16Of(strings.TrimPrefix(strings.TrimPrefix(l, "utf-16"), "utf16"))
		return cl
	}
	for _, try := range labelSpellings(l) {
		if e := findEncoding(try); e != nil {
			if e == unicode.UTF8 {
				cl.kind = labelUTF8
			} else {
				cl.kind, cl.enc = labelLegacy, e
			}
			return cl
		}
	}
	cl.kind = labelUnknown
	return cl
}

// labelSpellings are l and the standard names it abbreviates.
func labelSpellings(l string) []string {
	out := []string{l}
	if m := windowsLabel.FindStringSubmatch(l); m != nil {
		out = append(out, "windows-"+m[1])
	}
	if m := isoLabel.FindStringSubmatch(l); m != nil {
		out = append(out, "iso-8859-"+m[1])
	}
	if m := latinLabel.FindStringSubmatch(l); m != nil && latinParts[m[1]] != "" {
		out = append(out, "iso-8859-"+latinParts[m[1]])
	}
	return out
}

// findEncoding looks a label up as browsers do (WHATWG), then in IANA's
// registry, which knows EBCDIC and other rarities. nil when neither has
// a decoder.
func findEncoding(l string) encoding.Encoding {
	if e, ok := quirks[l]; ok {
		return e
	}
	if e, err := htmlindex.Get(l); err == nil && e != encoding.Replacement && e != charmap.XUserDefined {
		if n, _ := htmlindex.Name(e); n == "utf-16le" || n == "utf-16be" {
			return nil // only a utf-16 label means UTF-16
		}
		return e
	}
	for _, n := range []string{l, "cs" + l} {
		if e, err := ianaindex.MIME.Encoding(n); err == nil && e != nil {
			return e
		}
	}
	return nil
}

func utf16Of(suffix string) encoding.Encoding {
	switch strings.Trim(suffix, "-_") {
	case "le":
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case "be":
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	return nil // the BOM or the bytes say
}
