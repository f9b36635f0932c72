package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage"
)

func runReply(ctx context.Context, a *app, args []string) error {
	fs := a.flags("reply", "CASE [--template information|crisis_home] [--shelter NAME] [--sign NAME] [--confirm-safe-channel] < text")
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
	id, err := st.QueueReply(ctx, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "queued reply %d to the writer of %s; okit serve sends it\n", id, r.CaseRef)
	return nil
}
