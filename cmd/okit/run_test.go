package main

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// runLoops stops its stages in order, each only after the one before it
// has stopped, whether the context ends or a loop fails; a loop that ends
// early without error stops nothing.
func TestRunLoopsStopsStagesInOrder(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	for _, tt := range []struct {
		name    string
		failing string // the loop that fails instead of the context ending
		wantErr string
	}{
		{"context ends", "", ""},
		{"a worker fails", "workers", "workers: boom"},
		{"the http server fails", "http", "http: boom"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var stopped []string
			// Each loop waits a moment after its context ends, so that a
			// stage that did not wait for the one before would stop first.
			running := func(name string, linger time.Duration) loop {
				return loop{name, func(ctx context.Context) error {
					if name == tt.failing {
						time.Sleep(20 * time.Millisecond)
						return boom
					}
					<-ctx.Done()
					time.Sleep(linger)
					mu.Lock()
					stopped = append(stopped, name)
					mu.Unlock()
					return ctx.Err()
				}}
			}
			early := loop{"one-off", func(context.Context) error { return nil }}
			ctx, cancel := context.WithCancel(context.Background())
			if tt.failing == "" {
				time.AfterFunc(20*time.Millisecond, cancel)
			}
			defer cancel()
			err := runLoops(ctx, slog.New(slog.DiscardHandler),
				[]loop{running("intake", 30*time.Millisecond), early},
				[]loop{running("workers", 20*time.Millisecond), running("clocks", 0)},
				[]loop{running("console", 0), running("http", 10*time.Millisecond)},
			)
			if got := errString(err); got != tt.wantErr {
				t.Errorf("runLoops returned %q, want %q", got, tt.wantErr)
			}
			want := []string{"intake", "clocks", "workers", "console", "http"}
			want = slices.DeleteFunc(want, func(name string) bool { return name == tt.failing })
			if diff := cmp.Diff(want, stopped); diff != "" {
				t.Errorf("stop order (-want +got):\n%s", diff)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
