package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

const demoDatabase = "okit_demo"

func runDemo(ctx context.Context, a *app, args []string) error {
	fs := a.flags("demo", "[--every 5s]")
	every := fs.Duration("every", 5*time.Second, "how often a new sample message arrives")
	httpAddr := fs.String("http", "127.0.0.1:8080", "where the console listens (a loopback address)")
	if err := parse(fs, args); err != nil {
		return err
	}
	dbURL, err := demoDatabaseURL(ctx, a.getenv("OKIT_DATABASE_URL"))
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "okit-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	pass := []byte("demo passphrase, not for real use")
	paths, err := seal.GenerateKeys(filepath.Join(dir, "keys"), seal.Curve25519, "OKIT demo", "okit@ncsszi.hu", pass)
	if err != nil {
		return err
	}
	sealer, err := seal.LoadSealer(paths.Public)
	if err != nil {
		return err
	}
	index, err := seal.LoadIndex(paths.Index)
	if err != nil {
		return err
	}
	opener, err := seal.LoadOpener(paths.Private, pass)
	if err != nil {
		return err
	}

	// The demo's own log goes to a file: the terminal shows what an operator would.
	logPath := filepath.Join(dir, "okit.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	log := newLogger(logFile, "", a.getenv("OKIT_LOG_LEVEL"))

	st, err := storage.Open(ctx, dbURL, time.Now)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	// Two operators on shift, so that cases are assigned as they arrive, a
	// supervisor and an administrator; each with a password, the last two
	// with a second factor whose code the demo's login page shows.
	for _, u := range demoUsers {
		if _, err := st.AddUser(ctx, u.User, "demo"); err != nil {
			return err
		}
		if err := st.SetPassword(ctx, u.Username, account.HashPassword(u.password), nil, "demo"); err != nil {
			return err
		}
		if u.Role == account.Operator {
			if _, err := st.StartShift(ctx, u.Username, "demo"); err != nil {
				return err
			}
			continue
		}
		secret, err := sealer.Seal([]byte(demoTOTPSecret))
		if err != nil {
			return err
		}
		if err := st.SetTOTP(ctx, u.Username, secret, "demo"); err != nil {
			return err
		}
	}
	// Three crisis homes, one of them full, by working name only.
	for _, h := range []storage.Shelter{
		{Name: "Tisza", Region: "Csongrád-Csanád", IntakePhone: "+36 62 555 0101", FreePlaces: 2},
		{Name: "Duna", Region: "Pest", IntakePhone: "+36 1 555 0102", FreePlaces: 0},
		{Name: "Mecsek", Region: "Baranya", IntakePhone: "+36 72 555 0103", FreePlaces: 1},
	} {
		h.UpdatedBy = "demo"
		if _, err := st.AddShelter(ctx, h); err != nil {
			return err
		}
	}
	mbox, err := demo.StartMailbox("okit@ncsszi.hu", log, demo.MailboxOptions{})
	if err != nil {
		return err
	}
	defer mbox.Close()

	cfg := intake.Config{
		Addr: mbox.Addr, Security: intake.SecurityNone, Username: mbox.Username, Password: mbox.Password,
		Mailbox: "INBOX", After: intake.AfterMove, MoveTo: "okit-stored",
		PollInterval: 30 * time.Second, BatchSize: 50, MaxSize: 25 << 20, CommandTimeout: time.Minute,
		Rules: triage.Default(), Targets: triage.DefaultTargets, Ack: &replies.AckPolicy{Own: []string{"okit@ncsszi.hu"}},
	}
	in := intake.New(cfg, st, sealer, index, log, time.Now)

	// Replies go to a mail sink in process; each one shows in the terminal.
	sink, err := demo.StartSink(func(d demo.Delivery) { showReply(a, d) })
	if err != nil {
		return err
	}
	defer sink.Close()
	sender, err := replies.NewSMTPSender(replies.SMTPConfig{Addr: sink.Addr, Security: replies.SecurityNone})
	if err != nil {
		return err
	}
	templates, err := replies.LoadTemplates("", cfg.Rules)
	if err != nil {
		return err
	}
	from := mail.Address{Address: "okit@ncsszi.hu"}
	ack := &replies.Worker{Store: st, Keys: openerKeys{opener}, Digests: index, Templates: templates, Sender: sender,
		From: from, Own: []string{from.Address}, Log: log, Now: time.Now}
	stopWorkers, err := startWorkers(ctx, st, ack, log)
	if err != nil {
		return err
	}
	defer stopWorkers()

	console, consoleURL, err := startDemoConsole(ctx, *httpAddr, st, opener, templates, log)
	if err != nil {
		return err
	}
	defer console.Close()

	u, _ := url.Parse(dbURL)
	fmt.Fprintf(a.stdout, `okit demo
  mailbox   imap://%s (in process, okit@ncsszi.hu), a new sample message every %s
  mail sink smtp://%s (in process): replies arrive here
  database  %s on %s (recreated for this run)
  keys      %s (fresh for this run)
  log       %s
  operators anna (hu, en) and bela (hu; trafficking, child_abuse), on shift
  console   %s
            operator   anna / %s   (or bela / %s)
            supervisor vera / %s   (second factor: the login page shows the code)
            admin      adam / %s
Cases appear below as mail is taken in, sealed, triaged and assigned. Ctrl-C stops.

`, mbox.Addr, *every, sink.Addr, demoDatabase, u.Host, filepath.Dir(paths.Public), logPath,
		consoleURL, demoUsers[0].password, demoUsers[1].password, demoUsers[2].password, demoUsers[3].password)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 2)
	go func() { errc <- demo.Feed(ctx, mbox, 12, *every, time.Now) }()
	go func() { errc <- in.Run(ctx) }()
	go showCases(ctx, a, st, opener, log)
	go operatorAnswers(ctx, st, sealer, log)
	select {
	case <-ctx.Done():
		fmt.Fprintln(a.stdout, "\nstopped; the demo database stays until the next demo run")
		return nil
	case err := <-errc:
		return err
	}
}

