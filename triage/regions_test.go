package triage

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// regionsOf renders a body with its regions marked line by line: N new,
// Q quoted, F forwarded, S signature. A line takes the region of its
// first non-space byte.
func regionsOf(text string, fwd bool) string {
	spans := findRegions(text, fwd)
	var b strings.Builder
	off := 0
	for _, l := range strings.Split(text, "\n") {
		at := off + len(l) - len(strings.TrimLeft(l, " \t"))
		mark := "N"
		for _, s := range spans {
			if s.start <= at && at < s.end || s.start <= at && at == s.end && len(strings.TrimSpace(l)) == 0 {
				mark = [...]string{"N", "Q", "F", "S"}[s.region]
			}
		}
		if strings.TrimSpace(l) == "" {
			mark = "."
		}
		b.WriteString(mark)
		off += len(l) + 1
	}
	return b.String()
}

func TestRegions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		fwd  bool
		text string
		want string
	}{{
		name: "gmail hu header wrapped over two lines",
		text: "Köszönöm, most biztonságban vagyunk.\n\nOKIT <okit@ncsszi.hu> ezt írta (időpont: 2025. jan. 12., V,\n21:40):\n\n> Kedves Kata!\n> ha megöli, hívja a 112-t",
		want: "N.QQ.QQ",
	}, {
		name: "gmail hu header wrapped before ezt írta",
		text: "Köszönöm.\n2013. június 5. 14:32 Nagy Kata <kata@example.hu>\nírta:\n> megöl",
		want: "NQQQ",
	}, {
		name: "sms quoted in the writer's own words is not a header",
		text: "Ezt irta nekem ma delutan sms-ben:\n\"megollek te kurva\"\nFelek.",
		want: "NNN",
	}, {
		name: "outlook hu block quotes the rest",
		text: "Köszönöm, megkaptam.\n\nFeladó: OKIT <okit@ncsszi.hu>\nElküldve: 2025. február 3., hétfő 9:12\nCímzett: Tóth Éva\nTárgy: RE: kérdés\n\nKedves Éva! fojtogatás",
		want: "N.QQQQ.Q",
	}, {
		name: "outlook english block under a Fwd subject is forwarded",
		fwd:  true,
		text: "See below.\nFrom: X <x@example.test>\nSent: Monday\nTo: me\nSubject: hi\n\nI will kill you",
		want: "NFFFF.F",
	}, {
		name: "eredeti üzenet separator",
		text: "Rendben.\n-------- Eredeti üzenet --------\nmegöllek",
		want: "NQQ",
	}, {
		name: "forwarded message separator",
		text: "Ezt kaptam:\n---------- Forwarded message ---------\nmegollek",
		want: "NFF",
	}, {
		name: "english on … wrote and bottom posting",
		text: "On Sat, 12 Apr 2025 at 22:10, OKIT <okit@ncsszi.hu> wrote:\n> are you safe?\n\nNo, he is at the door now.",
		want: "QQ.N",
	}, {
		name: "> lines inline",
		text: "> mikor tudsz jönni?\nHolnap.\n> és a gyerekek?\nVelem vannak.",
		want: "QNQN",
	}, {
		name: "dash dash signature",
		text: "Segítséget kérek.\n-- \nKiss Anna\nkrízisközpont munkatárs",
		want: "NSSS",
	}, {
		name: "closing and a few short lines",
		text: "Hol kaphatok segítséget?\n\nÜdvözlettel:\nVarga Tünde\ncsaládsegítő\nMakói Család- és Gyermekjóléti Központ",
		want: "N.SSSS",
	}, {
		name: "postscript after the closing is read",
		text: "Köszönöm.\n\nÜdv,\nAnna\n\nUi.: ma este megöl, ha megtudja",
		want: "N.SS.N",
	}, {
		name: "closing followed by a long paragraph is not a signature",
		text: "Köszönettel\n" + strings.Repeat("hosszú sor a levél közepén, amely nem aláírás, hanem folytatás ", 3),
		want: "NN",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, regionsOf(tc.text, tc.fwd)); diff != "" {
				t.Errorf("regions (-want +got):\n%s\ntext:\n%s", diff, tc.text)
			}
		})
	}
}

// TestQuotedBudget: a long thread's history beyond the first 4 KiB of
// quoted text is not read; the writer's new text always is.
func TestQuotedBudget(t *testing.T) {
	t.Parallel()
	text := "Köszönöm, jól vagyunk.\n\n" + strings.Repeat("> régi levél a láthatásról és a gyerektartásról\n", 120) + "> a ferjem ma este megol\n"
	spans := findRegions(text, false)
	if n := len(spans); n != 2 || spans[0].region != RegionQuoted || spans[1].region != RegionUnread ||
		spans[0].end-spans[0].start != quotedBudget || spans[1].end != len(text) {
		t.Fatalf("spans %+v", spans)
	}
	e := Default().Explain(Input{Text: text})
	for _, h := range e.Hits {
		if h.Rule == "kill-threat" {
			t.Errorf("unread quoted text was read: %+v", h)
		}
	}
	if e.Verdict.Priority != P3 { // legal words in the quoted part read
		t.Errorf("verdict %s", e.Verdict)
	}
}
