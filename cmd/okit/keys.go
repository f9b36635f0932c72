package main

import (
	"context"
	"fmt"

	"github.com/ncsszi/okit/seal"
)

func runKeysGenerate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("keys generate", "--dir DIR [--rsa]")
	dir := fs.String("dir", "", "folder to write public.asc, private.asc and index.key into (created 0700)")
	rsa := fs.Bool("rsa", false, "make an RSA-4096 key instead of Curve25519")
	name := fs.String("name", "OKIT okit", "the key's user name")
	email := fs.String("email", "okit@ncsszi.hu", "the key's email address")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		fmt.Fprintln(a.stderr, "--dir is required")
		fs.Usage()
		return errUsage
	}
	e := &env{get: a.getenv}
	pass := e.secret("OKIT_KEY_PASSPHRASE", "the passphrase that will lock the private key")
	if err := e.err(); err != nil {
		return err
	}
	kind := seal.Curve25519
	if *rsa {
		kind = seal.RSA4096
	}
	paths, err := seal.GenerateKeys(*dir, kind, *name, *email, []byte(pass))
	if err != nil {
		return err
	}
	sealer, err := seal.LoadSealer(paths.Public)
	if err != nil {
		return err
	}
	consoleKey, err := seal.GenerateConsoleKey(*dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "wrote\n  OKIT_PUBLIC_KEY_FILE=%s\n  OKIT_PRIVATE_KEY_FILE=%s\n  OKIT_INDEX_KEY_FILE=%s\n  OKIT_CONSOLE_KEY_FILE=%s\nkey fingerprint %s\n",
		paths.Public, paths.Private, paths.Index, consoleKey, sealer.Fingerprint())
	fmt.Fprintln(a.stdout, "Intake needs only the public key and the index key; keep the private key, its passphrase and the console key off the intake host, and back up all four: without them nothing stored can be read and nobody can log in.")
	return nil
}

// runKeysConsole writes the console key alone, for keys made before it
// existed (then okit users bind).
func runKeysConsole(ctx context.Context, a *app, args []string) error {
	fs := a.flags("keys console", "--dir DIR")
	dir := fs.String("dir", "", "folder to write console.key into")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		fmt.Fprintln(a.stderr, "--dir is required")
		fs.Usage()
		return errUsage
	}
	path, err := seal.GenerateConsoleKey(*dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "wrote\n  OKIT_CONSOLE_KEY_FILE=%s\nthen run okit users bind once, on the console host.\n", path)
	return nil
}
