package storage

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Jobs are worked by 16 workers, fetched 5 ms apart: replies spend most of
// their time waiting for the mail server, and river's default 100 ms pause
// between fetches alone held them to about 40 a second.
const (
	jobWorkers       = 16
	jobFetchCooldown = 5 * time.Millisecond
	// jobSoftStop is how long running jobs may finish after a stop before
	// their contexts are cancelled; a cancelled job is retried later.
	jobSoftStop = 4 * time.Second
)

// RunJobs works the queued jobs (outgoing mail, reminders: those Save and
// QueueReply enqueue) with workers until ctx ends. Then it fetches no more,
// lets running jobs finish for a few seconds, cancels the rest, and
// returns once every job has stopped. Several processes may run it on one
// database: each job goes to one of them.
func (s *Store) RunJobs(ctx context.Context, workers *river.Workers, log *slog.Logger) error {
	client, err := river.NewClient(riverpgxv5.New(s.pool), &river.Config{
		Queues:          map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: jobWorkers}},
		FetchCooldown:   jobFetchCooldown,
		SoftStopTimeout: jobSoftStop,
		Workers:         workers,
		Logger:          log,
	})
	if err != nil {
		return fmt.Errorf("job workers: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return fmt.Errorf("start job workers: %w", err)
	}
	<-client.Stopped()
	return nil
}
