package message

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// date parses the Date field, leniently; zero when absent or unreadable.
func (p *parser) date(h header, where string) time.Time {
	v := h.get("Date")
	if strings.TrimSpace(v) == "" {
		return time.Time{}
	}
	t, err := mail.ParseDate(v)
	if err != nil {
		t, err = lenientDate(v)
	}
	if err != nil {
		p.problem("%sDate: not a date; left empty", where)
		return time.Time{}
	}
	return fixZone(t)
}

var (
	comment = regexp.MustCompile(`\([^()]*\)`)
	weekday = regexp.MustCompile(`^[A-Za-z]+,\s*`)
)

// dateLayouts are forms seen in the wild that net/mail does not take;
// tried after the weekday and comments are removed.
var dateLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04 -0700",
	"2 January 2006 15:04:05 -0700",
	"2 January 2006 15:04 -0700",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 MST 2006",
	time.RFC3339,
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006.01.02 15:04:05",
	"2006.01.02. 15:04:05",
}

func lenientDate(v string) (time.Time, error) {
	s := comment.ReplaceAllString(v, " ")
	s = strings.Join(strings.Fields(s), " ")
	s = weekday.ReplaceAllString(s, "")
	var err error
	for _, layout := range dateLayouts {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// centralEurope are the zone abbreviations Hungarian mailers write in
// place of an offset. time.Parse gives an unknown abbreviation offset zero
// (or the local offset, on a server in Budapest); these make it the same
// everywhere.
var centralEurope = map[string]int{"CET": 1 * 3600, "MET": 1 * 3600, "CEST": 2 * 3600, "MEST": 2 * 3600}

func fixZone(t time.Time) time.Time {
	name, off := t.Zone()
	if want, ok := centralEurope[name]; ok && off != want {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, want))
	}
	return t
}
