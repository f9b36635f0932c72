package message

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"
)

// TestDecodingFor reads the labels mailers write, checked against the
// bytes they label.
func TestDecodingFor(t *testing.T) {
	t.Parallel()
	hu := "Félek, ő ütött meg"
	w1250, _ := charmap.Windows1250.NewEncoder().String(hu)
	latin2, _ := charmap.ISO8859_2.NewEncoder().String(hu)
	tests := []struct {
		label, bytes string
		want         string
		repaired     bool // a problem says how the text was read
	}{
		{"windows-1250", w1250, hu, false},
		{"cp-1250", w1250, hu, false},
		{"win-1250", w1250, hu, false},
		{"Windows1250 ", w1250, hu, false},
		{"x-cp1250", w1250, hu, false},
		{"iso8859-2", latin2, hu, false},
		{"ISO_8859-2:1987", latin2, hu, false},
		{"iso-8859-2:1987", latin2, hu, false},
		{"l2", latin2, hu, false},
		{"iso-latin-2", latin2, hu, false},
		{`"utf-8"`, hu, hu, false},
		{"unicode-1-1-utf-8", hu, hu, false},
		{"", hu, hu, false},
		{"utf-8", w1250, hu, true},
		{"iso-8859-2", hu, hu, true},
		{"us-ascii", w1250, hu, true},
		{"ANSI_X3.4-1968", w1250, hu, true},
		{"x-unknown", w1250, hu, true},
		{"x-user-defined", w1250, hu, true},
		{"iso-8859-2", "\x84" + latin2 + "\x94", "„" + hu + "”", true},
		{"utf-7", "A+ImIDkQ. +-1 f+AOk-lek +2D3eAQ-", "A≢Α. +1 félek 😁", false},
		{"ibm037", "\xc8\x85\x93\x97", "Help", false},
		{"ebcdic-cp-be", "\xc8\x85\x93\x97", "Help", false},
		{"", "\xcf\xee\xec\xee\xe3\xe8\xf2\xe5, \xec\xf3\xe6 \xec\xe5\xed\xff \xe8\xe7\xe1\xe8\xeb", "Помогите, муж меня избил", true},
		{"", "f\xfcr \xe4rger, da\xdf \xe4lter", "für ärger, daß älter", true}, // German stays windows-1250, which has these
		{"utf-16", "\xff\xfeA\x00\x51\x01", "Aő", false},
		{"utf-16", "A\x00\x51\x01", "Aő", true},
		{"", "\xfe\xff\x00A\x01\x51\x00b\x00c", "Aőbc", true},
	}
	for _, tt := range tests {
		d := decodingFor([]byte(tt.bytes), tt.label)
		got := struct {
			Text     string
			Repaired bool
		}{d.text([]byte(tt.bytes)), d.note != ""}
		want := got
		want.Text, want.Repaired = tt.want, tt.repaired
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("label %q, bytes %q (-want +got):\n%s(note %q)", tt.label, tt.bytes, diff, d.note)
		}
	}
}

func TestDecodeWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want  string
		malformed bool
	}{
		{"=?utf-8?q?seg=C3=ADts=C3=A9g?= kell", "segítség kell", false},
		{"=?UTF-8?B?U2Vnw60=?= =?UTF-8?B?dHPDqWc=?=", "Segítség", false},
		{"=?UTF-8?B?w6==?= =?UTF-8?B?qQ==?=", "é", false}, // one character split over two words
		{"=?iso-8859-2*hu?Q?=F5r=FCl=E9s?=", "őrülés", false},
		{"=?iso-8859-2?Q?Seg\xedts\xe9g?=", "Segítség", false},
		{"=?utf-8?q?a?= =?iso-8859-2?q?=F5?=", "aő", false},
		{"Re: =?utf-8?q?k=C3=A9rd=C3=A9s?= (2)", "Re: kérdés (2)", false},
		{"=?utf-8?x?abc?= marad", "=?utf-8?x?abc?= marad", true},
		{"=?utf-8?q?nincs vege", "=?utf-8?q?nincs vege", true},
	}
	for _, tt := range tests {
		got, _, malformed := decodeWords(tt.in)
		if got != tt.want || malformed != tt.malformed {
			t.Errorf("decodeWords(%q) = %q, malformed %v; want %q, %v", tt.in, got, malformed, tt.want, tt.malformed)
		}
	}
}
