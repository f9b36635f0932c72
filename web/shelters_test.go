package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
)

// A supervisor changing a crisis home's free places leaves an event that
// the audit trail shows, in words, with who did it and from where; so does
// taking a home off the offers from the command line.
func TestShelterChangeInAuditTrail(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "sup", account.Supervisor, "a long enough password")
	ctx := context.Background()
	if _, err := c.st.AddShelter(ctx, storage.Shelter{Name: "Tisza", Region: "Csongrád", IntakePhone: "+36 62 555 0101", FreePlaces: 2, UpdatedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	sup := c.session(t, "sup", true)
	resp, _ := c.do(t, sup, http.MethodPost, "/shelters/places", url.Values{"name": {"Tisza"}, "places": {"3"}})
	if n := resp.Request.URL.Query().Get("notice"); n != "shelters.updated" {
		t.Fatalf("setting places: notice %q", n)
	}
	if err := c.st.SetShelterActive(ctx, "Tisza", false, "cli:root"); err != nil {
		t.Fatal(err)
	}
	_, page := c.do(t, sup, http.MethodGet, "/audit?kind="+string(storage.EventShelterUpdate), nil)
	rows := strings.Split(page, "<tr id=")[1:]
	var got []string
	for _, row := range rows {
		if strings.Contains(row, "krízisotthon frissítve") {
			got = append(got, row)
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d crisis-home rows in the audit trail, want 2:\n%s", len(got), page)
	}
	for i, want := range [][]string{
		{"root (parancssor)", "Tisza: már nem ajánljuk"},
		{"<td>sup</td>", "127.0.0.1", "Tisza: szabad helyek 2 → 3"},
	} {
		for _, w := range want {
			if !strings.Contains(got[i], w) {
				t.Errorf("row %d lacks %q:\n%s", i, w, got[i])
			}
		}
	}
}
