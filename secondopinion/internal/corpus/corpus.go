// Package corpus reads the project's labelled triage corpus
// (triage/testdata/corpus, see its README) for training the starting
// model and for the tests that measure it.
package corpus

import (
	"bytes"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strings"

	"github.com/ncsszi/okit/triage"
)

// Message is one labelled message.
type Message struct {
	Name  string
	In    triage.Input
	Label triage.Priority
}

// Parts lists the corpus folders the rules were tuned on, in the order
// they were written: the main folder, then the held-out batches and the
// tuning batch. A batch measured but not yet taken in by the rules joins
// once the rules take it in (heldout9 and heldout10 with rules 2026.12-9, heldout11 with 2026.12-10, heldout13 with 2026.12-12, heldout12 and heldout14 with 2026.12-13, heldout15 to heldout18 with 2026.12-15, heldout19 and heldout20 with 2026.12-17, heldout21 and heldout22 with 2026.12-18, heldout23 and heldout24 with 2026.12-19, heldout25 and heldout26 with 2026.12-20, heldout27 to heldout30 with 2026.12-23): until then
// it is the later part of the time split (split_test.go).
var Parts = []string{".", "heldout", "heldout2", "heldout3", "tuning", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16", "heldout17", "heldout18", "heldout19", "heldout20", "heldout21", "heldout22", "heldout23", "heldout24", "heldout25", "heldout26", "heldout27", "heldout28", "heldout29", "heldout30", "heldout31", "heldout32", "heldout33", "heldout34", "heldout35", "heldout36"}

// Read reads every *.eml file in dir.
func Read(dir string) ([]Message, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no corpus in %s: %v", dir, err)
	}
	var out []Message
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		m, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		body, err := io.ReadAll(m.Body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		p := strings.TrimSpace(m.Header.Get("X-Expect-Priority"))
		if len(p) != 2 || p[0] != 'P' || p[1] < '1' || p[1] > '4' {
			return nil, fmt.Errorf("%s: bad X-Expect-Priority %q", f, p)
		}
		hdr := map[string][]string{}
		for k, v := range m.Header {
			if !strings.HasPrefix(k, "X-Expect-") {
				hdr[k] = v
			}
		}
		from := m.Header.Get("From")
		if a, err := mail.ParseAddress(from); err == nil {
			from = a.Address
		}
		out = append(out, Message{Name: filepath.Base(f), Label: triage.Priority(p[1] - '0'),
			In: triage.Input{Subject: m.Header.Get("Subject"), Text: string(body), From: from, Header: hdr}})
	}
	return out, nil
}
