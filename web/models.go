package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/ncsszi/okit/secondopinion"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

// modelData is the dashboard's part on the second opinion: how many
// labels the operators' work has made, and every stored model with what
// its training measured.
type modelData struct {
	Labels, LabelsP1 int
	Models           []modelRow
	IndexKeyVersion  int // the current index key's
}

type modelRow struct {
	storage.Model
	Figures          secondopinion.Figures
	RulesP1, ModelP1 secondopinion.Score
	RulesUrgent      secondopinion.Score
	ModelUrgent      secondopinion.Score
	// Retrain says a learned model was hashed with another index key
	// than the current one (or its key was not recorded): after a
	// rotation it must be trained again.
	Retrain bool
}

// models reads the labels and the stored models for the dashboard.
func (s *Server) models(ctx context.Context) (modelData, error) {
	d := modelData{IndexKeyVersion: s.indexKey}
	var err error
	if d.Labels, d.LabelsP1, err = s.store.LabelCount(ctx, time.Time{}, s.now().Add(24*time.Hour)); err != nil {
		return d, err
	}
	ms, err := s.store.Models(ctx)
	if err != nil {
		return d, err
	}
	for _, m := range ms {
		row := modelRow{Model: m, Retrain: m.Source == "learned" && m.IndexKeyVersion != s.indexKey}
		_ = json.Unmarshal(m.Figures, &row.Figures) // figures okit wrote; a model without them shows zeros
		f := row.Figures
		row.RulesP1, row.ModelP1 = secondopinion.Exactly(f.Rules, triage.P1), secondopinion.Exactly(f.Combined, triage.P1)
		row.RulesUrgent, row.ModelUrgent = secondopinion.Of(f.Rules, triage.P2), secondopinion.Of(f.Combined, triage.P2)
		d.Models = append(d.Models, row)
	}
	return d, nil
}

// activateModel makes the version the form names the one intake applies,
// or none (version 0): a supervisor's decision, recorded as an event.
func (s *Server) activateModel(w http.ResponseWriter, r *http.Request, c *call) {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || v < 0 {
		redirect(w, r, "/dashboard", "problem.not_found")
		return
	}
	if v > 0 {
		m, err := s.store.ModelVersion(r.Context(), v)
		if err == nil {
			_, err = secondopinion.UnmarshalModel(m.Data)
		}
		if err != nil {
			s.log.Warn("model not activated", slog.Int("version", v), slog.Any("err", err))
			redirect(w, r, "/dashboard", "problem.not_found")
			return
		}
	}
	if err := s.store.ActivateModel(r.Context(), v, c.actor); err != nil {
		s.fail(w, r, err)
		return
	}
	notice := "dashboard.model_turned_off"
	if v > 0 {
		notice = "dashboard.model_activated"
	}
	redirect(w, r, "/dashboard", notice)
}
