package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkIntake25MiBPeakRSS measures the peak resident memory of an
// `okit intake --once` process taking in one message just under the 25 MiB
// limit (a PDF-sized base64 attachment), as the kernel counts it.
func BenchmarkIntake25MiBPeakRSS(b *testing.B) {
	bin := buildOkit(b)
	for range b.N {
		mbox := startMailbox(b)
		env := okitEnv(b, bin, mbox)
		if err := mbox.Deliver(bigMessage(25<<20-4096), time.Now()); err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command(bin, "intake", "--once")
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "stored 1,") {
			b.Fatalf("okit intake --once: %v\n%s", err, out)
		}
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
		b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
	}
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
