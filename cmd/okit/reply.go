package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage"
)

func runReply(ctx context.Context, a *app, args []string) error {
	fs := a.flags("reply", "CASE [--to MESSAGE:from|reply-to] [--template information|crisis_home] [--shelter NAME] [--sign NAME] [--confirm-safe-channel] [--after N] < text")
	to := fs.String("to", "", "where the answer goes, as MESSAGE:from or MESSAGE:reply-to: one of the case's writer's addresses, or the latest message's "+
		"From or Reply-To (okit cases list --json --decrypt shows each message's); picking one that is not the writer's makes it one. "+
		"Needed when the latest message asks for answers elsewhere. Never the address itself: it would stay in the shell's history and every user's process list")
	template := fs.String("template", replies.TemplateInformation, "information (your words with the line's facts) or crisis_home")
	shelter := fs.String("shelter", "", "the crisis home whose intake phone to give, with --template crisis_home")
	sign := fs.String("sign", "", "the first name you sign with")
	safe := fs.Bool("confirm-safe-channel", false, "the writer asked not to be answered by email or said someone reads their mail, and you have confirmed that this address is safe")
	after := fs.Int64("after", 0, "send although a colleague wrote to the writer minutes ago: the number of that mail, as the refusal names it")
	if err := fs.Parse(reorder(args)); err != nil {
		return errUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	text, err := io.ReadAll(io.LimitReader(a.stdin, 64<<10+1))
	if err != nil {
		return fmt.Errorf("read the answer from stdin: %w", err)
	}
	var problems []string
	kind := replies.KindAnswer
	switch *template {
	case replies.TemplateInformation:
		if strings.TrimSpace(string(text)) == "" {
			problems = append(problems, "write the answer on stdin: okit reply CASE < answer.txt")
		}
	case replies.TemplateCrisisHome:
		kind = replies.KindCrisisHome
		if *shelter == "" {
			problems = append(problems, "--shelter NAME: which crisis home (okit shelters list)")
		}
	default:
		problems = append(problems, fmt.Sprintf("--template %q: give information or crisis_home", *template))
	}
	if len(text) > 64<<10 {
		problems = append(problems, "the answer is over 64 KiB")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	e := &env{get: a.getenv}
	files := e.keyFiles(sealKeys)
	remind := e.duration("OKIT_REMINDER_AFTER", 48*time.Hour)
	if err := e.err(); err != nil {
		return err
	}
	k, err := files.load(a.log)
	if err != nil {
		return err
	}
	r := storage.Reply{CaseRef: fs.Arg(0), Kind: kind, Template: *template, Shelter: *shelter,
		Signature: strings.TrimSpace(*sign), Actor: actor(), SafeChannel: *safe, RemindAfter: remind, After: *after}
	if t := strings.TrimSpace(string(text)); t != "" {
		if r.TextSealed, err = k.sealer.Seal([]byte(t)); err != nil {
			return err
		}
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.CaseByRef(ctx, r.CaseRef)
	if err != nil {
		return err
	}
	addrs, err := st.Addresses(ctx, c.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(addrs, func(a storage.Address) bool {
		if *to == "" {
			return a.Default
		}
		return *to == addressChoice(a)
	})
	if i < 0 {
		var choices []string
		for _, a := range addrs {
			whose := "the writer's"
			if !a.Writer {
				whose = "the latest message's, not yet the writer's"
			}
			choices = append(choices, fmt.Sprintf("  --to %s\t(%s)", addressChoice(a), whose))
		}
		var why error = storage.ErrPickAddress
		switch {
		case strings.Contains(*to, "@"):
			why = errors.New("--to takes MESSAGE:from or MESSAGE:reply-to, never the address: an address on the command line stays in the shell's history and in every user's process list")
		case *to != "":
			why = fmt.Errorf("--to %s: not one of the addresses of %s", *to, r.CaseRef)
		}
		return fmt.Errorf("%w\ngive one of (okit cases list --json --decrypt shows each message's From and Reply-To):\n%s", why, strings.Join(choices, "\n"))
	}
	r.To = storage.AddressRef{MessageID: addrs[i].MessageID, Field: addrs[i].Field}
	id, err := st.QueueReply(ctx, r)
	if recent := (*storage.RecentAnswerError)(nil); errors.As(err, &recent) {
		return fmt.Errorf("%s wrote to this writer at %s: two answers minutes apart confuse a person in danger; "+
			"to send yours too, run again with --after %d", recent.Actor, recent.At.Local().Format(time.DateTime), recent.OutgoingID)
	}
	if err != nil {
		return err
	}
	whom := fmt.Sprintf("the %s of message %d", strings.ReplaceAll(string(r.To.Field), "_", "-"), r.To.MessageID)
	confirmed := ""
	if !addrs[i].Writer {
		confirmed = "; it is now the writer's address, recorded on the case"
	}
	fmt.Fprintf(a.stdout, "queued reply %d to the writer of %s at %s%s; okit serve sends it\n", id, r.CaseRef, whom, confirmed)
	return nil
}

// addressChoice names an address an answer may go to as --to takes it:
// the message that gave it and the field, never the address itself.
func addressChoice(a storage.Address) string {
	return fmt.Sprintf("%d:%s", a.MessageID, strings.ReplaceAll(string(a.Field), "_", "-"))
}
