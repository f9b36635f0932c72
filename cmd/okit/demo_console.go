package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
	"github.com/ncsszi/okit/web"
)

type demoUser struct {
	storage.User
	password string
}

// demoUsers are the demo's people. Their passwords are printed: this is
// sample data on a loopback address, for trying the console.
var demoUsers = []demoUser{
	{storage.User{Username: "anna", Role: account.Operator, Languages: []string{"hu", "en"}, LoadLimit: 10}, "anna-demo-jelszo"},
	{storage.User{Username: "bela", Role: account.Operator, Languages: []string{"hu"}, Skills: []string{"trafficking", "child_abuse"}, LoadLimit: 10}, "bela-demo-jelszo"},
	{storage.User{Username: "vera", Role: account.Supervisor, Languages: []string{"hu", "en"}, LoadLimit: 5}, "vera-demo-jelszo"},
	{storage.User{Username: "adam", Role: account.Admin, Languages: []string{"hu"}, LoadLimit: 1}, "adam-demo-jelszo"},
}

// demoTOTPSecret is the second factor of the demo's supervisor and admin.
const demoTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// startDemoConsole serves the console on a loopback address, in demo mode.
func startDemoConsole(ctx context.Context, addr string, st *storage.Store, opener *seal.Opener, templates *replies.Templates,
	log *slog.Logger) (*http.Server, string, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !isLoopback(host) {
		return nil, "", fmt.Errorf("--http %q: give a loopback address such as 127.0.0.1:8080", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("--http %s: %w (is another okit demo running? give --http 127.0.0.1:8081)", addr, err)
	}
	public := &url.URL{Scheme: "http", Host: ln.Addr().String()}
	loc, err := time.LoadLocation("Europe/Budapest")
	if err != nil {
		return nil, "", err
	}
	console, err := web.New(web.Config{PublicURL: public, Targets: triage.DefaultTargets, RemindAfter: 48 * time.Hour,
		Location: loc, Demo: true},
		web.Deps{Store: st, Keys: opener, Templates: templates, Log: log, Now: time.Now})
	if err != nil {
		return nil, "", err
	}
	go console.Run(ctx)
	srv := &http.Server{Handler: console.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("demo console", slog.Any("err", err))
		}
	}()
	return srv, public.String() + "/", nil
}
