// Package storage is the only package that speaks SQL. It keeps okit's state
// in PostgreSQL: mailbox checkpoints, cases, sealed messages and the
// append-only case event log.
//
// Every change of a case is written together with its event in one
// transaction (Store.InTx), so the event log is a complete history: response
// times and the audit trail are read from it. The schema is a series of
// numbered SQL files embedded in the binary; Migrate applies the missing ones,
// each in its own transaction, and CheckSchema lets a server refuse to run on
// an old schema. Migrate runs as the schema's owner and ends by granting
// the two running roles, okit_intake and okit_console, exactly what
// roles.go lists; serve checks with CheckRunningRole that it is not
// connected as anyone who could alter a table.
//
// Storage decides nothing about people. Saving a batch of mail, it looks
// up what the batch may thread into (stored messages by Message-ID, the
// writer addresses of their cases, the open case each sender may join)
// and asks intake.Thread which case each message joins; it gathers what
// the acknowledgement policy reads (flags, writers, the last
// acknowledgement of each case and address, the hour's counts) and asks
// replies.AckPolicy.Decide whether to acknowledge; it records both answers
// with their events. Where an answer goes is replies.DefaultAddressee's
// rule, asked the same way. Assignment and response clocks follow package
// triage's rules the same way.
//
// Outgoing mail and reminders are jobs of a river queue in the same
// database, enqueued in the transaction of the row they are about;
// RunJobs works them with the workers the caller gives (cmd/okit gives
// replies'). Tests that must read rows directly get the pool from
// storagetest.Pool; everything else goes through Store's methods.
//
// Content columns hold OpenPGP ciphertext made by package seal, and lookups
// on sealed values go through keyed digests; storage never sees plaintext of
// a message, a subject or an address.
package storage
