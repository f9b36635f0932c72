package search

import (
	"strings"
	"testing"
)

// benchText is a writer's message of about 1.5 KiB.
var benchText = strings.Repeat("A férjem tegnap este megütött, és azt mondta, ha elmegyek a gyerekekkel, megtalál. Félek hazamenni, "+
	"a telefonomat is ellenőrzi. Segítséget kérnék, hogyan kérhetek távoltartást, és van-e hely egy krízisotthonban. ", 7)

// Putting one case of a 1.5 KiB message into an index: the tokenizer
// and the postings, what the build spends besides decrypting.
func BenchmarkPut(b *testing.B) {
	x := New(Terms)
	b.SetBytes(int64(len(benchText)))
	i := int64(0)
	for b.Loop() {
		i++
		x.Put(Case{ID: i, Ref: "r"}, []string{"Anna", "anna@example.test", "Segítség", benchText}, false)
	}
}
