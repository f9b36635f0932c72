// Package triage reads an incoming email and says how urgent it looks,
// what it is about, and whether it may be answered automatically. It is a
// pure function of the message text and a rule set: no I/O, no clock, no
// global state. The verdict it returns holds rule ids and categories only,
// never the writer's words, so it can be stored in the clear next to the
// sealed message.
//
// # Why rules and not a model
//
// Writers are few, write in Hungarian (often without accents, with typos,
// in a hurry), and the failure that matters is a missed life-threatening
// message. Supervisors must be able to read why a message got its
// priority and change the rules the same day. So triage is a list of
// readable rules (rules.yaml, see README.md) compiled into one table, and
// a human reads every message anyway: triage decides the order, it never
// drops anything.
//
// # How a message is read
//
//  1. The body is split into regions (regions.go, signature.go): the
//     writer's new text, quoted earlier mail (Gmail's Hungarian "… ezt
//     írta (időpont: …):", also when wrapped over two lines, "On … wrote:",
//     Outlook's Feladó/Elküldve/Címzett/Tárgy block, "-------- Eredeti
//     üzenet --------", ">" lines), forwarded mail, and the signature
//     (after "-- ", or after a closing such as "Üdvözlettel" followed by
//     a few short lines; a postscript after it is read again). Only the
//     first 4 KiB of quoted text are read: older history in a long thread
//     was triaged when it came.
//  2. Subject and body are cut into words with byte offsets into the text
//     as given, and folded: Unicode compatibility decomposition, combining
//     marks dropped, lower case. "Megölt", "megolt" and the legacy
//     "megõlt" all become "megolt" (fold.go, latin.go).
//  3. Every folded word walks one trie that holds all words and prefixes
//     of all rules (compile.go), so the cost does not grow with the number
//     of rules. Phrases ("nem enged* ki") and pairs of words within N
//     words of each other (near) are checked from there (match.go).
//  4. Modifier rules mark each hit: negated (nem, ne, soha, don't … up to
//     3 words before), in the past (évekkel ezelőtt, gyerekkoromban … in
//     the same sentence, unless tegnap, most … is there too) or urgent
//     (most, ma este, tonight … within 10 words). Each rule says what negation and the past do to it: keep,
//     lower by one priority, or ignore. Suicide and threats to kill keep
//     their priority when negated: "nem akarom megölni magam" is P1.
//  5. The verdict (triage.go): the most urgent hit sets the priority.
//     Hits in quoted mail count at most P3 (that mail was triaged when it
//     came) and give categories only when the new text has none. Forwarded
//     mail counts in full: a writer forwards a threat as evidence. Writing
//     about the subject (press, research, a class) caps the priority at
//     P4 unless the writer names a particular person ("a tanítványom") or
//     speaks of their own life ("a férjem"). Automated mail, recognised by
//     its header (RFC 3834 and the conventions of common servers,
//     headers.go) or its wording, is P4, unless it carries a P1 or P2
//     danger in first-person words: a web form relaying a writer in danger
//     keeps its priority and also gets the automated flag.
//  6. The language (lang.go) is guessed from frequent words of the new
//     text: hu, en or other.
//
// Hungarian is agglutinative, and snowball's Hungarian stemmer handles
// nouns only, so rules use prefixes of at least five letters with explicit
// exclusions (megöl* excludes megold*, megölel*), exact word forms where
// a prefix would be too short (kés, kést, késsel), and a test checks every
// prefix against the Hungarian hunspell word list.
//
// Explain gives the same verdict with every hit, its place and why it
// counted, for a supervisor checking a message on their own machine.
package triage
