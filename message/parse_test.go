package message

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestParseGolden parses each testdata/*.eml and compares the result
// with its .golden.json. The goldens are the specification: read them.
func TestParseGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test messages: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := Parse(raw)
			golden := strings.TrimSuffix(file, ".eml") + ".golden.json"
			if *update {
				var b bytes.Buffer
				enc := json.NewEncoder(&b)
				enc.SetEscapeHTML(false) // keep <addresses> readable
				enc.SetIndent("", "  ")
				if err := enc.Encode(got); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestParseGolden -update)", err)
			}
			var want Message
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("Parse(%s) mismatch (-want +got):\n%s", file, diff)
			}
		})
	}
}

// TestParseLineEnds checks that bare LF and CRLF read alike: every test
// message with its line ends changed parses to the same result, but for
// the sizes of parts whose line ends are part of their bytes.
func TestParseLineEnds(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/*.eml")
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lf := bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
		crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
		if d := cmp.Diff(Parse(crlf), Parse(lf), cmpopts.IgnoreFields(Attachment{}, "Size")); d != "" {
			t.Errorf("%s: CRLF and LF differ (-crlf +lf):\n%s", file, d)
		}
	}
}

// TestParseProblemsCarryNoContent checks the promise that problems, which
// are logged, never quote the message: no longer word of the text or the
// subject appears in them.
func TestParseProblemsCarryNoContent(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/*.eml")
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := Parse(raw)
		problems := strings.Join(m.Problems, "\n")
		for _, w := range strings.Fields(m.Text + " " + m.Subject + " " + m.From.Name) {
			if utf8.RuneCountInString(w) >= 8 && strings.Contains(problems, w) {
				t.Errorf("%s: problems quote %q from the message:\n%s", file, w, problems)
			}
		}
	}
}

// TestParseDemo checks that every demo message reads cleanly and that the
// follow-up threads to the message it answers.
func TestParseDemo(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../demo/samples/*.eml")
	if err != nil || len(files) < 12 {
		t.Fatalf("want at least 12 demo messages, have %d (%v)", len(files), err)
	}
	ids := map[string]string{}
	replies := map[string][]string{}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := Parse(raw)
		name := filepath.Base(file)
		if m.Status != ParseOK || len(m.Problems) > 0 {
			t.Errorf("%s: status %s, problems %q", name, m.Status, m.Problems)
		}
		if m.MessageID == "" || m.Subject == "" || m.From.Addr == "" || m.Text == "" {
			t.Errorf("%s: missing Message-ID, Subject, From or text: %+v", name, m)
		}
		if m.Date.Year() != 2026 {
			t.Errorf("%s: date %v, want one in 2026", name, m.Date)
		}
		if !slices.ContainsFunc(m.To, func(a Address) bool { return a.Addr == "okit@ncsszi.hu" }) {
			t.Errorf("%s: not written to okit@ncsszi.hu: %+v", name, m.To)
		}
		if prev, dup := ids[m.MessageID]; dup {
			t.Errorf("%s: Message-ID also in %s", name, prev)
		}
		ids[m.MessageID] = name
		if len(m.InReplyTo) > 0 {
			replies[name] = m.InReplyTo
		}
	}
	threaded := false
	for name, refs := range replies {
		for _, id := range refs {
			if _, ok := ids[id]; ok {
				threaded = true
			} else if !strings.HasSuffix(id, "@ncsszi.hu") {
				t.Errorf("%s: In-Reply-To %q is neither a demo message nor one of okit's", name, id)
			}
		}
	}
	if !threaded {
		t.Error("no demo message replies to another")
	}
}

// TestParseCases pins down choices that the golden files do not show.
func TestParseCases(t *testing.T) {
	t.Parallel()
	head := "From: a@example.test\r\nTo: okit@ncsszi.hu\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
	mixed := func(parts ...string) string {
		s := head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
		for _, p := range parts {
			s += "--b\r\n" + p + "\r\n"
		}
		return s + "--b--\r\n"
	}
	tests := []struct {
		name string
		raw  string
		want func(m *Message) string // "" when m is as wanted
	}{
		{
			name: "text, attachment, text are joined",
			raw: mixed("Content-Type: text/plain\r\n\r\nelso",
				"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==",
				"Content-Type: text/plain\r\n\r\nmasodik"),
			want: func(m *Message) string {
				return diff("elso\n\nmasodik", m.Text) + diff([]Attachment{{"a.pdf", "application/pdf", 4}}, m.Attachments)
			},
		},
		{
			name: "an HTML-only alternative is used when the plain one is empty",
			raw: head + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n \r\n" +
				"--b\r\nContent-Type: text/html\r\n\r\n<p>csak <b>html</b></p>\r\n--b--\r\n",
			want: func(m *Message) string { return diff("csak html", m.Text) + diff(true, m.FromHTML) },
		},
		{
			name: "an inline text part with a file name is read and listed, its size not charset-converted",
			raw:  mixed("Content-Type: text/plain; charset=iso-8859-2; name=\"level.txt\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\xf5\xfb"),
			want: func(m *Message) string {
				return diff("őű", m.Text) + diff([]Attachment{{"level.txt", "text/plain", 2}}, m.Attachments)
			},
		},
		{
			name: "an unquoted boundary with = in it",
			raw:  head + "Content-Type: multipart/mixed; boundary=----=_Part_1\r\n\r\n------=_Part_1\r\nContent-Type: text/plain\r\n\r\nszoveg\r\n------=_Part_1--\r\n",
			want: func(m *Message) string { return diff("szoveg", m.Text) + diff(ParseOK, m.Status) },
		},
		{
			name: "a multipart whose boundary never comes is read as text",
			raw:  head + "Content-Type: multipart/mixed; boundary=nincs\r\n\r\nsegitseg kell\r\n",
			want: func(m *Message) string { return diff("segitseg kell", m.Text) + diff(ParsePartial, m.Status) },
		},
		{
			name: "a header without the blank line before the body",
			raw:  "From: a@example.test\r\nSubject: x\r\nsegitseg kell\r\n",
			want: func(m *Message) string { return diff("segitseg kell", m.Text) + diff(ParsePartial, m.Status) },
		},
		{
			name: "an unknown transfer encoding keeps the text",
			raw:  head + "Content-Transfer-Encoding: x-foo\r\n\r\nszoveg\r\n",
			want: func(m *Message) string {
				return diff("szoveg", m.Text) + diff([]string{`part 1: unknown transfer encoding "x-foo"; kept undecoded`}, m.Problems)
			},
		},
		{
			name: "8-bit text without a charset is read as windows-1250",
			raw:  head + "\r\nT\xfbz \xe9s v\xedz\r\n",
			want: func(m *Message) string { return diff("Tűz és víz", m.Text) + diff(ParsePartial, m.Status) },
		},
		{
			name: "UTF-8 without a charset is fine",
			raw:  head + "\r\nTűz és víz\r\n",
			want: func(m *Message) string { return diff("Tűz és víz", m.Text) + diff(ParseOK, m.Status) },
		},
		{
			name: "a raw 8-bit windows-1250 subject",
			raw:  "From: a@example.test\r\nSubject: F\xe9lek \xf5t\xf5l\r\n\r\nx\r\n",
			want: func(m *Message) string { return diff("Félek őtől", m.Subject) + diff(ParsePartial, m.Status) },
		},
		{
			name: "CET is an hour east of UTC wherever the server is",
			raw:  "From: a@example.test\r\nDate: Mon, 2 Mar 2026 21:14:05 CET\r\n\r\nx\r\n",
			want: func(m *Message) string {
				return diff("2026-03-02T20:14:05Z", m.Date.UTC().Format(time.RFC3339))
			},
		},
		{
			name: "a date net/mail refuses",
			raw:  "From: a@example.test\r\nDate: Monday, 2 March 2026 21:14:05 +0100\r\n\r\nx\r\n",
			want: func(m *Message) string {
				return diff("2026-03-02T20:14:05Z", m.Date.UTC().Format(time.RFC3339)) + diff(ParseOK, m.Status)
			},
		},
		{
			name: "the null sender",
			raw:  "From: <>\r\nSubject: x\r\n\r\nx\r\n",
			want: func(m *Message) string { return diff(Address{}, m.From) + diff(ParseOK, m.Status) },
		},
		{
			name: "an mbox separator line is not the header",
			raw:  "From anna@example.test Mon Mar  2 21:14:05 2026\r\nFrom: anna@example.test\r\n\r\nx\r\n",
			want: func(m *Message) string { return diff("anna@example.test", m.From.Addr) + diff(ParseOK, m.Status) },
		},
		{
			name: "a digest's parts are messages by default",
			raw:  head + "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nFrom: b@example.test\r\nSubject: bent\r\n\r\nbelso\r\n--d--\r\n",
			want: func(m *Message) string {
				return diff("---------- Attached message ----------\nFrom: b@example.test\nSubject: bent\n\nbelso", m.Text)
			},
		},
		{
			name: "nesting deeper than the limit is not followed",
			raw: head + "Content-Type: multipart/mixed; boundary=b0\r\n\r\n" + func() string {
				var s, end string
				for i := 1; i <= maxDepth+2; i++ {
					s += fmt.Sprintf("--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i-1, i)
					end = fmt.Sprintf("--b%d--\r\n", i-1) + end
				}
				return s + end
			}(),
			want: func(m *Message) string {
				return diff(fmt.Sprintf("part %s: nested more than %d deep; not read", strings.Repeat("1.", maxDepth-1)+"1", maxDepth), m.Unreadable)
			},
		},
		{
			name: "a multipart without its parts is read as text, and unreadable",
			raw:  head + "Content-Type: multipart/mixed; boundary=nincs\r\n\r\nsegitseg kell\r\n",
			want: func(m *Message) string {
				return diff("segitseg kell", m.Text) + diff("message: multipart/mixed without parts (boundary not found); body read as plain text", m.Unreadable)
			},
		},
		{
			name: "one piece of a message sent in several is unreadable",
			raw:  mixed("Content-Type: message/partial; number=2; total=3; id=\"x@y\"\r\n\r\nfolytatas"),
			want: func(m *Message) string {
				return diff("folytatas", m.Text) + diff("part 1: a message sent in pieces (message/partial); only one piece is here", m.Unreadable)
			},
		},
		{
			name: "binary data labelled text is not text, and unreadable",
			raw:  head + "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\r\n",
			want: func(m *Message) string {
				return diff("", m.Text) + diff("part 1: binary data labelled as text; not read as text", m.Unreadable)
			},
		},
		{
			name: "HTML whose only words are in an svg is unreadable, not empty",
			raw:  head + "Content-Type: text/html\r\n\r\n<svg><text>segitseg</text></svg>\r\n",
			want: func(m *Message) string {
				return diff("", m.Text) + diff("part 1: a text part gave no readable text", m.Unreadable)
			},
		},
		{
			name: "a text attachment over the limit, and nothing else, is unreadable",
			raw: mixed("Content-Type: text/plain\r\n\r\n ",
				"Content-Type: text/plain\r\nContent-Disposition: attachment; filename=naplo.txt\r\n\r\n"+strings.Repeat("x", maxText+10)),
			want: func(m *Message) string {
				return diff("", m.Text) + diff("no text shown inline, and the text attachment is over 1 MiB; not read", m.Unreadable)
			},
		},
		{
			name: "a first line with a colon is text, not a header",
			raw:  "Szia: segits, kerlek\r\nA parom megutott.\r\n",
			want: func(m *Message) string {
				return diff("Szia: segits, kerlek\nA parom megutott.", m.Text) + diff("", m.Unreadable)
			},
		},
		{
			name: "a binary file is not a message",
			raw:  "\x00\x01\x02\x03PK\x03\x04\x00\x00\x08\x00",
			want: func(m *Message) string {
				return diff(ParseFailed, m.Status) + diff("no header found: not a mail message", m.Unreadable)
			},
		},
		{
			name: "a bounce with no text of its own shows its delivery status",
			raw: head + "Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n" +
				"--r\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; x@example.test\r\nAction: failed\r\n" +
				"--r--\r\n",
			want: func(m *Message) string {
				return diff("Final-Recipient: rfc822; x@example.test\nAction: failed", m.Text) + diff("", m.Unreadable)
			},
		},
		{
			name: "an encoded word in an unknown charset is guessed, and said",
			raw:  "From: a@example.test\r\nSubject: =?x-bogus?Q?f=E9lek?=\r\n\r\nx\r\n",
			want: func(m *Message) string {
				return diff("félek", m.Subject) + diff([]string{`Subject: unknown charset "x-bogus"; read as windows-1250`}, m.Problems)
			},
		},
		{
			name: "past maxParts attachments are counted, not listed, and text is still read",
			raw:  mixed(append(slices.Repeat([]string{"Content-Type: image/gif\r\n\r\nGIF"}, maxParts+10), "Content-Type: text/plain\r\n\r\nutolso")...),
			want: func(m *Message) string {
				return diff(maxParts, len(m.Attachments)) + diff("utolso", m.Text) +
					diff([]string{fmt.Sprintf("more than %d attachments; 10 more not listed", maxParts)}, m.Problems) + diff("", m.Unreadable)
			},
		},
		{
			name: "a quoted-printable line longer than 4 KiB",
			raw:  head + "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + strings.Repeat("seg=C3=ADts=C3=A9g ", 1000) + "\r\n",
			want: func(m *Message) string {
				return diff(strings.TrimSpace(strings.Repeat("segítség ", 1000)), m.Text) + diff(ParseOK, m.Status)
			},
		},
		{
			name: "text over the limit is cut",
			raw:  head + "\r\n" + strings.Repeat("ő", maxText) + "\r\n",
			want: func(m *Message) string {
				return diff(maxText, len(m.Text)) + diff([]string{"text cut at a limit (1 MiB of text)"}, m.Problems) +
					diff("text cut at a limit (1 MiB of text)", m.Unreadable)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := Parse([]byte(tt.raw))
			if d := tt.want(m); d != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s\nproblems: %q", d, m.Problems)
			}
		})
	}
}

func diff(want, got any) string { return cmp.Diff(want, got) }

// TestParseHostile parses inputs that once took time quadratic in their
// size (go-message reads a comment in a message id that way); a return of
// that shows as this test taking minutes.
func TestParseHostile(t *testing.T) {
	t.Parallel()
	const n = 1 << 20
	tests := map[string]string{
		"comment in Message-ID": "Message-ID: (" + strings.Repeat("a", n) + "\r\n\r\nx",
		"comment in References": "References: <a@b> (" + strings.Repeat("(", n) + "\r\n\r\nx",
		"commas in To":          "To: " + strings.Repeat("a,", n/2) + "\r\n\r\nx",
		"nested lists":          "Content-Type: text/html\r\n\r\n" + strings.Repeat("<ul>", n/8) + strings.Repeat("<li>", n/8),
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if m := Parse([]byte(raw)); m.Status == ParseFailed {
				t.Errorf("Parse failed: %q", m.Problems)
			}
		})
	}
}

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, html, want string }{
		{"script, style and head dropped", `<head><title>T</title><style>p{}</style></head><body><script>alert(1)</script><p>szia</p>`, "szia"},
		{"entities and nbsp", `<p>a&nbsp;&amp;&nbsp;b &lt;c&gt; &eacute;&#337;</p>`, "a & b <c> éő"},
		{"whitespace collapses", "<div>  egy\n\t ketto  </div><div>harom</div>", "egy ketto\nharom"},
		{"br and paragraphs", "egy<br>ketto<br><br>harom<p>negy</p>ot", "egy\nketto\n\nharom\n\nnegy\n\not"},
		{"lists", "elotte<ul><li>egy</li><li>ketto<ol><li>belso</li></ol></li></ul>utana", "elotte\n\n- egy\n- ketto\n  - belso\n\nutana"},
		{"a quoted reply", `<div>Igen.</div><div class="gmail_quote">H, 2026. márc. 9. írta:<br><blockquote>elso<br>masodik<blockquote>regebbi</blockquote></blockquote></div>`,
			"Igen.\nH, 2026. márc. 9. írta:\n\n> elso\n> masodik\n\n> > regebbi"},
		{"link text differs", `<a href="https://example.hu/a">itt</a>`, "itt [https://example.hu/a]"},
		{"link text is the address", `<a href="https://www.example.hu/">www.example.hu</a>`, "www.example.hu"},
		{"mailto", `<a href="mailto:okit@ncsszi.hu">okit@ncsszi.hu</a>`, "okit@ncsszi.hu"},
		{"script links and anchors are not shown", `<a href="javascript:x()">x</a> <a href="#top">fel</a>`, "x fel"},
		{"images are dropped", `<p>kep: <img src="https://example.test/p.gif" alt="pixel"></p>`, "kep:"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td></td><td>c</td></tr></table>", "a | b\nc"},
		{"pre keeps its lines", "<pre>a  b\n  c</pre>d", "a  b\n  c\n\nd"},
		{"zero-width padding", "<p>elo\u200c\u200c\u200b nezet</p>", "elo nezet"},
		{"unclosed head ended by a tag", "<html><head><meta charset=utf-8><p>szoveg", "szoveg"},
		{"unclosed head ended by text", "<head><title>T</title>\n szoveg <b>itt</b>", "szoveg itt"},
		{"CDATA is text to its writer", "<p><![CDATA[a parom bantott]]></p>", "a parom bantott"},
		{"an unclosed comment's content is read", "<p>Szia!</p><!-- <p>a parom bantott</p>", "Szia!\n\na parom bantott"},
		{"empty comments end where HTML says", "<!--><p>egy</p><!---><p>ketto</p><!-- rejtett -->", "egy\n\nketto"},
		{"an unclosed style's content is read", "<style>p{}<p>segits", "p{}\n\nsegits"},
		{"the title, when the body has no text", "<html><head><title>segitseg kell</title></head><body><img src=x></body>", "segitseg kell"},
		{"form controls and noscript are shown, so read", "<textarea>elso</textarea><button>masodik</button><noscript><p>harmadik</p></noscript>", "elso\nmasodik\n\nharmadik"},
		{"an attribute over the limit is cut and reading goes on", `<p title="` + strings.Repeat("a", 3*maxTag) + `">x</p><p>utana</p>`, "x\n\nutana"},
		{"a comment over the limit", "<!--" + strings.Repeat("- ", maxTag) + "<p>rejtett</p>--><p>utana</p>", "utana"},
		{"a style over the limit", "<style>" + strings.Repeat("p{} ", maxTag) + "</style><p>utana</p>", "utana"},
		{"a quoted > does not end a tag", `<a href="https://example.hu/?a>b">itt</a>`, "itt [https://example.hu/?a>b]"},
		{"a long run of text is broken between words, not in them", strings.Repeat("szo &amp; ", 80_000), strings.TrimSpace(strings.Repeat("szo & ", 80_000))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := htmlToText(strings.NewReader(tt.html), maxText)
			if res.err != nil || res.cut {
				t.Fatalf("htmlToText: cut %v, err %v", res.cut, res.err)
			}
			if d := cmp.Diff(tt.want, res.text); d != "" {
				t.Errorf("htmlToText(%q) mismatch (-want +got):\n%s", tt.html, d)
			}
		})
	}
}

func TestHTMLToTextLimit(t *testing.T) {
	t.Parallel()
	res := htmlToText(strings.NewReader(strings.Repeat("<p>árvíztűrő tükörfúrógép</p>", 1000)), 100)
	if res.err != nil || !res.cut || len(res.text) > 100 || !utf8.ValidString(res.text) {
		t.Errorf("htmlToText over the limit: %d bytes, cut %v, err %v, valid %v", len(res.text), res.cut, res.err, utf8.ValidString(res.text))
	}
}

// bigMessage is a message with a short text and an attachment of n bytes
// in base64, as a writer might send a video of an attack.
func bigMessage(n int) []byte {
	var b bytes.Buffer
	b.WriteString("From: =?utf-8?q?Kiss_Anna?= <anna@example.hu>\r\nTo: okit@ncsszi.hu\r\nSubject: video\r\n" +
		"Message-ID: <big@example.hu>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"big\"\r\n\r\n" +
		"--big\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCsatolom a videót.\r\n" +
		"--big\r\nContent-Type: video/mp4; name=\"felvetel.mp4\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	chunk := make([]byte, 57) // one 76-character base64 line
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	line := base64.StdEncoding.EncodeToString(chunk) + "\r\n"
	b.Grow(n/57*len(line) + 100)
	for range n / len(chunk) {
		b.WriteString(line)
	}
	b.WriteString(base64.StdEncoding.EncodeToString(chunk[:n%len(chunk)]) + "\r\n")
	b.WriteString("--big--\r\n")
	return b.Bytes()
}

// TestParseLarge parses a 25 MiB message and checks that the attachment
// is counted, not held: the memory Parse allocates stays far below the
// message's size.
func TestParseLarge(t *testing.T) {
	const n = 18<<20 + 256<<10 // decoded; about 24.8 MiB of base64
	raw := bigMessage(n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	m := Parse(raw)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("%.1f MiB message: Parse took %v and allocated %.2f MiB in all (an upper bound of its peak heap)",
		float64(len(raw))/(1<<20), took.Round(time.Millisecond), float64(allocated)/(1<<20))

	want := &Message{
		MessageID: "big@example.hu", Subject: "video",
		From:        Address{"Kiss Anna", "anna@example.hu"},
		To:          []Address{{Addr: "okit@ncsszi.hu"}},
		Header:      map[string][]string{"Content-Type": {`multipart/mixed; boundary="big"`}},
		Text:        "Csatolom a videót.",
		Attachments: []Attachment{{"felvetel.mp4", "video/mp4", n}},
		Status:      ParseOK,
	}
	if d := cmp.Diff(want, m); d != "" {
		t.Errorf("Parse(25 MiB) mismatch (-want +got):\n%s", d)
	}
	if allocated > 16<<20 && !raceEnabled {
		t.Errorf("Parse allocated %d MiB for a %d MiB message: attachments must be streamed", allocated>>20, len(raw)>>20)
	}
}

// FuzzParse checks that Parse survives any input and keeps its promises.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.eml", "../demo/samples/*.eml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			raw, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := Parse(raw)
		if m == nil {
			t.Fatal("Parse returned nil")
		}
		switch m.Status {
		case ParseOK, ParsePartial, ParseFailed:
		default:
			t.Fatalf("status %q", m.Status)
		}
		for _, s := range []string{m.Text, m.Subject, m.From.Name, m.From.Addr} {
			if !utf8.ValidString(s) {
				t.Fatalf("not UTF-8: %q", s)
			}
		}
		for _, a := range m.Attachments {
			if !utf8.ValidString(a.Filename) || a.Size < 0 {
				t.Fatalf("bad attachment %+v", a)
			}
		}
		if len(m.Text) > maxText {
			t.Fatalf("text of %d bytes", len(m.Text))
		}
		if (m.Status == ParseOK) != (len(m.Problems) == 0) {
			t.Fatalf("status %s with problems %q", m.Status, m.Problems)
		}
		if m.Unreadable != "" && m.Status == ParseOK || m.Status == ParseFailed && m.Unreadable == "" {
			t.Fatalf("status %s, unreadable %q", m.Status, m.Unreadable)
		}
		for _, p := range m.Problems {
			if strings.HasPrefix(p, "internal error") {
				t.Fatalf("Parse panicked: %q", m.Problems)
			}
		}
	})
}

// message20KiB is a realistic 20 KiB message: text and HTML alternatives
// in quoted-printable and a small PDF.
func message20KiB() []byte {
	text := "A párom tegnap este megint kiabált velem, és azt mondta, hogy ha elmegyek, megbánom. " +
		"Félek hazamenni a gyerekekkel, nem tudom, hová fordulhatnék.\n"
	var plain, html bytes.Buffer
	for plain.Len() < 5<<10 {
		plain.WriteString(text)
		html.WriteString("<p>" + text + "</p>\n")
	}
	qp := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r == '\n':
				b.WriteString("\r\n")
			case r < 128 && r != '=':
				b.WriteRune(r)
			default:
				for _, c := range []byte(string(r)) {
					fmt.Fprintf(&b, "=%02X", c)
				}
			}
		}
		return b.String()
	}
	var b bytes.Buffer
	b.WriteString("From: =?utf-8?q?T=C3=B3th_Kl=C3=A1ra?= <klara@example.hu>\r\nTo: okit@ncsszi.hu\r\n" +
		"Subject: =?utf-8?q?Seg=C3=ADts=C3=A9get_k=C3=A9rek?=\r\nMessage-ID: <bench@example.hu>\r\n" +
		"Date: Tue, 3 Mar 2026 09:42:17 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n" +
		"--m\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n" +
		"--a\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	b.WriteString(qp(plain.String()))
	b.WriteString("\r\n--a\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	b.WriteString(qp("<html><body>" + html.String() + "</body></html>"))
	b.WriteString("\r\n--a--\r\n--m\r\nContent-Type: application/pdf; name=\"latlelet.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for b.Len() < 20<<10-80 {
		b.WriteString("JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+\r\n")
	}
	b.WriteString("--m--\r\n")
	return b.Bytes()
}

func BenchmarkParse20KiB(b *testing.B) {
	raw := message20KiB()
	if m := Parse(raw); m.Status != ParseOK || len(m.Attachments) != 1 || m.FromHTML {
		b.Fatalf("benchmark message parses badly: %s %q", m.Status, m.Problems)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(raw)
	}
}
