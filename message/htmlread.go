package message

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText turns an HTML body into plain text for triage and for the
// operator, who never sees mail HTML rendered. It streams tokens through
// an htmlGuard, so a large body costs one bounded token of memory, and
// fetches nothing: images are dropped, links keep their text and, when it
// says something else, their address in brackets. Block elements end
// lines, list items become "- " lines, quotes "> " lines, table cells
// are joined with " | ", whitespace collapses as a browser would collapse
// it, and script, style and head are dropped. What a browser would hide
// but a writer meant is read: CDATA sections, the content of a comment
// or a raw-text element (<style>) never closed, and the title when the
// body has no text. At most limit bytes are kept.
func htmlToText(r io.Reader, limit int) htmlResult {
	g := newHTMLGuard(r)
	c := &htmlText{limit: limit}
	res := htmlResult{}
	res.reread, res.err = c.read(g, true)
	res.cutElements = g.cut
	// A raw-text element cut short and never closed held text that is
	// now partly gone.
	res.lostRaw = res.reread != "" && g.state == inRaw && g.rawN > maxTag
	res.text, res.cut, res.words = c.String(), c.full, c.words
	if res.text == "" && c.title != "" {
		res.text = strings.TrimSpace(c.title)
	}
	return res
}

// htmlResult is what htmlToText made of an HTML body.
type htmlResult struct {
	text        string
	cut         bool   // more text than the limit
	words       bool   // the HTML had text, whatever became of it
	cutElements int    // elements over maxTag cut short
	reread      string // what was never closed and read as text ("comment", "<style>")
	lostRaw     bool   // and it was cut at maxTag
	err         error  // the tokenizer gave up before the end
}

// maxTitle bounds the title kept in case the body has no text.
const maxTitle = 4 << 10

// read converts the tokens of r; top is false for the content of an
// unclosed element read again, which is not read again in turn.
func (c *htmlText) read(r io.Reader, top bool) (reread string, err error) {
	z := html.NewTokenizer(r)
	z.SetMaxBuf(maxHTMLToken)
	for !c.full {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return reread, z.Err()
			}
			if top && c.rawOpen != "" && strings.TrimSpace(c.lastSkipped) != "" {
				// A raw-text element never closed holds the rest: a
				// browser shows nothing, but the writer wrote it.
				reread, c.skip = "<"+c.rawOpen+">", 0
				c.read(strings.NewReader(c.lastSkipped), false)
			}
			return reread, nil
		case html.TextToken:
			if c.skip > 0 {
				// Raw text with nothing buffered after it ran to the end
				// of the input: its element was never closed.
				if c.inTitle || top && c.rawOpen != "" && len(z.Buffered()) == 0 {
					c.skippedText(string(z.Text()), top)
				}
				// Words in an <svg> or <iframe>: if they are all there
				// is, the message is not quietly empty.
				c.words = c.words || c.code == 0 && len(bytes.TrimSpace(z.Raw())) > 0
				continue
			}
			t := string(z.Text()) // Text may be called once per token
			if c.noscript && top {
				// The tokenizer gives <noscript> as raw text: its markup
				// is read as such.
				c.read(strings.NewReader(t), false)
				continue
			}
			if c.inHead {
				if strings.TrimSpace(t) == "" {
					continue
				}
				c.inHead = false // text ends a <head> that was never closed, as in a browser
			}
			c.words = c.words || strings.TrimSpace(t) != ""
			if c.pre > 0 {
				c.preText(t)
			} else {
				c.text(t)
			}
		case html.CommentToken:
			if r := c.comment(z, top); r != "" {
				reread = r
			}
		case html.StartTagToken:
			c.start(z, false)
		case html.SelfClosingTagToken:
			c.start(z, true)
		case html.EndTagToken:
			name, _ := z.TagName()
			c.end(atom.Lookup(name))
		}
	}
	return reread, nil
}

// skippedText keeps what a skipped element holds that may be needed: the
// title, and the content of a raw-text element in case it is never
// closed.
func (c *htmlText) skippedText(t string, top bool) {
	if c.inTitle && len(c.title) < maxTitle {
		c.title += cutUTF8(t, maxTitle-len(c.title))
		c.words = c.words || strings.TrimSpace(t) != ""
	}
	if top && c.rawOpen != "" {
		c.lastSkipped = t
	}
}

// commentClosed reports whether a comment token ended as HTML ends one,
// not at the end of the input.
func commentClosed(raw []byte) bool {
	if !bytes.HasPrefix(raw, []byte("<!--")) {
		return bytes.HasSuffix(raw, []byte(">")) // "<!x>", "<?x>": up to ">"
	}
	return bytes.HasSuffix(raw, []byte("-->")) || bytes.HasSuffix(raw, []byte("--!>")) ||
		string(raw) == "<!-->" || string(raw) == "<!--->"
}

// comment reads a CDATA section (a comment to HTML, text to its writer)
// and the content of a comment never closed; it returns "comment" for
// the latter.
func (c *htmlText) comment(z *html.Tokenizer, top bool) string {
	if c.skip > 0 {
		return ""
	}
	data := string(z.Text())
	if cdata, ok := strings.CutPrefix(data, "[CDATA["); ok {
		c.words = c.words || strings.TrimSpace(cdata) != ""
		c.text(strings.TrimSuffix(cdata, "]]"))
		return ""
	}
	if !top || commentClosed(z.Raw()) || strings.TrimSpace(data) == "" {
		return ""
	}
	c.words = true
	c.read(strings.NewReader(data), false)
	return "comment"
}
