package main

import (
	"bufio"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// okit demo sends a P1 from a new writer every --urgent: in a browser
// that allowed notifications it fires one, and the two demo operators are
// logged in side by side in one browser, by the console's two loopback
// names.
func TestDemoAlertsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs okit demo and Chromium")
	}
	t.Parallel()
	bin := buildOkit(t)
	cmd := okitCommand(bin, "demo", "--every", "1h", "--urgent", "3s", "--http", "127.0.0.1:0", "--database", "okit_demo_alerts")
	cmd.Env = append(os.Environ(), "OKIT_DATABASE_URL="+os.Getenv("OKIT_TEST_DATABASE_URL"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var anna, bela string
	for sc := bufio.NewScanner(out); bela == "" && sc.Scan(); {
		// "two operators side by side: anna at URL/, bela at URL/"
		if f := strings.Fields(sc.Text()); len(f) == 11 && f[0] == "two" && f[5] == "anna" && f[8] == "bela" {
			anna, bela = strings.TrimSuffix(f[7], "/,"), strings.TrimSuffix(f[10], "/")
		}
	}
	if bela == "" {
		t.Fatalf("okit demo printed no addresses for two operators:\n%s", stderr.String())
	}
	go func() {
		for sc := bufio.NewScanner(out); sc.Scan(); {
		}
	}()
	ctx := newBrowser(t)
	tab, cancel := chromedp.NewContext(ctx) // a second tab of the same browser, sharing its cookies
	defer cancel()
	for _, c := range []context.Context{ctx, tab} {
		if _, err := chromedp.Call(c, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: notificationStub}); err != nil {
			t.Fatal(err)
		}
	}
	logIn(t, ctx, anna, "anna", "anna-demo-jelszo")
	logIn(t, tab, bela, "bela", "bela-demo-jelszo")
	must(t, ctx, "anna's queue", chromedp.Navigate(anna+"/queue"), chromedp.WaitVisible(chromedp.CSS("#queue")))
	must(t, tab, "bela's queue", chromedp.Navigate(bela+"/queue"), chromedp.WaitVisible(chromedp.CSS("#queue")))
	for who, c := range map[string]context.Context{"anna": ctx, "bela": tab} {
		if got := get(t, c, chromedp.Text(chromedp.CSS(`nav a[href="/account"]`))); got != who {
			t.Errorf("%s's tab is signed in as %q", who, got)
		}
	}
	// New P1s go to anna and bela by turns: each tab is notified.
	for who, c := range map[string]context.Context{"anna": ctx, "bela": tab} {
		notified := get(t, c, chromedp.Poll[[]map[string]string](`window.okitNotified.length > 0 && window.okitNotified`,
			chromedp.WithPollingTimeout(60*time.Second)))
		if notified[0]["title"] != "Új sürgős ügy (P1)" {
			t.Errorf("%s was notified %v", who, notified)
		}
	}
}
