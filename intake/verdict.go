package intake

import (
	"slices"

	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/secondopinion"
	"github.com/ncsszi/okit/triage"
)

// RuleUnreadable is the rule id a verdict carries when okit could not read
// the message whole.
const RuleUnreadable = "okit.unreadable"

// Judge triages a parsed message as intake does: the rules read its text,
// the second opinion op (nil for none) may raise their priority, and a
// message whose text could not be read whole (m.Unreadable) is raised to
// at least P2 with the flag unreadable. It is the one place that decision
// lives; `okit message inspect` shows what it gives.
func Judge(rules *triage.Rules, op *secondopinion.Opinion, m *message.Message) triage.Verdict {
	return judge(rules, op, TriageInput(m), m.Unreadable != "")
}

// TriageInput is what triage reads of a parsed message: the same for
// intake, `okit triage explain` and the console's "why" lines, so that
// they all explain the verdict that was stored.
func TriageInput(m *message.Message) triage.Input {
	return triage.Input{Subject: m.Subject, Text: m.Text, From: m.From.Addr, ReplyTo: m.ReplyAddr(), Header: m.Header}
}

// judge triages in and, when okit could not read the message whole,
// raises it: a human must look soon at what the rules could not read, and
// no automatic mail goes out before (the flag tells the reply policy).
func judge(rules *triage.Rules, op *secondopinion.Opinion, in triage.Input, unreadable bool) triage.Verdict {
	v := op.Judge(rules, in)
	if !unreadable {
		return v
	}
	v.Priority = min(v.Priority, triage.P2)
	if !v.Has(triage.FlagUnreadable) {
		v.Flags = append(v.Flags, triage.FlagUnreadable)
	}
	if !slices.Contains(v.Rules, RuleUnreadable) {
		v.Rules = append(v.Rules, RuleUnreadable)
	}
	return v
}