// demoDatabaseURL makes a fresh okit_demo database on the server at base,
// or at the local default, and returns its URL.
func demoDatabaseURL(ctx context.Context, base string) (string, error) {
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", errors.New("no PostgreSQL found: run `make demo`, which finds or starts one, or set OKIT_DATABASE_URL to a server where okit may create the database okit_demo")
	}
	defer conn.Close(ctx)
	for _, q := range []string{"DROP DATABASE IF EXISTS " + demoDatabase + " WITH (FORCE)", "CREATE DATABASE " + demoDatabase} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return "", fmt.Errorf("prepare the demo database: %w", err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + demoDatabase
	return u.String(), nil
}

// showCases prints each newly stored message, as an operator's list would
// show it. It decrypts summaries, so each case it shows records that.
func showCases(ctx context.Context, a *app, st *storage.Store, opener *seal.Opener, log *slog.Logger) {
	seen := map[int64]bool{}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		cases, err := st.ListCases(ctx, 1000)
		if err != nil {
			log.Error("list cases", slog.Any("err", err))
			continue
		}
		byID := map[int64]storage.Case{}
		ids := make([]int64, 0, len(cases))
		for _, c := range cases {
			byID[c.ID] = c
			ids = append(ids, c.ID)
		}
		msgs, err := st.CaseMessages(ctx, ids)
		if err != nil {
			log.Error("list messages", slog.Any("err", err))
			continue
		}
		var fresh []storage.MessageSummary
		var freshCases []int64
		for _, m := range msgs {
			if !seen[m.ID] && m.Direction == "in" { // replies show as they reach the sink
				fresh = append(fresh, m)
				freshCases = append(freshCases, m.CaseID)
			}
		}
		if len(fresh) == 0 {
			continue
		}
		if err := st.RecordDecryption(ctx, freshCases, "demo", "demo terminal list"); err != nil {
			log.Error("record decryption", slog.Any("err", err))
			continue
		}
		for _, m := range fresh {
			seen[m.ID] = true
			s := message.Summary{Subject: "(summary could not be opened)"}
			if plain, err := opener.Open(m.SummarySealed); err == nil {
				s, _ = message.UnmarshalSummary(plain)
			}
			from := s.FromName
			if from == "" {
				from = s.FromAddr
			}
			c := byID[m.CaseID]
			assignee := c.Assignee
			if assignee == "" {
				assignee = "-"
			}
			fmt.Fprintf(a.stdout, "%s  %s  P%d %-13s %-5s %-22.22s %s\n", m.InternalDate.Local().Format("15:04:05"),
				c.Ref, m.Priority, strings.Join(m.Flags, ","), assignee, from, s.Subject)
		}
	}
}

// showReply prints an acknowledgement as it reaches the mail sink.
func showReply(a *app, d demo.Delivery) {
	m, err := mail.ReadMessage(bytes.NewReader(d.Data))
	if err != nil {
		return
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	kind := "acknowledgement"
	if m.Header.Get("Auto-Submitted") == "" {
		kind = "operator's answer"
	}
	fmt.Fprintf(a.stdout, "%s  -> %-17s to %-28s %s\n", time.Now().Local().Format("15:04:05"),
		kind, strings.Join(d.To, ","), subject)
}

// operatorAnswers plays two operators at work a few seconds in: one
// answers the second case in her own words, the other gives the third
// case's writer a crisis home's phone.
func operatorAnswers(ctx context.Context, st *storage.Store, sealer *seal.Sealer, log *slog.Logger) {
	if !sleepCtx(ctx, 8*time.Second) {
		return
	}
	text, err := sealer.Seal([]byte("Nagyon sajnálom, ami történt. Ha otthon nem vagy biztonságban, írd meg, hol tudunk segíteni, " +
		"vagy hívj minket bármikor ingyen. Ha az iskolában van olyan felnőtt, akiben megbízol, neki is elmondhatod."))
	if err != nil {
		log.Error("demo answer", slog.Any("err", err))
		return
	}
	year := time.Now().Year()
	for _, r := range []storage.Reply{
		{CaseRef: fmt.Sprintf("OKIT-%d-000002", year), Kind: replies.KindAnswer, Template: replies.TemplateInformation, TextSealed: text,
			Signature: "Anna", Actor: "demo:anna"},
		{CaseRef: fmt.Sprintf("OKIT-%d-000003", year), Kind: replies.KindCrisisHome, Template: replies.TemplateCrisisHome, Shelter: "Tisza",
			Signature: "Béla", Actor: "demo:bela", RemindAfter: 48 * time.Hour},
	} {
		if _, err := st.QueueReply(ctx, r); err != nil {
			log.Error("demo answer", slog.Any("err", err))
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}
