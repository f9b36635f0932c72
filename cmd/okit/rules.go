package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/triage"
)

func runRulesCheck(ctx context.Context, a *app, args []string) error {
	fs := a.flags("rules check", "FILE")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	file := fs.Arg(0)
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	r, err := triage.Load(b, file)
	if err != nil {
		return err // one line per problem, each with its line number
	}
	fmt.Fprintf(a.stdout, "%s: rule set %s is valid\n", file, r.Version())
	if u := r.UnknownLemmas(); len(u) > 0 {
		// Not an error: the lemma still matches as written and as a prefix.
		fmt.Fprintf(a.stdout, "%s: %d Hungarian lemmas of concepts are not in the generated word-form table; they match only as written (and from 5 letters as a prefix), so other forms may be missed: %s\n",
			file, len(u), strings.Join(u, ", "))
	}
	return nil
}

func runTriageExplain(ctx context.Context, a *app, args []string) error {
	fs := a.flags("triage explain", "[--json] [--second-opinion none|starting|active|VERSION] < message.eml")
	asJSON := fs.Bool("json", false, "print JSON")
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
	ex := rules.Explain(intake.TriageInput(m))
	if op != nil {
		ex.Verdict = op.Judge(rules, intake.TriageInput(m))
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ex)
	}
	if m.Status != message.ParseOK {
		fmt.Fprintf(a.stdout, "parse:   %s (%v)\n", m.Status, m.Problems)
	}
	fmt.Fprint(a.stdout, ex.String())
	return nil
}
