// Package web is okit's console: the triaged queue, cases, answers and
// crisis homes for operators; figures, the audit trail and the present
// (who is on shift, what waits: now.go) for supervisors; users for
// administrators.
//
// It is server-rendered HTML (html/template, files embedded) that works
// without JavaScript; a small script adds the running clocks, live updates
// of the queue and a keep-alive while an operator reads or types, one the
// alerts that say nothing of a case (alerts.go: the tab's count, a tone, a
// desktop notification, supervisors' banner) over the page's live stream
// (server-sent events fed by PostgreSQL LISTEN/NOTIFY), and another the
// keyboard (keys.html lists the keys: j/k, Enter, r, /, g q, numbers for
// saved answers). Every route states the roles that may use it
// (routes.go); a request is let through only with a live session of one
// of them, and after the second factor where one is needed; an idle
// session locks rather than ends (lock.go). Roles,
// password hashes and TOTP codes are package account's; web asks for them
// and keeps the sessions. A credential counts only with its MAC under the
// console key (seal.Binder). Logging in records the attempt before
// hashing, slows down addresses rather than people, and hashes a few
// passwords at a time (login.go). Admins make and reset accounts with
// one-time links and never type a password; a supervisor confirms each
// (users.go, welcome.go).
//
// Sealed content is opened only here and in the reply worker. Before
// anything of a case is decrypted, an event says who opens it, when and
// from where; the queue decrypts only the small summaries of the writers'
// latest messages (recorded once per session and case, seen.go), the case
// page the case's messages and notes. The search index (searchindex.go,
// package search) is built in this process's memory from every case's
// texts, after one event saying so, and kept current from the same live
// stream; nothing of it leaves the process. A search is recorded with its
// words sealed.
//
// Two people on one case see each other (presence.go, in each process's
// memory, told to the other nodes through the database, live over the
// stream); the answer being written is kept as a
// sealed draft (drafts.go); answering a colleague's case, or minutes after
// a colleague's mail, asks first, checked in the reply's transaction.
//
// Answers are framed in the writer's language and in a voice, formal or
// informal (voice.go); supervisors keep saved answers (saved.go), which
// hold the service's own words and are refused when they look like a
// writer's. Mail is
// shown as text, never as HTML, and attachments are offered for download,
// never rendered.
//
// Security of the pages: sessions live in PostgreSQL (the cookie holds a
// random token, the database its SHA-256), lock after an idle time, end
// after an absolute one and on logout; state-changing requests from other origins are refused
// (http.CrossOriginProtection) and cookies are SameSite=Strict; the
// Content-Security-Policy allows scripts and styles from the console only.
package web
