// Package intake takes mail from the hotline's IMAP mailbox into the
// store, losing nothing and storing nothing twice.
//
// One process at a time holds a mailbox (Store.LockMailbox: a Lock on a
// database connection of its own). Others wait on standby and try again
// every few seconds; a holder whose lock is lost stops at once and waits
// too. It signs in with a password or an OAuth2 token (package mailauth),
// and signs in again with a fresh token before the one it used runs out,
// idling included. It fetches
// new messages by UID in batches, has package message parse each, triage
// rate it, seals the raw message and its summary to the organisation's
// public key (intake cannot read what it stored), computes the keyed
// digests that find duplicates, threads and senders, and hands the batch
// to the store, which saves it with the checkpoint in one transaction.
// Only after that commit is the source message moved or deleted, so a
// crash at any point is followed by a fetch that the raw digest recognises.
// Between passes it waits with IDLE where the server has it and polls
// where not; a lost connection is dialled again with backoff.
//
// Whose case a message is, is Thread's decision, a pure function of the
// batch and what the store looked up. No header a sender wrote decides it
// by itself: a reply joins a case only from one of its writer addresses, a
// sender joins their open case by address, or reopens the one closed
// within OKIT_REOPEN_WITHIN, only when the receiving server verified the
// From (ReadAuth, from its Authentication-Results) and the case knows the
// address from a verified message or an operator, a bounce
// counts only from a daemon returning our message to the address it was
// sent to; anything else opens a case of its own, possibly related to the
// one it named. Intake also reads the server's spam verdict (Spam), and,
// where the address is readable, whether an answer may be written to it.
//
// While it holds the mailbox, intake may send okit's canary through the
// SMTP path replies take and time its way back (canary.go): mail that
// silently stops arriving raises an alert.
package intake
