package web

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// A console's live stream says which cases changed, as PostgreSQL
// announces them, whoever wrote them.
func TestLiveStream(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", account.Operator, "a long enough password")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.srv.Run(ctx)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.ts.URL+"/live", nil)
	req.AddCookie(c.session(t, "op", true))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// A case written by another process: its event's NOTIFY reaches the stream.
	deadline := time.After(10 * time.Second)
	for tries := 0; ; tries++ {
		if tries%10 == 0 {
			_, err := storagetest.Pool(c.st).Exec(ctx, `WITH x AS (INSERT INTO cases (ref, first_received, last_received)
				VALUES ($1, now(), now()) RETURNING id)
				INSERT INTO case_events (case_id, kind, actor, data) SELECT id, 'case_opened', 'test', '{}' FROM x`, fmt.Sprintf("OKIT-2026-%06d", tries))
			if err != nil {
				t.Fatal(err)
			}
		}
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the stream ended")
			}
			if strings.HasPrefix(l, "data: ") && l != "data: " {
				return
			}
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatal("no change reached the live stream in 10 s")
		}
	}
}
