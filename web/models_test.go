package web

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
)

// After okit keys rotate, the dashboard says which learned models were
// hashed with another index key than the current one and must be trained
// again; the starting model (the corpus's key) and a model of the
// current key say nothing.
func TestDashboardSaysRetrainAfterRotation(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.srv.indexKey = 2 // the console's index key is version 2: rotated once
	ctx := context.Background()
	c.addUser(t, "vera", account.Supervisor, "a long enough password")
	if err := c.st.EnsureStartingModel(ctx, []byte("start"), json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{1, 2} {
		if _, err := c.st.SaveModel(ctx, storage.Model{Source: "learned", Data: []byte("w"), IndexKeyVersion: k, Figures: json.RawMessage(`{}`), CreatedBy: "vera"}); err != nil {
			t.Fatal(err)
		}
	}
	_, page := c.do(t, c.session(t, "vera", true), http.MethodGet, "/dashboard", nil)
	for v, want := range map[string]bool{"1": false, "2": true, "3": false} {
		row := regexp.MustCompile(`(?s)<tr data-version="` + v + `">.*?</tr>`).FindString(page)
		if row == "" {
			t.Fatalf("no row of model %s on the dashboard", v)
		}
		if got := regexp.MustCompile(`class="retrain"[^<]*\(2\)`).MatchString(row); got != want {
			t.Errorf("model %s: says train again: %v, want %v\n%s", v, got, want, row)
		}
	}
}
