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

	"github.com/ncsszi/okit/storage/storagetest"
)

// A code works in its own 30 seconds and the ones either side, and gives
// its time step, by which a code is refused a second time.
func TestTOTPStep(t *testing.T) {
	t.Parallel()
	secret, qr, err := newTOTP("vera", "")
	if err != nil || qr == "" {
		t.Fatal(err)
	}
	if again, _, _ := newTOTP("vera", secret); again != secret {
		t.Errorf("a pending secret shown again as %q, want %q", again, secret)
	}
	now := time.Unix(1_800_000_015, 0)
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		code, _ := totpCode(secret, now.Add(d))
		step, ok := totpStep(secret, code, now)
		if !ok || step != now.Add(d).Unix()/30 {
			t.Errorf("code of %v: step %d, %v", d, step, ok)
		}
	}
	code, _ := totpCode(secret, now.Add(-2*time.Minute))
	if _, ok := totpStep(secret, code, now); ok {
		t.Error("a two-minute-old code was accepted")
	}
}

// A supervisor's first login enrols a second factor; the next one asks
// for a code, and refuses the one used already.
func TestEnrolThenLogIn(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	c.addUser(t, "vera", "supervisor", "vera jelszava 2026")
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
	code, _ := totpCode(m[1], time.Now())
	if resp, _ = post("/enrol", url.Values{"code": {code}}); resp.Request.URL.Path != "/queue" {
		t.Fatalf("after enrolling: %s", resp.Request.URL)
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
	next, _ := totpCode(m[1], time.Now().Add(30*time.Second))
	if resp, _ = post("/totp", url.Values{"code": {next}, "next": {"/audit"}}); resp.Request.URL.Path != "/audit" {
		t.Errorf("after the code: %s", resp.Request.URL)
	}
}
