package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"
)

// WriteJSON writes the figures as one indented JSON object. Its names and
// units are the CSV's (durations in seconds, times RFC 3339 in UTC).
func WriteJSON(w io.Writer, f Figures) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(toJSON(f)); err != nil {
		return fmt.Errorf("write figures json: %w", err)
	}
	return nil
}

type jsonFigures struct {
	From       time.Time      `json:"from"`
	To         time.Time      `json:"to"`
	Priorities []jsonPriority `json:"priorities"`
	Backlog    []jsonBucket   `json:"backlog"`
	Breaches   []jsonBreach   `json:"breaches"`
	Operators  []jsonOperator `json:"operators"`
	Days       []jsonDay      `json:"days"`
	Hours      []jsonHour     `json:"hours"`
	Categories []jsonCategory `json:"categories"`
	Outcomes   []jsonOutcome  `json:"outcomes"`
}

type jsonStat struct {
	Count  int     `json:"count"`
	Median float64 `json:"median_s"`
	P90    float64 `json:"p90_s"`
}

type jsonPriority struct {
	Priority     string   `json:"priority"`
	Target       float64  `json:"target_s"`
	Ack          jsonStat `json:"ack"`
	Answer       jsonStat `json:"answer"`
	WithinTarget int      `json:"answer_within_target"`
	Share        float64  `json:"answer_within_target_share"` // rounded as the CSV has it
	Close        jsonStat `json:"close"`
}

type jsonBucket struct {
	Label string `json:"label"`
	Cases int    `json:"cases"`
}

type jsonBreach struct {
	Ref      string     `json:"ref"`
	Priority string     `json:"priority"`
	Due      time.Time  `json:"due"`
	Answered *time.Time `json:"answered_at"`
}

type jsonOperator struct {
	Name          string   `json:"name"`
	Open          int      `json:"open"`
	Answers       int      `json:"answers"`
	FirstResponse jsonStat `json:"first_response"`
}

type jsonDay struct {
	Date     string `json:"date"`
	Cases    int    `json:"cases"`
	Messages int    `json:"messages"`
}

type jsonHour struct {
	Hour     int `json:"hour"`
	Messages int `json:"messages"`
}

type jsonOutcome struct {
	Outcome Outcome `json:"outcome"`
	Closes  int     `json:"closes"`
}

type jsonCategory struct {
	Category string `json:"category"`
	Cases    int    `json:"cases"`
}

func toJSON(f Figures) jsonFigures {
	stat := func(s Stat) jsonStat { return jsonStat{s.Count, s.Median.Seconds(), s.P90.Seconds()} }
	j := jsonFigures{From: f.From.UTC(), To: f.To.UTC(), Priorities: []jsonPriority{}, Backlog: []jsonBucket{},
		Breaches: []jsonBreach{}, Operators: []jsonOperator{}, Days: []jsonDay{}, Hours: []jsonHour{}, Categories: []jsonCategory{}, Outcomes: []jsonOutcome{}}
	for _, p := range f.Priorities {
		j.Priorities = append(j.Priorities, jsonPriority{p.Priority.String(), p.Target.Seconds(), stat(p.Ack),
			stat(p.FirstAnswer), p.WithinTarget, math.Round(p.Share()*1e4) / 1e4, stat(p.Close)})
	}
	for _, b := range f.Backlog {
		j.Backlog = append(j.Backlog, jsonBucket{b.Label, b.Cases})
	}
	for _, b := range f.Breaches {
		jb := jsonBreach{Ref: b.Ref, Priority: b.Priority.String(), Due: b.Due.UTC()}
		if b.Answered != nil {
			a := b.Answered.UTC()
			jb.Answered = &a
		}
		j.Breaches = append(j.Breaches, jb)
	}
	for _, o := range f.Operators {
		j.Operators = append(j.Operators, jsonOperator{o.Name, o.Open, o.Answers, stat(o.FirstResponse)})
	}
	for _, d := range f.Days {
		j.Days = append(j.Days, jsonDay(d))
	}
	for _, h := range f.Hours {
		j.Hours = append(j.Hours, jsonHour(h))
	}
	for _, c := range f.Categories {
		j.Categories = append(j.Categories, jsonCategory(c))
	}
	for _, o := range f.Outcomes {
		j.Outcomes = append(j.Outcomes, jsonOutcome(o))
	}
	return j
}
