package replies

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/google/go-cmp/cmp"
)

var budapest = time.FixedZone("CET", 3600)

// composeCases are the golden replies: an automatic Hungarian one and an
// operator's English one, with accents in subject, names and body.
var composeCases = map[string]Outgoing{
	"hu": {
		From:    mail.Address{Address: "okit@ncsszi.hu"},
		To:      mail.Address{Name: "Kovács Éva", Address: "eva.kovacs@example.hu"},
		Subject: "Re: Kérdés a lakásról és a gyerekekről, sürgős",
		Body: "Kedves Éva!\n\nKöszönjük a levelét, megérkezett hozzánk. Ezt a visszaigazolást gép küldi; munkatársunk hamarosan személyesen is válaszol Önnek.\n\n" +
			"Ha most közvetlen veszélyben van, hívja a 112-t.\n\nÜdvözlettel:\nOKIT\n",
		Parent: Parent{
			MessageID:  "CAF=xyz+1@mail.gmail.com",
			References: []string{"root@example.hu", "second@example.hu"},
		},
		Automatic: true,
		MessageID: "abcdefghijklmnopqrstuvwx@ncsszi.hu",
		Date:      time.Date(2026, 3, 14, 18, 5, 9, 0, budapest),
	},
	"en": {
		From:    mail.Address{Address: "okit@ncsszi.hu"},
		To:      mail.Address{Name: "Zoë Ármós-Smith, Jr.", Address: "zoe@example.com"},
		Subject: "Re: Zoë’s question about staying",
		Body: "Hello Zoë,\r\n\r\nThank you for your message. Here, in short, is how we can help: a line that is a good deal longer than seventy-six characters, with a café in it.\r\n" +
			"Trailing space \r\n=sign and a tab\there.\r\nKind regards,\r\nKata\r\nOKIT",
		Parent:    Parent{MessageID: "1234@example.com", InReplyTo: []string{"0999@example.com"}},
		MessageID: "zyxwvutsrqponmlkjihgfedc@ncsszi.hu",
		Date:      time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC),
	},
}

// TestComposeGolden compares the composed bytes with testdata/compose.
func TestComposeGolden(t *testing.T) {
	t.Parallel()
	for name, m := range composeCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Compose(m)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "compose", name+".eml")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestComposeGolden -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("Compose(%s) mismatch (-want +got):\n%s", name, diff)
			}
		})
	}
}

// readBack is a composed message as go-message reads it.
type readBack struct {
	From, To, Subject             string
	MessageID                     string
	InReplyTo, References         []string
	AutoSubmitted, ContentType    string
	TransferEncoding, MIMEVersion string
	Body                          string
}

func read(t *testing.T, raw []byte) readBack {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("mail.CreateReader: %v", err)
	}
	var rb readBack
	h := r.Header
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 {
		t.Fatalf("From: %v %v", from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 {
		t.Fatalf("To: %v %v", to, err)
	}
	rb.From, rb.To = from[0].Name+" <"+from[0].Address+">", to[0].Name+" <"+to[0].Address+">"
	if rb.Subject, err = h.Subject(); err != nil {
		t.Fatal(err)
	}
	if rb.MessageID, err = h.MessageID(); err != nil {
		t.Fatal(err)
	}
	if rb.InReplyTo, err = h.MsgIDList("In-Reply-To"); err != nil {
		t.Fatal(err)
	}
	if rb.References, err = h.MsgIDList("References"); err != nil {
		t.Fatal(err)
	}
	rb.AutoSubmitted, rb.ContentType = h.Get("Auto-Submitted"), h.Get("Content-Type")
	rb.TransferEncoding, rb.MIMEVersion = h.Get("Content-Transfer-Encoding"), h.Get("MIME-Version")
	p, err := r.NextPart()
	if err != nil {
		t.Fatalf("NextPart: %v", err)
	}
	b, err := io.ReadAll(p.Body)
	if err != nil {
		t.Fatal(err)
	}
	rb.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	return rb
}

// TestComposeReadBack reads the golden replies back with go-message.
func TestComposeReadBack(t *testing.T) {
	t.Parallel()
	want := map[string]readBack{
		"hu": {
			From: " <okit@ncsszi.hu>", To: "Kovács Éva <eva.kovacs@example.hu>",
			Subject:   "Re: Kérdés a lakásról és a gyerekekről, sürgős",
			MessageID: "abcdefghijklmnopqrstuvwx@ncsszi.hu",
			InReplyTo: []string{"CAF=xyz+1@mail.gmail.com"}, References: []string{"root@example.hu", "second@example.hu", "CAF=xyz+1@mail.gmail.com"},
			AutoSubmitted: "auto-replied",
			Body:          composeCases["hu"].Body,
		},
		"en": {
			From: " <okit@ncsszi.hu>", To: "Zoë Ármós-Smith, Jr. <zoe@example.com>",
			Subject:   "Re: Zoë’s question about staying",
			MessageID: "zyxwvutsrqponmlkjihgfedc@ncsszi.hu",
			InReplyTo: []string{"1234@example.com"}, References: []string{"0999@example.com", "1234@example.com"},
			Body: strings.ReplaceAll(composeCases["en"].Body, "\r\n", "\n") + "\n",
		},
	}
	for name, m := range composeCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := Compose(m)
			if err != nil {
				t.Fatal(err)
			}
			w := want[name]
			w.ContentType, w.TransferEncoding, w.MIMEVersion = "text/plain; charset=utf-8", "quoted-printable", "1.0"
			if diff := cmp.Diff(w, read(t, raw)); diff != "" {
				t.Errorf("read back (-want +got):\n%s", diff)
			}
			checkLines(t, raw)
		})
	}
}

