package intake

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ncsszi/okit/message"
)

func TestSpam(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		field string
		value string
		spam  bool
	}{
		{"SpamAssassin flag", "X-Spam-Flag", "YES", true},
		{"SpamAssassin flag, no", "X-Spam-Flag", "NO", false},
		{"SpamAssassin status", "X-Spam-Status", "Yes, score=7.1 required=5.0 tests=BAYES_99,URIBL_BLACK autolearn=no", true},
		{"SpamAssassin status, no, with YES among the tests", "X-Spam-Status", "No, score=1.2 required=5.0 tests=T_YES,YES_PLEASE", false},
		{"rspamd result", "X-Spamd-Result", "default: True [12.40 / 15.00]; BAYES_SPAM(5.10)[99.9%]", true},
		{"rspamd result, not spam, True in a symbol", "X-Spamd-Result", "default: False [1.20 / 15.00]; SYM_TRUE(0.1)[True]", false},
		{"rspamd action add header", "X-Rspamd-Action", "add header", true},
		{"rspamd action rewrite subject", "X-Rspamd-Action", "Rewrite  Subject", true},
		{"rspamd action greylist", "X-Rspamd-Action", "greylist", false},
		{"rspamd action no action", "X-Rspamd-Action", "no action", false},
		{"rspamd extended header", "X-Spam", "Yes", true},
		{"Exchange SCL 5", "X-Ms-Exchange-Organization-Scl", "5", true},
		{"Exchange SCL 1", "X-Ms-Exchange-Organization-Scl", "1", false},
		{"Exchange SCL bypass", "X-Ms-Exchange-Organization-Scl", "-1", false},
		{"Forefront spam verdict", "X-Forefront-Antispam-Report", "CIP:192.0.2.1;CTRY:HU;LANG:hu;SCL:1;SRV:;IPV:NLI;SFV:SPM;H:mx;PTR:;CAT:NONE;", true},
		{"Forefront high SCL", "X-Forefront-Antispam-Report", "CIP:192.0.2.1;SCL:9;SFV:NSPM", true},
		{"Forefront phishing", "X-Forefront-Antispam-Report", "SFV:NSPM;CAT:PHSH;SCL:1", true},
		{"Forefront clean", "X-Forefront-Antispam-Report", "CIP:192.0.2.1;CTRY:HU;LANG:hu;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:mx;PTR:;CAT:NONE;SFS:(13230028)(SPM);DIR:INB;", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Spam(map[string][]string{tc.field: {tc.value}})
			if (got != "") != tc.spam {
				t.Errorf("Spam(%s: %s) = %q, want spam %v", tc.field, tc.value, got, tc.spam)
			}
		})
	}
	t.Run("one field saying spam is enough", func(t *testing.T) {
		t.Parallel()
		if got := Spam(map[string][]string{"X-Spam-Flag": {"NO", "YES"}}); got != "X-Spam-Flag" {
			t.Errorf("Spam = %q, want X-Spam-Flag", got)
		}
	})
}

// The parser keeps every field Spam and ReadAuth read: a name missing
// from its list would silently never mark anything.
func TestParserKeepsTheVerdictFields(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("From: a@example.hu\r\nSubject: x\r\n")
	for _, name := range append(slices.Clone(SpamHeaders), "Authentication-Results") {
		fmt.Fprintf(&b, "%s: value\r\n", strings.ToUpper(name))
	}
	b.WriteString("\r\nbody\r\n")
	m := message.Parse([]byte(b.String()))
	for _, name := range append(slices.Clone(SpamHeaders), "Authentication-Results") {
		if len(m.Header[name]) != 1 {
			t.Errorf("message.Parse does not keep %s", name)
		}
	}
}

func FuzzSpam(f *testing.F) {
	f.Add("X-Spamd-Result", "default: True [12.40 / 15.00];")
	f.Add("X-Forefront-Antispam-Report", "SFV:SPM;SCL:9;CAT:")
	f.Fuzz(func(t *testing.T, name, value string) {
		Spam(map[string][]string{name: {value}})
	})
}
