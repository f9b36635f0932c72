package seal

import (
	"bytes"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

func benchmarkSeal(b *testing.B, ks *keySet, n int) {
	plain := randomBytes(n, 1)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ks.sealer.Seal(plain); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkOpen(b *testing.B, ks *keySet, n int) {
	sealed, err := ks.sealer.Seal(randomBytes(n, 1))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ks.opener.Open(sealed); err != nil {
			b.Fatal(err)
		}
	}
}

// A typical mail: 20 KiB.
func BenchmarkSeal20KiB(b *testing.B) { benchmarkSeal(b, keys(b, mainKeys), 20<<10) }
func BenchmarkOpen20KiB(b *testing.B) { benchmarkOpen(b, keys(b, mainKeys), 20<<10) }

func BenchmarkSeal20KiBRSA4096(b *testing.B) { benchmarkSeal(b, keys(b, rsaKeys), 20<<10) }
func BenchmarkOpen20KiBRSA4096(b *testing.B) { benchmarkOpen(b, keys(b, rsaKeys), 20<<10) }

func BenchmarkDigestAddress(b *testing.B) {
	ks := keys(b, mainKeys)
	b.ReportAllocs()
	for b.Loop() {
		ks.index.AddressDigest("<Anna.Kovacs@Example.HU>")
	}
}

// The largest mail intake accepts: 25 MiB. peak-MiB is the most heap in use
// during one operation beyond what was in use before it (the plaintext of
// the buffered variants included, as it was allocated earlier). The
// streaming variants read from a generator and write to io.Discard, as
// intake would from an IMAP literal into a database large object.
func BenchmarkSeal25MiB(b *testing.B) {
	const n = 25 << 20
	ks := keys(b, mainKeys)
	b.Run("SealReader", func(b *testing.B) {
		b.SetBytes(n)
		peak := newPeakHeap()
		for b.Loop() {
			peak.start()
			if err := ks.sealer.SealReader(io.Discard, randomReader(n, 1)); err != nil {
				b.Fatal(err)
			}
			peak.stop()
		}
		peak.report(b)
	})
	b.Run("Seal", func(b *testing.B) {
		plain := randomBytes(n, 1)
		b.SetBytes(n)
		peak := newPeakHeap()
		for b.Loop() {
			peak.start()
			if _, err := ks.sealer.Seal(plain); err != nil {
				b.Fatal(err)
			}
			peak.stop()
		}
		peak.report(b)
	})
}

func BenchmarkOpen25MiB(b *testing.B) {
	const n = 25 << 20
	ks := keys(b, mainKeys)
	var sealed bytes.Buffer
	if err := ks.sealer.SealReader(&sealed, randomReader(n, 1)); err != nil {
		b.Fatal(err)
	}
	b.Run("OpenReader", func(b *testing.B) {
		b.SetBytes(n)
		peak := newPeakHeap()
		for b.Loop() {
			peak.start()
			if err := ks.opener.OpenReader(io.Discard, bytes.NewReader(sealed.Bytes())); err != nil {
				b.Fatal(err)
			}
			peak.stop()
		}
		peak.report(b)
	})
	b.Run("Open", func(b *testing.B) {
		b.SetBytes(n)
		peak := newPeakHeap()
		for b.Loop() {
			peak.start()
			if _, err := ks.opener.Open(sealed.Bytes()); err != nil {
				b.Fatal(err)
			}
			peak.stop()
		}
		peak.report(b)
	})
}

// peakHeap samples the bytes in heap objects (live and not yet collected:
// what the process really holds) while an operation runs, and reports the
// largest rise over the level before it.
type peakHeap struct {
	max     uint64
	base    uint64
	done    chan struct{}
	wg      sync.WaitGroup
	samples []metrics.Sample
}

func newPeakHeap() *peakHeap {
	return &peakHeap{samples: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
}

func (p *peakHeap) read() uint64 {
	metrics.Read(p.samples)
	return p.samples[0].Value.Uint64()
}

func (p *peakHeap) start() {
	runtime.GC()
	p.base = p.read()
	p.done = make(chan struct{})
	p.wg.Go(func() {
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			if v := p.read(); v > p.base && v-p.base > p.max {
				p.max = v - p.base
			}
			select {
			case <-p.done:
				return
			case <-t.C:
			}
		}
	})
}

func (p *peakHeap) stop() {
	close(p.done)
	p.wg.Wait()
	if v := p.read(); v > p.base && v-p.base > p.max {
		p.max = v - p.base
	}
}

func (p *peakHeap) report(b *testing.B) {
	b.ReportMetric(float64(p.max)/(1<<20), "peak-MiB")
}
