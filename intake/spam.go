package intake

import (
	"slices"
	"strconv"
	"strings"
)

// SpamHeaders are the header fields in which receiving mail servers give
// their spam verdict, as intake reads them (Spam): SpamAssassin's,
// rspamd's and Exchange Online's.
var SpamHeaders = []string{
	"X-Spam-Flag", "X-Spam-Status", "X-Spam",
	"X-Spamd-Result", "X-Rspamd-Action",
	"X-Ms-Exchange-Organization-Scl", "X-Forefront-Antispam-Report",
}

// Spam says which header field marked the message as spam, or "" when
// none did. Each field is read by its own syntax, never by looking for a
// word anywhere in it (a "tests=...YES..." list is no verdict). Any one
// field saying spam is enough: a sender can add a field that calls their
// own mail spam, which only costs them the acknowledgement, but cannot
// take back the server's. h holds raw values by canonical name.
func Spam(h map[string][]string) string {
	for _, name := range SpamHeaders {
		for _, v := range h[name] {
			if spamField(name, strings.TrimSpace(v)) {
				return name
			}
		}
	}
	return ""
}

func spamField(name, v string) bool {
	switch name {
	case "X-Spam-Flag", "X-Spam":
		// SpamAssassin's flag, rspamd's extended header: YES or Yes.
		return strings.EqualFold(v, "yes")
	case "X-Spam-Status":
		// "Yes, score=7.1 required=5.0 tests=..." (SpamAssassin)
		verdict, _, _ := strings.Cut(v, ",")
		return strings.EqualFold(strings.TrimSpace(verdict), "yes")
	case "X-Spamd-Result":
		// "default: True [12.40 / 15.00]; SYMBOL(1.0)[...]; ..." (rspamd)
		first, _, _ := strings.Cut(v, ";")
		_, verdict, ok := strings.Cut(first, ":")
		fs := strings.Fields(verdict)
		return ok && len(fs) > 0 && strings.EqualFold(fs[0], "true")
	case "X-Rspamd-Action":
		// no action, greylist, add header, rewrite subject, soft reject, reject
		return slices.Contains([]string{"add header", "rewrite subject", "reject"}, strings.ToLower(strings.Join(strings.Fields(v), " ")))
	case "X-Ms-Exchange-Organization-Scl":
		// The spam confidence level, -1 to 9; 5 and up is spam.
		return spamLevel(v)
	case "X-Forefront-Antispam-Report":
		// "CIP:192.0.2.1;CTRY:HU;LANG:hu;SCL:5;SRV:;IPV:NLI;SFV:SPM;...;CAT:SPM;..."
		for _, f := range strings.Split(v, ";") {
			k, val, _ := strings.Cut(f, ":")
			val = strings.ToUpper(strings.TrimSpace(val))
			switch strings.ToUpper(strings.TrimSpace(k)) {
			case "SFV":
				if val == "SPM" || val == "SKS" || val == "BLK" {
					return true
				}
			case "SCL":
				if spamLevel(val) {
					return true
				}
			case "CAT":
				if slices.Contains([]string{"SPM", "HSPM", "PHSH", "HPHSH", "SPOOF", "BULK", "MALW"}, val) {
					return true
				}
			}
		}
	}
	return false
}

// spamLevel reports whether an Exchange spam confidence level means spam.
func spamLevel(v string) bool {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return err == nil && n >= 5
}
