package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/search"
	"github.com/ncsszi/okit/storage/storagetest"
)

// benchWords are words a writer might use, in several forms.
var benchWords = strings.Fields(`a az és hogy nem is de már meg még csak ha mert vagy most itt ott ki mi
	férjem férjemet férje párom párommal élettársam anyám anyámat apám apu apámmal gyerekem gyerekeim gyerekeimmel fiam lányom
	megütött megver vert bántott bánt fenyeget fenyegetett megfenyegetett kiabál kiabált üvölt ordít lökött rúgott fojtogatott
	félek féltem rettegek sírok nem tudom segítség segítséget kérek kérnék tanácsot szeretnék elmenni elköltözni menekülni
	otthon otthonról lakás lakásból albérlet pénz pénzt nincs munka munkahely telefonom telefonomat elvette ellenőrzi
	rendőrség rendőrséget feljelentés távoltartás válás válni bíróság ügyvéd gyámhivatal családsegítő iskola óvoda
	krízisotthon krízisotthonba helyet szállás éjjel este reggel tegnap ma holnap hétvégén mindig sokszor néha évek óta
	útlevelemet útlevél dolgoznom kell tartoznak tartozás külföldön nem engednek ki bezárt bezár kulcs ajtó ablak
	iszik ivott részeg drogozik ütött pofon kék foltok sérülés orvos kórház látlelet bizonyíték fotó üzenet sms`)

