package seal

import "errors"

// Errors a caller may want to tell apart. They are always wrapped with the
// file or operation concerned; test with errors.Is.
var (
	// ErrWrongPassphrase: the passphrase does not unlock the private key (or the
	// key file is damaged, which OpenPGP cannot tell apart).
	ErrWrongPassphrase = errors.New("wrong passphrase")

	// ErrNotForThisKey: the data was sealed to another key, for example one
	// that was in use before a key rotation.
	ErrNotForThisKey = errors.New("not sealed to this key")

	// ErrDamaged: the data is not a sealed message, or its integrity check
	// failed (truncated, altered, or written by something other than Seal).
	ErrDamaged = errors.New("sealed data is damaged or not a sealed message")
)
