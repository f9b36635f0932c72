package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/secondopinion"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/web"
)

// parts are what intake, serve and the demo run on, each built once by
// build: one store, one of each key, one set of reply templates, shared by
// intake, the reply worker and the console.
type parts struct {
	store     *storage.Store
	intakeDB  *storage.Store // intake's own connection; store when it has none
	keys      keyring
	templates *replies.Templates // nil when nothing here writes to writers
	intake    *intake.Intake
	workers   *river.Workers // the job workers; nil when this process sends no mail
	console   *web.Server    // nil without the private key
	log       *slog.Logger
}

// build loads the keys and templates, opens the store and builds the
// parts on them. Every failure of the first three is reported at once.
// The caller closes the store (parts.close) after every loop has stopped.
func build(ctx context.Context, s settings, log *slog.Logger) (*parts, error) {
	p := &parts{log: log}
	for _, w := range s.warnings {
		log.Warn(w)
	}
	var errs []error
	var err error
	if p.keys, err = s.keys.load(log); err != nil {
		errs = append(errs, err)
	}
	if s.mail != nil || s.console != nil {
		if p.templates, err = replies.LoadTemplates(s.templatesDir, s.imap.Rules); err != nil {
			errs = append(errs, fmt.Errorf("OKIT_TEMPLATES_DIR: %w", err))
		} else {
			log.Debug("reply templates parsed", slog.String("dir", s.templatesDir))
		}
	}
	if s.databaseURL != "" {
		if p.store, err = openRunning(ctx, "OKIT_DATABASE_URL", s.databaseURL); err != nil {
			errs = append(errs, err)
		}
	}
	p.intakeDB = p.store
	if s.intakeDatabaseURL != "" {
		if p.intakeDB, err = openRunning(ctx, "OKIT_INTAKE_DATABASE_URL", s.intakeDatabaseURL); err != nil {
			errs = append(errs, err)
		}
	}
	if p.store == nil {
		p.store = p.intakeDB // okit intake on its own connection
	}
	if err := errors.Join(errs...); err != nil {
		p.close()
		return nil, err
	}
	if s.reopenWithin != 0 {
		p.store.SetReopenWithin(s.reopenWithin)
		p.intakeDB.SetReopenWithin(s.reopenWithin)
	}
	// The console's role stores the starting model (off) for supervisors
	// to see and switch on; intake's may only read models.
	if s.console != nil {
		data, figures := secondopinion.Starting()
		if err := p.store.EnsureStartingModel(ctx, data, figures); err != nil {
			p.close()
			return nil, err
		}
	}
	cfg := s.imap
	if p.keys.index != nil {
		cfg.Opinions = newOpinions(p.store, p.keys.index, log)
		if p.keys.index.Previous() != nil {
			cfg.PreviousIndex = p.keys.index.Previous()
		}
	}
	p.intake = intake.New(cfg, p.intakeDB, p.keys.sealer, p.keys.index, log, time.Now)
	if s.grant != nil {
		p.watchGrant(s.grant)
	}
	if m := s.mail; m != nil {
		p.workers = river.NewWorkers()
		river.AddWorker(p.workers, &replies.Worker{
			Store: p.store, Keys: openerKeys{p.keys.opener}, Digests: p.keys.index, Templates: p.templates,
			Sender: m.sender, From: m.from, Own: []string{m.from.Address, s.imap.Username},
			Log: log, Now: time.Now,
		})
		river.AddWorker(p.workers, &replies.ReminderWorker{Store: p.store, Log: log})
	}
	if s.console != nil {
		p.console, err = web.New(*s.console, web.Deps{Store: p.store, Keys: p.keys.opener, Binder: p.keys.binder, Templates: p.templates, Rules: s.imap.Rules,
			IndexKeyVersion: p.keys.index.Version(), Log: log, Now: time.Now})
		if err != nil {
			p.close()
			return nil, fmt.Errorf("console: %w", err)
		}
	}
	return p, nil
}

// close closes the stores, last of all.
func (p *parts) close() {
	if p.intakeDB != nil && p.intakeDB != p.store {
		p.intakeDB.Close()
	}
	if p.store != nil {
		p.store.Close()
	}
}

// intakeLoop takes mail in.
func (p *parts) intakeLoop() loop { return loop{"intake", p.intake.Run} }

// workerLoops work the job queue: replies and reminders. None when this
// process sends no mail.
func (p *parts) workerLoops() []loop {
	if p.workers == nil {
		return nil
	}
	return []loop{{"job workers", func(ctx context.Context) error { return p.store.RunJobs(ctx, p.workers, p.log) }}}
}

// consoleLoops feed open consoles their live updates. None without a
// console.
func (p *parts) consoleLoops() []loop {
	if p.console == nil {
		return nil
	}
	return []loop{{"console live updates", func(ctx context.Context) error { p.console.Run(ctx); return nil }}}
}
