package web

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// On a week of known figures (storagetest.Week, whose exact answers the
// storage tests check, and which okit report is checked against), the
// dashboard's CSV is okit report's, byte for byte, and its page shows the
// same counts, times, shares, breaches and operators; the export is
// recorded.
func TestDashboardAgreesWithReport(t *testing.T) {
	t.Parallel()
	clock := &storagetest.Clock{}
	st := storagetest.Open(t, storagetest.URL(t), true, clock.Now)
	storagetest.WriteWeek(t, st, clock)
	c := newConsoleOn(t, st, clock.Now)
	c.addUser(t, "sup", account.Supervisor, "a long enough password")
	f, err := st.Figures(context.Background(), storagetest.WeekFrom, storagetest.WeekTo, triage.DefaultTargets)
	if err != nil {
		t.Fatal(err)
	}
	cookie := c.session(t, "sup", true)
	get := func(path string) string {
		t.Helper()
		resp, body := c.do(t, cookie, http.MethodGet, path, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d\n%s", path, resp.StatusCode, body)
		}
		return body
	}
	period := "?from=2026-11-02&last=2026-11-08"

	var want bytes.Buffer
	report.WriteCSV(&want, f)
	if diff := cmp.Diff(want.String(), get("/dashboard.csv"+period)); diff != "" {
		t.Errorf("dashboard CSV (-report +console):\n%s", diff)
	}
	var exports int
	storagetest.Pool(st).QueryRow(context.Background(), `SELECT count(*) FROM case_events WHERE kind = 'export' AND actor = 'user:sup'`).Scan(&exports)
	if exports != 1 {
		t.Errorf("%d export events, want 1", exports)
	}

	page := get("/dashboard" + period)
	if !strings.Contains(page, "okit report --from 2026-11-02 --to 2026-11-09") {
		t.Error("the page does not name the okit report command of its period")
	}
	row := func(attr string) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)<tr ` + regexp.QuoteMeta(attr) + `>(.*?)</tr>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no row %s on the page", attr)
		}
		return m[1]
	}
	words := spanner{c.srv.catalogs["hu"]} // durations as the page says them
	stat := func(s report.Stat) string {
		if s.Count == 0 {
			return "—"
		}
		return strconv.Itoa(s.Count) + "</span> · " + words.Span(s.Median) + " / " + words.Span(s.P90)
	}
	for _, p := range f.Priorities {
		r := row(`data-priority="` + p.Priority.String() + `"`)
		for _, want := range []string{stat(p.Ack), stat(p.FirstAnswer), stat(p.Close), words.Span(p.Target)} {
			if !strings.Contains(r, want) {
				t.Errorf("%s row lacks %q:\n%s", p.Priority, want, r)
			}
		}
		if p.FirstAnswer.Count > 0 && !strings.Contains(r, strconv.Itoa(p.WithinTarget)+"/"+strconv.Itoa(p.FirstAnswer.Count)) {
			t.Errorf("%s row lacks the share within target:\n%s", p.Priority, r)
		}
	}
	for _, o := range f.Operators {
		r := row(`data-operator="` + o.Name + `"`)
		if !strings.Contains(r, `<td class="sent">`+strconv.Itoa(o.Answers)+`</td>`) || !strings.Contains(r, stat(o.FirstResponse)) {
			t.Errorf("operator %s: %+v, row:\n%s", o.Name, o, r)
		}
	}
	for _, b := range f.Breaches {
		if !strings.Contains(page, `href="/cases/`+b.Ref+`"`) {
			t.Errorf("breach %s is not on the page", b.Ref)
		}
	}
	if len(f.Breaches) == 0 || len(f.Operators) == 0 {
		t.Fatal("the week has no breaches or operators: the test checks nothing")
	}
}

// spanner says durations as a page in its catalog's language does.
type spanner struct{ cat *catalog }

func (s spanner) Span(d time.Duration) string { return (&page{catalog: s.cat}).Span(d) }
