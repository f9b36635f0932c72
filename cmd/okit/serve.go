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

	health := http.NewServeMux()
	health.Handle("GET /healthz", p.intake.Health())
	health.Handle("GET /metrics", metrics(p.intake.Health(), watch))
	servers, err := listen(a.log, "OKIT_HEALTH_ADDR", s.healthAddr, health)
	if err != nil {
		return err
	}
	if p.console != nil {
		console, err := listen(a.log, "OKIT_HTTP_ADDR", s.httpAddr, p.console.Handler())
		if err != nil {
			return err
		}
		servers = append(servers, console...)
	} else {
		a.log.Info("no console: OKIT_PRIVATE_KEY_FILE is not set, so this okit serve only takes mail in (the response clocks and the purger run with the console)")
	}

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
		append(p.consoleLoops(), servers...),
	)
}

// listen opens the listener of one HTTP server, named by its setting.
func listen(log *slog.Logger, setting, addr string, h http.Handler) ([]loop, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", setting, err)
	}
	log.Info("serving", slog.String("setting", setting), slog.String("addr", ln.Addr().String()))
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	return []loop{httpLoop(srv, ln, log)}, nil
}
