package replies

import (
	"testing"
	"time"

	"github.com/ncsszi/okit/triage"
)

func TestMayAcknowledge(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 14, 22, 0, 0, 0, time.UTC)
	own := []string{"OKIT <okit@ncsszi.hu>", "okit-mailbox@ncsszi.hu"}
	tests := []struct {
		name    string
		to      string
		flags   []triage.Flag
		lastAck time.Time
		window  time.Duration
		want    string
	}{
		{"a person writing", "kovacs.eva@gmail.com", nil, time.Time{}, 0, AckOK},
		{"a person with a tag", "eva+okit@example.hu", nil, time.Time{}, 0, AckOK},
		{"international domain", "anna@példa.hu", nil, time.Time{}, 0, AckOK},
		{"out-of-office reply", "kovacs.eva@gmail.com", []triage.Flag{triage.FlagAutomated}, time.Time{}, 0, AckAutomated},
		{"web form relaying a writer", "noreply@urlap.example.hu", []triage.Flag{triage.FlagAutomated, triage.FlagDoNotReply}, time.Time{}, 0, AckAutomated},
		{"husband reads her mail", "kovacs.eva@gmail.com", []triage.Flag{triage.FlagDoNotReply}, time.Time{}, 0, AckDoNotReply},
		{"null sender", "", nil, time.Time{}, 0, AckNullSender},
		{"null sender in brackets", " <> ", nil, time.Time{}, 0, AckNullSender},
		{"no @", "kovacs.eva", nil, time.Time{}, 0, AckBadAddress},
		{"space inside", "kovacs eva@gmail.com", nil, time.Time{}, 0, AckBadAddress},
		{"display name instead of address", "Éva <eva@gmail.com>", nil, time.Time{}, 0, AckBadAddress},
		{"nothing after @", "eva@", nil, time.Time{}, 0, AckBadAddress},
		{"dotless domain", "eva@intranet", nil, time.Time{}, 0, AckBadAddress},
		{"our own address", "okit@ncsszi.hu", nil, time.Time{}, 0, AckOwnAddress},
		{"our own address in capitals", "OKIT@NCSSZI.HU", nil, time.Time{}, 0, AckOwnAddress},
		{"our own address with a tag", "okit+bounce@ncsszi.hu", nil, time.Time{}, 0, AckOwnAddress},
		{"our mailbox address", "okit-mailbox@ncsszi.hu.", nil, time.Time{}, 0, AckOwnAddress},
		{"a colleague at our domain", "titkarsag@ncsszi.hu", nil, time.Time{}, 0, AckOK},
		{"MAILER-DAEMON", "MAILER-DAEMON@mx.example.hu", nil, time.Time{}, 0, AckDaemonAddress},
		{"mailer_daemon", "mailer_daemon@example.hu", nil, time.Time{}, 0, AckDaemonAddress},
		{"postmaster", "Postmaster@example.hu", nil, time.Time{}, 0, AckDaemonAddress},
		{"noreply", "noreply@bank.example.hu", nil, time.Time{}, 0, AckNoReplyAddress},
		{"no-reply", "no-reply@accounts.google.com", nil, time.Time{}, 0, AckNoReplyAddress},
		{"no_reply", "no_reply@example.com", nil, time.Time{}, 0, AckNoReplyAddress},
		{"No.Reply", "No.Reply@example.com", nil, time.Time{}, 0, AckNoReplyAddress},
		{"noreply with a tag", "noreply+x123@example.com", nil, time.Time{}, 0, AckNoReplyAddress},
		{"donotreply", "DoNotReply@service.example.com", nil, time.Time{}, 0, AckNoReplyAddress},
		{"do-not-reply", "do-not-reply@example.com", nil, time.Time{}, 0, AckNoReplyAddress},
		{"noreply inside a role name", "info-noreply@example.hu", nil, time.Time{}, 0, AckNoReplyAddress},
		{"Hungarian ne válaszolj", "ne-valaszolj@ugyfelkapu.example.hu", nil, time.Time{}, 0, AckNoReplyAddress},
		{"a name that contains 'no'", "nora.reply@example.hu", nil, time.Time{}, 0, AckOK},
		{"acknowledged an hour ago", "kovacs.eva@gmail.com", nil, now.Add(-time.Hour), 0, AckWindow},
		{"acknowledged 23h59m ago", "kovacs.eva@gmail.com", nil, now.Add(-24*time.Hour + time.Minute), 0, AckWindow},
		{"acknowledged a day ago", "kovacs.eva@gmail.com", nil, now.Add(-24 * time.Hour), 0, AckOK},
		{"acknowledged in the future (clock skew)", "kovacs.eva@gmail.com", nil, now.Add(time.Hour), 0, AckWindow},
		{"shorter window configured", "kovacs.eva@gmail.com", nil, now.Add(-2 * time.Hour), time.Hour, AckOK},
		{"longer window configured", "kovacs.eva@gmail.com", nil, now.Add(-30 * time.Hour), 48 * time.Hour, AckWindow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ok, reason := MayAcknowledge(AckInput{To: tc.to, Flags: tc.flags, Own: own, LastAck: tc.lastAck, Now: now, Window: tc.window})
			if reason != tc.want || ok != (tc.want == AckOK) {
				t.Errorf("MayAcknowledge(%q) = %v, %q; want %q", tc.to, ok, reason, tc.want)
			}
		})
	}
}
