package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/secondopinion"
	"github.com/ncsszi/okit/storage"
)

// Until OKIT has this many labels, at least minP1 of them P1, a model it
// learns is measured on too little to be trusted, and learn says so.
const minLabels, minP1 = 300, 30

func runTriageLearn(ctx context.Context, a *app, args []string) error {
	fs := a.flags("triage learn", "--since YYYY-MM-DD --until YYYY-MM-DD")
	since := fs.String("since", "", "the first day of the period whose cases are labels (Budapest time)")
	until := fs.String("until", "", "the day after the period: not included")
	if err := parse(fs, args); err != nil {
		return err
	}
	from, to, err := reportPeriod(*since, *until)
	if err != nil {
		fs.Usage()
		return errors.New(strings.NewReplacer("--from", "--since", "--to", "--until").Replace(err.Error()))
	}
	e := &env{get: a.getenv}
	files := e.keyFiles(sealKeys | openKeys)
	rules := e.rules()
	if err := e.err(); err != nil {
		return err
	}
	k, err := files.load(a.log)
	if err != nil {
		return err
	}
	key, err := secondopinion.NewKey(k.index.SecondOpinionKey())
	if err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	labels, err := st.Labels(ctx, from, to)
	if err != nil {
		return err
	}
	if len(labels) == 0 {
		return errors.New("no labelled messages in the period: a writer's message is a label once a person answered or closed its case, or set (with a reason) or confirmed its priority, after it came")
	}
	ids := make([]int64, len(labels))
	for i, l := range labels {
		ids[i] = l.CaseID
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	// The opening is recorded before any message is decrypted.
	if err := st.Record(ctx, storage.EventTrainingOpened, actor(), map[string]any{"cases": ids, "purpose": "triage_learn"}); err != nil {
		return err
	}
	// Each labelled message is an example of its own, read alone: intake
	// judges each arriving message by its own new text (a case takes the
	// most urgent of its messages' priorities), so the model learns from
	// what it will be asked to judge. Their texts run together would be a
	// kind of input it never scores, longer than any one message.
	exs := make([]secondopinion.Example, 0, len(labels))
	p1 := 0
	for _, l := range labels {
		raw, err := k.opener.Open(l.RawSealed)
		if err != nil {
			return fmt.Errorf("open message %d of case %d: %w", l.MessageID, l.CaseID, err)
		}
		m := message.Parse(raw)
		clear(raw)
		exs = append(exs, secondopinion.Read(rules, key, secondopinion.KeyingIndex, intake.TriageInput(m), l.Priority))
		if l.Priority == 1 {
			p1++
		}
	}
	model, fig := secondopinion.Train(secondopinion.KeyingIndex, exs)
	data, err := model.MarshalBinary()
	if err != nil {
		return err
	}
	figures, err := json.Marshal(fig)
	if err != nil {
		return err
	}
	v, err := st.SaveModel(ctx, storage.Model{Source: "learned", Data: data, IndexKeyVersion: k.index.Version(), Figures: figures,
		TrainedFrom: &from, TrainedUntil: &to, CreatedBy: actor()})
	if err != nil {
		return err
	}
	a.log.Info("second opinion trained", slog.Int("version", v), slog.Int("labels", len(labels)), slog.Int("p1", p1))
	fmt.Fprint(a.stdout, fig)
	if len(labels) < minLabels || p1 < minP1 {
		fmt.Fprintf(a.stdout, "only %d labels (%d P1): fewer than %d (%d P1), too few to trust these figures\n", len(labels), p1, minLabels, minP1)
	}
	fmt.Fprintf(a.stdout, "stored as model %d, not active: okit triage model activate %d\n", v, v)
	return nil
}

func runTriageModelList(ctx context.Context, a *app, args []string) error {
	fs := a.flags("triage model list", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	ms, err := st.Models(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "version\tsource\tkey\tcreated\tlabels\tP1 recall rules → +model\tP1 precision\tactive")
	for _, m := range ms {
		on := ""
		if m.Active {
			on = "active since " + m.ActivatedAt.Format("2006-01-02 15:04") + " (" + m.ActivatedBy + ")"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t", m.Version, m.Source, modelKeying(m), m.CreatedAt.Format("2006-01-02 15:04"))
		var f secondopinion.Figures
		if err := json.Unmarshal(m.Figures, &f); err != nil {
			a.log.Warn("a model's figures do not read", slog.Int("version", m.Version), slog.Any("err", err))
			fmt.Fprintf(w, "figures unreadable\t\t\t%s\n", on)
			continue
		}
		r, c := secondopinion.Exactly(f.Rules, 1), secondopinion.Exactly(f.Combined, 1)
		fmt.Fprintf(w, "%d\t%d/%d → %d/%d\t%.0f%% → %.0f%%\t%s\n", f.Labels, r.Found, r.Wanted, c.Found, c.Wanted, 100*r.Precision, 100*c.Precision, on)
	}
	return w.Flush()
}

// modelKeying says which key a model's features were hashed with.
func modelKeying(m storage.Model) string {
	switch {
	case m.Source == "starting":
		return "corpus"
	case m.IndexKeyVersion == 0:
		return "not recorded"
	}
	return "index " + strconv.Itoa(m.IndexKeyVersion)
}

func runTriageModelShow(ctx context.Context, a *app, args []string) error {
	fs := a.flags("triage model show", "VERSION")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	v, err := strconv.Atoi(fs.Arg(0))
	if fs.NArg() != 1 || err != nil {
		fs.Usage()
		return errUsage
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := st.ModelVersion(ctx, v)
	if err != nil {
		return err
	}
	var f secondopinion.Figures
	if err := json.Unmarshal(m.Figures, &f); err != nil {
		return fmt.Errorf("model %d: figures: %w", v, err)
	}
	fmt.Fprintf(a.stdout, "model %d (%s), created %s by %s\n%s", v, m.Source, m.CreatedAt.Format("2006-01-02 15:04"), m.CreatedBy, f)
	return nil
}

func runTriageModelActivate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("triage model activate", "VERSION (0: none)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	v, err := strconv.Atoi(fs.Arg(0))
	if fs.NArg() != 1 || err != nil || v < 0 {
		fs.Usage()
		return errUsage
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if v > 0 {
		// A model that does not load is refused here, not found by intake.
		m, err := st.ModelVersion(ctx, v)
		if err != nil {
			return err
		}
		if _, err := secondopinion.UnmarshalModel(m.Data); err != nil {
			return fmt.Errorf("model %d: %w", v, err)
		}
	}
	if err := st.ActivateModel(ctx, v, actor()); err != nil {
		return err
	}
	if v == 0 {
		fmt.Fprintln(a.stdout, "second opinion off: intake triages by the rules alone from its next batch")
	} else {
		fmt.Fprintf(a.stdout, "model %d active: intake applies it from its next batch (roll back with okit triage model activate N, or 0 for none)\n", v)
	}
	return nil
}
