package triage

import (
	"strings"
)

// Built-in rule ids for automated mail recognised from the header. They
// follow RFC 3834 and the conventions of common mail servers; they are not
// in the rules file because supervisors have nothing to tune in them.
const (
	hdrAutoSubmitted   = "header-auto-submitted"   // Auto-Submitted other than "no"
	hdrPrecedence      = "header-precedence"       // Precedence: bulk, list, junk, auto_reply
	hdrListID          = "header-list-id"          // List-Id
	hdrListUnsubscribe = "header-list-unsubscribe" // List-Unsubscribe
	hdrNullSender      = "header-null-sender"      // Return-Path: <>
	hdrDaemon          = "header-daemon-sender"    // MAILER-DAEMON, postmaster
	hdrNoReply         = "header-noreply-sender"   // noreply, no-reply, donotreply, nevalaszolj…
	hdrReport          = "header-report"           // Content-Type: multipart/report (bounces, receipts)
	hdrAutoreply       = "header-x-autoreply"      // X-Autoreply, X-Autorespond
	hdrSuppress        = "header-x-auto-response-suppress"
)

// headerValues returns the values of key, looking the key up as given and
// then without regard to case, for callers that did not canonicalise.
func headerValues(h map[string][]string, key string) ([]string, bool) {
	if v, ok := h[key]; ok {
		return v, true
	}
	for k, v := range h {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func firstValue(h map[string][]string, key string) (string, bool) {
	v, ok := headerValues(h, key)
	if !ok {
		return "", false
	}
	if len(v) == 0 {
		return "", true
	}
	return strings.TrimSpace(v[0]), true
}

// automatedByHeader returns the ids of the header rules that mark the
// message as sent by a machine, in a fixed order.
func automatedByHeader(in Input) []string {
	var ids []string
	h := in.Header
	if v, ok := firstValue(h, "Auto-Submitted"); ok {
		v = strings.ToLower(strings.TrimSpace(strings.SplitN(v, ";", 2)[0]))
		if v != "" && v != "no" {
			ids = append(ids, hdrAutoSubmitted)
		}
	}
	if v, ok := firstValue(h, "Precedence"); ok {
		switch strings.ToLower(v) {
		case "bulk", "list", "junk", "auto_reply", "auto-reply":
			ids = append(ids, hdrPrecedence)
		}
	}
	if v, ok := firstValue(h, "List-Id"); ok && v != "" {
		ids = append(ids, hdrListID)
	}
	if v, ok := firstValue(h, "List-Unsubscribe"); ok && v != "" {
		ids = append(ids, hdrListUnsubscribe)
	}
	if v, ok := firstValue(h, "Return-Path"); ok {
		if strings.Trim(v, "<> \t") == "" {
			ids = append(ids, hdrNullSender)
		}
	}
	senders := []string{in.From}
	if v, ok := firstValue(h, "Sender"); ok {
		senders = append(senders, v)
	}
	daemon, noreply := false, false
	for _, a := range senders {
		local := localPart(a)
		switch local {
		case "mailer-daemon", "mailerdaemon", "postmaster":
			daemon = true
		}
		if isNoReply(local) {
			noreply = true
		}
	}
	if daemon {
		ids = append(ids, hdrDaemon)
	}
	if noreply {
		ids = append(ids, hdrNoReply)
	}
	if v, ok := firstValue(h, "Content-Type"); ok {
		if strings.HasPrefix(strings.ToLower(v), "multipart/report") {
			ids = append(ids, hdrReport)
		}
	}
	_, a := headerValues(h, "X-Autoreply")
	_, b := headerValues(h, "X-Autorespond")
	if a || b {
		ids = append(ids, hdrAutoreply)
	}
	if _, ok := headerValues(h, "X-Auto-Response-Suppress"); ok {
		ids = append(ids, hdrSuppress)
	}
	return ids
}

// localPart gives the lower-cased part before the @ of an address that
// may still carry a display name or angle brackets.
func localPart(addr string) string {
	addr = strings.TrimSpace(addr)
	if i := strings.LastIndexByte(addr, '<'); i >= 0 {
		addr = addr[i+1:]
	}
	addr = strings.Trim(addr, "<> \t")
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		addr = addr[:i]
	}
	return strings.ToLower(addr)
}

// noReplySeparators drops the separators of "no-reply", "do_not.reply".
// It is built once: building a Replacer allocated some 6 KiB, most of
// what triaging a message allocated; a Replacer is safe for concurrent use.
var noReplySeparators = strings.NewReplacer("-", "", "_", "", ".", "", "+", "")

func isNoReply(local string) bool {
	l := noReplySeparators.Replace(local)
	for _, w := range []string{"noreply", "donotreply", "dontreply", "nevalaszolj", "nemvalaszolj", "nevalaszoljon"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}
