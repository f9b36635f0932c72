// Package demo lets a newcomer see okit work on one machine with nothing set
// up: an IMAP server in process (go-imap's imapmemserver) holding the
// hotline's mailbox, sample help-seeking mail written for the demo, and a
// feeder that keeps mail arriving. Tests use the same Mailbox as their IMAP
// peer.
//
// The samples are fictional; any resemblance to real people is accidental.
package demo
