#!/usr/bin/env bash
# Acceptance soak against a real mail server: sends N messages over SMTP to
# the hotline address while `okit serve` is killed with SIGKILL again and
# again, then checks that every message is stored exactly once and the
# mailbox is empty. Not part of `make test`: it needs an IMAP+SMTP server,
# e.g. ../shared/mailstack (eval "$(up.sh)" first).
#
#   OKIT_* set for intake (see README) and SMTP_ADDR=127.0.0.1:2525
#   deploy/soak-kill.sh [N]
set -euo pipefail
n=${1:-1000}
okit=${OKIT_BIN:-bin/okit}
: "${SMTP_ADDR:?set SMTP_ADDR to the SMTP server that delivers to the hotline mailbox}"
run=$(date +%s)

before=$(psql "$OKIT_DATABASE_URL" -Atc "select count(*) from messages")

python3 - "$SMTP_ADDR" "$n" "$run" <<'PY' &
import smtplib, sys, time
from email.message import EmailMessage
addr, n, run = sys.argv[1], int(sys.argv[2]), sys.argv[3]
host, port = addr.rsplit(":", 1)
s = smtplib.SMTP(host, int(port))
for i in range(n):
    m = EmailMessage()
    m["From"] = f"Soak Writer {i} <soak{i}@example.test>"
    m["To"] = "okit@ncsszi.hu"
    m["Subject"] = f"soak {run} {i}"
    m["Message-ID"] = f"<soak-{run}-{i}@example.test>"
    m.set_content(f"Segitseg kellene, ez a {i}. uzenet.\n")
    s.send_message(m)
    time.sleep(0.01)
s.quit()
PY
sender=$!

kills=0
while kill -0 "$sender" 2>/dev/null || [ "$kills" -lt 20 ]; do
  "$okit" serve >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 9 + 1))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  kills=$((kills + 1))
done
wait "$sender"
sleep 2 # let the mail server finish delivering
"$okit" intake --once

after=$(psql "$OKIT_DATABASE_URL" -Atc "select count(*) from messages")
distinct=$(psql "$OKIT_DATABASE_URL" -Atc "select count(distinct raw_digest) from messages")
echo "kills: $kills; stored before: $before, after: $after (distinct $distinct); sent: $n"
[ $((after - before)) -eq "$n" ] && [ "$after" -eq "$distinct" ] && echo "OK: every message stored exactly once" || { echo "FAIL"; exit 1; }
