// Package account holds what a person's console account is made of: a
// role, a password and a second factor. It decides and computes; it stores
// nothing (storage keeps the hashes and the sealed secrets) and serves
// nothing (web asks the questions), so the command line and the console
// hash, check and enrol the same way.
//
// Roles: operators work cases, supervisors work cases and watch the
// service (figures, the audit trail, crisis-home places), admins manage
// accounts and take no cases. Role is the one spelling of them; storage
// writes it to the users table, web's route table names which roles each
// access level lets in.
//
// Passwords are hashed with argon2id (OWASP's parameters, kept in the PHC
// string so they can change later) and compared in constant time. A login
// for a user who does not exist is checked against a dummy hash, so that
// it takes as long as a wrong password and does not tell which names
// exist; the dummy is hashed on first use, not when the program starts, so
// commands that never check a password (okit help) do not pay 19 MiB and
// tens of milliseconds for it.
//
// Second factors are TOTP (RFC 6238) as every authenticator app reads
// them: six digits every 30 seconds, SHA-1, a step either side for clock
// drift. TOTPStep returns the time step a code belongs to, so that storage
// can refuse a code used once already.
package account
