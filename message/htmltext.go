package message

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxListIndent bounds the indentation of nested lists and quotes, which
// hostile HTML could otherwise make as deep as it is long.
const maxListIndent = 8

// htmlText is the state of one conversion.
type htmlText struct {
	b       strings.Builder
	limit   int
	full    bool
	nl      int    // line breaks owed before the next word
	space   bool   // a space owed before the next word
	cellSep bool   // a cell separator owed before the next word
	prefix  string // a list marker owed at the start of the next line
	skip    int    // depth in elements whose content is not text
	inHead  bool
	inTitle bool
	title   string // the title's text, for a body without any
	rawOpen string // the raw-text element open (style, script …), "" if none
	// lastSkipped is the last text of a skipped element: the content of
	// rawOpen, to be read if it is never closed.
	lastSkipped string
	words       bool // the HTML had text
	code        int  // depth in script, style and template
	noscript    bool
	pre         int
	lists       int
	quote       int  // depth in <blockquote>
	rowText     bool // the current table row has text
	href        string
	linkAt      int // where the current link's text starts in b
}

// String returns the text. Lines have no trailing spaces but those
// written in <pre>: a space is written only before a word.
func (c *htmlText) String() string {
	return strings.TrimSpace(c.b.String())
}

// skipped are elements whose content is not text to read.
// Form controls, <object> fallbacks and <noscript> (mail clients run no
// scripts) are shown, so they are read.
func skipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Template, atom.Title, atom.Svg, atom.Math, atom.Iframe:
		return true
	}
	return false
}

// code are the skipped elements whose content is code, not words.
func code(a atom.Atom) bool { return a == atom.Script || a == atom.Style || a == atom.Template }

// inHeadOnly are the elements that may stand in <head>; any other ends it.
func inHeadOnly(a atom.Atom) bool {
	switch a {
	case atom.Meta, atom.Link, atom.Base, atom.Head, atom.Noscript:
		return true
	}
	return skipped(a)
}

func (c *htmlText) start(z *html.Tokenizer, selfClosing bool) {
	name, hasAttr := z.TagName()
	a := atom.Lookup(name)
	if skipped(a) {
		if !selfClosing {
			c.skip++
			c.inTitle = c.inTitle || a == atom.Title
			if code(a) {
				c.code++
			}
			if isRawText(string(name)) {
				c.rawOpen = string(name)
			}
		}
		return
	}
	if a == atom.Noscript && !selfClosing {
		c.noscript = true
	}
	if c.skip > 0 {
		return
	}
	if c.inHead && !inHeadOnly(a) {
		c.inHead = false
	}
	switch a {
	case atom.Head:
		c.inHead = true
	case atom.Br:
		if c.b.Len() > 0 {
			c.nl = min(c.nl+1, 2)
		}
	case atom.Li:
		c.lineBreak(1)
		c.prefix = strings.Repeat("  ", min(max(c.lists-1, 0), maxListIndent)) + "- "
	case atom.Ul, atom.Ol:
		c.lists++
		c.lineBreak(listBreak(c.lists))
	case atom.Blockquote:
		c.quote++
		c.lineBreak(2)
	case atom.Pre:
		c.pre++
		c.lineBreak(2)
	case atom.Tr:
		c.lineBreak(1)
		c.rowText = false
	case atom.Td, atom.Th:
		if c.rowText {
			c.cellSep = true
		}
	case atom.A:
		c.href = ""
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			if string(k) == "href" {
				c.href = usableHref(string(v))
			}
		}
		c.linkAt = c.b.Len()
	default:
		c.lineBreak(blockBreak(a))
	}
}

func (c *htmlText) end(a atom.Atom) {
	if skipped(a) {
		c.skip = max(c.skip-1, 0)
		c.inTitle = c.inTitle && a != atom.Title
		if code(a) {
			c.code = max(c.code-1, 0)
		}
		c.rawOpen, c.lastSkipped = "", ""
		return
	}
	if a == atom.Noscript {
		c.noscript = false
	}
	if c.skip > 0 || c.inHead && a != atom.Head {
		return
	}
	switch a {
	case atom.Head:
		c.inHead = false
	case atom.Li:
		c.lineBreak(1)
		c.prefix = ""
	case atom.Ul, atom.Ol:
		c.lists = max(c.lists-1, 0)
		c.lineBreak(listBreak(c.lists + 1))
	case atom.Blockquote:
		c.quote = max(c.quote-1, 0)
		c.lineBreak(2)
	case atom.Pre:
		c.pre = max(c.pre-1, 0)
		c.lineBreak(2)
	case atom.Tr:
		c.lineBreak(1)
	case atom.A:
		if c.href != "" && c.linkAt <= c.b.Len() {
			if t := strings.TrimSpace(c.b.String()[c.linkAt:]); t != "" && !sameLink(t, c.href) {
				c.space = true
				c.word("[" + c.href + "]")
			}
		}
		c.href = ""
	default:
		c.lineBreak(blockBreak(a))
	}
}

