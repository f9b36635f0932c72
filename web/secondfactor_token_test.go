package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
)

// The session's token is replaced when the second factor passes: a token
// seen before it (with the password) opens nothing after. Replacing a
// second factor takes a code of the current one.
func TestSecondFactorReplacesTokenAndGuardsReenrolment(t *testing.T) {
	t.Parallel()
	c := newConsole(t)
	ctx := context.Background()
	c.addUser(t, "vera", account.Supervisor, "vera jelszava 2026")
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	sealed, err := c.keys.Sealer().Seal([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.st.SetTOTP(ctx, "vera", sealed, c.bind, "test"); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	cookie := func(resp *http.Response) *http.Cookie {
		for _, ck := range resp.Cookies() {
			if ck.Name == c.srv.cookieName() {
				return ck
			}
		}
		return nil
	}
	resp, err := client.PostForm(c.ts.URL+"/login", url.Values{"username": {"vera"}, "password": {"vera jelszava 2026"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	first := cookie(resp)
	if first == nil {
		t.Fatal("no session after the password")
	}
	code, _ := account.TOTPCode(secret, time.Now())
	req, _ := http.NewRequest(http.MethodPost, c.ts.URL+"/totp", strings.NewReader(url.Values{"code": {code}, "next": {"/dashboard"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(first)
	if resp, err = client.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	second := cookie(resp)
	if second == nil || second.Value == first.Value {
		t.Fatalf("the second factor passed (%d) without a new token", resp.StatusCode)
	}
	if resp, _ := c.do(t, first, http.MethodGet, "/dashboard", nil); resp.Request.URL.Path != "/login" {
		t.Errorf("the token from before the second factor still opens %s", resp.Request.URL)
	}
	if resp, _ := c.do(t, second, http.MethodGet, "/dashboard", nil); resp.Request.URL.Path != "/dashboard" {
		t.Errorf("the new token ended on %s", resp.Request.URL)
	}

	// A new key, confirmed with its own code but not the current one's.
	_, page := c.do(t, second, http.MethodGet, "/enrol", nil)
	m := regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no new secret on the enrolment page")
	}
	next, _ := account.TOTPCode(m[1], time.Now())
	resp, _ = c.do(t, second, http.MethodPost, "/enrol", url.Values{"code": {next}, "current": {"000000"}})
	if !strings.Contains(resp.Request.URL.RawQuery, "problem.enrol_current") {
		t.Errorf("re-enrolment without the current code ended on %s", resp.Request.URL)
	}
	cr, _ := c.st.Credentials(ctx, "vera")
	if got, _ := c.keys.Open(cr.TOTPSealed); string(got) != secret {
		t.Error("the second factor was replaced without a code of the current one")
	}
}
