package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// When acknowledgements pass their hourly limit, supervisors see a banner
// on every page for the hour; operators do not.
func TestAckRateBannerForSupervisors(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "op", "operator", "a long enough password")
	c.addUser(t, "sup", "supervisor", "a long enough password")
	banner := func(who string) bool {
		_, body := c.do(t, c.session(t, who, true), http.MethodGet, "/shelters", nil)
		return strings.Contains(body, `id="ack-rate-alert"`)
	}
	if banner("sup") {
		t.Fatal("a banner before any alert")
	}
	if err := c.st.Record(context.Background(), storage.EventAlert, "intake", map[string]any{"alert": storage.AlertAckRate, "reason": "rate"}); err != nil {
		t.Fatal(err)
	}
	if !banner("sup") {
		t.Error("the supervisor sees no banner after the alert")
	}
	if banner("op") {
		t.Error("an operator sees the supervisors' banner")
	}
	if _, err := storagetest.Pool(c.st).Exec(context.Background(), `ALTER TABLE case_events DISABLE TRIGGER case_events_append_only;
		UPDATE case_events SET at = at - interval '61 minutes' WHERE kind = 'alert';
		ALTER TABLE case_events ENABLE TRIGGER case_events_append_only`); err != nil {
		t.Fatal(err)
	}
	if banner("sup") {
		t.Error("the banner outlives the hour")
	}
}
