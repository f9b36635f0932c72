package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

func TestWritersWords(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"Hívja a 80/20-55-20 számot, vagy a 112-t.":                "",
		"Éjjel-nappal hívható: 06 80 20 55 20.":                    "",
		"Írjon a bogi@example.test címre.":                         "bogi@example.test",
		"Anyja száma +36 30 123 4567, őt is hívhatja.":             "+36 30 123 4567",
		"Az OKIT-2026-000123 ügyben írt levele szerint nincs baj.": "OKIT-2026-000123",
		"A rendőrség 72 órára elrendelheti a távoltartást.":        "",
	} {
		if got := writersWords(text); got != want {
			t.Errorf("writersWords(%q) = %q, want %q", text, got, want)
		}
	}
}

// A supervisor writes a saved answer, changes it and deletes it; one
// that carries an address is refused. A case in its language lists it
// with its key, and an answer sent in the informal voice is queued with
// the informal frame.
func TestSavedAnswersAndVoice(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "sup", account.Supervisor, "a long enough password")
	c.addUser(t, "op", account.Operator, "a long enough password")
	sup := c.session(t, "sup", true)
	notice := func(resp *http.Response) string { return resp.Request.URL.Query().Get("notice") }
	form := url.Values{"title": {"Távoltartás"}, "language": {"hu"}, "voice": {"informal"}, "position": {"1"},
		"body": {"A rendőrség 72 órára elrendelheti."}}
	if resp, _ := c.do(t, sup, http.MethodPost, "/answers", form); notice(resp) != "saved.saved" {
		t.Fatalf("adding: %s", notice(resp))
	}
	if resp, _ := c.do(t, sup, http.MethodPost, "/answers", form); notice(resp) != "problem.saved_duplicate" {
		t.Errorf("adding the same title again: %s", notice(resp))
	}
	bad := url.Values{"title": {"Más"}, "language": {"hu"}, "voice": {"formal"}, "body": {"Írjon a bogi@example.test címre."}}
	if resp, _ := c.do(t, sup, http.MethodPost, "/answers", bad); notice(resp) != "problem.saved_private" {
		t.Errorf("a writer's address: %s", notice(resp))
	}
	var id string
	storagetest.Pool(c.st).QueryRow(context.Background(), `SELECT id::text FROM saved_answers`).Scan(&id)
	form.Set("body", "A rendőrség 72 órára elrendelheti, a bíróság hosszabb időre.")
	if resp, _ := c.do(t, sup, http.MethodPost, "/answers/"+id, form); notice(resp) != "saved.saved" {
		t.Errorf("changing: %s", notice(resp))
	}
	c.addCase(t, "OKIT-2026-000001", 2, "child_abuse", "Bogi <bogi@example.test>", "szia", "16 éves vagyok, apu megütött.")
	op := c.session(t, "op", true)
	_, page := c.do(t, op, http.MethodGet, "/cases/OKIT-2026-000001", nil)
	for _, want := range []string{`data-key="1"`, "a bíróság hosszabb időre", `value="informal" checked`, "Szia Bogi!"} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	resp, _ := c.do(t, op, http.MethodPost, "/cases/OKIT-2026-000001/answer", url.Values{"text": {"Vigyázz magadra!"}, "voice": {"informal"}})
	if notice(resp) != "case.answer_queued" {
		t.Fatalf("answering: %s", notice(resp))
	}
	var template string
	storagetest.Pool(c.st).QueryRow(context.Background(), `SELECT template FROM outgoing WHERE kind = 'answer'`).Scan(&template)
	if template != "information_informal" {
		t.Errorf("the answer was queued with the template %q, want information_informal", template)
	}
	if resp, _ := c.do(t, sup, http.MethodPost, "/answers/"+id+"/delete", nil); notice(resp) != "saved.deleted" {
		t.Errorf("deleting: %s", notice(resp))
	}
}
