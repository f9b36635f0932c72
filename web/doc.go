// Package web is okit's console: the triaged queue, cases, answers and
// crisis homes for operators; figures and the audit trail for supervisors;
// users for administrators.
//
// It is server-rendered HTML (html/template, files embedded) that works
// without JavaScript; a small script adds the running clocks, live updates
// of the queue (server-sent events fed by PostgreSQL LISTEN/NOTIFY) and a
// keep-alive while an operator types. Every route states the roles that may
// use it (routes.go); a request is let through only with a live session of
// one of them, and after the second factor where one is needed. Roles,
// password hashes and TOTP codes are package account's; web asks for them
// and keeps the sessions.
//
// Sealed content is opened only here and in the reply worker. Before
// anything of a case is decrypted, an event says who opens it, when and
// from where; the queue decrypts only the small summaries of the writers'
// latest messages, the case page the case's messages and notes. Mail is
// shown as text, never as HTML, and attachments are offered for download,
// never rendered.
//
// Security of the pages: sessions live in PostgreSQL (the cookie holds a
// random token, the database its SHA-256), expire after an idle time and
// end on logout; state-changing requests from other origins are refused
// (http.CrossOriginProtection) and cookies are SameSite=Strict; the
// Content-Security-Policy allows scripts and styles from the console only.
package web
