// Package intake takes mail from the hotline's IMAP mailbox into the
// store, losing nothing and storing nothing twice.
//
// One process at a time holds a mailbox (Store.LockMailbox). It fetches
// new messages by UID in batches, has package message parse each, triage
// rate it, seals the raw message and its summary to the organisation's
// public key (intake cannot read what it stored), computes the keyed
// digests that find duplicates, threads and senders, and hands the batch
// to the store, which saves it with the checkpoint in one transaction.
// Only after that commit is the source message moved or deleted, so a
// crash at any point is followed by a fetch that the raw digest recognises.
// Between passes it waits with IDLE where the server has it and polls
// where not; a lost connection is dialled again with backoff.
package intake
