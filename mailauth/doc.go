// Package mailauth signs okit in to its mail servers: with a password, or
// with an OAuth2 access token, by XOAUTH2 (Microsoft 365, Google) or
// OAUTHBEARER (RFC 7628; Google).
//
// A Grant fetches access tokens with golang.org/x/oauth2 in one of three
// ways (GrantKind): client credentials of an app (Microsoft 365's
// recommended app-only access, IMAP.AccessAsApp and SMTP.SendAsApp: no
// person, nothing to renew by hand); a delegated sign-in by device code,
// whose refresh token lives in a 0600 file that Authorize writes and the
// Grant rewrites, atomically, whenever the provider rotates it; or a
// Google service account with domain-wide delegation, which signs a JWT as
// the mailbox. Every sign-in asks the Grant for a token that will stay
// valid a while yet (Login.Client), so a connection signs in again with a
// fresh one before the old one runs out (Access.Renew).
//
// Failure is loud: a grant that fails for good (revoked, consent removed,
// a wrong secret, an unreadable token file) or for longer than Grace (the
// token endpoint down) is reported once to the Grant's watcher, with a
// short reason that names no token and no secret; the first token fetched
// after that reports recovery. The watcher (cmd/okit) turns it into the
// health endpoint's reason, an alert event, a metric and the supervisors'
// banner. Nothing else stops: the console and replies already queued
// carry on.
package mailauth
