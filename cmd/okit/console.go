package main

import (
	"net"
	"net/url"
	"time"
	_ "time/tzdata" // the console shows Budapest time on any host

	"github.com/ncsszi/okit/triage"
	"github.com/ncsszi/okit/web"
)

// consoleConfig reads the operators' console's settings. The console
// listens on addr; unless OKIT_PUBLIC_URL says otherwise, people reach it
// there, which is allowed only on a loopback address.
func (e *env) consoleConfig(addr string, targets triage.Targets) *web.Config {
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
	loc, err := time.LoadLocation(e.str("OKIT_TIME_ZONE", "Europe/Budapest"))
	if err != nil {
		e.fail("OKIT_TIME_ZONE: %v", err)
	}
	skipTOTP := !e.boolean("OKIT_TOTP_OPERATORS", true)
	if skipTOTP {
		e.warn("OKIT_TOTP_OPERATORS=false: operators log in with a password alone; a guessed or phished password then opens cases")
	}
	return &web.Config{PublicURL: u, IdleTimeout: e.duration("OKIT_SESSION_IDLE", 30*time.Minute),
		MaxSessionAge: e.duration("OKIT_SESSION_MAX", 12*time.Hour), OperatorsSkipTOTP: skipTOTP,
		Targets: targets, RemindAfter: e.duration("OKIT_REMINDER_AFTER", 48*time.Hour), Location: loc,
		TrustedProxies: e.prefixes("OKIT_TRUSTED_PROXIES")}
}
