package message

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// hostileCases are messages built to cost time or memory, each with the
// words that must still be read (or "" when the text is out of reach and
// the message must say so) and the most Parse may allocate for it.
func hostileCases() []struct {
	name  string
	raw   []byte
	words string // "" : the text is out of reach, and Unreadable must say so
	limit uint64 // bytes Parse may allocate in all: an upper bound of its peak heap
} {
	const words = "a parom megutott, segitseg"
	head := "From: a@example.test\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
	html := func(body string) []byte {
		return []byte(head + "Content-Type: text/html; charset=utf-8\r\n\r\n" + body + "<p>" + words + "</p>\r\n")
	}
	var attrs strings.Builder
	for i := range 1_000_000 {
		fmt.Fprintf(&attrs, " a%d=1", i)
	}
	var parts bytes.Buffer
	parts.WriteString(head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n")
	for range 100_000 {
		parts.WriteString("--b\r\nContent-Type: image/png; name=k.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n")
	}
	parts.WriteString("--b\r\nContent-Type: text/plain\r\n\r\n" + words + "\r\n--b--\r\n")
	var deep strings.Builder
	deep.WriteString(head)
	for i := range 1000 {
		fmt.Fprintf(&deep, "Content-Type: multipart/mixed; boundary=n%d\r\n\r\n--n%d\r\n", i, i)
	}
	deep.WriteString("Content-Type: text/plain\r\n\r\n" + words + "\r\n")
	return []struct {
		name  string
		raw   []byte
		words string
		limit uint64
	}{
		{"one tag with a million attributes", html("<p" + attrs.String() + ">"), words, 20 << 20},
		{"an image of 5 MiB in an attribute", html(`<img src="data:image/png;base64,` + strings.Repeat("QUJD", 5<<18) + `">`), words, 64 << 20},
		{"a million entities", html(strings.Repeat("&amp;", 1_000_000)), words, 64 << 20},
		{"100,000 nested elements", html(strings.Repeat("<div><blockquote>", 100_000)), words, 64 << 20},
		{"a style of 8 MiB never closed", html("<style>" + strings.Repeat("p{} ", 2<<20)), "", 64 << 20},
		{"100,000 image parts, the text last", parts.Bytes(), words, 64 << 20},
		{"a header field of 20 MiB", []byte(head + "X-Long: " + strings.Repeat("a", 20<<20) + "\r\nContent-Type: text/plain\r\n\r\n" + words + "\r\n"), words, 64 << 20},
		{"10 MiB of white space in base64", []byte(head + "Content-Transfer-Encoding: base64\r\n\r\n" + strings.Repeat(" \t\r\n", 10<<18) + base64.StdEncoding.EncodeToString([]byte(words)) + "\r\n"), words, 64 << 20},
		{"text 1000 multiparts deep", []byte(deep.String()), "", 64 << 20},
		{"25 MiB of tiny text parts", []byte(head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + strings.Repeat("--b\r\n\r\nx\r\n", 25<<20/10)), "", 64 << 20},
	}
}

// TestParseHostileMemory parses each hostile message alone (not in
// parallel: the heap is the process's) and checks that its words are
// read, or the message says they are not, and that the heap Parse held
// at its peak stayed under the case's limit: 64 MiB for any, 20 MiB for
// the tag with a million attributes.
func TestParseHostileMemory(t *testing.T) {
	for _, c := range hostileCases() {
		var m *Message
		start := time.Now()
		peak, allocated := peakHeap(func() { m = Parse(c.raw) })
		t.Logf("%s: %.1f MiB message, %v, peak heap %.1f MiB, %.1f MiB allocated in all", c.name,
			float64(len(c.raw))/(1<<20), time.Since(start).Round(time.Millisecond), float64(peak)/(1<<20), float64(allocated)/(1<<20))
		if peak > c.limit {
			t.Errorf("%s: Parse held %.1f MiB at its peak, over %d MiB", c.name, float64(peak)/(1<<20), c.limit>>20)
		}
		switch {
		case c.words != "" && !strings.Contains(m.Text, c.words):
			t.Errorf("%s: words lost (unreadable %q, problems %q)", c.name, m.Unreadable, m.Problems)
		case c.words == "" && m.Unreadable == "":
			t.Errorf("%s: text out of reach but not unreadable (problems %q)", c.name, m.Problems)
		}
	}
}

// peakHeap runs f and returns the most heap it held beyond what was in
// use before, sampled every 50 µs, and the bytes it allocated in all (an
// upper bound of the peak). The collector runs at GOGC=10 meanwhile, so
// that the peak is what f holds rather than garbage that the pacer of a
// test process with a large heap would leave for later.
func peakHeap(f func()) (peak, allocated uint64) {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	base, allocs := s[0].Value.Uint64(), s[1].Value.Uint64()
	done, sampled := make(chan struct{}), make(chan uint64)
	go func() {
		high := uint64(0)
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(sample)
			high = max(high, sample[0].Value.Uint64())
			select {
			case <-done:
				sampled <- high
				return
			case <-time.After(50 * time.Microsecond):
			}
		}
	}()
	f()
	close(done)
	high := <-sampled
	metrics.Read(s)
	return max(high, s[0].Value.Uint64(), base) - base, s[1].Value.Uint64() - allocs
}
