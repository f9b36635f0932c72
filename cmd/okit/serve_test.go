package main

import (
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
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
	cmd, addr, logs := startServe(t, bin, env)
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
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
