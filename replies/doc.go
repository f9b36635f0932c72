// Package replies makes the mail okit sends to writers: it renders the
// reply templates, decides whether an automatic acknowledgement may go
// out, composes the RFC 5322 message, and hands it to an SMTP server. This
// part is pure but for Send: no database, no queue, no clock of its own.
//
// # Templates
//
// templates/NAME.LANG.tmpl are text/template files embedded in the
// binary; a directory given to LoadTemplates (OKIT_TEMPLATES_DIR) replaces
// files of the same name and may add languages or templates. Each file's
// {{define "subject"}} block is the subject, the rest the body. Hungarian
// is the fallback for a language a template lacks. The built-in ones:
// ack (the automatic acknowledgement), crisis_home (a crisis home's phone
// number, sent by an operator), information (what the service offers),
// and reminder, which is not mail to a writer: it is the text that tells
// an operator that a writer has not answered a crisis-home contact.
//
// Discretion is checked, not hoped for. A reply shows up on the writer's
// screen, maybe a shared one: its subject and first lines (Opening) must
// not name abuse, violence, a shelter or the service (Revealing). The
// subject is "Re: " and the writer's own, or neutral when theirs is empty
// or revealing; a revealing greeting name is dropped; the operator's own
// words come after the opening. LoadTemplates renders every template with
// deliberately revealing sample data and refuses one that leaks into its
// subject or opening, so an edited override fails at start, not in a
// writer's inbox. Compose refuses a revealing subject or From name too.
// Crisis homes are secret: Data has a phone number and a name to ask for,
// and no field a template could print an address from.
//
// # Composing and sending
//
// Compose writes a plain-text UTF-8 message in quoted-printable with RFC
// 2047 headers, threaded to the writer's message (In-Reply-To,
// References), with Auto-Submitted: auto-replied on automatic mail (RFC
// 3834), and nothing that names the product (no X-Mailer) or tracks the
// reader. SMTPSender sends one message per connection (implicit TLS,
// STARTTLS, or plain on loopback; AUTH PLAIN) and Temporary tells a
// failure worth retrying from one that is final.
//
// # The acknowledgement policy
//
// AckPolicy.Decide is the one rule for automatic acknowledgements: never
// to automated mail, a writer who asked not to be mailed, a writer in
// danger now (P1, the message's or the case's: an operator writes in
// person), mail the
// receiving server marked as spam, ourselves, null, daemon or noreply
// senders or addresses that cannot be written to; with RequireAuth, never
// to a sender whose DMARC failed or who is not verified; never to an
// address that is not the case's writer's (DefaultAddressee), to mail
// older than MaxAge, twice to a case or an address in a window, or past
// the hourly rates, in all and per recipient domain (passing one raises
// an alert, Alert). It is pure and reads no content: intake checks the
// address where it is readable (CheckRecipient) and carries the answer as
// a code; the store, saving the message, gathers the facts, asks Decide,
// and records the answer — a job for the Worker, or a suppressed (or, for
// a bad address, failed) reply and an event saying why — in the same
// transaction. The Worker then only composes, stores and sends.
//
// # Whom a reply goes to
//
// Every reply goes to an address of the case's writer, named as a Field
// (the From or Reply-To) of one of its stored messages: never to whoever
// wrote last. DefaultAddressee says where an answer goes unasked; where
// it says nobody, a person picks, and the pick is recorded. CheckFrom
// looks at OKIT_FROM as the writer will see it.
//
// # Sending
//
// Every reply is a job whose payload is one id (ReplyArgs). The Worker
// opens the writer's summary (an audited decryption), composes the mail,
// stores its sealed copy on the case before sending it (so a retry sends
// the same bytes and Message-ID), then sends it. A temporary failure is
// retried by the queue with backoff; a permanent one marks the reply
// failed on its case. Kinds and States name what a reply is and where it
// stands.
package replies
