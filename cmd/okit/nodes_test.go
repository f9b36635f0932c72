package main

import (
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ncsszi/okit/storage/storagetest"
)

// node is one okit serve of several sharing a database.
type node struct {
	cmd          *exec.Cmd
	addr, health string
	logs         func() string
}

// holds reports whether the node takes the mailbox in.
func (n *node) holds(s *stage) bool {
	old := s.health
	s.health = n.health
	defer func() { s.health = old }()
	return s.metric("okit_intake_holds_mailbox ") == "okit_intake_holds_mailbox 1"
}

// Two okit serve share one database: one holds the mailbox, the other
// waits on standby and serves the console. SIGKILL the holder: the other
// takes over within 10 s. End the holder's lock connection
// (pg_terminate_backend): it stops taking mail in at once, and a node
// takes the mailbox within 10 s. Mail arrives all along; every message is
// stored once, and every writer gets one acknowledgement: never one from
// each node.
func TestTwoNodesShareTheMailbox(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	s := newStage(t)
	delete(s.vars, "OKIT_AUTHSERV_ID") // every writer is acknowledged
	s.vars["OKIT_ACK_RATE"], s.vars["OKIT_ACK_RATE_DOMAIN"] = "1000", "1000"
	var env []string
	for k, v := range s.vars {
		if k != "bin" {
			env = append(env, k+"="+v)
		}
	}
	start := func() *node {
		cmd, addr, health, logs := startServe(t, s.vars["bin"], env)
		return &node{cmd: cmd, addr: addr, health: health, logs: logs}
	}
	nodes := []*node{start(), start()}
	s.logs = func() string {
		var b strings.Builder
		for i, n := range nodes {
			fmt.Fprintf(&b, "--- node %d\n%s", i, n.logs())
		}
		return b.String()
	}
	holder := func() *node {
		var h *node
		for _, n := range nodes {
			if n.cmd.ProcessState == nil && n.holds(s) {
				if h != nil {
					t.Fatalf("two nodes hold the mailbox\n%s", s.logs())
				}
				h = n
			}
		}
		return h
	}
	for _, n := range nodes {
		s.addr, s.health = n.addr, n.health
		s.ready()
		if code, _ := s.get("/login"); code != 200 {
			t.Errorf("node %s serves no console: %d", n.addr, code)
		}
	}
	var first *node
	s.wait("a node holding the mailbox", func() bool { first = holder(); return first != nil })

	var mu sync.Mutex
	sent := 0
	deliver := func(n int) {
		mu.Lock()
		defer mu.Unlock()
		for range n {
			s.deliver(letter(fmt.Sprintf("node-%d@example.test", sent), fmt.Sprintf("Writer %d <writer%d@example.test>", sent, sent),
				"kerdes", "Szeretnek tanacsot kerni."), time.Now())
			sent++
			time.Sleep(20 * time.Millisecond)
		}
	}
	acksCaughtUp := func() {
		t.Helper()
		s.wait("every writer so far acknowledged", func() bool { mu.Lock(); defer mu.Unlock(); return len(s.sink.Deliveries()) == sent })
	}
	takeover := func(what string, since time.Time) {
		t.Helper()
		for holder() == nil || holder() == first {
			if time.Since(since) > 10*time.Second {
				t.Fatalf("no node took the mailbox within 10 s of %s\n%s", what, s.logs())
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("%s: taken over in %v", what, time.Since(since).Round(time.Millisecond))
	}

	deliver(40)
	// A kill between the SMTP server's acceptance of an acknowledgement
	// and its record would send that one twice (README, "Automatic
	// acknowledgements"): kill when none is in flight. Mail keeps coming.
	acksCaughtUp()
	go deliver(40)
	killed := time.Now()
	first.cmd.Process.Signal(syscall.SIGKILL)
	first.cmd.Wait()
	takeover("SIGKILL of the holder", killed)
	nodes = append(nodes, start())

	deliver(20)
	first = holder()
	ended := time.Now()
	if n := storagetest.EndMailboxLock(t, s.st, s.vars["OKIT_IMAP_USERNAME"]+"/INBOX"); n != 1 {
		t.Fatalf("ended %d lock connections, want 1", n)
	}
	go deliver(40)
	for !strings.Contains(first.logs(), "it lost the mailbox lock") {
		if time.Since(ended) > 3*time.Second {
			t.Fatalf("the holder did not stop within 3 s of losing its lock connection\n%s", s.logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for holder() == nil {
		if time.Since(ended) > 10*time.Second {
			t.Fatalf("no node took the mailbox within 10 s of the lock connection's end\n%s", s.logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("lock connection ended: a node holds the mailbox again after %v", time.Since(ended).Round(time.Millisecond))

	deliver(20)
	mu.Lock()
	total := sent
	mu.Unlock()
	s.stored(total)
	acksCaughtUp()
	if n := s.count(`SELECT count(DISTINCT raw_digest) FROM messages WHERE direction = 'in'`); n != total {
		t.Errorf("%d distinct messages stored, want %d", n, total)
	}
	if inbox, _ := s.mbox.Count("INBOX"); inbox != 0 {
		t.Errorf("%d messages left in the INBOX", inbox)
	}
	per := map[string]int{}
	for _, d := range s.sink.Deliveries() {
		per[d.To[0]]++
	}
	for to, n := range per {
		if n != 1 {
			t.Errorf("%s got %d acknowledgements", to, n)
		}
	}
	if len(per) != total {
		t.Errorf("%d writers acknowledged, want %d", len(per), total)
	}
}
