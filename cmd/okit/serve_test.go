package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ncsszi/okit/storage/storagetest"
)

// okit serve takes in mail, answers /healthz and /metrics, counts a P1
// that found nobody on shift, and stops cleanly on SIGTERM.
func TestServeHealthAndMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	bin := buildOkit(t)
	mbox := startMailbox(t)
	env := okitEnv(t, bin, mbox)
	cmd, addr, health, logs := startServe(t, bin, env)
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + health + path)
		if err != nil {
			return 0, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	eventually := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s did not happen within 10s; log:\n%s", what, logs())
			}
		}
	}
	eventually("healthy", func() bool { code, _ := get("/healthz"); return code == http.StatusOK })
	// The console's listener, which a proxy exposes, serves neither.
	for _, path := range []string{"/healthz", "/metrics"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "okit_") || strings.Contains(string(b), `"holds_mailbox"`) {
			t.Errorf("the console's address serves %s:\n%s", path, b)
		}
	}

	threat := "From: Anna <anna@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: segitseg\r\nMessage-ID: <serve-1@example.test>\r\n\r\n" +
		"A ferjem azt mondta, hogy ma este megol. Kessel fenyegetett.\r\n"
	mbox.Deliver([]byte(threat), time.Now())
	eventually("a stored message and a P1 alert in /metrics", func() bool {
		_, m := get("/metrics")
		return strings.Contains(m, "okit_intake_stored_total 1\n") && strings.Contains(m, `okit_alerts_total{kind="p1_unassigned"} 1`)
	})
	if !strings.Contains(logs(), "ALERT: P1 case and nobody on shift") {
		t.Errorf("the P1 alert is not in the log:\n%s", logs())
	}
	for _, secret := range []string{"megol", "Kessel", "anna@example.test", "segitseg"} {
		if strings.Contains(logs(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}

	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("okit serve after SIGTERM: %v\n%s", err, logs())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("okit serve did not stop within 10s of SIGTERM")
	}
}

// okit serve, with the console and the reply worker on, stops on SIGTERM
// within 10 s and exits 0 while mail keeps arriving: intake first, then the
// job workers, then the HTTP server. What it took in is stored once and
// acknowledged at most once; what it left is taken by the next intake.
// The one run unlocked each key once and parsed the templates once.
func TestSIGTERMStopsServeInOrderLosingNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	bin := buildOkit(t)
	mbox := startMailbox(t)
	sink := startSink(t)
	env := okitEnv(t, bin, mbox)
	cmd, _, health, logs := startServe(t, bin, env, "OKIT_SMTP_ADDR="+sink.Addr, "OKIT_SMTP_TLS=none",
		"OKIT_FROM=okit@ncsszi.hu", "OKIT_LOG_LEVEL=debug")
	// Starting is not what this test times: unlocking the private key
	// under the race detector on a busy machine can take tens of seconds.
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + health + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("okit serve not healthy within 90s; log:\n%s", logs())
		}
	}

	stop := make(chan struct{})
	delivered := make(chan int)
	go func() {
		n := 0
		defer func() { delivered <- n }()
		for {
			select {
			case <-stop:
				return
			case <-time.After(4 * time.Millisecond):
			}
			raw := fmt.Appendf(nil, "From: Writer %d <term%d@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: kerdes\r\n"+
				"Message-ID: <term-%d@example.test>\r\n\r\nSzeretnek tanacsot kerni.\r\n", n, n, n)
			if err := mbox.Deliver(raw, time.Now()); err != nil {
				t.Error(err)
				return
			}
			n++
		}
	}()
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGTERM)
	signalled := time.Now()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("okit serve did not stop within 10s of SIGTERM; log:\n%s", logs())
	}
	close(stop)
	total := <-delivered
	if err != nil {
		t.Fatalf("okit serve after SIGTERM: %v, want exit 0; log:\n%s", err, logs())
	}
	t.Logf("stopped %v after SIGTERM; %d messages delivered", time.Since(signalled).Round(time.Millisecond), total)

	log := logs()
	for _, line := range []string{`msg="key loaded" key=public `, `msg="key loaded" key=index `, `msg="key loaded" key=private `,
		`msg="reply templates parsed"`} {
		if n := strings.Count(log, line); n != 1 {
			t.Errorf("%d log lines %s, want 1", n, line)
		}
	}
	last := -1
	for _, part := range []string{"intake", `"job workers"`, `"http server"`} {
		at := strings.Index(log, `msg=stopped part=`+part+"\n")
		if at < 0 || at < last {
			t.Errorf("%s stopped out of order (or not at all); log:\n%s", part, log)
		}
		last = at
	}

	c := okitCommand(bin, "intake", "--once")
	c.Env = env
	var stderr strings.Builder
	c.Stderr = &stderr
	taken, err := c.Output()
	if err != nil {
		t.Fatalf("okit intake --once: %v\n%s", err, stderr.String())
	}
	t.Logf("after the stop, okit intake --once: %s", taken)
	st := storagetest.Open(t, envValue(env, "OKIT_MIGRATE_DATABASE_URL"), false, time.Now)
	var stored, distinct int
	err = storagetest.Pool(st).QueryRow(context.Background(),
		`SELECT count(*), count(DISTINCT raw_digest) FROM messages WHERE direction = 'in'`).Scan(&stored, &distinct)
	if err != nil {
		t.Fatal(err)
	}
	if stored != total || distinct != total {
		t.Errorf("%d messages stored (%d distinct); want each of the %d delivered once", stored, distinct, total)
	}
	if inbox, _ := mbox.Count("INBOX"); inbox != 0 {
		t.Errorf("%d messages left in INBOX", inbox)
	}
	acked := map[string]int{}
	for _, d := range sink.Deliveries() {
		acked[strings.Join(d.To, ",")]++
	}
	for to, n := range acked {
		if n > 1 {
			t.Errorf("%s acknowledged %d times", to, n)
		}
	}
	t.Logf("%d writers acknowledged before the stop", len(acked))
}
