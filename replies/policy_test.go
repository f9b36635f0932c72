package replies

import (
	"testing"
	"time"

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
	tests := []struct {
		name      string
		recipient AckReason
		flags     []triage.Flag
		lastAck   time.Time
		window    time.Duration
		want      AckReason
	}{
		{"out-of-office reply", AckOK, []triage.Flag{triage.FlagAutomated}, time.Time{}, 0, AckAutomated},
		{"web form relaying a writer", AckOK, []triage.Flag{triage.FlagAutomated, triage.FlagDoNotReply}, time.Time{}, 0, AckAutomated},
		{"husband reads her mail", AckOK, []triage.Flag{triage.FlagDoNotReply}, time.Time{}, 0, AckDoNotReply},
		{"part of the message could not be read", AckOK, []triage.Flag{triage.FlagUnreadable}, time.Time{}, 0, AckUnreadable},
		{"an earlier message could not be read", AckOK, []triage.Flag{triage.FlagUnreadable}, now.Add(-48 * time.Hour), 0, AckUnreadable},
		{"acknowledged an hour ago", AckOK, nil, now.Add(-time.Hour), 0, AckWindow},
		{"acknowledged 23h59m ago", AckOK, nil, now.Add(-24*time.Hour + time.Minute), 0, AckWindow},
		{"acknowledged a day ago", AckOK, nil, now.Add(-24 * time.Hour), 0, AckOK},
		{"acknowledged in the future (clock skew)", AckOK, nil, now.Add(time.Hour), 0, AckWindow},
		{"shorter window configured", AckOK, nil, now.Add(-2 * time.Hour), time.Hour, AckOK},
		{"longer window configured", AckOK, nil, now.Add(-30 * time.Hour), 48 * time.Hour, AckWindow},
		{"a noreply address", AckNoReplyAddress, nil, time.Time{}, 0, AckNoReplyAddress},
		{"automated mail from a noreply address", AckNoReplyAddress, []triage.Flag{triage.FlagAutomated}, time.Time{}, 0, AckAutomated},
		{"do not reply and acknowledged before", AckOK, []triage.Flag{triage.FlagDoNotReply}, now.Add(-time.Hour), 0, AckDoNotReply},
		{"null sender inside the window", AckNullSender, nil, now.Add(-time.Hour), 0, AckNullSender},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := AckPolicy{Window: tc.window}.Decide(AckInput{Recipient: tc.recipient, Flags: tc.flags, LastAck: tc.lastAck, Now: now})
			if got != tc.want {
				t.Errorf("Decide = %q, want %q", got, tc.want)
			}
		})
	}
}
