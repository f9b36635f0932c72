package web

import (
	"strings"
	"time"
)

// Span says a duration as people say it, in the page's language:
// "45 mp", "12 perc", "1 óra 4 perc", "2 nap 4 óra" ("12 min", "1 h 4 min"
// in English). The clocks' script counts on with the same words
// (data-units on the page's body).
func (p *page) Span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	m := int(d.Minutes())
	switch {
	case d < time.Minute:
		return p.T("unit.s", int(d.Seconds()))
	case m < 60:
		return p.T("unit.m", m)
	case m < 24*60 && m%60 == 0:
		return p.T("unit.h", m/60)
	case m < 24*60:
		return p.T("unit.hm", m/60, m%60)
	default:
		return p.T("unit.dh", m/(24*60), m%(24*60)/60)
	}
}

// Left says how long until t, or since, from the page's time.
func (p *page) Left(t time.Time) string { return p.Span(t.Sub(p.Now)) }

// Units are the words of Span for the clocks' script, as JSON.
func (p *page) Units() map[string]string {
	return map[string]string{"m": p.T("unit.m"), "hm": p.T("unit.hm"), "h": p.T("unit.h"), "dh": p.T("unit.dh")}
}

// withPage carries the page into a partial rendered with other data, for
// its words.
type withPage struct {
	P *page
	V any
}

// With pairs v with the page for a partial: {{template "stat" ($.With .Ack)}}.
func (p *page) With(v any) withPage { return withPage{P: p, V: v} }

// Who names the one an event records as its actor: a user by name
// ("user:anna" is anna), the command line's user by theirs, okit's own
// parts by what they do. No page shows the recorded form.
func (p *page) Who(actor string) string {
	kind, name, ok := strings.Cut(actor, ":")
	switch {
	case kind == "user" && ok:
		return name
	case kind == "cli" && ok:
		return p.T("actor.cli", name)
	case p.hasKey("actor." + actor):
		return p.T("actor." + actor)
	}
	return p.T("actor.okit")
}

// langTag is the lang attribute of a writer's text in a language triage
// recognised ("en" inside a Hungarian page), so that a screen reader reads
// it in its language; "" for a language it did not ("other").
func langTag(lang string) string {
	if len(lang) == 2 {
		return lang
	}
	return ""
}
