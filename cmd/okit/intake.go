package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/storage"
)

// openIntake reads the mailbox settings and keys, connects to the
// database, and builds an Intake on it. Every mistake is reported at once.
func (a *app) openIntake(ctx context.Context, e *env) (*intake.Intake, *storage.Store, error) {
	cfg := e.imapConfig()
	cfg.Ack = e.ackPolicy()
	sealer, index := e.intakeKeys()
	st, err := a.openStore(ctx, true)
	if err != nil {
		e.errs = append(e.errs, err)
	}
	if err := e.err(); err != nil {
		if st != nil {
			st.Close()
		}
		return nil, nil, err
	}
	return intake.New(cfg, st, sealer, index, a.log, time.Now), st, nil
}

func runIntake(ctx context.Context, a *app, args []string) error {
	fs := a.flags("intake", "[--once]")
	once := fs.Bool("once", false, "take in what is waiting, then exit")
	if err := parse(fs, args); err != nil {
		return err
	}
	in, st, err := a.openIntake(ctx, &env{get: a.getenv})
	if err != nil {
		return err
	}
	defer st.Close()
	if !*once {
		return in.Run(ctx)
	}
	s, err := in.Once(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "stored %d, already stored %d, left on server (too large) %d, moved or deleted %d\n",
		s.Stored, s.Duplicates, s.TooLarge, s.Marked)
	return nil
}

func runServe(ctx context.Context, a *app, args []string) error {
	if err := parse(a.flags("serve", ""), args); err != nil {
		return err
	}
	e := &env{get: a.getenv}
	addr := e.str("OKIT_HTTP_ADDR", "127.0.0.1:8080")
	keep := e.retention()
	in, st, err := a.openIntake(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	watch := &clockWatch{store: st, log: a.log,
		reassign: e.priorities("OKIT_BREACH_REASSIGN", "P1,P2"),
		every:    e.duration("OKIT_CLOCK_INTERVAL", 30*time.Second)}
	purge := &purger{store: st, retention: keep, every: 24 * time.Hour, log: a.log}
	if err := e.err(); err != nil {
		return err
	}
	go watch.run(ctx)
	go purge.run(ctx)
	if ack := e.ackWorker(st, a.log); ack != nil {
		stop, err := startWorkers(ctx, st, ack, a.log)
		if err != nil {
			return err
		}
		defer stop()
	}
	if err := e.err(); err != nil {
		return err
	}
	console := e.console(st, addr, a.log)
	if err := e.err(); err != nil {
		return err
	}
	mux := http.NewServeMux()
	if console != nil {
		go console.Run(ctx)
		mux.Handle("/", console.Handler())
	} else {
		a.log.Info("no console: OKIT_PRIVATE_KEY_FILE is not set, so this okit serve only takes mail in")
	}
	mux.Handle("GET /healthz", in.Health())
	mux.Handle("GET /metrics", metrics(in.Health(), watch))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("OKIT_HTTP_ADDR: %w", err)
	}
	a.log.Info("serving", slog.String("addr", ln.Addr().String()))
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("http server", slog.Any("err", err))
		}
	}()
	err = in.Run(ctx)
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
	return err
}
