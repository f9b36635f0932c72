package triage

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAutomatedByHeader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   Input
		want []string
	}{
		{"person", Input{From: "anna@example.hu", Header: map[string][]string{"Content-Type": {"text/plain"}}}, nil},
		{"auto-submitted no", Input{Header: map[string][]string{"Auto-Submitted": {"no"}}}, nil},
		{"auto-submitted", Input{Header: map[string][]string{"Auto-Submitted": {"Auto-Replied; owner-email=x@example.test"}}}, []string{hdrAutoSubmitted}},
		{"precedence bulk", Input{Header: map[string][]string{"Precedence": {"bulk"}}}, []string{hdrPrecedence}},
		{"precedence first-class", Input{Header: map[string][]string{"Precedence": {"first-class"}}}, nil},
		{"list", Input{Header: map[string][]string{"List-Id": {"<a.example>"}, "List-Unsubscribe": {"<mailto:x@example>"}}}, []string{hdrListID, hdrListUnsubscribe}},
		{"null return path", Input{Header: map[string][]string{"Return-Path": {"<>"}}}, []string{hdrNullSender}},
		{"mailer-daemon", Input{From: "MAILER-DAEMON@mx.example.test"}, []string{hdrDaemon}},
		{"postmaster in Sender", Input{From: "x@example.test", Header: map[string][]string{"Sender": {"Postmaster <postmaster@example.test>"}}}, []string{hdrDaemon}},
		{"noreply variants", Input{From: "Do-Not-Reply@example.test"}, []string{hdrNoReply}},
		{"hungarian noreply", Input{From: "ne_valaszolj@example.hu"}, []string{hdrNoReply}},
		{"report", Input{Header: map[string][]string{"Content-Type": {"multipart/report; report-type=delivery-status"}}}, []string{hdrReport}},
		{"x-autoreply", Input{Header: map[string][]string{"X-Autoreply": {"yes"}}}, []string{hdrAutoreply}},
		{"x-autorespond", Input{Header: map[string][]string{"X-Autorespond": {""}}}, []string{hdrAutoreply}},
		{"suppress", Input{Header: map[string][]string{"X-Auto-Response-Suppress": {"All"}}}, []string{hdrSuppress}},
		{"keys not canonical", Input{Header: map[string][]string{"auto-submitted": {"auto-generated"}}}, []string{hdrAutoSubmitted}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, automatedByHeader(tc.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
