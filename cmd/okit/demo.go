package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
	"github.com/ncsszi/okit/web"
)

// demoDatabase is the database okit demo recreates unless --database names another.
const demoDatabase = "okit_demo"

// runDemo runs okit on the parts serve runs on, built by the same build:
// only the mailbox, the mail sink, the sample people and the feed of sample
// mail are the demo's own.
func runDemo(ctx context.Context, a *app, args []string) error {
	fs := a.flags("demo", "[--every 5s] [--urgent 1m] [--http ADDR] [--database NAME]")
	every := fs.Duration("every", 5*time.Second, "how often a new sample message arrives")
	urgent := fs.Duration("urgent", time.Minute, "how often a P1 from a new writer arrives, for the console's alerts (0: never)")
	httpAddr := fs.String("http", "127.0.0.1:8080", "where the console listens (a loopback address)")
	dbName := fs.String("database", demoDatabase, "the database the demo recreates on OKIT_DATABASE_URL's server (okit_demo or a name starting with okit_demo_)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if host, _, err := net.SplitHostPort(*httpAddr); err != nil || !isLoopback(host) {
		return fmt.Errorf("--http %q: give a loopback address such as 127.0.0.1:8080", *httpAddr)
	}
	server := a.getenv("OKIT_DATABASE_URL")
	if server == "" {
		server = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	dbURL, err := storage.RecreateDatabase(ctx, server, *dbName)
	if errors.Is(err, storage.ErrNotScratch) {
		return fmt.Errorf("--database: %w", err)
	}
	if err != nil {
		return fmt.Errorf("%w\nrun `make demo`, which finds or starts a PostgreSQL, or set OKIT_DATABASE_URL to a server where okit may create the database %s", err, *dbName)
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
	consoleKey, err := seal.GenerateConsoleKey(filepath.Join(dir, "keys"))
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

	mbox, err := demo.StartMailbox("okit@ncsszi.hu", log, demo.MailboxOptions{})
	if err != nil {
		return err
	}
	defer mbox.Close()
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
	ln, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		return fmt.Errorf("--http %s: %w (is another okit demo running? give --http 127.0.0.1:8081)", *httpAddr, err)
	}
	defer ln.Close()
	consoleURL := &url.URL{Scheme: "http", Host: ln.Addr().String()}
	budapest, err := time.LoadLocation("Europe/Budapest")
	if err != nil {
		return err
	}
	// As in a real installation, the owner migrates and the demo then
	// runs as the running roles, which make demo's local server lets in
	// without a password.
	consoleDB, intakeDB, err := demoMigrate(ctx, dbURL)
	if err != nil {
		return err
	}
	p, err := build(ctx, settings{
		databaseURL: consoleDB, intakeDatabaseURL: intakeDB,
		imap: intake.Config{
			Addr: mbox.Addr, Security: intake.SecurityNone, Username: mbox.Username, Password: mbox.Password,
			Mailbox: "INBOX", After: intake.AfterMove, MoveTo: "okit-stored",
			PollInterval: 30 * time.Second, BatchSize: 50, MaxSize: 25 << 20, CommandTimeout: time.Minute,
			Rules: triage.Default(), Targets: triage.DefaultTargets, Ack: &replies.AckPolicy{Own: []string{"okit@ncsszi.hu"}},
		},
		keys: keyFiles{public: paths.Public, index: paths.Index, private: paths.Private, passphrase: pass, console: consoleKey},
		mail: &mailSettings{sender: sender, from: mail.Address{Address: "okit@ncsszi.hu"}},
		console: &web.Config{PublicURL: consoleURL, Targets: triage.DefaultTargets, RemindAfter: 48 * time.Hour,
			Location: budapest, Demo: true},
	}, log)
	if err != nil {
		return err
	}
	defer p.close()
	st, sealer := p.store, p.keys.sealer

	if err := seedDemo(ctx, st, sealer, p.keys.binder); err != nil {
		return err
	}

	u, _ := url.Parse(dbURL)
	fmt.Fprintf(a.stdout, `okit demo
  mailbox   imap://%s (in process, okit@ncsszi.hu), a new sample message every %s, a new P1 every %s
  mail sink smtp://%s (in process): replies arrive here
  database  %s on %s (recreated for this run; migrated as its owner, run as okit_console and okit_intake)
  keys      %s (fresh for this run)
  log       %s
  operators anna (hu, en) and bela (hu; trafficking, child_abuse), on shift
  console   %s/
            operator   anna / %s   (or bela / %s)
            supervisor vera / %s
            admin      adam / %s
            (each has a second factor: the demo's code page shows the code)
            two operators side by side: anna at %s/, bela at %s/
            (a browser keeps one session per host name), or a private window
Cases appear below as mail is taken in, sealed, triaged and assigned. Ctrl-C stops.

`, mbox.Addr, *every, *urgent, sink.Addr, *dbName, u.Host, filepath.Dir(paths.Public), logPath,
		consoleURL, demoUsers[0].password, demoUsers[1].password, demoUsers[2].password, demoUsers[3].password,
		consoleURL, otherHost(consoleURL))

	srv := &http.Server{Handler: p.console.Handler(), ReadHeaderTimeout: 10 * time.Second}
	err = runLoops(ctx, log,
		[]loop{
			{"sample mail", func(ctx context.Context) error { return demo.Feed(ctx, mbox, 12, *every, time.Now) }},
			{"urgent mail", func(ctx context.Context) error {
				if *urgent <= 0 {
					return nil
				}
				return demo.Urgent(ctx, mbox, *urgent, time.Now)
			}},
			p.intakeLoop(),
			{"terminal", func(ctx context.Context) error { showCases(ctx, a, st, p.keys.opener, log); return nil }},
			{"operators", func(ctx context.Context) error { operatorAnswers(ctx, st, sealer, log); return nil }},
		},
		p.workerLoops(),
		append(p.consoleLoops(), httpLoop(srv, ln, log)),
	)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nstopped; the demo database stays until the next demo run")
	return nil
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
		{CaseRef: fmt.Sprintf("OKIT-%d-000002", year), Kind: "answer", Template: replies.TemplateInformation, TextSealed: text,
			Signature: "Anna", Actor: "demo:anna"},
		// The mother asking for a crisis home with her two children (the
		// passport case's writer says her phone is read: no mail to her).
		{CaseRef: fmt.Sprintf("OKIT-%d-000004", year), Kind: "crisis_home", Template: replies.TemplateCrisisHome, Shelter: "Tisza",
			Signature: "Anna", Actor: "demo:anna", RemindAfter: 48 * time.Hour},
	} {
		if _, err := st.QueueReply(ctx, r); err != nil {
			log.Error("demo answer", slog.Any("err", err))
		}
	}
}

// otherHost is the console's address by its other loopback name
// (localhost for 127.0.0.1 and back): a second browser session beside the
// first, since cookies are kept per host name.
func otherHost(u *url.URL) *url.URL {
	o := *u
	name := "localhost"
	if u.Hostname() == "localhost" {
		name = "127.0.0.1"
	}
	o.Host = net.JoinHostPort(name, u.Port())
	return &o
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// demoMigrate migrates the demo's new database as its owner and returns
// the URLs of the console's and intake's roles on it.
func demoMigrate(ctx context.Context, ownerURL string) (console, intake string, err error) {
	st, err := openStore(ctx, "OKIT_DATABASE_URL", ownerURL, false)
	if err != nil {
		return "", "", err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return "", "", err
	}
	if console, err = storage.RoleURL(ownerURL, storage.ConsoleRole); err != nil {
		return "", "", err
	}
	intake, err = storage.RoleURL(ownerURL, storage.IntakeRole)
	return console, intake, err
}
