package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ncsszi/okit/message"
)

// caseOut is a case as `okit cases list` prints it.
type caseOut struct {
	Ref           string       `json:"ref"`
	Status        string       `json:"status"`
	Messages      int          `json:"message_count"`
	FirstReceived time.Time    `json:"first_received"`
	LastReceived  time.Time    `json:"last_received"`
	Priority      int          `json:"priority"`
	Categories    []string     `json:"categories"`
	Flags         []string     `json:"flags"`
	Assignee      string       `json:"assignee,omitempty"`
	Due           *time.Time   `json:"due,omitempty"`
	Breached      bool         `json:"breached"`
	Received      []messageOut `json:"messages"`
}

type messageOut struct {
	ID          int64     `json:"id"`        // for okit cases split
	Direction   string    `json:"direction"` // in: the writer's; out: ours
	Received    time.Time `json:"received"`
	Size        int64     `json:"size"`
	ParseStatus string    `json:"parse_status"`
	Priority    int       `json:"priority"`
	Flags       []string  `json:"flags"`
	// What the receiving server said of the sender and of spam (only
	// for incoming mail; verified is absent for mail stored before okit
	// asked).
	Verified *bool  `json:"sender_verified,omitempty"`
	SPF      string `json:"spf,omitempty"`
	DKIM     string `json:"dkim,omitempty"`
	DMARC    string `json:"dmarc,omitempty"`
	Spam     bool   `json:"spam,omitempty"`
	// Filled only with --decrypt.
	SenderName string `json:"sender_name,omitempty"`
	Sender     string `json:"sender,omitempty"`
	ReplyTo    string `json:"reply_to,omitempty"`
	Subject    string `json:"subject,omitempty"`
	MessageID  string `json:"message_id,omitempty"`
	Note       string `json:"note,omitempty"`
}

func runCasesList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("cases list", "[--json] [--decrypt] [--limit N]")
	asJSON := fs.Bool("json", false, "print JSON")
	decrypt := fs.Bool("decrypt", false, "decrypt sender, subject and Message-IDs (needs the private key; recorded in each case's history)")
	limit := fs.Int("limit", 100, "most recent cases to list")
	if err := parse(fs, args); err != nil {
		return err
	}
	e := &env{get: a.getenv}
	var files keyFiles
	if *decrypt {
		files = e.keyFiles(openKeys)
	}
	if err := e.err(); err != nil {
		return err
	}
	k, err := files.load(a.log)
	if err != nil {
		return err
	}
	var opener interface{ Open([]byte) ([]byte, error) }
	if k.opener != nil {
		opener = k.opener
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()

	cases, err := st.ListCases(ctx, *limit)
	if err != nil {
		return err
	}
	ids := make([]int64, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	msgs, err := st.CaseMessages(ctx, ids)
	if err != nil {
		return err
	}
	if opener != nil && len(ids) > 0 {
		// The record comes first: a decryption that is not recorded does not happen.
		if err := st.RecordDecryption(ctx, ids, actor(), "cases list --decrypt"); err != nil {
			return err
		}
	}
	byCase := map[int64][]messageOut{}
	for _, m := range msgs {
		out := messageOut{ID: m.ID, Direction: m.Direction, Received: m.InternalDate, Size: m.Size, ParseStatus: m.ParseStatus,
			Priority: m.Priority, Flags: m.Flags, Verified: m.SenderVerified, SPF: m.SPF, DKIM: m.DKIM, DMARC: m.DMARC, Spam: m.Spam}
		if opener != nil && m.SummarySealed != nil { // nil: the case was purged
			plain, err := opener.Open(m.SummarySealed)
			if err != nil {
				return fmt.Errorf("open summary of message %d: %w", m.ID, err)
			}
			s, err := message.UnmarshalSummary(plain)
			if err != nil {
				return fmt.Errorf("read summary of message %d: %w", m.ID, err)
			}
			out.SenderName, out.Sender, out.Subject, out.MessageID, out.Note = s.FromName, s.FromAddr, s.Subject, s.MessageID, s.Note
			if m.ReplyToSealed != nil {
				plain, err := opener.Open(m.ReplyToSealed)
				if err != nil {
					return fmt.Errorf("open the Reply-To of message %d: %w", m.ID, err)
				}
				out.ReplyTo = string(plain)
			}
		}
		byCase[m.CaseID] = append(byCase[m.CaseID], out)
	}
	outs := make([]caseOut, len(cases))
	for i, c := range cases {
		outs[i] = caseOut{Ref: c.Ref, Status: c.Status, Messages: c.Messages, FirstReceived: c.FirstReceived,
			LastReceived: c.LastReceived, Priority: c.Priority, Categories: c.Categories, Flags: c.Flags,
			Assignee: c.Assignee, Due: c.Due, Breached: c.Breached, Received: byCase[c.ID]}
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(outs)
	}
	tw := tabwriter.NewWriter(a.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tPRIO\tSTATUS\tMSGS\tFLAGS\tASSIGNEE\tDUE\tLAST RECEIVED\tSUBJECT")
	for _, c := range outs {
		subject := ""
		if len(c.Received) > 0 {
			subject = c.Received[len(c.Received)-1].Subject
		}
		due := "-"
		if c.Due != nil {
			due = c.Due.Local().Format(time.DateTime)
			if c.Breached {
				due += " BREACHED"
			}
		}
		fmt.Fprintf(tw, "%s\tP%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", c.Ref, c.Priority, c.Status, c.Messages,
			strings.Join(c.Flags, ","), c.Assignee, due, c.LastReceived.Local().Format(time.DateTime), subject)
	}
	return tw.Flush()
}

func runCasesPriority(ctx context.Context, a *app, args []string) error {
	fs := a.flags("cases priority", "REF P1|P2|P3|P4 < reason")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	p, ok := parsePriority(fs.Arg(1))
	if fs.NArg() != 2 || !ok {
		fs.Usage()
		return errUsage
	}
	// An operator's words come on stdin, never in the arguments, which
	// other users of the host see (ps) and the shell keeps (history).
	reason, err := readWords(a.stdin, "the reason", "okit cases priority REF P2 < reason.txt")
	if err != nil {
		return err
	}
	e := &env{get: a.getenv}
	files := e.keyFiles(sealKeys)
	targets := e.targets()
	if err := e.err(); err != nil {
		return err
	}
	k, err := files.load(a.log)
	if err != nil {
		return err
	}
	sealed, err := k.sealer.Seal([]byte(reason))
	if err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetPriority(ctx, fs.Arg(0), p, targets, actor(), sealed); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s is now %s; new messages will not change it\n", fs.Arg(0), p)
	return nil
}

// reorder puts flags before positional arguments, so that
// `okit shelters add Tisza --region ...` parses.
func reorder(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		if strings.HasPrefix(args[i], "-") {
			flags = append(flags, args[i])
			if !strings.Contains(args[i], "=") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, args[i])
	}
	return append(flags, rest...)
}
