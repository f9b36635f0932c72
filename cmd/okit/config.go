package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/mailauth"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/triage"
)

// env reads OKIT_* settings and collects every mistake, so that one start
// reports all of them, each on a line naming its variable.
type env struct {
	get      func(string) string
	errs     []error
	warnings []string // said at start, but no reason not to start
}

func (e *env) fail(format string, args ...any) { e.errs = append(e.errs, fmt.Errorf(format, args...)) }

func (e *env) warn(w string) { e.warnings = append(e.warnings, w) }

func (e *env) err() error { return errors.Join(e.errs...) }

func (e *env) str(name, def string) string {
	if v := strings.TrimSpace(e.get(name)); v != "" {
		return v
	}
	return def
}

func (e *env) required(name, what string) string {
	v := e.str(name, "")
	if v == "" {
		e.fail("%s is not set: give %s", name, what)
	}
	return v
}

// secret reads NAME or the file named by NAME_FILE (one of the two), or,
// when neither is set and okit runs under systemd with credentials
// (LoadCredential=, deploy/okit.service), the credential named NAME. A
// file that group or others may read is refused, as key files are.
func (e *env) secret(name, what string) string {
	v, file := e.get(name), e.str(name+"_FILE", "")
	if dir := e.str("CREDENTIALS_DIRECTORY", ""); v == "" && file == "" && dir != "" {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			file = filepath.Join(dir, name)
		}
	}
	switch {
	case v != "" && file != "":
		e.fail("%s and %s_FILE are both set: give one", name, name)
	case file != "":
		b, err := seal.ReadSecretFile(file, "secret")
		if err != nil {
			e.fail("%s_FILE: %v", name, err)
			return ""
		}
		v = strings.TrimRight(string(b), "\r\n")
		if v == "" {
			e.fail("%s_FILE: %s is empty", name, file)
		}
	case v == "":
		e.fail("%s (or %s_FILE) is not set: give %s", name, name, what)
	}
	return v
}

// given reports whether the secret NAME is given in any of the ways
// secret reads, for secrets that are optional.
func (e *env) given(name string) bool {
	dir := e.str("CREDENTIALS_DIRECTORY", "")
	_, err := os.Stat(filepath.Join(dir, name))
	return e.get(name) != "" || e.str(name+"_FILE", "") != "" || dir != "" && err == nil
}

func (e *env) duration(name string, def time.Duration) time.Duration {
	s := e.str(name, "")
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		e.fail("%s=%q is not a positive duration such as 30s or 5m", name, s)
		return def
	}
	return d
}

func (e *env) boolean(name string, def bool) bool {
	s := e.str(name, "")
	if s == "" {
		return def
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		e.fail("%s=%q is not true or false", name, s)
		return def
	}
	return b
}

// prefixes reads a comma-separated list of addresses or CIDR prefixes.
func (e *env) prefixes(name string) []netip.Prefix {
	var ps []netip.Prefix
	for _, f := range strings.Split(e.str(name, ""), ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				e.fail("%s: %q is not an address or prefix such as 127.0.0.1 or 10.0.0.0/8", name, f)
				continue
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		ps = append(ps, p)
	}
	return ps
}

func (e *env) positive(name string, def int) int {
	s := e.str(name, "")
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		e.fail("%s=%q is not a positive whole number", name, s)
		return def
	}
	return n
}

// size reads a byte count such as 26214400, 25MiB or 512KiB.
func (e *env) size(name string, def int64) int64 {
	s := e.str(name, "")
	if s == "" {
		return def
	}
	mult := int64(1)
	num := s
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			num, mult = strings.TrimSpace(n), m
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		e.fail("%s=%q is not a size such as 25MiB", name, s)
		return def
	}
	return n * mult
}

// imapConfig reads the hotline mailbox's settings.
func (e *env) imapConfig() intake.Config {
	c := intake.Config{
		Addr:           e.required("OKIT_IMAP_ADDR", "the IMAP server as host:port, e.g. imap.example.hu:993"),
		Security:       intake.Security(e.str("OKIT_IMAP_TLS", "tls")),
		Username:       e.required("OKIT_IMAP_USERNAME", "the hotline mailbox's login name (with OAuth, its address)"),
		Auth:           e.method("OKIT_IMAP_AUTH"),
		Mailbox:        e.str("OKIT_IMAP_MAILBOX", "INBOX"),
		After:          intake.After(e.str("OKIT_IMAP_AFTER", "move")),
		MoveTo:         e.str("OKIT_IMAP_MOVE_TO", "okit-stored"),
		PollInterval:   e.duration("OKIT_IMAP_POLL_INTERVAL", 30*time.Second),
		BatchSize:      e.positive("OKIT_IMAP_BATCH", 100),
		MaxSize:        e.size("OKIT_MAX_MESSAGE_SIZE", 25<<20),
		CommandTimeout: e.duration("OKIT_IMAP_TIMEOUT", 2*time.Minute),
		Rules:          e.rules(),
		Targets:        e.targets(),
		AuthservID:     e.str("OKIT_AUTHSERV_ID", ""),
	}
	if c.Auth == mailauth.Password {
		c.Password = e.secret("OKIT_IMAP_PASSWORD", "the hotline mailbox's password, or sign in with OAuth (OKIT_IMAP_AUTH)")
	}
	if c.After != intake.AfterMove && c.After != intake.AfterDelete {
		e.fail("OKIT_IMAP_AFTER=%q: give move (to OKIT_IMAP_MOVE_TO) or delete", c.After)
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if c.Addr != "" && err != nil {
		e.fail("OKIT_IMAP_ADDR=%q is not host:port", c.Addr)
		return c
	}
	switch c.Security {
	case intake.SecurityTLS, intake.SecurityStartTLS:
		c.TLSConfig = e.tlsConfig("OKIT_IMAP_CA_FILE", host)
	case intake.SecurityNone:
		if c.Addr != "" && !isLoopback(host) {
			e.fail("OKIT_IMAP_TLS=none would send the password and every message in clear to %s; it is allowed only towards a loopback address: use tls or starttls", host)
		}
	default:
		e.fail("OKIT_IMAP_TLS=%q: give tls, starttls or none (loopback only)", c.Security)
	}
	return c
}

// tlsConfig trusts the system's roots, or only the CA in the file named by
// caVar when it is set.
func (e *env) tlsConfig(caVar, host string) *tls.Config {
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	file := e.str(caVar, "")
	if file == "" {
		return cfg
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		e.fail("%s: %v", caVar, err)
		return cfg
	}
	cfg.RootCAs = x509.NewCertPool()
	if !cfg.RootCAs.AppendCertsFromPEM(pem) {
		e.fail("%s: %s holds no PEM certificate", caVar, file)
	}
	return cfg
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// rules loads OKIT_RULES_FILE, or the built-in rules.
func (e *env) rules() *triage.Rules {
	file := e.str("OKIT_RULES_FILE", "")
	if file == "" {
		return triage.Default()
	}
	b, err := os.ReadFile(file)
	if err != nil {
		e.fail("OKIT_RULES_FILE: %v", err)
		return nil
	}
	r, err := triage.Load(b, file)
	if err != nil {
		e.fail("OKIT_RULES_FILE: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return r
}

// targets reads the first-response targets OKIT_TARGET_P1 … P4.
func (e *env) targets() triage.Targets {
	t := triage.DefaultTargets
	for i := range t {
		t[i] = e.duration(fmt.Sprintf("OKIT_TARGET_P%d", i+1), t[i])
	}
	return t
}
