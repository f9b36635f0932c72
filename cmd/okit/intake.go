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
)

// newIntake reads the mailbox settings and keys and builds an Intake on st.
func (a *app) newIntake(st intake.Store) (*intake.Intake, error) {
	e := &env{get: a.getenv}
	cfg := e.imapConfig()
	sealer, index := e.intakeKeys()
	if err := e.err(); err != nil {
		return nil, err
	}
	return intake.New(cfg, st, sealer, index, a.log, time.Now), nil
}

func runIntake(ctx context.Context, a *app, args []string) error {
	fs := a.flags("intake", "[--once]")
	once := fs.Bool("once", false, "take in what is waiting, then exit")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	in, err := a.newIntake(st)
	if err != nil {
		return err
	}
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
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	in, err := a.newIntake(st)
	if err != nil {
		return err
	}
	watch := &clockWatch{store: st, log: a.log,
		reassign: e.priorities("OKIT_BREACH_REASSIGN", "P1,P2"),
		every:    e.duration("OKIT_CLOCK_INTERVAL", 30*time.Second)}
	if err := e.err(); err != nil {
		return err
	}
	go watch.run(ctx)
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", in.Health())
	mux.Handle("GET /metrics", metrics(in.Health(), watch))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
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
