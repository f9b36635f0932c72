package intake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The canary is okit's small message to itself: sent through the SMTP
// server replies take, to the hotline's own address, it comes back by the
// same way writers' mail does, and intake times its round trip. When none
// has come back for CanaryConfig.AlertAfter, mail may have stopped
// arriving without any error okit could see (a forwarding rule changed, a
// filter, a full mailbox, a broken MX): the canary alert (a log line, an
// alert event for the supervisors' banner, okit_alerts_total, and
// /healthz failing with the reason) says so.
//
// A canary carries canaryField: the time it was sent, a random nonce and
// a keyed digest of both and the mailbox (seal.Index.CanaryDigest), which
// only a holder of the index key can make. Intake takes a message with a
// valid mark, sent in the last week and not seen before, for a canary: it
// is never stored, never a case, never answered, and is moved away (or
// deleted) like any other. Anything else, a forged or replayed mark
// included, is ordinary mail: when unsure, a person looks.
const canaryField = "X-Okit-Canary"

// canaryMaxAge is the oldest a canary may be and still be taken for one.
const canaryMaxAge = 7 * 24 * time.Hour

type canary struct {
	in  *Intake
	cfg CanaryConfig

	mu      sync.Mutex
	waiting time.Time // since when a canary is awaited: the last one back, or the start
	alerted bool      // the alert was raised and no canary came back since
}

func newCanary(in *Intake, cfg CanaryConfig) *canary { return &canary{in: in, cfg: cfg} }

// run sends a canary at once and then every Every, and raises the alert
// when none came back for AlertAfter, until ctx ends. It runs while this
// process holds the mailbox.
func (c *canary) run(ctx context.Context) {
	c.mu.Lock()
	c.waiting = c.in.now()
	c.mu.Unlock()
	next := c.in.now()
	for {
		now := c.in.now()
		if !now.Before(next) {
			c.send(ctx, now)
			next = now.Add(c.cfg.Every)
		}
		due := c.overdue(ctx, now)
		wake := next
		if !due.IsZero() && due.Before(wake) {
			wake = due
		}
		if !sleep(ctx, max(wake.Sub(now), 10*time.Millisecond)) {
			return
		}
	}
}

// send sends one canary; a failure is logged and left to the alert.
func (c *canary) send(ctx context.Context, now time.Time) {
	msg, err := c.compose(now)
	if err == nil {
		sctx, cancel := context.WithTimeout(ctx, time.Minute)
		err = c.cfg.Sender.Send(sctx, c.cfg.From, c.cfg.To, msg)
		cancel()
	}
	if err != nil {
		if ctx.Err() == nil {
			c.in.log.Warn("canary not sent", slog.Any("err", err))
		}
		return
	}
	c.in.health.canaryEvent(-1)
	c.in.log.Debug("canary sent")
}

// overdue raises the alert when no canary came back for AlertAfter, and
// otherwise returns when it will be due (zero once raised).
func (c *canary) overdue(ctx context.Context, now time.Time) time.Time {
	c.mu.Lock()
	due, alerted := c.waiting.Add(c.cfg.AlertAfter), c.alerted
	if alerted || now.Before(due) {
		c.mu.Unlock()
		if alerted {
			return time.Time{}
		}
		return due
	}
	c.alerted = true
	since := c.waiting
	c.mu.Unlock()
	silent := now.Sub(since).Round(time.Second)
	c.in.health.Alerted(AlertCanary)
	c.in.health.Problem(AlertCanary, fmt.Sprintf("no canary has come back for %s (alert after %s): mail may not be reaching the mailbox; check the mail server's forwarding and filters, and that OKIT_SMTP_ADDR still sends", silent, c.cfg.AlertAfter))
	c.in.log.Error("ALERT: no canary has come back: mail may not be reaching the mailbox", slog.Duration("silent", silent))
	if err := c.in.store.RaiseAlert(ctx, AlertCanary, map[string]any{"reason": "overdue", "silent_s": int(silent.Seconds())}); err != nil {
		c.in.log.Error("canary alert not recorded", slog.Any("err", err))
	}
	return time.Time{}
}

// back records a canary that came back, sent at sent.
func (c *canary) back(sent time.Time) {
	now := c.in.now()
	rt := now.Sub(sent)
	c.mu.Lock()
	c.waiting = now
	wasAlerted := c.alerted
	c.alerted = false
	c.mu.Unlock()
	c.in.health.canaryEvent(rt)
	c.in.health.Solved(AlertCanary)
	if wasAlerted {
		c.in.log.Info("canary back again: mail reaches the mailbox", slog.Duration("round_trip", rt.Round(time.Millisecond)))
		return
	}
	c.in.log.Info("canary back", slog.Duration("round_trip", rt.Round(time.Millisecond)))
}