// listBreak sets a list apart from the text around it by a blank line,
// and a list inside a list by a line break only.
func listBreak(depth int) int {
	if depth > 1 {
		return 1
	}
	return 2
}

// blockBreak is how many line breaks an element's start and end make: two
// around paragraphs, one around other blocks, none for inline elements.
func blockBreak(a atom.Atom) int {
	switch a {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Table, atom.Dl, atom.Hr, atom.Form, atom.Fieldset, atom.Address, atom.Figure:
		return 2
	case atom.Div, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Nav, atom.Aside,
		atom.Main, atom.Center, atom.Caption, atom.Figcaption, atom.Details, atom.Summary,
		atom.Dd, atom.Dt, atom.Tbody, atom.Thead, atom.Tfoot, atom.Option, atom.Legend,
		atom.Textarea, atom.Button, atom.Select:
		return 1
	}
	return 0
}

// usableHref returns an address worth showing: web, mail and phone links,
// not scripts, anchors or cid: references to parts.
func usableHref(h string) string {
	h = strings.TrimSpace(h)
	l := strings.ToLower(h)
	for _, scheme := range []string{"http://", "https://", "mailto:", "tel:"} {
		if strings.HasPrefix(l, scheme) {
			return h
		}
	}
	return ""
}

// sameLink reports whether a link's text already says its address.
func sameLink(text, href string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		for _, p := range []string{"mailto:", "tel:", "https://", "http://", "www."} {
			s = strings.TrimPrefix(s, p)
		}
		return strings.TrimSuffix(s, "/")
	}
	return norm(text) == norm(href)
}

func (c *htmlText) lineBreak(n int) {
	if c.b.Len() > 0 && n > 0 {
		c.nl = max(c.nl, n)
		c.space, c.cellSep = false, false
	}
}

// text adds a run of text whose whitespace collapses (unicode.IsSpace:
// &nbsp; too).
func (c *htmlText) text(s string) {
	for s != "" {
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			c.word(s)
			return
		}
		if end > 0 {
			c.word(s[:end])
		}
		c.space = true
		s = strings.TrimLeftFunc(s[end:], unicode.IsSpace)
	}
}

// preText adds preformatted text as it is; the tokenizer has made its
// line ends \n.
func (c *htmlText) preText(s string) {
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			c.nl++
		}
		if line != "" {
			c.word(line)
		}
	}
}

// word writes what is owed before it, then w.
func (c *htmlText) word(w string) {
	w = strings.Map(dropInvisible, w)
	if w == "" {
		return
	}
	have := c.trailingNewlines()
	atStart := c.b.Len() == 0 || have > 0
	switch {
	case c.b.Len() == 0:
	case c.nl > 0:
		c.write(strings.Repeat("\n", max(c.nl-have, 0)))
		atStart = true
	case atStart:
	case c.cellSep:
		c.write(" | ")
	case c.space:
		c.write(" ")
	}
	c.nl, c.space, c.cellSep = 0, false, false
	if atStart && c.quote > 0 {
		// Quoted mail as "> " lines, as in plain text, where the
		// summary's snippet knows to skip it.
		c.write(strings.Repeat("> ", min(c.quote, maxListIndent)))
	}
	if atStart && c.prefix != "" {
		c.write(c.prefix)
		c.prefix = ""
	}
	c.write(w)
	c.rowText = true
}

func (c *htmlText) write(s string) {
	if c.full {
		return
	}
	if c.b.Len()+len(s) > c.limit {
		s = cutUTF8(s, c.limit-c.b.Len())
		c.full = true
	}
	c.b.WriteString(s)
}

// dropInvisible removes the zero-width characters newsletters pad their
// preview text with.
func dropInvisible(r rune) rune {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\ufeff', '\u00ad', '\u034f':
		return -1
	}
	return r
}

// trailingNewlines counts the line breaks b ends with, up to two.
func (c *htmlText) trailingNewlines() int {
	s := c.b.String()
	n := 0
	for n < 2 && n < len(s) && s[len(s)-1-n] == '\n' {
		n++
	}
	return n
}
