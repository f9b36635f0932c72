package intake_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// benchText is the writer's own words: about 1.3 KiB, a long help-seeking
// mail.
const benchText = `Jó napot kívánok!

Nem tudom, jó helyre írok-e, de egy ismerősöm azt mondta, hogy önök tudnak segíteni.
Harmincnégy éves vagyok, két gyerekem van, egy hét- és egy tízéves. A párommal tizenkét
éve élünk együtt, az utóbbi két évben egyre rosszabb a helyzet. Ha iszik, kiabál velem,
összetöri a dolgokat, és múlt héten először meg is ütött. A gyerekek látták. Azóta
mindig félek, amikor hazajön a munkából, és figyelem, milyen hangulatban van.

A pénzt ő kezeli, nekem nincs saját bankkártyám, és ha elmegyek otthonról, mindig
tudni akarja, hol vagyok és kivel beszélek. Az anyukám vidéken él, hozzá nem tudunk
elmenni, mert ott nincs hely, és a páromnak az lenne az első, ahol keresne minket.

Azt szeretném megkérdezni, hogyan működik a krízisotthon, mennyi ideig lehet ott
maradni, és kell-e fizetni érte. Azt is szeretném tudni, hogy ha elmegyek a
gyerekekkel, akkor az iskolába tovább járhatnak-e, vagy át kell íratni őket.
Félek, hogy ha feljelentem, csak rosszabb lesz, és elveszi tőlem a gyerekeket.

Telefonálni nem nagyon tudok, mert mindig otthon van, amikor a gyerekek is itthon
vannak. Napközben, amikor dolgozik, tudok írni. Kérem, válaszoljanak erre a címre,
ezt a fiókot ő nem ismeri.

Köszönöm szépen a segítséget.
Üdvözlettel:
Szabó Ilona`

// message20KiB is a realistic 20 KiB message as a phone or webmail sends
// it: the text above in quoted-printable, the same as HTML, and a photo of
// about 12 KiB in base64.
func message20KiB(i int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: =?utf-8?q?Szab=C3=B3_Ilona?= <ilona.szabo%d@example.hu>\r\nTo: okit@ncsszi.hu\r\n"+
		"Subject: =?utf-8?q?Seg=C3=ADts=C3=A9get_k=C3=A9rek?= %d\r\nMessage-ID: <bench-%d-%d@example.hu>\r\n"+
		"Date: Tue, 24 Nov 2026 03:12:00 +0100\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"+
		"Content-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n--b2\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", i, i, i, time.Now().UnixNano())
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(benchText, "\n", "\r\n")))
	qp.Close()
	b.WriteString("\r\n--b2\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp = quotedprintable.NewWriter(&b)
	qp.Write([]byte(`<html><head><style>p{font-family:Arial}</style></head><body><div dir="ltr">`))
	for _, para := range strings.Split(benchText, "\n\n") {
		qp.Write([]byte("<p>" + strings.ReplaceAll(para, "\n", "<br>\r\n") + "</p>\r\n"))
	}
	qp.Write([]byte("</div></body></html>"))
	qp.Close()
	b.WriteString("\r\n--b2--\r\n\r\n--b1\r\nContent-Type: image/jpeg; name=\"IMG_2041.jpg\"\r\n" +
		"Content-Disposition: attachment; filename=\"IMG_2041.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	photo := make([]byte, 57)
	for b.Len() < 20<<10-80 {
		for j := range photo {
			photo[j] = byte(b.Len() * (j + 1))
		}
		b.WriteString(base64.StdEncoding.EncodeToString(photo) + "\r\n")
	}
	b.WriteString("--b1--\r\n")
	return b.Bytes()
}

// BenchmarkIntake20KiB measures durable intake: fetch, parse, seal, insert
// and commit, then move, of 20 KiB messages against an in-process IMAP
// server and a real PostgreSQL, connected as the schema's owner and as
// okit_intake, the role okit serve runs intake as (column privileges and
// the chain's SECURITY DEFINER functions may cost something).
func BenchmarkIntake20KiB(b *testing.B) {
	for _, role := range []string{"owner", storage.IntakeRole} {
		b.Run(role, func(b *testing.B) { benchmarkIntake20KiB(b, role) })
	}
}

func benchmarkIntake20KiB(b *testing.B, role string) {
	f := newFixture(b, demo.MailboxOptions{})
	if role != "owner" {
		f.store = storagetest.Open(b, storagetest.As(b, f.url, role), false, time.Now)
	}
	f.cfg.BatchSize = 100
	b.StopTimer()
	for i := range b.N {
		if err := f.mbox.Deliver(message20KiB(i), time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	in := f.intake()
	b.StartTimer()
	start := time.Now()
	st, err := in.Once(context.Background())
	elapsed := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if st.Stored != b.N {
		b.Fatalf("stored %d of %d", st.Stored, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}

// latencyStore notes when each commit returns.
type latencyStore struct {
	intake.Store
	mu        sync.Mutex
	committed map[uint32]time.Time
}

func (l *latencyStore) Save(ctx context.Context, mb string, cp intake.Checkpoint, recs []intake.Record, ack *replies.AckPolicy) ([]intake.Outcome, error) {
	outs, err := l.Store.Save(ctx, mb, cp, recs, ack)
	now := time.Now()
	l.mu.Lock()
	for _, r := range recs {
		l.committed[r.UID] = now
	}
	l.mu.Unlock()
	return outs, err
}

// BenchmarkArrivalToCommit measures, with IDLE, the time from a message's
// arrival in the mailbox to the commit of its case: messages arrive one by
// one, 20 ms apart.
func BenchmarkArrivalToCommit(b *testing.B) {
	f := newFixture(b, demo.MailboxOptions{})
	ls := &latencyStore{Store: f.store, committed: map[uint32]time.Time{}}
	in := intake.New(f.cfg, ls, keys.sealer, keys.index, discard(), time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go in.Run(ctx)
	for !in.Health().Report().OK {
		time.Sleep(10 * time.Millisecond)
	}
	arrived := make([]time.Time, b.N)
	b.ResetTimer()
	for i := range b.N {
		arrived[i] = time.Now()
		if err := f.mbox.Deliver(message20KiB(i), arrived[i]); err != nil {
			b.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ls.mu.Lock()
		n := len(ls.committed)
		ls.mu.Unlock()
		if n == b.N || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	ls.mu.Lock()
	defer ls.mu.Unlock()
	var lat []time.Duration
	for i := range b.N {
		if c, ok := ls.committed[uint32(i+1)]; ok { // UIDs start at 1
			lat = append(lat, c.Sub(arrived[i]))
		}
	}
	if len(lat) != b.N {
		b.Fatalf("%d of %d committed", len(lat), b.N)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

func TestBenchMessageIsRealistic(t *testing.T) {
	t.Parallel()
	raw := message20KiB(1)
	m := message.Parse(raw)
	if len(raw) < 19<<10 || len(raw) > 21<<10 || m.Status != message.ParseOK || len(m.Attachments) != 1 || !strings.Contains(m.Text, "krízisotthon") {
		t.Errorf("benchmark message: %d bytes, status %s, %d attachments", len(raw), m.Status, len(m.Attachments))
	}
}