// compose makes one canary message.
func (c *canary) compose(now time.Time) ([]byte, error) {
	nonce := make([]byte, 12)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	n := hex.EncodeToString(nonce)
	mark := c.in.canaryMark(now, n)
	domain := c.cfg.From[strings.LastIndexByte(c.cfg.From, '@')+1:]
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: <%s>\r\nTo: <%s>\r\nSubject: okit canary\r\nDate: %s\r\nMessage-ID: <canary.%s@%s>\r\n",
		c.cfg.From, c.cfg.To, now.Format(time.RFC1123Z), n, domain)
	fmt.Fprintf(&b, "Auto-Submitted: auto-generated\r\n%s: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n", canaryField, mark)
	fmt.Fprintf(&b, "okit sends this message to its own mailbox every %s to check that mail still arrives.\r\nokit removes it when it comes in.\r\n", c.cfg.Every)
	return b.Bytes(), nil
}

// canaryMark is the value of canaryField: "1", the time sent in Unix
// nanoseconds, the nonce and the keyed digest of the three with the
// mailbox, separated by dots.
func (in *Intake) canaryMark(sent time.Time, nonce string) string {
	t := strconv.FormatInt(sent.UnixNano(), 10)
	return "1." + t + "." + nonce + "." + hex.EncodeToString(in.canaryDigest(t, nonce))
}

func (in *Intake) canaryDigest(t, nonce string) []byte {
	return in.digest.CanaryDigest([]byte(in.cfg.Key() + "\x00" + t + "\x00" + nonce))
}

// canarySeen is a canary intake found in the mailbox.
type canarySeen struct {
	sent  time.Time
	nonce string
}

// canaryIn says whether raw is one of okit's canaries not seen before,
// and when it was sent. Only the header is read.
func (in *Intake) canaryIn(raw []byte) (*canarySeen, bool) {
	parts := strings.Split(headerValue(raw, canaryField), ".")
	if len(parts) != 4 || parts[0] != "1" {
		return nil, false
	}
	ns, err := strconv.ParseInt(parts[1], 10, 64)
	mac, herr := hex.DecodeString(parts[3])
	if err != nil || herr != nil || !hmac.Equal(mac, in.canaryDigest(parts[1], parts[2])) {
		return nil, false
	}
	sent := time.Unix(0, ns)
	if age := in.now().Sub(sent); age > canaryMaxAge || age < -time.Hour {
		return nil, false
	}
	in.seenMu.Lock()
	defer in.seenMu.Unlock()
	if _, again := in.seen[parts[2]]; again {
		return nil, false
	}
	return &canarySeen{sent: sent, nonce: parts[2]}, true
}

// canariesBack records canaries whose batch was committed: each is taken
// for a canary once, and its round trip counts.
func (in *Intake) canariesBack(cs []*canarySeen) {
	if len(cs) == 0 {
		return
	}
	in.seenMu.Lock()
	now := in.now()
	for n, t := range in.seen { // forget what could no longer pass for a canary anyway
		if now.Sub(t) > canaryMaxAge {
			delete(in.seen, n)
		}
	}
	for _, c := range cs {
		in.seen[c.nonce] = c.sent
	}
	in.seenMu.Unlock()
	for _, c := range cs {
		if in.canary != nil {
			in.canary.back(c.sent)
		}
	}
}

// headerValue returns the first field called name in raw's header (the
// lines before the first empty one, at most 64 KiB of them), unfolded,
// or "".
func headerValue(raw []byte, name string) string {
	head := raw[:min(len(raw), 64<<10)]
	if i := bytes.Index(head, []byte("\r\n\r\n")); i >= 0 {
		head = head[:i]
	} else if i := bytes.Index(head, []byte("\n\n")); i >= 0 {
		head = head[:i]
	}
	lines := strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n")
	for i, l := range lines {
		k, v, ok := strings.Cut(l, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), name) {
			continue
		}
		for _, cont := range lines[i+1:] {
			if cont == "" || (cont[0] != ' ' && cont[0] != '\t') {
				break
			}
			v += cont
		}
		return strings.Join(strings.Fields(v), "")
	}
	return ""
}
