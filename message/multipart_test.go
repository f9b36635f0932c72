package message

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPartScanner splits bodies at delimiters as RFC 2046's grammar
// writes them, and resynchronises after what is not one.
func TestPartScanner(t *testing.T) {
	t.Parallel()
	type result struct {
		Parts  []string
		Closed bool
		Junk   int
	}
	tests := []struct {
		name, body string
		want       result
	}{
		{"plain", "preamble\r\n--b\r\negy\r\n--b\r\nketto\r\n--b--\r\nepilogue", result{[]string{"egy", "ketto"}, true, 0}},
		{"a longer boundary is another one", "--b\r\nelso\r\n--b-1\r\nbelso\r\n--b-1--\r\n--b--", result{[]string{"elso\r\n--b-1\r\nbelso\r\n--b-1--"}, true, 0}},
		{"white space after the boundary", "--b \t\r\negy\r\n--b--  \r\n", result{[]string{"egy"}, true, 0}},
		{"text after white space", "--b nem resze\r\negy\r\n--b--", result{[]string{"egy"}, true, 1}},
		{"not at the start of a line", "--b\r\negy --b\r\n--b--", result{[]string{"egy --b"}, true, 0}},
		{"a doubled delimiter makes an empty part", "--b\r\n--b\r\negy\r\n--b--", result{[]string{"", "egy"}, true, 0}},
		{"no close delimiter", "--b\r\negy\r\n--b\r\nketto\r\n", result{[]string{"egy", "ketto\r\n"}, false, 0}},
		{"no delimiter", "csak szoveg\r\n", result{nil, false, 0}},
		{"bare LF", "--b\negy\n--b--\n", result{[]string{"egy"}, true, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newPartScanner([]byte(tt.body), "b")
			var got result
			for p, ok := s.next(); ok; p, ok = s.next() {
				got.Parts = append(got.Parts, string(p))
			}
			got.Closed, got.Junk = s.closed, s.junk
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("parts of %q (-want +got):\n%s", tt.body, d)
			}
		})
	}
}

func TestGuessBoundary(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		"Ez egy MIME level.\r\n\r\n--valodi\r\nContent-Type: text/plain\r\n\r\nx\r\n--valodi--\r\n": "valodi",
		"-- \r\nalairas\r\n":                         "",
		"--nem hatar, szoveg\r\nContent-Type: x\r\n": "",
	} {
		if got := guessBoundary([]byte(body)); got != want {
			t.Errorf("guessBoundary(%q) = %q, want %q", body, got, want)
		}
	}
}
