package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage/storagetest"
)

// behindProxy is a console on the clock now that believes
// X-Forwarded-For from loopback, so that a test can log in from many
// addresses.
func behindProxy(t testing.TB, now func() time.Time) *console {
	return newConsoleOn(t, storagetest.Open(t, storagetest.URL(t), true, now), now, func(c *Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
}

// postLogin logs in as user with pw from addr and returns the status,
// the Retry-After header and the page.
func postLogin(t testing.TB, c *console, addr, user, pw string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.ts.URL+"/login", strings.NewReader(url.Values{"username": {user}, "password": {pw}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", addr)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), string(body)
}

// Wrong passwords slow down the address they come from, more and more,
// and never the person they name: anna still logs in from her own
// address. A name that is nobody's gets the same answer as a wrong
// password. Failed logins are recorded with the user's name only when it
// is a user's.
func TestLoginThrottlesTheAddressNotThePerson(t *testing.T) {
	t.Parallel()
	// The clock stands still: every wait is still to be waited.
	at := time.Now()
	c := behindProxy(t, func() time.Time { return at })
	c.addUser(t, "anna", account.Operator, "anna jelszava 2026")
	const attacker = "192.0.2.7"
	known, _, knownPage := postLogin(t, c, "192.0.2.50", "anna", "wrong password")
	unknown, _, unknownPage := postLogin(t, c, "192.0.2.51", "nemletezik", "wrong password")
	strip := func(page, name string) string { return strings.ReplaceAll(page, name, "NAME") }
	if known != unknown || strip(knownPage, "anna") != strip(unknownPage, "nemletezik") {
		t.Errorf("a wrong password (%d) and an unknown name (%d) are answered differently", known, unknown)
	}
	if code, _, _ := postLogin(t, c, attacker, "anna jelszava 2026", "x"); code != http.StatusUnauthorized {
		t.Fatalf("a password typed as a name: %d", code)
	}
	for i := range 2 {
		if code, _, _ := postLogin(t, c, attacker, "anna", "wrong password"); code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, code)
		}
	}
	// The third failure of the pair: from now on the attacker waits.
	postLogin(t, c, attacker, "anna", "wrong password")
	code, retry, _ := postLogin(t, c, attacker, "anna", "anna jelszava 2026")
	if code != http.StatusTooManyRequests || retry == "" {
		t.Errorf("the attacker's next try at once: %d, Retry-After %q; want 429 with Retry-After", code, retry)
	}
	first, _ := strconv.Atoi(retry)
	_, retry, _ = postLogin(t, c, attacker, "anna", "wrong password")
	if again, _ := strconv.Atoi(retry); again <= first {
		t.Errorf("Retry-After %d then %d: the wait should grow", first, again)
	}
	if code, _, _ := postLogin(t, c, "198.51.100.20", "anna", "anna jelszava 2026"); code != http.StatusSeeOther {
		t.Errorf("anna from her own address after the attack: %d, want 303", code)
	}
	var named, unnamed int
	storagetest.Pool(c.st).QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE data->>'user' = 'anna'), count(*) FILTER (WHERE NOT data ? 'user')
		FROM case_events WHERE kind = 'login_failed'`).Scan(&named, &unnamed)
	if named != 4 || unnamed != 2 {
		t.Errorf("failed logins recorded: %d with anna, %d without a name; want 4 and 2", named, unnamed)
	}
}

// 150 bad logins at once, from 150 addresses, hash at most a few
// passwords at a time: the heap grows by far less than 150 × 19 MiB,
// the ones beyond are told to come back (503, Retry-After), and the right
// password works afterwards.
func TestParallelLoginsStayBounded(t *testing.T) {
	c := behindProxy(t, time.Now)
	c.addUser(t, "anna", account.Operator, "anna jelszava 2026")
	account.CheckPassword("", "") // the dummy hash, made once, is not the flood's
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := range 150 {
		wg.Go(func() {
			code, _, _ := postLogin(t, c, fmt.Sprintf("10.0.%d.%d", i/200, i%200+1), "anna", "wrong password")
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	grew := (int64(peak.Load()) - int64(before.HeapInuse)) >> 20
	t.Logf("150 parallel bad logins: answers %v, heap in use grew by %d MiB at most", codes, grew)
	if grew >= 200 {
		t.Errorf("heap grew by %d MiB; want under 200", grew)
	}
	if codes[http.StatusUnauthorized]+codes[http.StatusServiceUnavailable] != 150 {
		t.Errorf("answers %v; want only 401 and 503", codes)
	}
	if code, _, _ := postLogin(t, c, "198.51.100.20", "anna", "anna jelszava 2026"); code != http.StatusSeeOther {
		t.Errorf("the right password after the flood: %d, want 303", code)
	}
}
