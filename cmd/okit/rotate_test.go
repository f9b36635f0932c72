package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage/storagetest"
)

// The key rotation drill, as an administrator runs it: mail, notes and a
// crisis home sealed with key 1; keys rotated; more mail sealed with key
// 2, a re-fetched message and a reply still finding what key 1 stored;
// okit reseal killed with SIGKILL halfway and run again; key 1 retired.
// Afterwards everything opens with key 2 alone, every digest is key 2's,
// dedupe and threading still find the earliest messages, and the audit
// chain verifies.
func TestKeyRotationDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds okit and kills it")
	}
	t.Parallel()
	s := newStage(t)
	ctx := context.Background()
	db := storagetest.Pool(s.st)
	okit := func(stdin string, args ...string) string {
		t.Helper()
		out, errs, code := s.okit(stdin, args...)
		if code != 0 {
			t.Fatalf("okit %v: exit %d\n%s%s", args, code, out, errs)
		}
		return out
	}
	intakeOnce := func() { t.Helper(); okit("", "intake", "--once") }
	caseOf := func(ids ...string) string {
		t.Helper()
		var digests [][]byte
		for _, id := range ids {
			digests = append(digests, s.index.MessageIDDigest(id))
			if s.index.Previous() != nil {
				digests = append(digests, s.index.Previous().MessageIDDigest(id))
			}
		}
		var ref string
		if err := db.QueryRow(ctx, `SELECT c.ref FROM messages m JOIN cases c ON c.id = m.case_id
			WHERE m.message_id_digest = ANY($1) ORDER BY m.id DESC LIMIT 1`, digests).Scan(&ref); err != nil {
			t.Fatalf("the case of %v: %v", ids, err)
		}
		return ref
	}

	// Key 1: forty writers, one of whom, anna, writes first; a priority
	// reason, a crisis home's address and notes, an answer's own words.
	anna := letter("anna-1@example.test", "Anna <anna@example.test>", "Segítség", "A férjem fenyeget, kérem segítsenek.")
	s.deliver(anna, time.Now())
	for i := range 40 {
		s.deliver(letter(fmt.Sprintf("w%d@example.test", i), fmt.Sprintf("w%d@example.test", i), "Kérdés", "Tájékoztatást kérnék."), time.Now())
	}
	s.deliver(letter("cili-1@example.test", "cili@example.test", "Kérdés", "Ide írjanak.", "Reply-To: cili.safe@example.test"), time.Now())
	intakeOnce()
	annaCase := caseOf("anna-1@example.test")
	// A supervisor's second factor and one being enrolled.
	okit("", "users", "add", "vera", "--role", "supervisor")
	sealer1, err := seal.LoadSealer(s.vars["OKIT_PUBLIC_KEY_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	totp, _ := sealer1.Seal([]byte("JBSWY3DPEHPK3PXP"))
	pending, _ := sealer1.Seal([]byte("KRSXG5CTMVRXEZLU"))
	if _, err := db.Exec(ctx, `UPDATE users SET totp_sealed = $1 WHERE username = 'vera'`, totp); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO sessions (token_digest, user_id, created_at, seen_at, totp_pending)
		SELECT '\x01', id, now(), now(), $1 FROM users WHERE username = 'vera'`, pending); err != nil {
		t.Fatal(err)
	}
	okit("a writer in danger tonight", "cases", "priority", annaCase, "P1")
	okit("Titkos utca 1.\nkapukód 1234", "shelters", "add", "Tisza", "--region", "Csongrád", "--phone", "+36 62 555 0101", "--sealed")
	okit("Kedves Anna, írjon bátran.\n", "reply", annaCase)

	// Rotation: generation 2 beside generation 1, given to okit with
	// generation 1 as the previous keys.
	keyDir := filepath.Dir(s.vars["OKIT_PRIVATE_KEY_FILE"])
	out := okit("", "keys", "rotate", "--dir", keyDir)
	two := seal.GenerationFiles(keyDir, 2)
	if !strings.Contains(out, two.Private) || !strings.Contains(out, "OKIT_PREVIOUS_PRIVATE_KEY_FILE") {
		t.Fatalf("keys rotate said:\n%s", out)
	}
	if _, _, code := s.okit("", "keys", "rotate", "--dir", keyDir); code == 0 {
		t.Fatal("a second rotation from generation 1 succeeded over generation 2")
	}
	one := seal.GenerationFiles(keyDir, 1)
	s.vars["OKIT_PUBLIC_KEY_FILE"], s.vars["OKIT_PRIVATE_KEY_FILE"], s.vars["OKIT_INDEX_KEY_FILE"] = two.Public, two.Private, two.Index
	s.vars["OKIT_PREVIOUS_PRIVATE_KEY_FILE"], s.vars["OKIT_PREVIOUS_INDEX_KEY_FILE"] = one.Private, one.Index
	index2, err := seal.LoadIndex(two.Index)
	if err != nil {
		t.Fatal(err)
	}
	if s.index, err = index2.WithPrevious(s.index); err != nil {
		t.Fatal(err)
	}

	// Key 2: anna's first message fetched again is known; her reply to
	// it threads into her case; a new writer opens a case.
	s.deliver(anna, time.Now())
	s.deliver(letter("anna-2@example.test", "Anna <anna@example.test>", "Re: Segítség", "Ma éjjel a szomszédnál alszom.",
		"In-Reply-To: <anna-1@example.test>"), time.Now())
	s.deliver(letter("bea-1@example.test", "bea@example.test", "Kérdés", "Hová fordulhatok?"), time.Now())
	intakeOnce()
	if n := s.count(`SELECT count(*) FROM messages WHERE direction = 'in'`); n != 44 {
		t.Fatalf("%d incoming messages stored, want 44: the re-fetch was not known across the index key change", n)
	}
	if got := caseOf("anna-2@example.test"); got != annaCase {
		t.Fatalf("anna's reply went to %s, not her case %s", got, annaCase)
	}

	// Reseal, killed after its first batches, then run to the end.
	env := []string{}
	for k, v := range s.vars {
		if k != "bin" {
			env = append(env, k+"="+v)
		}
	}
	cmd := okitCommand(s.vars["bin"], "reseal", "--batch", "2")
	cmd.Env = append(os.Environ(), env...)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	progress := bufio.NewReader(stdout)
	for seen := 0; seen < 3; {
		b, err := progress.ReadByte()
		if err != nil {
			t.Fatalf("reseal ended before it was killed: %v", err)
		}
		if b == '\r' {
			seen++
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	var killedAt int
	db.QueryRow(ctx, `SELECT coalesce(sum(rows_seen), 0) FROM reseal_progress WHERE finished_at IS NULL`).Scan(&killedAt)
	t.Logf("reseal killed after %d rows", killedAt)
	if s.count(`SELECT count(*) FROM reseal_progress WHERE table_name = 'messages' AND finished_at IS NULL`) != 1 {
		t.Error("reseal was not killed halfway through the messages")
	}
	out = okit("", "reseal")
	if m := regexp.MustCompile(`\(([0-9]+) rows/s\)`).FindStringSubmatch(out); m == nil {
		t.Errorf("reseal said no rate:\n%s", out)
	} else {
		t.Logf("reseal after the kill: %s rows/s", m[1])
	}
	if again := okit("", "reseal"); !strings.Contains(again, " 0 rows sealed or digested again") {
		t.Errorf("a reseal after a finished one changed rows:\n%s", again)
	}

	// Key 1 retired: its private key is gone, and no process is given it.
	delete(s.vars, "OKIT_PREVIOUS_PRIVATE_KEY_FILE")
	delete(s.vars, "OKIT_PREVIOUS_INDEX_KEY_FILE")
	if err := os.Remove(one.Private); err != nil {
		t.Fatal(err)
	}
	s.index = index2
	opener, err := seal.LoadOpener(two.Private, []byte("crash test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ table, column string }{
		{"messages", "raw_sealed"}, {"messages", "summary_sealed"}, {"messages", "reply_to_sealed"}, {"notes", "body_sealed"},
		{"outgoing", "text_sealed"}, {"shelters", "address_sealed"}, {"shelters", "notes_sealed"}, {"users", "totp_sealed"},
		{"sessions", "totp_pending"},
	} {
		rows, err := db.Query(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE %s IS NOT NULL`, c.column, c.table, c.column))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var sealed []byte
			rows.Scan(&sealed)
			if _, err := opener.Open(sealed); err != nil {
				t.Errorf("%s.%s: %v", c.table, c.column, err)
			}
			n++
		}
		rows.Close()
		t.Logf("%s.%s: %d values open with key 2 alone", c.table, c.column, n)
	}
	for _, c := range []string{"messages.raw_digest", "messages.sender_digest", "messages.message_id_digest", "messages.reply_to_digest",
		"case_writers.address_digest", "outgoing.to_digest", "outgoing.to_domain_digest", "cases.sender_digest"} {
		table, column, _ := strings.Cut(c, ".")
		if n := s.count(fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s IS NOT NULL AND (octet_length(%s) <> 33 OR get_byte(%s, 0) <> 2)`,
			table, column, column, column)); n != 0 {
			t.Errorf("%s: %d digests not made with index key 2", c, n)
		}
	}
	if out := okit("", "cases", "list", "--decrypt"); !strings.Contains(out, "Re: Segítség") {
		t.Errorf("cases list --decrypt after retiring key 1:\n%s", out)
	}

	// With key 1 gone, dedupe and threading still find the first messages.
	s.deliver(anna, time.Now())
	s.deliver(letter("anna-3@example.test", "anna@example.test", "Re: Segítség", "Köszönöm.", "In-Reply-To: <anna-1@example.test>"), time.Now())
	intakeOnce()
	if n := s.count(`SELECT count(*) FROM messages WHERE direction = 'in'`); n != 45 {
		t.Errorf("%d incoming messages stored, want 45", n)
	}
	if got := caseOf("anna-3@example.test"); got != annaCase {
		t.Errorf("anna's second reply went to %s, not her case %s", got, annaCase)
	}
	if n := s.count(`SELECT count(*) FROM case_events WHERE kind = 'resealed'`); n == 0 {
		t.Error("no reseal batch was recorded")
	}
	if out, errs, code := s.okit("", "audit", "verify"); code != 0 {
		t.Errorf("audit verify: exit %d\n%s%s", code, out, errs)
	}
}
