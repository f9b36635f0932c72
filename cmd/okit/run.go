package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// A loop is one of a process's long-running parts: intake, the job
// workers, the console's live updates, the HTTP server. It runs until its
// context ends, then stops and returns.
type loop struct {
	name string
	run  func(ctx context.Context) error
}

// runLoops runs every loop of every stage under one errgroup until ctx
// ends or a loop fails; then it stops them stage by stage: the first
// stage's loops are cancelled and waited for, then the next stage's, and so
// on. serve stops intake first, so that nothing new is taken in, then the
// workers, then the console and the HTTP server; its caller closes the
// store last. runLoops returns when every loop has, with the first error.
// A loop that ends early without error leaves the others running.
func runLoops(ctx context.Context, log *slog.Logger, stages ...[]loop) error {
	g, stopping := errgroup.WithContext(ctx)
	stopping, stopAll := context.WithCancel(stopping)
	defer stopAll()
	g.Go(func() error {
		<-stopping.Done()
		if ctx.Err() != nil {
			log.Info("stopping", slog.Int("stages", len(stages)))
		}
		return nil
	})
	var all sync.WaitGroup
	before := closed()
	for _, stage := range stages {
		stageCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		after := before
		g.Go(func() error {
			<-stopping.Done()
			<-after
			cancel()
			return nil
		})
		var running sync.WaitGroup
		for _, l := range stage {
			running.Add(1)
			all.Add(1)
			g.Go(func() error {
				defer all.Done()
				defer running.Done()
				err := l.run(stageCtx)
				if err != nil && !(stageCtx.Err() != nil && errors.Is(err, context.Canceled)) {
					return fmt.Errorf("%s: %w", l.name, err)
				}
				log.Debug("stopped", slog.String("part", l.name))
				return nil
			})
		}
		done := make(chan struct{})
		g.Go(func() error {
			running.Wait()
			close(done)
			return nil
		})
		before = done
	}
	// Once every loop has returned, the stage keepers may go too.
	g.Go(func() error {
		all.Wait()
		stopAll()
		return nil
	})
	return g.Wait()
}

func closed() <-chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// httpLoop serves srv on ln; when its context ends it lets requests in
// flight finish for a few seconds, then closes what is still open (the
// console's live-update streams, which never finish by themselves).
func httpLoop(srv *http.Server, ln net.Listener, log *slog.Logger) loop {
	return loop{"http server", func(ctx context.Context) error {
		served := make(chan error, 1)
		go func() { served <- srv.Serve(ln) }()
		select {
		case err := <-served:
			return err
		case <-ctx.Done():
		}
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 4*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			log.Warn("http server: closing connections still open", slog.Any("err", err))
			srv.Close()
		}
		<-served // http.ErrServerClosed
		return nil
	}}
}
