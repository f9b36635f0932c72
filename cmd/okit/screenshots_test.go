package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDemoScreenshots is how the README's screenshots are made: okit demo
// runs, a supervisor logs in with the code its login page shows, and
// Chromium saves the pages in Hungarian and English into the folder
// OKIT_SCREENSHOTS names:
//
//	make screenshots
func TestDemoScreenshots(t *testing.T) {
	dir := os.Getenv("OKIT_SCREENSHOTS")
	if dir == "" {
		t.Skip("set OKIT_SCREENSHOTS to a folder to make the README's screenshots")
	}
	bin := buildOkit(t)
	cmd := okitCommand(bin, "demo", "--every", "1s", "--http", "127.0.0.1:0", "--database", "okit_demo_screenshots")
	// The demo makes its own database on the test server, named so as not to
	// clash with a demo someone runs there.
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
	var base string
	for sc := bufio.NewScanner(out); base == "" && sc.Scan(); {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "console" {
			base = strings.TrimSuffix(f[1], "/")
		}
	}
	if base == "" {
		t.Fatalf("okit demo printed no console address:\n%s", stderr.String())
	}
	go func() { bufio.NewScanner(out).Scan() }()
	time.Sleep(15 * time.Second) // the sample mail arrives and is answered
	ctx := newBrowser(t)
	shoot := func(name string) {
		b := get(t, ctx, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must(t, ctx, "login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	shoot("login-hu")
	must(t, ctx, "log in", chromedp.SendKeys(chromedp.CSS("#username"), "vera"), chromedp.SendKeys(chromedp.CSS("#password"), "vera-demo-jelszo"),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("#demo-code")))
	code := get(t, ctx, chromedp.Text(chromedp.CSS("#demo-code")))
	must(t, ctx, "second factor", chromedp.SendKeys(chromedp.CSS("#code"), code), chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("#queue")))
	shoot("queue-hu")
	// A writer's word in another form and with accents ("apu megutott" was written).
	must(t, ctx, "search", chromedp.Navigate(base+"/search?q=meg%C3%BCt%C3%B6tte"), chromedp.WaitVisible(chromedp.CSS("#search-count")))
	shoot("search-hu")
	must(t, ctx, "phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(chromedp.CSS("#queue")))
	shoot("queue-phone-hu")
	must(t, ctx, "laptop", chromedp.EmulateViewport(1280, 900))
	// The first case by address: the live queue may replace its rows at any moment.
	href := get(t, ctx, chromedp.AttributeValue(chromedp.CSS("#rows tr[data-case] a"), "href")).Value
	must(t, ctx, "case", chromedp.Navigate(base+href), chromedp.WaitVisible(chromedp.CSS("pre.body")))
	shoot("case-hu")
	must(t, ctx, "english", chromedp.Click(chromedp.CSS(`button[name="lang"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] pre.body`)))
	shoot("case-en")
	for _, p := range []struct{ path, ready, name string }{
		{"/queue", "#queue", "queue-en"}, {"/dashboard", "svg.chart", "dashboard-en"}, {"/audit", "table.audit", "audit-en"},
	} {
		must(t, ctx, p.name, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		shoot(p.name)
	}
}
