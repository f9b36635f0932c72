package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// buildOkit compiles this command into a temporary folder, with the race
// detector when the tests run with it.
func buildOkit(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "okit")
	args := []string{"build", "-o", bin}
	if raceBuild {
		args = append(args, "-race")
	}
	out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startMailbox starts an in-process IMAP server, stopped when the test ends.
func startMailbox(t testing.TB) *demo.Mailbox {
	t.Helper()
	mbox, err := demo.StartMailbox("okit@ncsszi.hu", slog.New(slog.DiscardHandler), demo.MailboxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mbox.Close() })
	return mbox
}

// okitCommand is the okit binary run as a child of the test that dies
// with the test: a test binary killed by its timeout would otherwise leave
// an okit serve behind, holding PostgreSQL connections the next runs need.
func okitCommand(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd
}

// startServe runs okit serve with env and extra settings on free
// loopback ports, killed when the test ends. It returns the process, the
// console's address, the health and metrics address and a reader of its
// log.
func startServe(t *testing.T, bin string, env []string, extra ...string) (*exec.Cmd, string, string, func() string) {
	t.Helper()
	// Both listeners stay open until both ports are known: one closed
	// before the next is asked for can be given out again, and serve's
	// two addresses were once the same port.
	var lns []net.Listener
	for range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
	}
	addr, health := lns[0].Addr().String(), lns[1].Addr().String()
	for _, ln := range lns {
		ln.Close()
	}
	logFile, err := os.Create(filepath.Join(t.TempDir(), "okit.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logFile.Close() })
	cmd := okitCommand(bin, "serve")
	cmd.Env = append(append(env, "OKIT_HTTP_ADDR="+addr, "OKIT_HEALTH_ADDR="+health), extra...)
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// Until it listens (opening its connections and checking its roles
	// takes a while on a busy machine); a serve that fails at start is
	// the caller's to find.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
	}
	return cmd, addr, health, func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
}

// startSink starts an in-process SMTP server that records what it is
// given, stopped when the test ends.
func startSink(t testing.TB) *demo.Sink {
	t.Helper()
	sink, err := demo.StartSink(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	return sink
}

// envMap makes an environment list a map, for running okit in process.
func envMap(env []string) map[string]string {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	return vars
}

// okitEnv sets up a schema, keys and a mailbox for child okit processes.
func okitEnv(t testing.TB, bin string, mbox *demo.Mailbox) []string {
	t.Helper()
	return okitEnvAt(t, bin, mbox, storagetest.URL(t))
}

// okitEnvAt sets up keys and a mailbox for child okit processes on the
// database at url, which it migrates.
func okitEnvAt(t testing.TB, bin string, mbox *demo.Mailbox, url string) []string {
	t.Helper()
	dir := t.TempDir()
	pass := filepath.Join(dir, "passphrase")
	os.WriteFile(pass, []byte("crash test passphrase\n"), 0o600)
	env := os.Environ()
	for k, v := range databaseVars(t, url) {
		env = append(env, k+"="+v)
	}
	env = append(env,
		"OKIT_CONSOLE_KEY_FILE="+filepath.Join(dir, "keys", "console.key"),
		"OKIT_KEY_PASSPHRASE_FILE="+pass,
		"OKIT_PUBLIC_KEY_FILE="+filepath.Join(dir, "keys", "public.asc"),
		"OKIT_PRIVATE_KEY_FILE="+filepath.Join(dir, "keys", "private.asc"),
		"OKIT_INDEX_KEY_FILE="+filepath.Join(dir, "keys", "index.key"),
		"OKIT_IMAP_ADDR="+mbox.Addr, "OKIT_IMAP_TLS=none",
		"OKIT_IMAP_USERNAME="+mbox.Username, "OKIT_IMAP_PASSWORD="+mbox.Password,
		"OKIT_IMAP_BATCH=20", "OKIT_IMAP_POLL_INTERVAL=1s",
	)
	for _, args := range [][]string{{"migrate"}, {"keys", "generate", "--dir", filepath.Join(dir, "keys")}} {
		cmd := okitCommand(bin, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("okit %v: %v\n%s", args, err, out)
		}
	}
	return env
}

// Messages keep arriving while okit is killed with SIGKILL again and again,
// at random points: before, during and after commits, and between a commit
// and the move. In the end every message is stored exactly once.
func TestSIGKILLDuringIntakeLosesAndDuplicatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills okit processes")
	}
	t.Parallel()
	bin := buildOkit(t)
	mbox := startMailbox(t)
	env := okitEnv(t, bin, mbox)

	const total = 300
	delivered := make(chan struct{})
	go func() {
		defer close(delivered)
		for i := range total {
			raw := fmt.Appendf(nil, "From: Writer %d <writer%d@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: message %d\r\nMessage-ID: <kill-%d@example.test>\r\n\r\nbody %d\r\n", i, i, i, i, i)
			if err := mbox.Deliver(raw, time.Now()); err != nil {
				t.Error(err)
				return
			}
			time.Sleep(8 * time.Millisecond) // arrivals spread over the kills

		}
	}()

	kills := 0
	for done := false; !done || kills < 25; kills++ {
		select {
		case <-delivered:
			done = true
		default:
		}
		cmd := okitCommand(bin, "intake")
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rand.IntN(300)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}

	cmd := okitCommand(bin, "intake", "--once")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("final okit intake --once: %v\n%s", err, out)
	}
	st := storagetest.Open(t, envValue(env, "OKIT_MIGRATE_DATABASE_URL"), false, time.Now)
	var stored, distinct, cases int
	err := storagetest.Pool(st).QueryRow(context.Background(),
		`SELECT count(*), count(DISTINCT raw_digest), (SELECT count(*) FROM cases) FROM messages`).Scan(&stored, &distinct, &cases)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d kills; %d stored, %d cases", kills, stored, cases)
	if stored != total || distinct != total || cases != total {
		t.Errorf("after %d kills: %d stored (%d distinct) in %d cases; want exactly %d", kills, stored, distinct, cases, total)
	}
	inbox, _ := mbox.Count("INBOX")
	moved, _ := mbox.Count("okit-stored")
	if inbox != 0 || moved != total {
		t.Errorf("INBOX %d, okit-stored %d; want 0 and %d", inbox, moved, total)
	}
}

// databaseVars are the three database settings of an installation on the
// test schema at url: the owner migrates, the running roles serve.
func databaseVars(t testing.TB, url string) map[string]string {
	return map[string]string{
		"OKIT_MIGRATE_DATABASE_URL": url,
		"OKIT_DATABASE_URL":         storagetest.As(t, url, storage.ConsoleRole),
		"OKIT_INTAKE_DATABASE_URL":  storagetest.As(t, url, storage.IntakeRole),
	}
}

func envValue(env []string, key string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}
