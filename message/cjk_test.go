package message

import (
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Samples written for these tests: a plea for help as it might come in
// each language.
const (
	zhHant = "您好，我先生昨天晚上又打了我，我很害怕。孩子們都在家裡，我不知道該怎麼辦。請問你們可以幫助我嗎？我沒有錢，也沒有地方可以去。"
	zhHans = "您好，我丈夫昨天晚上又打了我，我很害怕。孩子们都在家里，我不知道该怎么办。请问你们可以帮助我吗？我没有钱，也没有地方可以去。"
	ja     = "こんにちは。夫が昨日の夜また私を殴りました。とても怖いです。子供たちは家にいますが、どうすればいいか分かりません。助けてください。"
	ko     = "안녕하세요. 남편이 어젯밤에 또 저를 때렸습니다. 너무 무서워요. 아이들은 집에 있는데 어떻게 해야 할지 모르겠습니다. 도와주세요."
	ru     = "Здравствуйте, муж вчера вечером опять меня избил, я боюсь за детей. Мы сейчас у соседки, но ей нельзя долго нас держать. Пожалуйста, ответьте, что нам делать."
	uk     = "Доброго дня, чоловік знову мене побив, і я боюся за дітей. Ми зараз у сусідки, але їй не можна довго нас тримати. Будь ласка, відповідайте, що нам робити, є ще родичі в Києві."
	huText = "Kedves Segítők! A férjem tegnap este megütött, és azt mondta, hogy megöl, ha elmondom valakinek. Félek, nem tudom, hová menjek a gyerekekkel."
	huMix  = "Szia, the meeting is at 5. Üdv, Ödön. Tóth Árpád írta: OK, köszi! ÁÉŐÚŰ"
)

func encode(t *testing.T, e encoding.Encoding, s string) string {
	t.Helper()
	b, err := e.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// TestDecodingForDoubleByte reads East-Asian text that comes labelled
// US-ASCII or not at all in its own charset, not as Cyrillic, and keeps
// reading Cyrillic and Hungarian as before.
func TestDecodingForDoubleByte(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		e    encoding.Encoding
		text string
		note string // after the label's part
	}{
		{"Big5", traditionalchinese.Big5, zhHant, "read as Big5"},
		{"GBK", simplifiedchinese.GBK, zhHans, "read as GBK"},
		{"Shift_JIS", japanese.ShiftJIS, ja, "read as Shift_JIS"},
		{"EUC-JP", japanese.EUCJP, ja, "read as EUC-JP"},
		{"EUC-KR", korean.EUCKR, ko, "read as EUC-KR"},
		{"Russian", charmap.Windows1251, ru, "read as windows-1251"},
		{"Ukrainian", charmap.Windows1251, uk, "read as windows-1251"},
		{"Hungarian", charmap.Windows1250, huText, "read as windows-1250"},
		{"Hungarian mixed", charmap.Windows1250, huMix, "read as windows-1250"},
	}
	for _, tt := range tests {
		b := encode(t, tt.e, tt.text)
		for _, lab := range []string{"us-ascii", ""} {
			d := decodingFor([]byte(b), lab)
			got := struct{ Text, Note string }{d.text([]byte(b)), d.note}
			want := struct{ Text, Note string }{tt.text, labelSays(lookupLabel(lab)) + "; " + tt.note}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s labelled %q (-want +got):\n%s", tt.name, lab, diff)
			}
			if d.unreadable {
				t.Errorf("%s labelled %q: unreadable", tt.name, lab)
			}
		}
	}
}

// TestDecodingForGarbage: 8-bit bytes no charset reads are unreadable,
// not Latin or Cyrillic garbage.
func TestDecodingForGarbage(t *testing.T) {
	t.Parallel()
	var blob []byte
	for i := range 16 {
		h := sha256.Sum256([]byte{byte(i)})
		blob = append(blob, h[:]...)
	}
	koi8, _ := charmap.KOI8R.NewEncoder().String(ru)
	for name, b := range map[string]string{
		"random bytes":          string(blob),
		"random text":           strings.Repeat("abc "+string(blob[:40])+"\n", 4),
		"Big5, half of it rare": encode(t, traditionalchinese.Big5, zhHant) + strings.Repeat("\xf0\x40", 62),
		"KOI8-R":                koi8,
	} {
		if d := decodingFor([]byte(b), "us-ascii"); !d.unreadable {
			t.Errorf("%s: read with note %q, want unreadable", name, d.note)
		}
	}
}
