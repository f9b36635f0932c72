// Package message reads incoming mail as okit's other parts need it: the
// writer's text, a summary for lists, the attachments, and the header
// fields that tell a machine from a person.
//
// Parse never fails outright and never keeps attachment bytes: whatever
// arrives is read as far as it can be, and what could not be read is said
// in Problems (in words that carry no content) and in Status. When the
// writer's text itself could not be read whole (a message cut short, a
// limit reached, a text part that gave no text, a broken base64 line in
// it) Unreadable says why, and intake raises the message to at least P2
// with the flag unreadable: a message okit could not read is never a
// quiet P4. 8-bit text that no charset reads convincingly is such a
// loss, not Latin or Cyrillic garbage. A repair that still reads the
// text in full (a charset guessed, a boundary found that the header did
// not name) is only a problem the operator sees. The raw bytes are stored sealed whatever
// happens here, so a better parser can read them again later. Intake
// parses each message once, as it takes it in; replies and the console
// parse the opened raw message again when they need more than the sealed
// Summary.
//
// # How
//
// The raw message is in memory, so the parser works on byte slices of it
// and copies only what it decodes. It reads header blocks itself (a line
// that is not a field ends the header; one huge field is cut, not
// allowed to push Content-Type out) and splits multiparts itself, on RFC
// 2046's grammar: a delimiter line is "--", the boundary and nothing but
// white space, so an inner boundary that is the outer one plus "-1" is
// not mistaken for it (go-message treats any "-" after a boundary as a
// delimiter, golang/go#10616). Each delimiter is found with bytes.Index
// wherever the part before it went wrong, so one broken part costs only
// itself; a part without a header is read as text/plain, an empty one
// (a delimiter written twice) skipped, a declared boundary that never
// comes replaced by the one the parts use.
//
// Splitting here rather than carrying a fixed go-message with a replace
// was a choice: the fix upstream would be a few lines, but what okit
// needs around it (resynchronising, junk after a delimiter, parts without
// headers, bare CR line ends, a guessed boundary) is leniency a strict
// library used for writing mail should not take on, so the fork would be
// carried for good, vendored into this repository (a replace needs a
// module okit can publish or a copy in the tree) and cut off from
// upstream's fixes. On slices the scanner is short and costs less than
// go-message's streaming reader. go-message is no longer used here.
//
// The writer's text is the text/plain and text/html parts shown inline,
// with a file name or not (Apple Mail and Netscape name them; such a
// part is read and listed); of an alternative the plain part; the text
// of attached messages (message/rfc822, message/news) after a separator;
// with no such text, the first text part sent as an attachment (at most
// 1 MiB), or a bounce's delivery status. A message with no header at all
// is read as text.
//
// Charset labels are weighed against the bytes (charset.go): UTF-8
// labels on windows-1250 bytes, legacy labels on UTF-8, US-ASCII aliases
// on 8-bit text, unknown labels; UTF-7, UTF-16 without a byte order
// mark, ISO-8859-2 with windows-1250 punctuation, Hungarian ISO-8859-2
// labelled Latin-1, unlabelled Cyrillic, and East-Asian double-byte
// text (Big5, GBK, Shift_JIS, EUC-JP, EUC-KR, told apart by where its
// byte pairs fall, cjk.go) labelled US-ASCII or not at all; the HTML
// <meta> charset when MIME names none. Transfer encodings are undone a line at a time
// (transfer.go), so a broken base64 line costs that line, and a part
// labelled base64 that is plain text is read as it is. HTML is turned
// into text token by token behind a guard (htmlguard.go) that cuts any
// tag, comment or raw-text element over 64 KiB and reads on after it, so
// an inline image or a million attributes costs neither the text after
// it nor more than a few MiB.
//
// Everything here is plaintext and lives only in memory: callers seal what
// they keep.
package message
