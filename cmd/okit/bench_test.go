package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkIntake25MiBPeakRSS measures the peak resident memory of an
// `okit intake --once` process taking in one message just under the 25 MiB
// limit (a PDF-sized base64 attachment), as the kernel counts it: the
// high-water mark (VmHWM) in /proc, read while it runs. (The rusage of the
// finished child is no measure: Go starts children with vfork, and Linux
// then counts the parent's — this test's — resident memory as the child's.)
func BenchmarkIntake25MiBPeakRSS(b *testing.B) {
	bin := buildOkit(b)
	for range b.N {
		mbox := startMailbox(b)
		env := okitEnv(b, bin, mbox)
		if err := mbox.Deliver(bigMessage(25<<20-4096), time.Now()); err != nil {
			b.Fatal(err)
		}
		cmd := okitCommand(bin, "intake", "--once")
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var rss int64 // KiB
	watch:
		for {
			select {
			case err := <-done:
				if err != nil || !strings.Contains(out.String(), "stored 1,") {
					b.Fatalf("okit intake --once: %v\n%s", err, out.String())
				}
				break watch
			case <-time.After(5 * time.Millisecond):
				rss = max(rss, highWater(cmd.Process.Pid))
			}
		}
		b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
	}
}

// highWater is a process's peak resident memory so far, in KiB; 0 once it
// has gone.
func highWater(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// bigMessage is a message of about size bytes: a short text and a base64
// attachment.
func bigMessage(size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: Nagy Anna <anna@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: fotok\r\n" +
		"Message-ID: <big@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCsatoltam a fotokat.\r\n" +
		"--b\r\nContent-Type: image/jpeg; name=kep.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	chunk := make([]byte, 57)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	line := base64.StdEncoding.EncodeToString(chunk) + "\r\n"
	for b.Len() < size-len(line)-10 {
		b.WriteString(line)
	}
	fmt.Fprint(&b, "--b--\r\n")
	return b.Bytes()
}
