package intake

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadAuth(t *testing.T) {
	t.Parallel()
	const us = "mx.ncsszi.hu"
	const from = "anna@example.hu"
	tests := []struct {
		name   string
		id     string // OKIT_AUTHSERV_ID
		fields []string
		from   string
		want   Auth
	}{
		{"DMARC pass", us, []string{"mx.ncsszi.hu; spf=pass smtp.mailfrom=example.hu; dkim=pass header.d=example.hu; dmarc=pass header.from=example.hu"}, from,
			Auth{SPF: "pass", DKIM: "pass", DMARC: "pass", Verified: true}},
		{"DMARC fail", us, []string{"mx.ncsszi.hu; spf=fail smtp.mailfrom=forger.example; dkim=none; dmarc=fail (p=reject dis=none) header.from=example.hu"}, from,
			Auth{SPF: "fail", DKIM: "none", DMARC: "fail"}},
		{"no authserv-id configured: nothing trusted", "", []string{"mx.ncsszi.hu; dmarc=pass header.from=example.hu"}, from, Auth{}},
		{"another server's field is ignored", us, []string{"mx.forger.example; dmarc=pass header.from=example.hu"}, from, Auth{}},
		{"authserv-id compared without case, with a version", us, []string{"MX.NCSSZI.HU 1; dmarc=pass header.from=example.hu"}, from,
			Auth{DMARC: "pass", Verified: true}},
		{"the topmost trusted field wins", us, []string{
			"mx.ncsszi.hu; dmarc=fail header.from=example.hu",
			"mx.ncsszi.hu; dmarc=pass header.from=example.hu", // written by the sender, below the server's
		}, from, Auth{DMARC: "fail"}},
		{"fields of several filters add up", us, []string{
			"mx.ncsszi.hu; dkim=pass header.d=example.hu header.s=sel",
			"mx.ncsszi.hu; spf=softfail smtp.mailfrom=example.hu",
		}, from, Auth{SPF: "softfail", DKIM: "pass", Verified: true}},
		{"DKIM pass for another domain is not aligned", us, []string{"mx.ncsszi.hu; dkim=pass header.d=bulk.example; spf=pass smtp.mailfrom=bulk.example"}, from,
			Auth{SPF: "pass", DKIM: "pass"}},
		{"DKIM of a subdomain is aligned (relaxed)", us, []string{"mx.ncsszi.hu; dkim=pass header.d=mail.example.hu"}, from,
			Auth{DKIM: "pass", Verified: true}},
		{"a registered domain under a public suffix", us, []string{"mx.ncsszi.hu; dkim=pass header.d=co.uk"}, "anna@example.co.uk",
			Auth{DKIM: "pass"}},
		{"DKIM identity instead of domain", us, []string{"mx.ncsszi.hu; dkim=pass header.i=@example.hu"}, from,
			Auth{DKIM: "pass", Verified: true}},
		{"one of two signatures passes", us, []string{"mx.ncsszi.hu; dkim=fail header.d=example.hu; dkim=pass header.d=example.hu"}, from,
			Auth{DKIM: "pass", Verified: true}},
		{"SPF pass of the envelope sender's domain", us, []string{"mx.ncsszi.hu; spf=pass smtp.mailfrom=bounces@example.hu"}, from,
			Auth{SPF: "pass", Verified: true}},
		{"DMARC pass for another From than the one read", us, []string{"mx.ncsszi.hu; dmarc=pass header.from=forger.example"}, from,
			Auth{DMARC: "pass"}},
		{"DMARC none falls back to alignment", us, []string{"mx.ncsszi.hu; dmarc=none header.from=example.hu; dkim=pass header.d=example.hu"}, from,
			Auth{DKIM: "pass", DMARC: "none", Verified: true}},
		{"DMARC fail outweighs a DKIM pass", us, []string{"mx.ncsszi.hu; dkim=pass header.d=example.hu; dmarc=fail header.from=example.hu"}, from,
			Auth{DKIM: "pass", DMARC: "fail"}},
		{"comments, quotes, folding and spaces around =", us, []string{
			"mx.ncsszi.hu (Postfix; \"quoted\" (nested) comment);\r\n\tdkim = pass (2048-bit key) header.d=\"example.hu\" header.s=sel;\r\n\tdmarc=pass (p=none) header.from=example.hu"}, from,
			Auth{DKIM: "pass", DMARC: "pass", Verified: true}},
		{"a semicolon inside a quoted value", us, []string{`mx.ncsszi.hu; dkim=pass reason="good; really" header.d=example.hu`}, from,
			Auth{DKIM: "pass", Verified: true}},
		{"no result", us, []string{"mx.ncsszi.hu; none"}, from, Auth{}},
		{"a result that is no keyword is dropped", us, []string{"mx.ncsszi.hu; dmarc=<pass>; spf=pass smtp.mailfrom=example.hu"}, from,
			Auth{SPF: "pass", Verified: true}},
		{"a null sender cannot be verified", us, []string{"mx.ncsszi.hu; dmarc=pass"}, "", Auth{DMARC: "pass"}},
		{"method version", us, []string{"mx.ncsszi.hu; dkim/1=pass header.d=example.hu"}, from, Auth{DKIM: "pass", Verified: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, ReadAuth(tc.fields, tc.id, tc.from)); diff != "" {
				t.Errorf("ReadAuth (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzReadAuth feeds arbitrary fields to the parser: it must not panic,
// and a result it keeps is always a short keyword.
func FuzzReadAuth(f *testing.F) {
	f.Add("mx.ncsszi.hu; spf=pass smtp.mailfrom=example.hu; dkim=pass header.d=example.hu; dmarc=pass header.from=example.hu")
	f.Add(`mx.ncsszi.hu (a (b) "c"); dkim = "pass" reason="x\"y;z"`)
	f.Add("mx.ncsszi.hu; (((")
	f.Add(`"mx.ncsszi.hu"; dmarc=pass\`)
	f.Fuzz(func(t *testing.T, field string) {
		a := ReadAuth([]string{field}, "mx.ncsszi.hu", "anna@example.hu")
		for _, r := range []string{a.SPF, a.DKIM, a.DMARC} {
			if r != "" && !keyword(r) {
				t.Errorf("result %q is no keyword", r)
			}
		}
	})
}
