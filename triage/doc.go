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
//  3. Every distinct folded word of a field walks one trie that holds all
//     words and prefixes of all rules, the English forms of the concepts'
//     lemmas and the policy's word classes (trie.go, a double array; built
//     in compile.go, wordclass.go), so the cost does not grow with the
//     number of rules; Hungarian words are then looked up in the generated
//     word-form table (morph.go, morph_hu.txt), which gives the concept,
//     the lemma and what the ending says (first person, "mine", an unsaid
//     object, past, "about"). What a word matched is remembered for the
//     rest of the message (wordmemo.go): most words of a letter are words
//     it used before. Phrases and pairs of words within N words of each
//     other (near) are checked from there (match.go). Sentences are cut
//     into clauses (fold.go).
//  4. Modifier rules mark each hit: negated (nem, ne, soha, don't … up to
//     3 words before, not across a comma), in the past (évekkel ezelőtt,
//     gyerekkoromban … in the same clause, unless tegnap, most … is there
//     too) or urgent (most, ma este, tonight … within 10 words).
//  5. The decision (policy.go, speaker.go, held.go, safety.go) follows
//     the table in README.md: a softener lowers only the signal of its
//     own clause; whose danger a sentence speaks of is read from the
//     person marking; writing about the subject caps only the signals of
//     its own sentences that do not name the writer as harmed; nothing
//     caps a P1 signal below P2; quoted mail counts at most P3; automated
//     mail is P4 unless the writer is in danger; an unread language is
//     P2; a writer held at P1 gets do_not_reply. Combine rules count
//     several signs of the writer at once (documents, debt and not let
//     go; threats, violence and fear) as more than any one of them.
//  6. The language (lang.go) is told from script and frequent words of
//     the new text: hu, en, uk, ru, de, ro or other.
//
// Hungarian is agglutinative, so rules name lemmas in concepts, and every
// form of a lemma counts; where a rule still uses a prefix, it has at
// least five letters and explicit exclusions (megöl* excludes megold*),
// and a test checks every prefix against the Hungarian hunspell word list.
//
// Explain gives the same verdict with every hit, its place and why it
// counted, for a supervisor checking a message on their own machine.
package triage
