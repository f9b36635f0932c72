// Package seal keeps what writers tell the crisis line unreadable at rest.
//
// # Keys and who holds them
//
// The organisation has one OpenPGP key pair and one index key, made once by
// "okit keys generate" (GenerateKeys):
//
//   - public.asc, the public key. Intake holds only this (LoadSealer): it
//     can seal what arrives but read nothing back, so a compromised intake
//     host leaks only the mail it receives from then on, not the archive.
//   - private.asc, the private key, locked with a passphrase. The console and
//     the reply worker unlock it at start (LoadOpener) to show messages to
//     operators and to seal copies of outgoing mail (Opener.Sealer).
//   - index.key, 32 random bytes, held by every process that stores or looks
//     things up (LoadIndex).
//
// "okit keys rotate" (RotateKeys) writes the next generation beside these,
// and while okit reseal moves what is stored to it, processes hold the
// generation before as well (Opener.WithPrevious, Index.WithPrevious):
// they seal and digest with the new keys and open and look up with both.
//
// The passphrase (at least MinPassphraseLen bytes) is stretched with the
// strongest iterated-and-salted hashing OpenPGP can express, so guessing it
// from a stolen copy of private.asc is slow; gpg can still read the file.
// The private key and index key files must not be accessible by group or
// others: loading refuses them otherwise, as ssh refuses a private key (and,
// like ssh, only judges files owned by the user running okit).
//
// # What is sealed
//
// Message bodies, subjects, sender addresses and names, raw messages,
// attachments, operator notes and outgoing texts are stored only as the
// output of Seal: a binary OpenPGP message encrypted to the public key
// (AES-256, with an integrity check, so Open rejects altered data with
// ErrDamaged). Each call uses a fresh session key, so equal plaintexts give
// unrelated ciphertexts. Seal does not sign: anyone with the public key can
// seal, so a sealed value proves nothing about who wrote it.
//
// Sealed data is not compressed. Compression would make the length of the
// ciphertext depend on the content (how repetitive it is), which is
// information an attacker with database access could use, and it costs CPU on
// every message. Length itself is not hidden.
//
// # Digests
//
// Looking up sealed values by equality (the same sender, the same
// Message-ID, the same raw message fetched twice) uses keyed digests:
// HMAC-SHA-256 under the index key of a purpose, a zero byte and the value
// (Index.Digest). A digest reveals only whether two values are equal: whoever
// reads the database sees that two messages share a sender, never who it is.
// Testing a guess ("did anna@example.hu write to us?") needs the index key,
// which is why it is a separate secret, kept like the private key. Digests of
// different purposes never collide.
//
// # Speed and memory
//
// With a Curve25519 key on two cores, Seal of a 20 KiB message takes about
// 0.15 ms and Open about 0.13 ms (an RSA-4096 key: 0.4 ms and 6 ms). For
// large messages SealReader and OpenReader stream: sealing 25 MiB takes about
// 4 MiB of heap, most of it short-lived copies made by the cipher, where Seal
// needs 50 MiB beside the plaintext. See the benchmarks in bench_test.go.
//
// Nothing in this package logs, and no error contains key material or
// plaintext.
package seal
