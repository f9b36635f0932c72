package intake_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/seal"
)

// canaryMail is a canary as okit sends it, marked with index's key, sent
// at sent, with nonce.
func canaryMail(index *seal.Index, mailbox string, sent time.Time, nonce string) []byte {
	t := strconv.FormatInt(sent.UnixNano(), 10)
	mac := index.CanaryDigest([]byte(mailbox + "\x00" + t + "\x00" + nonce))
	return fmt.Appendf(nil, "From: <valasz@ncsszi.hu>\r\nTo: <okit@ncsszi.hu>\r\nSubject: okit canary\r\n"+
		"Message-ID: <canary.%s@ncsszi.hu>\r\nX-Okit-Canary: 1.%s.%s.%s\r\n\r\nokit sends this message to its own mailbox.\r\n",
		nonce, t, nonce, hex.EncodeToString(mac))
}

// Only okit's own canary, sent lately and seen once, is taken for one:
// it is moved away and never stored. A mark made with another key, the
// same canary again, or one from long ago is ordinary mail, for a person
// to look at: a canary must never be a way to make a message vanish.
func TestCanaryMarkCannotBeForged(t *testing.T) {
	t.Parallel()
	f := newFixture(t, demo.MailboxOptions{})
	key := make([]byte, 32)
	rand.Read(key)
	other, _ := seal.NewIndex(key)
	now := time.Now()
	in := f.intake() // one process: it remembers the canaries it saw
	for _, tt := range []struct {
		name   string
		raw    []byte
		stored int // messages stored after this one
	}{
		{"okit's canary", canaryMail(keys.index, f.cfg.Key(), now, "n1"), 0},
		{"a mark made with another key", canaryMail(other, f.cfg.Key(), now, "n2"), 1},
		{"the same canary again", canaryMail(keys.index, f.cfg.Key(), now, "n1"), 2},
		{"a canary of another mailbox", canaryMail(keys.index, "other@ncsszi.hu/INBOX", now, "n3"), 3},
		{"a canary of last month", canaryMail(keys.index, f.cfg.Key(), now.Add(-30*24*time.Hour), "n4"), 4},
	} {
		f.deliver(tt.raw)
		st, err := in.Once(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := f.storedMessages(); got != tt.stored || st.Marked != 1 {
			t.Errorf("%s: %d stored in all, %d moved; want %d and 1", tt.name, got, st.Marked, tt.stored)
		}
	}
	if n := f.count("INBOX"); n != 0 {
		t.Errorf("%d messages left in the INBOX", n)
	}
}