// checkLines checks that every line ends in CRLF, header lines are folded
// to 78 characters unless one token is longer, and body lines keep the
// quoted-printable limit of 76.
func checkLines(t *testing.T, raw []byte) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Errorf("message does not end in CRLF")
	}
	inBody := false
	for i, line := range bytes.SplitAfter(raw, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if !bytes.HasSuffix(line, []byte("\r\n")) || bytes.Count(line, []byte("\r")) != 1 {
			t.Errorf("line %d %q does not end in a lone CRLF", i+1, line)
		}
		line = bytes.TrimSuffix(line, []byte("\r\n"))
		if len(line) == 0 {
			inBody = true
			continue
		}
		switch {
		case inBody && len(line) > 76:
			t.Errorf("body line %d has %d characters", i+1, len(line))
		case !inBody && len(line) > 78 && bytes.Count(bytes.TrimSpace(line), []byte(" ")) > 1:
			t.Errorf("header line %d has %d characters and could be folded: %q", i+1, len(line), line)
		case len(line) > 998:
			t.Errorf("line %d has %d characters", i+1, len(line))
		}
		for _, c := range line {
			if c >= 0x80 {
				t.Errorf("line %d has 8-bit data: %q", i+1, line)
				break
			}
		}
	}
}

func TestComposeHeaders(t *testing.T) {
	t.Parallel()
	base := composeCases["hu"]
	base.MessageID, base.Date = "", time.Time{}
	a, err := Compose(base)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Compose(base)
	if err != nil {
		t.Fatal(err)
	}
	ra, rb := read(t, a), read(t, b)
	if ra.MessageID == rb.MessageID || !strings.HasSuffix(ra.MessageID, "@ncsszi.hu") || len(ra.MessageID) < 24+len("@ncsszi.hu") {
		t.Errorf("Message-IDs %q and %q: want fresh random ids at ncsszi.hu", ra.MessageID, rb.MessageID)
	}
	hdr := headerOf(t, a)
	if d, err := hdr.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date %q: want now (%v)", hdr.Get("Date"), err)
	}
	for _, k := range []string{"X-Mailer", "User-Agent", "Organization", "Disposition-Notification-To", "Return-Receipt-To"} {
		if hdr.Get(k) != "" {
			t.Errorf("header %s is set", k)
		}
	}
	if hdr.Get("X-Auto-Response-Suppress") != "All" {
		t.Errorf("automatic reply lacks X-Auto-Response-Suppress: All")
	}

	op := base
	op.Automatic = false
	c, err := Compose(op)
	if err != nil {
		t.Fatal(err)
	}
	hdr = headerOf(t, c)
	if hdr.Get("Auto-Submitted") != "" || hdr.Get("X-Auto-Response-Suppress") != "" {
		t.Errorf("an operator's reply is marked automatic:\n%s", c)
	}
}

func headerOf(t *testing.T, raw []byte) mail.Header {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return r.Header
}

