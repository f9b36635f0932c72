package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage/storagetest"
)

// run runs okit in process with the given environment.
func run(t *testing.T, vars map[string]string, args ...string) (string, string, int) {
	t.Helper()
	return runIn(t, vars, "", args...)
}

// runIn runs okit in process with stdin.
func runIn(t *testing.T, vars map[string]string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code := a.main(context.Background(), args)
	return out.String(), errb.String(), code
}

// Listing with --decrypt shows senders and subjects and records, on every
// case, that its summaries were opened; listing without it shows neither.
func TestCasesListDecryptIsAudited(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pass := "cases test passphrase"
	paths, err := seal.GenerateKeys(filepath.Join(dir, "keys"), seal.Curve25519, "t", "okit@ncsszi.hu", []byte(pass))
	if err != nil {
		t.Fatal(err)
	}
	mbox, err := demo.StartMailbox("okit@ncsszi.hu", slog.New(slog.DiscardHandler), demo.MailboxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer mbox.Close()
	samples, _ := demo.Samples()
	for _, raw := range samples[:3] {
		mbox.Deliver(raw, time.Now())
	}
	url := storagetest.URL(t)
	vars := databaseVars(t, url)
	maps.Copy(vars, map[string]string{
		"OKIT_IMAP_ADDR": mbox.Addr, "OKIT_IMAP_TLS": "none",
		"OKIT_IMAP_USERNAME": mbox.Username, "OKIT_IMAP_PASSWORD": mbox.Password,
		"OKIT_PUBLIC_KEY_FILE": paths.Public, "OKIT_INDEX_KEY_FILE": paths.Index,
		"OKIT_PRIVATE_KEY_FILE": paths.Private, "OKIT_KEY_PASSPHRASE": pass,
		"OKIT_LOG_LEVEL": "error",
	})
	for _, args := range [][]string{{"migrate"}, {"intake", "--once"}} {
		if out, errs, code := run(t, vars, args...); code != 0 {
			t.Fatalf("okit %v: %d\n%s%s", args, code, out, errs)
		}
	}
	st := storagetest.Open(t, url, false, time.Now)
	countOpened := func() int {
		var n int
		storagetest.Pool(st).QueryRow(context.Background(), `SELECT count(*) FROM case_events WHERE kind = 'summary_decrypted'`).Scan(&n)
		return n
	}

	out, errs, code := run(t, vars, "cases", "list", "--json")
	if code != 0 || strings.Contains(out, "subject") || countOpened() != 0 {
		t.Fatalf("plain list: code %d, %d decryption events, output:\n%s%s", code, countOpened(), out, errs)
	}
	out, errs, code = run(t, vars, "cases", "list", "--json", "--decrypt")
	if code != 0 {
		t.Fatalf("list --decrypt: %d\n%s", code, errs)
	}
	var cases []caseOut
	if err := json.Unmarshal([]byte(out), &cases); err != nil || len(cases) != 3 {
		t.Fatalf("list --decrypt gave %d cases, %v:\n%s", len(cases), err, out)
	}
	raw, _ := os.ReadFile(filepath.Join("..", "..", "demo", "samples", "01-threat-tonight.eml"))
	found := false
	for _, c := range cases {
		for _, m := range c.Received {
			found = found || (m.Subject != "" && bytes.Contains(raw, []byte(m.MessageID)))
		}
	}
	if !found {
		t.Errorf("decrypted list lacks the first sample's subject and Message-ID:\n%s", out)
	}
	if n := countOpened(); n != 3 {
		t.Errorf("%d summary_decrypted events after listing 3 cases, want 3", n)
	}
	ref := cases[0].Ref
	if _, _, code := run(t, vars, "cases", "priority", ref, "P4", "--reason", "words in the arguments"); code != 2 {
		t.Errorf("cases priority with --reason: exit %d, want 2 (usage): an operator's words come on stdin", code)
	}
	if _, errs, code := run(t, vars, "cases", "priority", ref, "P4"); code != 1 || !strings.Contains(errs, "write the reason on stdin") {
		t.Errorf("cases priority without a reason: exit %d, %q", code, errs)
	}
	if _, errs, code := runIn(t, vars, "a colleague called her back: safe\n", "cases", "priority", ref, "P4"); code != 0 {
		t.Fatalf("cases priority: %d %s", code, errs)
	}
	out, _, _ = run(t, vars, "cases", "list", "--json")
	json.Unmarshal([]byte(out), &cases)
	for _, c := range cases {
		if c.Ref == ref && c.Priority != 4 {
			t.Errorf("%s has priority %d after the operator set P4", ref, c.Priority)
		}
	}
	if _, _, code := runIn(t, vars, "x", "cases", "priority", ref, "P9"); code != 2 {
		t.Errorf("cases priority P9: exit %d, want 2 (usage)", code)
	}
	vars["OKIT_KEY_PASSPHRASE"] = "not the passphrase"
	if _, errs, code := run(t, vars, "cases", "list", "--decrypt"); code == 0 || !strings.Contains(errs, "wrong passphrase") {
		t.Errorf("wrong passphrase: code %d, %q", code, errs)
	}
}
