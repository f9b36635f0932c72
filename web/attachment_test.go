package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/storage/storagetest"
)

// An attachment downloads as an attachment, never shown, with its bytes
// intact, after an event records who took it; one that is not there is
// a 404 — recorded too, since the message was opened to look for it.
func TestAttachmentDownload(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	raw := "From: Anna <anna@example.test>\r\nTo: okit@ncsszi.hu\r\nSubject: kep\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nA kep rola.\r\n--b\r\n" +
		"Content-Type: text/html; name=\"x.html\"\r\nContent-Disposition: attachment; filename=\"x.html\"\r\n\r\n" +
		"<script>alert(1)</script>\r\n--b--\r\n"
	sum, _ := json.Marshal(message.Summarize(message.Parse([]byte(raw))))
	sealed, err := c.keys.Sealer().SealTogether([]byte(raw), sum)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var msgID int64
	err = storagetest.Pool(c.st).QueryRow(ctx, `WITH c AS (INSERT INTO cases (ref, first_received, last_received) VALUES ('OKIT-2026-000001', now(), now()) RETURNING id)
		INSERT INTO messages (case_id, raw_sealed, summary_sealed, raw_digest, size, internal_date, parse_status)
		SELECT id, $1, $2, '\x01', $3, now(), 'ok' FROM c RETURNING id`, sealed[0], sealed[1], len(raw)).Scan(&msgID)
	if err != nil {
		t.Fatal(err)
	}
	cookie := c.session(t, "op", true)
	download := func(n string) (*http.Response, string) {
		return c.do(t, cookie, http.MethodGet, "/cases/OKIT-2026-000001/messages/"+strconv.FormatInt(msgID, 10)+"/attachments/"+n, nil)
	}
	events := func() int {
		var n int
		storagetest.Pool(c.st).QueryRow(ctx, `SELECT count(*) FROM case_events WHERE kind = 'attachment_downloaded' AND actor = 'user:op'`).Scan(&n)
		return n
	}
	resp, body := download("0")
	if resp.StatusCode != http.StatusOK || body != "<script>alert(1)</script>" {
		t.Fatalf("download: %d %q", resp.StatusCode, body)
	}
	h := resp.Header
	if h.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") ||
		h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("download headers: %v", h)
	}
	if events() != 1 {
		t.Errorf("%d download events, want 1", events())
	}
	if resp, _ := download("1"); resp.StatusCode != http.StatusNotFound || events() != 2 {
		t.Errorf("a missing attachment: %d, %d events", resp.StatusCode, events())
	}
}
