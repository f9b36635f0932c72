package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/mailauth"
)

// runMailboxAuthorize signs okit in to the mailbox as a person, by device
// code: it prints where to go and the code to enter, waits, and stores
// the refresh token in OKIT_OAUTH_TOKEN_FILE. A running okit serve uses
// the new token from its next sign-in.
func runMailboxAuthorize(ctx context.Context, a *app, args []string) error {
	if err := parse(a.flags("mailbox authorize", ""), args); err != nil {
		return err
	}
	e := &env{get: a.getenv}
	cfg := e.oauthConfig(false)
	if err := e.err(); err != nil {
		return err
	}
	return mailauth.Authorize(ctx, cfg, a.stdout, time.Now)
}

// grantAdvice says what an administrator does when a grant fails.
var grantAdvice = map[mailauth.GrantKind]string{
	mailauth.ClientCredentials: "check the app's client secret (OKIT_OAUTH_CLIENT_SECRET_FILE), its admin consent and its permission on the mailbox",
	mailauth.DeviceCode:        "sign in again with okit mailbox authorize",
	mailauth.ServiceAccount:    "check the service account's key (OKIT_OAUTH_KEY_FILE) and its domain-wide delegation",
}

// watchGrant makes a failing grant loud while everything else carries on:
// /healthz fails with the reason and what to do, okit_alerts_total
// counts it, an ERROR line says it, and an alert event (mailbox_auth)
// puts it on the supervisors' banner. A sign-in that works again ends
// the health problem.
func (p *parts) watchGrant(g *mailauth.Grant) {
	h := p.intake.Health()
	g.Watch(p.log, func(err error) {
		if err == nil {
			h.Solved(intake.AlertMailboxAuth)
			p.log.Info("the mail servers' sign-in works again")
			return
		}
		code := "unknown"
		if me := (*mailauth.Error)(nil); errors.As(err, &me) {
			code = me.Code
		}
		h.Alerted(intake.AlertMailboxAuth)
		h.Problem(intake.AlertMailboxAuth, err.Error()+": "+grantAdvice[g.Kind()])
		p.log.Error("ALERT: okit cannot sign in to its mail servers: no mail is taken in or sent until this is fixed",
			slog.String("grant", string(g.Kind())), slog.String("code", code), slog.Any("err", err),
			slog.String("fix", grantAdvice[g.Kind()]))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := p.store.RaiseAlert(ctx, intake.AlertMailboxAuth, map[string]any{"reason": code, "grant": string(g.Kind())}); err != nil {
			p.log.Error("mailbox_auth alert not recorded", slog.Any("err", err))
		}
	})
}
