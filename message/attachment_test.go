package message

import (
	"bytes"
	"os"
	"testing"
)

// Every attachment a message lists can be taken out with the size it was
// listed with; asking past the end finds nothing.
func TestAttachmentData(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"mixed-pdf-image", "rfc2231-filename", "forwarded-rfc822"} {
		raw, err := os.ReadFile("testdata/" + name + ".eml")
		if err != nil {
			t.Fatal(err)
		}
		m := Parse(raw)
		if len(m.Attachments) == 0 {
			t.Fatalf("%s: no attachments listed", name)
		}
		for i, want := range m.Attachments {
			att, data, ok := AttachmentData(raw, i)
			if !ok || att != want || int64(len(data)) != want.Size {
				t.Errorf("%s #%d: got %+v, %d bytes, %v; want %+v", name, i, att, len(data), ok, want)
			}
		}
		if _, _, ok := AttachmentData(raw, len(m.Attachments)); ok {
			t.Errorf("%s: an attachment past the last one was found", name)
		}
	}
	raw, _ := os.ReadFile("testdata/mixed-pdf-image.eml")
	if _, data, _ := AttachmentData(raw, 0); !bytes.HasPrefix(data, []byte("%PDF")) {
		t.Errorf("the first attachment of mixed-pdf-image is not the PDF: %.20q", data)
	}
}
