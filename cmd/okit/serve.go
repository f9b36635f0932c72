package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// runServe is okit's composition root: it reads the settings once, builds
// every part once (build), and runs intake, the response-clock watch and
// the purger (with the console), the job workers, the console and the HTTP server under one
// errgroup (runLoops). On SIGTERM they stop in that order, intake first,
// and the store closes last.
func runServe(ctx context.Context, a *app, args []string) error {
	if err := parse(a.flags("serve", ""), args); err != nil {
		return err
	}
	s, err := readSettings(a.getenv, true)
	if err != nil {
		return err
	}
	p, err := build(ctx, s, a.log)
	if err != nil {
		return err
	}
	defer p.close()
	watch := &clockWatch{store: p.store, log: a.log, reassign: s.reassign, every: s.clockEvery}
	purge := &purger{store: p.store, retention: s.retention, every: 24 * time.Hour, log: a.log}

	mux := http.NewServeMux()
	if p.console != nil {
		mux.Handle("/", p.console.Handler())
	} else {
		a.log.Info("no console: OKIT_PRIVATE_KEY_FILE is not set, so this okit serve only takes mail in (the response clocks and the purger run with the console)")
	}
	mux.Handle("GET /healthz", p.intake.Health())
	mux.Handle("GET /metrics", metrics(p.intake.Health(), watch))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", s.httpAddr)
	if err != nil {
		return fmt.Errorf("OKIT_HTTP_ADDR: %w", err)
	}
	a.log.Info("serving", slog.String("addr", ln.Addr().String()))

	// The response clocks hand cases over and the purger deletes content:
	// the console's role may, intake's may not, so they run with the
	// console.
	var upkeep []loop
	if p.console != nil {
		upkeep = []loop{{"response clocks", watch.run}, {"purger", purge.run}}
	}
	return runLoops(ctx, a.log,
		[]loop{p.intakeLoop()},
		append(upkeep, p.workerLoops()...),
		append(p.consoleLoops(), httpLoop(srv, ln, a.log)),
	)
}
