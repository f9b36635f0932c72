package main

import (
	"log/slog"
	"net"
	"net/url"
	"time"
	_ "time/tzdata" // the console shows Budapest time on any host

	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/web"
)

// console builds the operators' console from the environment. It needs the
// private key: the console is where sealed mail is opened. An okit serve
// without OKIT_PRIVATE_KEY_FILE takes mail in and serves no console.
func (e *env) console(st *storage.Store, addr string, log *slog.Logger) *web.Server {
	if e.str("OKIT_PRIVATE_KEY_FILE", "") == "" {
		return nil
	}
	opener := e.opener()
	public := e.str("OKIT_PUBLIC_URL", "")
	host, _, _ := net.SplitHostPort(addr)
	if public == "" {
		if !isLoopback(host) {
			e.fail("OKIT_PUBLIC_URL: give the https address people reach the console at (the console listens on %s, not a loopback address)", addr)
			return nil
		}
		public = "http://" + addr
	}
	u, err := url.Parse(public)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		e.fail("OKIT_PUBLIC_URL: %q is not an http or https address", public)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		e.fail("OKIT_PUBLIC_URL: %q: the console must be reached over https unless on a loopback address", public)
	}
	templates, err := replies.LoadTemplates(e.str("OKIT_TEMPLATES_DIR", ""), e.rules())
	if err != nil {
		e.fail("OKIT_TEMPLATES_DIR: %v", err)
	}
	loc, err := time.LoadLocation(e.str("OKIT_TIME_ZONE", "Europe/Budapest"))
	if err != nil {
		e.fail("OKIT_TIME_ZONE: %v", err)
	}
	cfg := web.Config{PublicURL: u, IdleTimeout: e.duration("OKIT_SESSION_IDLE", 30*time.Minute),
		MaxSessionAge: e.duration("OKIT_SESSION_MAX", 12*time.Hour), OperatorTOTP: e.boolean("OKIT_TOTP_OPERATORS", false),
		Targets: e.targets(), RemindAfter: e.duration("OKIT_REMINDER_AFTER", 48*time.Hour), Location: loc,
		TrustedProxies: e.prefixes("OKIT_TRUSTED_PROXIES")}
	if e.err() != nil {
		return nil
	}
	srv, err := web.New(cfg, web.Deps{Store: st, Keys: opener, Templates: templates, Log: log, Now: time.Now})
	if err != nil {
		e.fail("console: %v", err)
	}
	return srv
}
