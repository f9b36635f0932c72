package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// okit message inspect shows what intake makes of a message, with the
// same raise for what it could not read, in JSON and in words.
func TestMessageInspect(t *testing.T) {
	t.Parallel()
	cut := "From: Kata <kata@example.test>\r\nSubject: kerdes\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nSzeretnek informaciot kerni.\r\n" +
		"--b\r\nContent-Type: image/jpeg; name=kep.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ"
	out, errs, code := runIn(t, nil, cut, "message", "inspect", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Status      string
		Unreadable  string
		Problems    []string
		Text        string
		Attachments []struct {
			Filename, Type string
			Size           int64
		}
		Verdict struct {
			Priority int
			Flags    []string
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	reason := "message: multipart/mixed ends before its closing boundary; the message is cut short"
	want := got
	want.Status, want.Unreadable, want.Problems, want.Text = "partial", reason, []string{reason}, "Szeretnek informaciot kerni."
	want.Attachments = []struct {
		Filename, Type string
		Size           int64
	}{{"kep.jpg", "image/jpeg", 6}}
	want.Verdict.Priority, want.Verdict.Flags = 2, []string{"unreadable"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("inspect --json mismatch (-want +got):\n%s", d)
	}

	out, _, _ = runIn(t, nil, cut, "message", "inspect")
	for _, line := range []string{"status:      partial", "unreadable:  " + reason, "verdict:     P2", "kep.jpg (image/jpeg, 6 bytes)", "text:\nSzeretnek informaciot kerni."} {
		if !strings.Contains(out, line) {
			t.Errorf("inspect output lacks %q:\n%s", line, out)
		}
	}
}
