package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// privatePG is a throwaway PostgreSQL cluster of one test's own, for
// tests that stop and start the server: the shared one is never
// restarted. Like deploy/localpg.sh it runs Debian's server binaries, as
// the postgres user when the test runs as root (initdb refuses root).
type privatePG struct {
	t            *testing.T
	bin, dir     string
	port         int
	runAs        []string
	URL          string
	startOptions string
}

// startPrivatePG starts a cluster, stopped and removed when the test
// ends; it skips the test, saying why, when it cannot.
func startPrivatePG(t *testing.T) *privatePG {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.Sort(bins)
	if len(bins) == 0 {
		t.Skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin to start a private cluster with (apt-get install postgresql)")
	}
	p := &privatePG{t: t, bin: bins[len(bins)-1]}
	dir, err := os.MkdirTemp("", "okit-private-pg-")
	if err != nil {
		t.Skipf("a folder for a private cluster: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p.dir = dir
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no postgres user to run a private cluster as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Skipf("give the private cluster's folder to postgres: %v", err)
		}
		p.runAs = []string{"runuser", "-u", "postgres", "--"}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("a free port: %v", err)
	}
	p.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	if out, err := p.command("initdb", "-D", filepath.Join(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8",
		"--locale=C.UTF-8").CombinedOutput(); err != nil {
		t.Skipf("initdb of a private cluster failed: %v\n%s", err, out)
	}
	p.startOptions = fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", p.port, dir)
	p.Start()
	t.Cleanup(func() { p.command("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "stop").Run() })
	p.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port)
	return p
}

func (p *privatePG) command(name string, args ...string) *exec.Cmd {
	argv := append(append(slices.Clone(p.runAs), filepath.Join(p.bin, name)), args...)
	return exec.Command(argv[0], argv[1:]...)
}

// Stop stops the server as an administrator's restart does (fast:
// sessions are ended).
func (p *privatePG) Stop() {
	p.t.Helper()
	if out, err := p.command("pg_ctl", "-D", filepath.Join(p.dir, "data"), "-m", "fast", "-w", "stop").CombinedOutput(); err != nil {
		p.t.Fatalf("stop the private cluster: %v\n%s", err, out)
	}
}

// Start starts the server.
func (p *privatePG) Start() {
	p.t.Helper()
	if out, err := p.command("pg_ctl", "-D", filepath.Join(p.dir, "data"), "-l", filepath.Join(p.dir, "log"), "-w", "-t", "60",
		"-o", p.startOptions, "start").CombinedOutput(); err != nil {
		p.t.Fatalf("start the private cluster: %v\n%s", err, out)
	}
}
