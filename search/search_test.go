package search

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestStemMeetsForms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ a, b string }{
		{"férjem", "férjemet"}, {"megütött", "megutotte"}, {"gyerekek", "gyerekemet"}, {"anyám", "anyja"},
		{"otthon", "otthonról"}, {"Segítség", "segitseget"},
	} {
		var a, b []string
		Terms(tc.a, func(_, s string) { a = append(a, s) })
		Terms(tc.b, func(_, s string) { b = append(b, s) })
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%q and %q do not meet (-a +b):\n%s", tc.a, tc.b, diff)
		}
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }
	x := New(Terms)
	x.Put(Case{ID: 1, Ref: "OKIT-2026-000001", Status: "open", Priority: 2, Categories: []string{"child_abuse"}, First: day(1), Last: day(2)},
		[]string{"Bogi <bogi@example.test>", "Apu megütött tegnap este, félek hazamenni."}, false)
	x.Put(Case{ID: 2, Ref: "OKIT-2026-000002", Status: "closed", Priority: 1, Categories: []string{"trafficking"}, Assignee: "anna",
		First: day(5), Last: day(6)}, []string{"Elvették az útlevelemet, dolgoznom kell."}, false)
	x.Put(Case{ID: 3, Ref: "OKIT-2026-000003", Status: "open", Priority: 4, First: day(9), Last: day(9)},
		[]string{"Kérdésem lenne a válásról."}, false)
	// The build comes late with an old copy: it does not overwrite.
	x.Put(Case{ID: 3, Ref: "OKIT-2026-000003", Status: "open", Priority: 4}, []string{"semmi"}, true)
	ids := func(q Query) []int64 {
		q.Limit = 10
		var out []int64
		for _, c := range x.Search(q).Cases {
			out = append(out, c.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		q    Query
		want []int64
	}{
		{"another form, no accents", Query{Text: "megutotte"}, []int64{1}},
		{"two words, both needed", Query{Text: "apu félek"}, []int64{1}},
		{"one word missing", Query{Text: "apu útlevél"}, nil},
		{"a prefix", Query{Text: "utlev"}, []int64{2}},
		{"the sender's address", Query{Text: "bogi@example.test"}, []int64{1}},
		{"a reference", Query{Text: "okit-2026-000003"}, []int64{3}},
		{"the late build left the words", Query{Text: "valas"}, []int64{3}},
		{"filters alone, open first", Query{}, []int64{1, 3, 2}},
		{"category and period", Query{Category: "trafficking", From: day(4), To: day(8)}, []int64{2}},
		{"period outside", Query{Category: "trafficking", From: day(7)}, nil},
		{"status", Query{Status: "open", Priority: 4}, []int64{3}},
		{"operator", Query{Assignee: "anna"}, []int64{2}},
	} {
		if diff := cmp.Diff(tc.want, ids(tc.q)); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tc.name, diff)
		}
	}
	// New words replace the old; facts alone keep the words.
	x.Put(Case{ID: 1, Ref: "OKIT-2026-000001", Status: "closed", Priority: 2}, []string{"Most már biztonságban vagyok."}, false)
	x.Put(Case{ID: 1, Ref: "OKIT-2026-000001", Status: "open", Priority: 1}, nil, false)
	if got := ids(Query{Text: "megütött"}); got != nil {
		t.Errorf("old words still found: %v", got)
	}
	if got := ids(Query{Text: "biztonsag", Priority: 1}); !cmp.Equal(got, []int64{1}) {
		t.Errorf("new words and facts: %v", got)
	}
	if dead, cases := x.Dead(); dead != 1 || cases != 3 {
		t.Errorf("%d dead documents of %d cases, want 1 of 3: new words leave the old document dead", dead, cases)
	}
	x.Remove(2)
	if got := ids(Query{Text: "utlevel"}); got != nil {
		t.Errorf("a removed case is found: %v", got)
	}
}
