package main

import (
	"bytes"
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
	fs := a.flags("reply", "CASE [--to ADDRESS] [--template information|crisis_home] [--shelter NAME] [--sign NAME] [--confirm-safe-channel] < text")
	to := fs.String("to", "", "the address the answer goes to: one of the case's writer's, or the latest message's From or Reply-To "+
		"(okit cases list --decrypt shows them); picking one that is not the writer's makes it one. Needed when the latest message asks for answers elsewhere")
	template := fs.String("template", replies.TemplateInformation, "information (your words with the line's facts) or crisis_home")
	shelter := fs.String("shelter", "", "the crisis home whose intake phone to give, with --template crisis_home")
	sign := fs.String("sign", "", "the first name you sign with")
	safe := fs.Bool("confirm-safe-channel", false, "the writer asked not to be answered by email or said someone reads their mail, and you have confirmed that this address is safe")
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
		Signature: strings.TrimSpace(*sign), Actor: actor(), SafeChannel: *safe, RemindAfter: remind}
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
		// After a rotation, a writer's digest may still be the previous
		// index key's.
		return bytes.Equal(a.Digest, k.index.AddressDigest(*to)) ||
			k.index.Previous() != nil && bytes.Equal(a.Digest, k.index.Previous().AddressDigest(*to))
	})
	switch {
	case i < 0 && *to == "":
		return fmt.Errorf("%w\ngive --to ADDRESS: the writer's, or the latest message's From or Reply-To (okit cases list --decrypt shows them)", storage.ErrPickAddress)
	case i < 0:
		return fmt.Errorf("--to: not an address of %s: give the writer's, or the latest message's From or Reply-To (okit cases list --decrypt shows them)", r.CaseRef)
	}
	r.To = storage.AddressRef{MessageID: addrs[i].MessageID, Field: addrs[i].Field}
	id, err := st.QueueReply(ctx, r)
	if err != nil {
		return err
	}
	whom := fmt.Sprintf("the %s of message %d", strings.ReplaceAll(string(r.To.Field), "_", "-"), r.To.MessageID)
	if *to != "" {
		whom = *to
	}
	confirmed := ""
	if !addrs[i].Writer {
		confirmed = "; it is now the writer's address, recorded on the case"
	}
	fmt.Fprintf(a.stdout, "queued reply %d to the writer of %s at %s%s; okit serve sends it\n", id, r.CaseRef, whom, confirmed)
	return nil
}
