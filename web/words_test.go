package web

import (
	"os"
	"regexp"
	"testing"
	"time"
)

// Every reason okit gives for not sending has a name in the catalogs.
func TestEveryReasonHasAName(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../replies/policy.go")
	if err != nil {
		t.Fatal(err)
	}
	ms := regexp.MustCompile(`\bAck[A-Za-z]+ +AckReason = "([a-z_]+)"`).FindAllStringSubmatch(string(b), -1)
	if len(ms) < 10 {
		t.Fatalf("found only %d reasons: the pattern is stale", len(ms))
	}
	for _, lang := range languages {
		for _, m := range ms {
			if !cats[lang].hasKey("unsent." + m[1]) {
				t.Errorf("%s: reason %q has no name", lang, m[1])
			}
		}
	}
}

func TestWordsOfAPage(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	hu, en := &page{catalog: cats["hu"]}, &page{catalog: cats["en"]}
	for _, tc := range []struct {
		p         *page
		got, want string
	}{
		{hu, hu.Span(45 * time.Minute), "45 perc"},
		{hu, hu.Span(64 * time.Minute), "1 óra 4 perc"},
		{hu, hu.Span(2 * time.Hour), "2 óra"},
		{hu, hu.Span(52 * time.Hour), "2 nap 4 óra"},
		{hu, hu.Span(15 * time.Second), "15 mp"},
		{en, en.Span(64 * time.Minute), "1 h 4 min"},
		{hu, hu.Who("user:anna"), "anna"},
		{hu, hu.Who("cli:root"), "root (parancssor)"},
		{hu, hu.Who("intake"), "okit (beérkező levelek)"},
		{en, en.Who("system:purge"), "okit (retention purge)"},
		{en, en.Who("something new"), "okit"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.p.Lang(), tc.got, tc.want)
		}
	}
}
