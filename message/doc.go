// Package message reads incoming mail as okit's other parts need it: the
// writer's text, a summary for lists, the attachments, and the header
// fields that tell a machine from a person.
//
// Parse never fails outright and never keeps attachment bytes: whatever
// arrives is read as far as it can be, and what could not be read is said
// in Problems (in words that carry no content) and in Status. The raw
// bytes are stored sealed whatever happens here, so a better parser can
// read them again later. Intake parses each message once, as it takes it
// in; replies and the console parse the opened raw message again when they
// need more than the sealed Summary.
//
// Everything here is plaintext and lives only in memory: callers seal what
// they keep.
package message