// benchText is a writer's message of about 1.5 KiB made of benchWords,
// with a place name of its own.
func benchText(r *rand.Rand, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Helység%d közelében lakom. ", i)
	for b.Len() < 1500 {
		b.WriteString(benchWords[r.IntN(len(benchWords))])
		if r.IntN(9) == 0 {
			b.WriteString(". ")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// The search index of 100,000 cases, each with a writer's message of about
// 1.5 KiB (1,000 different ones, each opened anew per case) and a note in
// every tenth: the build's time and the memory it holds, then searches
// through the page, the index alone and the whole page (the audit event,
// 50 summaries opened, rendering). Targets: built in under a minute, a
// search's p99 within 200 ms. Writing the cases takes about a minute.
func BenchmarkSearch(b *testing.B) {
	c := newConsole(b)
	c.addUser(b, "op", account.Operator, "a long enough password")
	ctx := context.Background()
	pool := storagetest.Pool(c.st)
	r := rand.New(rand.NewPCG(1, 2))
	const distinct = 1000
	var raws, sums, notes [][]byte
	for i := range distinct {
		raw := fmt.Sprintf("From: Író %d <iro%d@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: Levél %d\r\nMessage-ID: <b%d@example.test>\r\n"+
			"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", i, i, i, i, benchText(r, i))
		sum, _ := json.Marshal(message.Summarize(message.Parse([]byte(raw))))
		sealed, err := c.keys.Sealer().SealTogether([]byte(raw), sum)
		if err != nil {
			b.Fatal(err)
		}
		note, err := c.keys.Sealer().Seal([]byte(benchText(r, i)[:300]))
		if err != nil {
			b.Fatal(err)
		}
		raws, sums, notes = append(raws, sealed[0]), append(sums, sealed[1]), append(notes, note)
	}
	_, err := pool.Exec(ctx, `
		INSERT INTO users (username, role) SELECT 'op' || g, 'operator' FROM generate_series(1, 20) g;
		INSERT INTO cases (ref, status, first_received, last_received, priority, categories, language, assignee_id)
		SELECT 'OKIT-2026-' || lpad(g::text, 6, '0'), CASE WHEN g % 10 = 0 THEN 'open' ELSE 'closed' END,
			now() - g * interval '5 minutes', now() - g * interval '5 minutes' + interval '1 hour', 1 + g % 4,
			ARRAY[(ARRAY['partner_violence', 'child_abuse', 'family_violence', 'trafficking'])[1 + g % 4]], 'hu',
			(SELECT id FROM users WHERE username = 'op' || (1 + g % 20))
		FROM generate_series(1, 100000) g`)
	if err == nil {
		_, err = pool.Exec(ctx, `
			INSERT INTO messages (case_id, direction, raw_sealed, summary_sealed, raw_digest, size, internal_date, parse_status, priority)
			SELECT c.id, 'in', ($1::bytea[])[1 + c.id % 1000], ($2::bytea[])[1 + c.id % 1000], int8send(c.id), 1600, c.first_received, 'ok', c.priority
			FROM cases c`, raws, sums)
	}
	if err == nil {
		_, err = pool.Exec(ctx, `INSERT INTO notes (case_id, kind, body_sealed, author) SELECT id, 'note', ($1::bytea[])[1 + id % 1000], 'user:op1'
			FROM cases WHERE id % 10 = 0`, notes)
	}
	if err == nil {
		_, err = pool.Exec(ctx, `ANALYZE cases; ANALYZE messages; ANALYZE notes`)
	}
	if err != nil {
		b.Fatal(err)
	}

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start, cpu0 := time.Now(), cpuTime()
	if err := c.srv.index.sync(ctx, c.srv.index.index(), nil, true); err != nil {
		b.Fatal(err)
	}
	built, cpu := time.Since(start), cpuTime()-cpu0
	runtime.GC()
	runtime.ReadMemStats(&after)
	size := c.srv.index.index().Size()
	b.Logf("index of %d cases: built in %v (%v of this process's CPU), %d terms, %d postings, heap %.0f MiB", size.Cases, built.Round(time.Millisecond), cpu.Round(time.Millisecond),
		size.Terms, size.Postings, float64(after.HeapAlloc-before.HeapAlloc)/(1<<20))
	if size.Cases != 100000 {
		b.Fatalf("the index holds %d cases", size.Cases)
	}

	queries := []url.Values{
		{"q": {"megutotte"}}, {"q": {"ferjemet fenyeget"}}, {"q": {"Helység4711"}}, {"q": {"utlevel"}},
		{"q": {"krizisotthon"}, "status": {"open"}}, {"category": {"trafficking"}, "status": {"open"}},
		{"q": {"rendorseg tavoltartas"}, "priority": {"1"}}, {"q": {"OKIT-2026-004242"}}, {"operator": {"op3"}, "from": {time.Now().AddDate(0, 0, -7).Format(time.DateOnly)}},
		{"q": {"a"}},
	}
	cookie := c.session(b, "op", true)
	h := c.srv.Handler()
	var page, index []time.Duration
	i, cpu0 := 0, cpuTime()
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		req := httptest.NewRequest(http.MethodGet, "/search?"+q.Encode(), nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, req)
		page = append(page, time.Since(t0))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", q.Encode(), rec.Code)
		}
	}
	pageCPU := (cpuTime() - cpu0) / time.Duration(len(page))
	// The index alone, as many times: what the search costs without the
	// database (the audit event, the rows of the results).
	cpu0 = cpuTime()
	for i := range page {
		q := queries[i%len(queries)]
		t0 := time.Now()
		c.srv.index.index().Search(search.Query{Text: q.Get("q"), Status: q.Get("status"), Limit: searchLimit})
		index = append(index, time.Since(t0))
	}
	indexCPU := (cpuTime() - cpu0) / time.Duration(len(index))
	pct := func(ts []time.Duration, p int) float64 {
		slices.Sort(ts)
		return float64(ts[(len(ts)*p+99)/100-1].Microseconds()) / 1000
	}
	b.ReportMetric(built.Seconds(), "s-build")
	b.ReportMetric(cpu.Seconds(), "s-build-cpu")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-index")
	b.ReportMetric(pct(page, 50), "ms-page-p50")
	b.ReportMetric(pct(page, 99), "ms-page-p99")
	b.ReportMetric(float64(pageCPU.Microseconds())/1000, "ms-page-cpu")
	b.ReportMetric(pct(index, 50), "ms-index-p50")
	b.ReportMetric(pct(index, 99), "ms-index-p99")
	b.ReportMetric(float64(indexCPU.Microseconds())/1000, "ms-index-cpu")
}

// cpuTime is the CPU time this process has used: on a machine shared with
// other work, what the build costs whatever the wall clock says.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
