package web

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// A supervisor's first login enrols a second factor; the next one asks
// for a code, and refuses the one used already.
func TestEnrolThenLogIn(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "vera", account.Supervisor, "vera jelszava 2026")
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path string, form url.Values) (*http.Response, string) {
		t.Helper()
		resp, err := client.PostForm(c.ts.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	resp, page := post("/login", url.Values{"username": {"vera"}, "password": {"vera jelszava 2026"}})
	if resp.Request.URL.Path != "/enrol" {
		t.Fatalf("after the password: %s", resp.Request.URL)
	}
	m := regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no secret on the enrol page:\n%s", page)
	}
	qr := func() *http.Response {
		t.Helper()
		resp, err := client.Get(c.ts.URL + "/enrol/qr.png")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := qr(); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the QR code: %d %v", resp.StatusCode, resp.Header)
	}
	code, _ := account.TOTPCode(m[1], time.Now())
	if resp, _ = post("/enrol", url.Values{"code": {code}}); resp.Request.URL.Path != "/queue" {
		t.Fatalf("after enrolling: %s", resp.Request.URL)
	}
	if resp := qr(); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the QR code after enrolment: %d", resp.StatusCode)
	}
	if bytes.Contains(storagetest.Dump(t, c.st), []byte(m[1])) {
		t.Error("the second-factor secret is in the database in the clear")
	}
	post("/logout", nil)
	if resp, _ = post("/login", url.Values{"username": {"vera"}, "password": {"vera jelszava 2026"}}); resp.Request.URL.Path != "/totp" {
		t.Fatalf("second login: %s", resp.Request.URL)
	}
	if resp, _ = post("/totp", url.Values{"code": {code}}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a used code: %d", resp.StatusCode)
	}
	next, _ := account.TOTPCode(m[1], time.Now().Add(30*time.Second))
	if resp, _ = post("/totp", url.Values{"code": {next}, "next": {"/audit"}}); resp.Request.URL.Path != "/audit" {
		t.Errorf("after the code: %s", resp.Request.URL)
	}
}
