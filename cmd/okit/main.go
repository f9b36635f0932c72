// Command okit is the secure email intake and triage system of OKIT, the
// Hungarian national crisis line. One binary, subcommands, settings from
// OKIT_* environment variables; `okit help` lists the subcommands.
//
// This package is okit's composition root; no other package reads the
// environment or wires parts together. A long-running command goes through
// three steps:
//
//   - readSettings (settings.go) reads the environment once into a settings
//     value, reporting every mistake of a start at once, each naming its
//     variable (the env reader, config.go);
//   - build (root.go) makes each part once from the settings: the keys
//     (keyFiles.load, the one place keys are loaded), the reply templates,
//     the store, and on them intake, the job workers and the console;
//   - runLoops (run.go) runs the parts' loops under one errgroup and stops
//     them in stages when the context ends (SIGTERM) or one fails: serve
//     stops intake, then the workers, then the console and the HTTP server,
//     and closes the store last.
//
// serve, intake and demo share build; the demo fills the settings in
// itself (its mailbox, mail sink and keys are made in process). The short
// commands (users, cases, reply, report, ...) open the store and the keys
// they need and do one thing. Nothing in this package runs at
// initialisation: a command does its work when it runs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand. run gets the arguments after its name.
type command struct {
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

// app is what every subcommand may use: its streams, its environment and
// a logger. Nothing here is global, so tests run subcommands side by side.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	log    *slog.Logger
}

func commands() map[string]command {
	return map[string]command{
		"migrate":               {"apply the database migrations this okit carries", runMigrate},
		"keys generate":         {"write a new OpenPGP key pair and index key (never overwrites)", runKeysGenerate},
		"keys rotate":           {"write the next generation of keys beside the current one (never overwrites); okit reseal then moves what is stored to it", runKeysRotate},
		"reseal":                {"re-encrypt and re-digest what is stored under the previous keys with the current ones, in resumable batches (--batch N), audited", runReseal},
		"intake":                {"take mail from the hotline mailbox into the database (--once: one pass)", runIntake},
		"serve":                 {"run intake and the health endpoint until stopped", runServe},
		"mailbox authorize":     {"sign okit in to the mailbox as a person by device code (OAuth2); stores the refresh token in OKIT_OAUTH_TOKEN_FILE", runMailboxAuthorize},
		"cases priority":        {"set a case's priority by hand, with a reason (sealed); its messages no longer change it", runCasesPriority},
		"cases list":            {"list cases (--json; --decrypt adds sender, subject and Message-IDs, audited)", runCasesList},
		"cases merge":           {"merge case FROM into case INTO: its messages and writer addresses join INTO (undone by cases split)", runCasesMerge},
		"cases split":           {"move messages of a case into a new case, with their writer addresses (undone by cases merge)", runCasesSplit},
		"demo":                  {"run okit against an in-process mailbox filled with sample mail", runDemo},
		"users add":             {"add an operator, supervisor or admin with languages, skills and a load limit", runUsersAdd},
		"users list":            {"list users with their shift state and open load", runUsersList},
		"users password":        {"set a user's console password, read from stdin; ends their sessions", runUsersPassword},
		"users bind":            {"after upgrading to schema 12: bind stored passwords and second factors to the console key (OKIT_CONSOLE_KEY_FILE)", runUsersBind},
		"keys console":          {"write a new console key (console.key), for an installation whose keys predate it (never overwrites)", runKeysConsole},
		"users disable":         {"disable a user and hand their open cases over", runUsersDisable},
		"shift start":           {"put a user on shift and assign the cases waiting for someone", runShiftStart},
		"reply":                 {"queue an answer (text on stdin) or a crisis-home contact to a case's writer; it counts as the first response", runReply},
		"rules check":           {"check a triage rules file; every problem is given with its line", runRulesCheck},
		"triage explain":        {"triage a message read from stdin and say which rules fired, where and why (--second-opinion starting, active or a model version: and what that model adds)", runTriageExplain},
		"triage learn":          {"train a second opinion on the priorities operators chose or confirmed in a period (--since, --until; decrypts, audited); stores it inactive", runTriageLearn},
		"triage model list":     {"list the stored second-opinion models with their figures and which one is active", runTriageModelList},
		"triage model show":     {"print what a stored model's training measured, per priority: rules alone and rules with the model", runTriageModelShow},
		"triage model activate": {"make a stored model the one intake applies (0: none); activating an earlier one is a rollback", runTriageModelActivate},
		"message inspect":       {"show what intake makes of a message read from stdin: status, problems, text, attachments, verdict (prints the message in plaintext: for an administrator's own machine)", runMessageInspect},
		"shelters add":          {"add a crisis home: working name, region, intake phone, free places (address and notes sealed)", runSheltersAdd},
		"shelters list":         {"list the crisis-home directory, homes with free places first", runSheltersList},
		"shelters places":       {"record how many places a crisis home has free now", runSheltersPlaces},
		"shelters activate":     {"put a crisis home back among the offers", runSheltersActive(true)},
		"shelters deactivate":   {"take a crisis home off the offers", runSheltersActive(false)},
		"audit verify":          {"check the event log's hash chain; print the head, or the first broken link (exit 1)", runAuditVerify},
		"purge":                 {"remove the sealed content of cases closed longer than OKIT_RETENTION ago (--dry-run: count only)", runPurge},
		"shift end":             {"take a user off shift and hand over their cases awaiting a first answer", runShiftEnd},
		"report":                {"print the supervisors' figures of a period (--from, --to; --format text, csv or json); recorded as an export", runReport},
	}
}

func main() {
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := a.main(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

func (a *app) main(ctx context.Context, args []string) int {
	a.log = newLogger(a.stderr, a.getenv("OKIT_LOG_FORMAT"), a.getenv("OKIT_LOG_LEVEL"))
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		a.usage(cmds)
		return 0
	}
	// A command is one to three words: intake, cases list, triage model activate.
	var name string
	var rest []string
	cmd, ok := command{}, false
	for n := 1; n <= min(3, len(args)) && !ok; n++ {
		name, rest = strings.Join(args[:n], " "), args[n:]
		cmd, ok = cmds[name]
	}
	if !ok {
		fmt.Fprintf(a.stderr, "okit: unknown command %q; `okit help` lists them\n", strings.Join(args[:min(2, len(args))], " "))
		return 2
	}
	err := cmd.run(ctx, a, rest)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(a.stderr, "okit %s: %s\n", name, line)
	}
	return 1
}

// errUsage means a flag set already printed what was wrong.
var errUsage = errors.New("usage")

// flags returns a flag set for a subcommand that prints its help to stderr.
func (a *app) flags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("okit "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() {
		fmt.Fprintf(a.stderr, "usage: okit %s %s\n\n%s\n", name, usage, commands()[name].summary)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

// required says, with the usage, that a flag needs a value.
func required(fs *flag.FlagSet, name, value string) error {
	if value != "" {
		return nil
	}
	fmt.Fprintf(fs.Output(), "--%s is required\n", name)
	fs.Usage()
	return errUsage
}

func (a *app) usage(cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(a.stdout, "okit — secure email intake and triage for the OKIT crisis line\n\nusage: okit COMMAND [flags]   (okit COMMAND -h explains one)\n\ncommands:")
	for _, n := range names {
		fmt.Fprintf(a.stdout, "  %-20s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(a.stdout, "\nSettings come from OKIT_* environment variables; see the README.")
}

func newLogger(w io.Writer, format, level string) *slog.Logger {
	var lv slog.Level
	if lv.UnmarshalText([]byte(level)) != nil {
		lv = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
