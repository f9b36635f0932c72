package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/triage"
)

// inspection is what `okit message inspect --json` prints: what intake
// makes of a raw message, before sealing and storing.
type inspection struct {
	Status      message.ParseStatus `json:"status"`
	Unreadable  string              `json:"unreadable,omitempty"`
	Problems    []string            `json:"problems"`
	Subject     string              `json:"subject"`
	From        inspectedAddress    `json:"from"`
	Text        string              `json:"text"`
	FromHTML    bool                `json:"from_html"`
	Attachments []inspectedFile     `json:"attachments"`
	Verdict     triage.Verdict      `json:"verdict"`
}

type inspectedAddress struct {
	Name string `json:"name"`
	Addr string `json:"addr"`
}

type inspectedFile struct {
	Filename string `json:"filename"`
	Type     string `json:"type"`
	Size     int64  `json:"size"`
}

func runMessageInspect(ctx context.Context, a *app, args []string) error {
	fs := a.flags("message inspect", "[--json] < message.eml")
	asJSON := fs.Bool("json", false, "print JSON (status, unreadable, problems, subject, from, text, attachments, verdict)")
	second := fs.String("second-opinion", "none", secondOpinionUsage)
	if err := parse(fs, args); err != nil {
		return err
	}
	op, err := chosenOpinion(ctx, a, *second)
	if err != nil {
		return err
	}
	e := &env{get: a.getenv}
	rules := e.rules()
	if err := e.err(); err != nil {
		return err
	}
	raw, err := io.ReadAll(io.LimitReader(a.stdin, 64<<20))
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	m := message.Parse(raw)
	out := inspection{
		Status: m.Status, Unreadable: m.Unreadable, Problems: m.Problems,
		Subject: m.Subject, From: inspectedAddress{m.From.Name, m.From.Addr},
		Text: m.Text, FromHTML: m.FromHTML, Attachments: []inspectedFile{},
		Verdict: intake.Judge(rules, op, m),
	}
	if out.Problems == nil {
		out.Problems = []string{}
	}
	for _, att := range m.Attachments {
		out.Attachments = append(out.Attachments, inspectedFile{att.Filename, att.ContentType, att.Size})
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprint(a.stdout, out.String())
	return nil
}

// String lays the inspection out for a person: the facts first, the
// writer's text last.
func (in inspection) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "status:      %s\n", in.Status)
	if in.Unreadable != "" {
		fmt.Fprintf(&b, "unreadable:  %s\n", in.Unreadable)
	}
	for i, p := range in.Problems {
		label := ""
		if i == 0 {
			label = "problems:"
		}
		fmt.Fprintf(&b, "%-12s %s\n", label, p)
	}
	fmt.Fprintf(&b, "verdict:     %s\n", in.Verdict)
	fmt.Fprintf(&b, "rules:       %s\n", strings.Join(in.Verdict.Rules, ", "))
	fmt.Fprintf(&b, "from:        %s\n", formatFrom(in.From))
	fmt.Fprintf(&b, "subject:     %s\n", in.Subject)
	for i, f := range in.Attachments {
		label := ""
		if i == 0 {
			label = "attachments:"
		}
		fmt.Fprintf(&b, "%-12s %s (%s, %d bytes)\n", label, f.Filename, f.Type, f.Size)
	}
	if in.FromHTML {
		b.WriteString("text (made from HTML):\n")
	} else {
		b.WriteString("text:\n")
	}
	b.WriteString(in.Text)
	if in.Text != "" && !strings.HasSuffix(in.Text, "\n") {
		b.WriteByte('\n')
	}
	return b.String()
}

func formatFrom(a inspectedAddress) string {
	switch {
	case a.Name == "":
		return a.Addr
	case a.Addr == "":
		return a.Name
	}
	return a.Name + " <" + a.Addr + ">"
}
