package replies

import (
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"github.com/ncsszi/okit/triage"
)

func TestCheckRecipient(t *testing.T) {
	t.Parallel()
	own := []string{"OKIT <okit@ncsszi.hu>", "okit-mailbox@ncsszi.hu"}
	tests := []struct {
		name string
		to   string
		want AckReason
	}{
		{"a person writing", "kovacs.eva@gmail.com", AckOK},
		{"a person with a tag", "eva+okit@example.hu", AckOK},
		{"international domain", "anna@példa.hu", AckOK},
		{"null sender", "", AckNullSender},
		{"null sender in brackets", " <> ", AckNullSender},
		{"no @", "kovacs.eva", AckBadAddress},
		{"space inside", "kovacs eva@gmail.com", AckBadAddress},
		{"display name instead of address", "Éva <eva@gmail.com>", AckBadAddress},
		{"nothing after @", "eva@", AckBadAddress},
		{"dotless domain", "eva@intranet", AckBadAddress},
		{"no domain", "eva@", AckBadAddress},
		{"our own address", "okit@ncsszi.hu", AckOwnAddress},
		{"our own address in capitals", "OKIT@NCSSZI.HU", AckOwnAddress},
		{"our own address with a tag", "okit+bounce@ncsszi.hu", AckOwnAddress},
		{"our mailbox address", "okit-mailbox@ncsszi.hu.", AckOwnAddress},
		{"a colleague at our domain", "titkarsag@ncsszi.hu", AckOK},
		{"MAILER-DAEMON", "MAILER-DAEMON@mx.example.hu", AckDaemonAddress},
		{"mailer_daemon", "mailer_daemon@example.hu", AckDaemonAddress},
		{"postmaster", "Postmaster@example.hu", AckDaemonAddress},
		{"noreply", "noreply@bank.example.hu", AckNoReplyAddress},
		{"no-reply", "no-reply@accounts.google.com", AckNoReplyAddress},
		{"no_reply", "no_reply@example.com", AckNoReplyAddress},
		{"No.Reply", "No.Reply@example.com", AckNoReplyAddress},
		{"noreply with a tag", "noreply+x123@example.com", AckNoReplyAddress},
		{"donotreply", "DoNotReply@service.example.com", AckNoReplyAddress},
		{"do-not-reply", "do-not-reply@example.com", AckNoReplyAddress},
		{"noreply inside a role name", "info-noreply@example.hu", AckNoReplyAddress},
		{"Hungarian ne válaszolj", "ne-valaszolj@ugyfelkapu.example.hu", AckNoReplyAddress},
		{"a name that contains 'no'", "nora.reply@example.hu", AckOK},
		{"domain not valid IDNA", "anna@ab--cd.hu", AckBadAddress},
		{"punycode that decodes to nothing", "anna@xn--zz.hu", AckBadAddress},
		{"underscore in the domain", "anna@exa_mple.hu", AckBadAddress},
		{"empty label", "anna@example..hu", AckBadAddress},
		{"leading dot", "anna@.example.hu", AckBadAddress},
		{"non-ASCII local part (needs SMTPUTF8)", "éva@example.hu", AckBadAddress},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := CheckRecipient(tc.to, own); got != tc.want {
				t.Errorf("CheckRecipient(%q) = %q, want %q", tc.to, got, tc.want)
			}
		})
	}
}

func TestAckPolicyDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 14, 22, 0, 0, 0, time.UTC)
	// ok is a message every rule lets through: a verified writer of the
	// case, arrived a minute ago, nothing sent to anyone for a day.
	ok := AckInput{Recipient: AckOK, ToWriter: true, Verified: true, Received: now.Add(-time.Minute), Now: now}
	with := func(change func(*AckInput)) AckInput {
		in := ok
		change(&in)
		return in
	}
	strict := AckPolicy{RequireAuth: true}
	tests := []struct {
		name   string
		policy AckPolicy
		in     AckInput
		want   AckReason
	}{
		{"a writer", AckPolicy{}, ok, AckOK},
		{"out-of-office reply", AckPolicy{}, with(func(in *AckInput) { in.Flags = []triage.Flag{triage.FlagAutomated} }), AckAutomated},
		{"web form relaying a writer", AckPolicy{}, with(func(in *AckInput) { in.Flags = []triage.Flag{triage.FlagAutomated, triage.FlagDoNotReply} }), AckAutomated},
		{"husband reads her mail", AckPolicy{}, with(func(in *AckInput) { in.Flags = []triage.Flag{triage.FlagDoNotReply} }), AckDoNotReply},
		{"part of the message could not be read", AckPolicy{}, with(func(in *AckInput) { in.Flags = []triage.Flag{triage.FlagUnreadable} }), AckUnreadable},
		{"an earlier message could not be read", AckPolicy{}, with(func(in *AckInput) {
			in.Flags, in.LastAck = []triage.Flag{triage.FlagUnreadable}, now.Add(-48*time.Hour)
		}), AckUnreadable},
		{"danger now", AckPolicy{}, with(func(in *AckInput) { in.Priority = triage.P1 }), AckUrgent},
		{"urgent, not danger now", AckPolicy{}, with(func(in *AckInput) { in.Priority = triage.P2 }), AckOK},
		{"a language the rules do not read", AckPolicy{}, with(func(in *AckInput) { in.Language = triage.LanguageOther }), AckLanguage},
		{"a language the rules read in part", AckPolicy{}, with(func(in *AckInput) { in.Language = "ro" }), AckOK},
		{"danger now, marked as spam: urgent is the reason", AckPolicy{}, with(func(in *AckInput) { in.Priority, in.Spam = triage.P1, true }), AckUrgent},
		{"marked as spam", AckPolicy{}, with(func(in *AckInput) { in.Spam = true }), AckSpam},
		{"spam from a noreply address", AckPolicy{}, with(func(in *AckInput) { in.Spam, in.Recipient = true, AckNoReplyAddress }), AckSpam},
		{"a noreply address", AckPolicy{}, with(func(in *AckInput) { in.Recipient = AckNoReplyAddress }), AckNoReplyAddress},
		{"an address that cannot be written to", AckPolicy{}, with(func(in *AckInput) { in.Recipient = AckBadAddress }), AckBadAddress},
		{"never checked", AckPolicy{}, with(func(in *AckInput) { in.Recipient = "" }), AckNullSender},
		{"null sender inside the window", AckPolicy{}, with(func(in *AckInput) { in.Recipient, in.LastAck = AckNullSender, now.Add(-time.Hour) }), AckNullSender},
		{"DMARC failed, authentication required", strict, with(func(in *AckInput) { in.DMARCFail, in.Verified = true, false }), AckDMARCFail},
		{"DMARC failed, not required", AckPolicy{}, with(func(in *AckInput) { in.DMARCFail, in.Verified = true, false }), AckOK},
		{"unverified, authentication required", strict, with(func(in *AckInput) { in.Verified = false }), AckUnverified},
		{"unverified, not required", AckPolicy{}, with(func(in *AckInput) { in.Verified = false }), AckOK},
		{"answers asked for at a stranger's address", AckPolicy{}, with(func(in *AckInput) { in.ToWriter = false }), AckNotWriter},
		{"arrived three hours ago", AckPolicy{}, with(func(in *AckInput) { in.Received = now.Add(-3 * time.Hour) }), AckTooOld},
		{"arrived two hours ago to the minute", AckPolicy{}, with(func(in *AckInput) { in.Received = now.Add(-2 * time.Hour) }), AckOK},
		{"arrived a year ago, a longer age allowed", AckPolicy{MaxAge: 24 * time.Hour}, with(func(in *AckInput) { in.Received = now.AddDate(-1, 0, 0) }), AckTooOld},
		{"arrived in the future (clock skew)", AckPolicy{}, with(func(in *AckInput) { in.Received = now.Add(time.Hour) }), AckOK},
		{"case acknowledged an hour ago", AckPolicy{}, with(func(in *AckInput) { in.LastAck = now.Add(-time.Hour) }), AckWindow},
		{"case acknowledged 23h59m ago", AckPolicy{}, with(func(in *AckInput) { in.LastAck = now.Add(-24*time.Hour + time.Minute) }), AckWindow},
		{"case acknowledged a day ago", AckPolicy{}, with(func(in *AckInput) { in.LastAck = now.Add(-24 * time.Hour) }), AckOK},
		{"case acknowledged in the future (clock skew)", AckPolicy{}, with(func(in *AckInput) { in.LastAck = now.Add(time.Hour) }), AckWindow},
		{"shorter window configured", AckPolicy{Window: time.Hour}, with(func(in *AckInput) { in.LastAck = now.Add(-2 * time.Hour) }), AckOK},
		{"longer window configured", AckPolicy{Window: 48 * time.Hour}, with(func(in *AckInput) { in.LastAck = now.Add(-30 * time.Hour) }), AckWindow},
		{"address acknowledged on another case", AckPolicy{}, with(func(in *AckInput) { in.RecipientLastAck = now.Add(-5 * time.Hour) }), AckRecipientRecent},
		{"address acknowledged yesterday", AckPolicy{}, with(func(in *AckInput) { in.RecipientLastAck = now.Add(-25 * time.Hour) }), AckOK},
		{"119 in the last hour", AckPolicy{}, with(func(in *AckInput) { in.LastHour = 119 }), AckOK},
		{"120 in the last hour", AckPolicy{}, with(func(in *AckInput) { in.LastHour = 120 }), AckRate},
		{"a lower rate configured", AckPolicy{Rate: 10}, with(func(in *AckInput) { in.LastHour = 10 }), AckRate},
		{"30 to the domain in the last hour", AckPolicy{}, with(func(in *AckInput) { in.LastHourDomain = 30 }), AckRateDomain},
		{"a higher domain rate configured", AckPolicy{RateDomain: 100}, with(func(in *AckInput) { in.LastHourDomain = 30 }), AckOK},
		{"do not reply and acknowledged before", AckPolicy{}, with(func(in *AckInput) {
			in.Flags, in.LastAck = []triage.Flag{triage.FlagDoNotReply}, now.Add(-time.Hour)
		}), AckDoNotReply},
		{"an old message over the rate: old is the reason", AckPolicy{}, with(func(in *AckInput) {
			in.Received, in.LastHour = now.Add(-3*time.Hour), 500
		}), AckTooOld},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.policy.Decide(tc.in); got != tc.want {
				t.Errorf("Decide = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAlert(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 14, 22, 0, 0, 0, time.UTC)
	tests := []struct {
		reason    AckReason
		lastAlert time.Time
		want      bool
	}{
		{AckRate, time.Time{}, true},
		{AckRateDomain, time.Time{}, true},
		{AckRate, now.Add(-59 * time.Minute), false},
		{AckRate, now.Add(-61 * time.Minute), true},
		{AckWindow, time.Time{}, false},
		{AckOK, time.Time{}, false},
	}
	for _, tc := range tests {
		if got := Alert(tc.reason, tc.lastAlert, now); got != tc.want {
			t.Errorf("Alert(%s, %v) = %v, want %v", tc.reason, tc.lastAlert, got, tc.want)
		}
	}
}

func TestDefaultAddressee(t *testing.T) {
	t.Parallel()
	anna, safe, stranger := []byte("anna"), []byte("safe"), []byte("stranger")
	tests := []struct {
		name          string
		from, replyTo []byte
		writers       [][]byte
		want          Field
		ok            bool
	}{
		{"the writer", anna, nil, [][]byte{anna}, FieldFrom, true},
		{"the writer's Reply-To", anna, safe, [][]byte{anna, safe}, FieldReplyTo, true},
		{"a stranger", stranger, nil, [][]byte{anna}, FieldFrom, false},
		{"the writer asking for answers at a new address", anna, stranger, [][]byte{anna}, FieldReplyTo, false},
		{"a stranger asking for answers at the writer's address", stranger, anna, [][]byte{anna}, FieldReplyTo, false},
		{"no From, answers at the writer's address", nil, anna, [][]byte{anna}, FieldReplyTo, true},
		{"a null sender", nil, nil, [][]byte{anna}, FieldFrom, false},
	}
	for _, tc := range tests {
		f, ok := DefaultAddressee(tc.from, tc.replyTo, tc.writers)
		if f != tc.want || ok != tc.ok {
			t.Errorf("%s: DefaultAddressee = %s, %v; want %s, %v", tc.name, f, ok, tc.want, tc.ok)
		}
	}
}

func TestIsDaemon(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{"": true, "<>": true, "MAILER-DAEMON@mx.example.hu": true, "postmaster@example.hu": true,
		"anna@example.hu": false, "daemon.anna@example.hu": false} {
		if got := IsDaemon(addr); got != want {
			t.Errorf("IsDaemon(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestCheckFrom(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from          mail.Address
		warning, fail bool
	}{
		{mail.Address{Address: "valasz@example.hu"}, false, false},
		{mail.Address{Name: "Ügyfélszolgálat", Address: "info@example.hu"}, false, false},
		{mail.Address{Address: "okit@ncsszi.hu"}, true, false},
		{mail.Address{Address: "krizis.segitseg@example.hu"}, true, false},
		{mail.Address{Name: "OKIT", Address: "valasz@example.hu"}, false, true},
		{mail.Address{Name: "Krízisvonal", Address: "okit@ncsszi.hu"}, false, true},
	}
	for _, tc := range tests {
		warning, err := CheckFrom(tc.from)
		if (warning != "") != tc.warning || (err != nil) != tc.fail {
			t.Errorf("CheckFrom(%v) = %q, %v; want warning %v, error %v", tc.from, warning, err, tc.warning, tc.fail)
		}
	}
}
