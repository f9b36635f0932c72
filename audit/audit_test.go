package audit_test

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/audit"
)

func ptr[T any](v T) *T { return &v }

// chain builds a valid chain of n events.
func chain(n int) []audit.Link {
	prev := audit.Genesis
	var ls []audit.Link
	for i := 1; i <= n; i++ {
		e := audit.Event{ID: int64(i * 10), CaseID: ptr(int64(i)), At: time.Date(2026, 12, 4, 10, i, 0, 123456000, time.UTC),
			Kind: "case_opened", Actor: "intake", Data: `{"message_id": 7}`}
		if i%2 == 0 {
			e.CaseID, e.RemoteAddr = nil, ptr("192.0.2.1/32")
		}
		h := audit.Hash(prev, int64(i), e)
		ls = append(ls, audit.Link{Seq: int64(i), Hash: h, Event: e})
		prev = h
	}
	return ls
}

func TestVerifier(t *testing.T) {
	t.Parallel()
	valid := chain(5)
	tests := []struct {
		name    string
		tamper  func([]audit.Link) []audit.Link
		expect  *audit.Head
		wantSeq int64 // 0: no break
		reason  string
	}{
		{name: "intact", tamper: func(l []audit.Link) []audit.Link { return l }},
		{name: "intact, through the expected head", tamper: func(l []audit.Link) []audit.Link { return l },
			expect: &audit.Head{Seq: 3, Hash: valid[2].Hash}},
		{name: "data changed", tamper: func(l []audit.Link) []audit.Link { l[2].Event.Data = `{"message_id": 8}`; return l },
			wantSeq: 3, reason: "differ from what was chained"},
		{name: "time moved by a microsecond", tamper: func(l []audit.Link) []audit.Link {
			l[1].Event.At = l[1].Event.At.Add(time.Microsecond)
			return l
		}, wantSeq: 2, reason: "differ"},
		{name: "case id set where there was none", tamper: func(l []audit.Link) []audit.Link { l[1].Event.CaseID = ptr(int64(0)); return l },
			wantSeq: 2, reason: "differ"},
		{name: "address removed", tamper: func(l []audit.Link) []audit.Link { l[3].Event.RemoteAddr = nil; return l },
			wantSeq: 4, reason: "differ"},
		{name: "actor and kind shifted", tamper: func(l []audit.Link) []audit.Link {
			l[0].Event.Kind, l[0].Event.Actor = "case_opene", "dintake"
			return l
		}, wantSeq: 1, reason: "differ"},
		{name: "link removed", tamper: func(l []audit.Link) []audit.Link { return append(l[:2], l[3:]...) },
			wantSeq: 4, reason: "seq 4 follows seq 2"},
		{name: "beginning removed", tamper: func(l []audit.Link) []audit.Link { return l[1:] },
			wantSeq: 2, reason: "starts at seq 2"},
		{name: "event deleted, link kept", tamper: func(l []audit.Link) []audit.Link { l[2].Missing = true; return l },
			wantSeq: 3, reason: "deleted"},
		{name: "two events swapped", tamper: func(l []audit.Link) []audit.Link {
			l[1].Event, l[2].Event = l[2].Event, l[1].Event
			return l
		}, wantSeq: 2, reason: "differ"},
		{name: "tail removed", tamper: func(l []audit.Link) []audit.Link { return l[:3] },
			expect: &audit.Head{Seq: 5, Hash: valid[4].Hash}, wantSeq: 3, reason: "ends at seq 3, before the expected head 5:"},
		{name: "rewritten wholesale", tamper: func(l []audit.Link) []audit.Link { return l },
			expect: &audit.Head{Seq: 4, Hash: valid[0].Hash}, wantSeq: 4, reason: "expected head"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			links := tt.tamper(chain(5))
			v := audit.NewVerifier()
			if tt.expect != nil {
				v.Expect(*tt.expect)
			}
			for _, l := range links {
				v.Add(l)
			}
			b := v.Finish()
			var gotSeq int64
			if b != nil {
				gotSeq = b.Seq
			}
			if gotSeq != tt.wantSeq || (b != nil && !strings.Contains(b.Reason, tt.reason)) {
				t.Errorf("break = %v, want one at seq %d saying %q", b, tt.wantSeq, tt.reason)
			}
			if b == nil && v.Head().Seq != int64(len(links)) {
				t.Errorf("head = %v after %d good links", v.Head(), len(links))
			}
		})
	}
}

func TestEncodeIsFixed(t *testing.T) {
	t.Parallel()
	// The database computes the same bytes (006_audit_chain.sql); a change
	// here breaks every chain already stored.
	e := audit.Event{ID: 1, CaseID: ptr(int64(2)), At: time.UnixMicro(3), Kind: "k", Actor: "ab", Data: "{}", RemoteAddr: ptr("::1/128")}
	want := "0000000000000001" + "01" + "0000000000000002" + "0000000000000003" + "00000001" + "6b" + "00000002" + "6162" +
		"00000002" + "7b7d" + "01" + "00000007" + "3a3a312f313238"
	if diff := cmp.Diff(want, hex.EncodeToString(audit.Encode(e))); diff != "" {
		t.Errorf("encoding (-want +got):\n%s", diff)
	}
}

func TestParseHead(t *testing.T) {
	t.Parallel()
	h := audit.Head{Seq: 42, Hash: chain(1)[0].Hash}
	got, err := audit.ParseHead(h.String())
	if err != nil || !cmp.Equal(h, got) {
		t.Errorf("ParseHead(%s) = %v, %v", h, got, err)
	}
	for _, bad := range []string{"", "42", "0:" + strings.Repeat("00", 32), "x:00", "42:abcd", "42:" + strings.Repeat("zz", 32)} {
		if _, err := audit.ParseHead(bad); err == nil {
			t.Errorf("ParseHead(%q) succeeded", bad)
		}
	}
}