func TestComposeThreading(t *testing.T) {
	t.Parallel()
	many := make([]string, 30)
	for i := range many {
		many[i] = fmt.Sprintf("m%d@example.hu", i)
	}
	tests := []struct {
		name      string
		parent    Parent
		inReplyTo []string
		refs      []string
	}{
		{"no parent", Parent{}, nil, nil},
		{"first message", Parent{MessageID: "a@x"}, []string{"a@x"}, []string{"a@x"}},
		{"references kept in order", Parent{MessageID: "c@x", InReplyTo: []string{"b@x"}, References: []string{"a@x", "b@x"}}, []string{"c@x"}, []string{"a@x", "b@x", "c@x"}},
		{"in-reply-to when no references", Parent{MessageID: "b@x", InReplyTo: []string{"a@x"}}, []string{"b@x"}, []string{"a@x", "b@x"}},
		{"several in-reply-to ids are ambiguous", Parent{MessageID: "c@x", InReplyTo: []string{"a@x", "b@x"}}, []string{"c@x"}, []string{"c@x"}},
		{"parent without Message-ID", Parent{References: []string{"a@x"}}, nil, nil},
		{"invalid parent id", Parent{MessageID: "a b@x", References: []string{"r@x"}}, nil, nil},
		{"invalid and repeated references dropped", Parent{MessageID: "c@x", References: []string{"a@x", "bad id", "<x@y>", "a@x", "ő@x", "c@x", strings.Repeat("l", 300)}}, []string{"c@x"}, []string{"a@x", "c@x"}},
		{"long thread keeps root and recent", Parent{MessageID: "new@x", References: many}, []string{"new@x"}, append([]string{"m0@example.hu"}, append(many[22:], "new@x")...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := composeCases["en"]
			m.Parent = tc.parent
			raw, err := Compose(m)
			if err != nil {
				t.Fatal(err)
			}
			rb := read(t, raw)
			if diff := cmp.Diff([][]string{tc.inReplyTo, tc.refs}, [][]string{rb.InReplyTo, rb.References}); diff != "" {
				t.Errorf("In-Reply-To, References (-want +got):\n%s", diff)
			}
			if len(tc.refs) > maxReferences {
				t.Errorf("test wants %d references, more than the cap", len(tc.refs))
			}
			checkLines(t, raw)
		})
	}
}

func TestComposeLongFields(t *testing.T) {
	t.Parallel()
	m := composeCases["hu"]
	m.Subject = strings.Repeat("Árvíztűrő tükörfúrógép ", 30)
	m.To.Name = strings.Repeat("Hosszú Névvel Rendelkező Levélíró ", 5)
	m.Parent.References = []string{strings.Repeat("r", 200) + "@example.hu", "b@x"}
	raw, err := Compose(m)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, raw)
	rb := read(t, raw)
	if want := string([]rune(strings.TrimSpace(m.Subject))[:2*maxSubject]) + "…"; rb.Subject != want {
		t.Errorf("subject read back as %q, want %q", rb.Subject, want)
	}
	if want := strings.TrimSpace(m.To.Name); !strings.HasPrefix(rb.To, want+" <") {
		t.Errorf("To read back as %q", rb.To)
	}
}

func TestComposeIDN(t *testing.T) {
	t.Parallel()
	m := composeCases["hu"]
	m.To.Address = "anna@Példa.hu"
	raw, err := Compose(m)
	if err != nil {
		t.Fatal(err)
	}
	if rb := read(t, raw); rb.To != "Kovács Éva <anna@xn--plda-bpa.hu>" {
		t.Errorf("To = %q, want the domain in ASCII", rb.To)
	}
}

func TestComposeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*Outgoing)
		want error
	}{
		{"no To", func(m *Outgoing) { m.To.Address = "" }, ErrInvalid},
		{"To without @", func(m *Outgoing) { m.To.Address = "anna" }, ErrInvalid},
		{"To with a line break", func(m *Outgoing) { m.To.Address = "anna@example.hu\r\nBcc: x@y.hu" }, ErrInvalid},
		{"non-ASCII local part", func(m *Outgoing) { m.To.Address = "éva@example.hu" }, ErrInvalid},
		{"no From", func(m *Outgoing) { m.From.Address = "" }, ErrInvalid},
		{"branded From name", func(m *Outgoing) { m.From.Name = "OKIT Krízisvonal" }, ErrRevealing},
		{"empty subject", func(m *Outgoing) { m.Subject = " \t" }, ErrInvalid},
		{"revealing subject", func(m *Outgoing) { m.Subject = "Re: bántalmazás" }, ErrRevealing},
		{"body not UTF-8", func(m *Outgoing) { m.Body = "\xff\xfe" }, ErrInvalid},
		{"bad Message-ID", func(m *Outgoing) { m.MessageID = "<a b>" }, ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := composeCases["hu"]
			tc.edit(&m)
			_, err := Compose(m)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Compose = %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), "example.hu") {
				t.Errorf("error %q quotes an address", err)
			}
		})
	}
}
