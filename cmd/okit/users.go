package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

func runUsersAdd(ctx context.Context, a *app, args []string) error {
	fs := a.flags("users add", "NAME [--role operator] [--languages hu,en] [--skills trafficking,child_abuse] [--load 10]")
	role := fs.String("role", string(account.Operator), "operator, supervisor or admin")
	langs := fs.String("languages", "hu", "languages the user answers in, comma-separated (hu, en, ...)")
	skills := fs.String("skills", "", "categories the user specialises in, comma-separated: "+strings.Join(categoryNames(), ", "))
	load := fs.Int("load", 10, "most open cases at once")
	name, rest := splitName(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	u := storage.User{Username: name, Role: account.Role(*role), Languages: list(*langs), Skills: list(*skills), LoadLimit: *load}
	var problems []string
	if name == "" || strings.HasPrefix(name, "-") {
		problems = append(problems, "give the user's name first: okit users add NAME ...")
	}
	if _, err := account.ParseRole(*role); err != nil {
		problems = append(problems, "--"+err.Error())
	}
	for _, s := range u.Skills {
		if !slices.Contains(categoryNames(), s) {
			problems = append(problems, fmt.Sprintf("--skills: %q is not a category; give some of %s", s, strings.Join(categoryNames(), ", ")))
		}
	}
	if len(u.Languages) == 0 {
		problems = append(problems, "--languages: give at least one, e.g. hu")
	}
	if u.LoadLimit < 1 {
		problems = append(problems, "--load: give 1 or more")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.AddUser(ctx, u, actor()); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "added %s (%s)\n", u.Username, u.Role)
	return nil
}

func runUsersList(ctx context.Context, a *app, args []string) error {
	if err := parse(a.flags("users list", ""), args); err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	us, err := st.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tLANGUAGES\tSKILLS\tOPEN/LIMIT\tSTATE")
	for _, u := range us {
		state := "off shift"
		switch {
		case u.Disabled:
			state = "disabled"
		case u.OnShift:
			state = "on shift"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d/%d\t%s\n", u.Username, u.Role, strings.Join(u.Languages, ","),
			strings.Join(u.Skills, ","), u.Open, u.LoadLimit, state)
	}
	return tw.Flush()
}

func runUsersDisable(ctx context.Context, a *app, args []string) error {
	return userChange(ctx, a, "users disable", args, (*storage.Store).DisableUser, "disabled %s; %d open cases handed over\n")
}

func runShiftStart(ctx context.Context, a *app, args []string) error {
	return userChange(ctx, a, "shift start", args, (*storage.Store).StartShift, "%s is on shift; %d waiting cases assigned\n")
}

func runShiftEnd(ctx context.Context, a *app, args []string) error {
	return userChange(ctx, a, "shift end", args, (*storage.Store).EndShift, "%s is off shift; %d cases awaiting a first answer handed over\n")
}

// userChange runs a change of one user named by the only argument.
func userChange(ctx context.Context, a *app, cmd string, args []string, change func(*storage.Store, context.Context, string, string) (int, error), done string) error {
	name, rest := splitName(args)
	if err := parse(a.flags(cmd, "NAME"), rest); err != nil {
		return err
	}
	if name == "" {
		return fmt.Errorf("give the user's name: okit %s NAME", cmd)
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := change(st, ctx, name, actor())
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, done, name, n)
	return nil
}

// splitName takes a leading positional NAME off args.
func splitName(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func categoryNames() []string {
	var names []string
	for _, c := range triage.Categories() {
		names = append(names, string(c))
	}
	return names
}

// runUsersPassword sets a user's console password, read from the first
// line of stdin so that it is in no shell history, and ends their sessions.
func runUsersPassword(ctx context.Context, a *app, args []string) error {
	name, rest := splitName(args)
	if err := parse(a.flags("users password", "NAME < password"), rest); err != nil {
		return err
	}
	if name == "" || strings.HasPrefix(name, "-") {
		return errors.New("give the user's name: okit users password NAME < password")
	}
	line, err := bufio.NewReader(io.LimitReader(a.stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read the password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := account.CheckNewPassword(pw); err != nil {
		return err
	}
	binder, err := a.binder()
	if err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetPassword(ctx, name, account.HashPassword(pw), binder, nil, actor()); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "password set for %s; their console sessions were ended\n", name)
	return nil
}

// runUsersBind gives the passwords and second factors stored before
// schema 12 their MAC under the console key; run once after upgrading,
// before anyone logs in. A credential whose MAC is there and fails is
// left failing.
func runUsersBind(ctx context.Context, a *app, args []string) error {
	if err := parse(a.flags("users bind", ""), args); err != nil {
		return err
	}
	binder, err := a.binder()
	if err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	bound, err := st.BindCredentials(ctx, binder, actor())
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "bound the credentials of %d users to the console key: %s\n", len(bound), strings.Join(bound, ", "))
	return nil
}

// binder loads the console key of OKIT_CONSOLE_KEY_FILE.
func (a *app) binder() (*seal.Binder, error) {
	e := &env{get: a.getenv}
	files := e.keyFiles(consoleKeys)
	if err := e.err(); err != nil {
		return nil, err
	}
	ks, err := files.load(a.log)
	return ks.binder, err
}
