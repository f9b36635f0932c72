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
	if err := required(fs, "dir", *dir); err != nil {
		return err
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
	if err := required(fs, "dir", *dir); err != nil {
		return err
	}
	path, err := seal.GenerateConsoleKey(*dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "wrote\n  OKIT_CONSOLE_KEY_FILE=%s\nthen run okit users bind once, on the console host.\n", path)
	return nil
}

func runKeysRotate(ctx context.Context, a *app, args []string) error {
	fs := a.flags("keys rotate", "--dir DIR")
	dir := fs.String("dir", "", "folder to write the new generation into, beside the current one (public-N.asc, private-N.asc, index-N.key)")
	name := fs.String("name", "OKIT okit", "the new key's user name")
	email := fs.String("email", "okit@ncsszi.hu", "the new key's email address")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "dir", *dir); err != nil {
		return err
	}
	e := &env{get: a.getenv}
	indexFile := e.required("OKIT_INDEX_KEY_FILE", "the current index key file")
	privateFile := e.required("OKIT_PRIVATE_KEY_FILE", "the current private key")
	pass := e.secret("OKIT_KEY_PASSPHRASE", "the current private key's passphrase")
	newPass := pass
	if e.given("OKIT_NEW_KEY_PASSPHRASE") {
		newPass = e.secret("OKIT_NEW_KEY_PASSPHRASE", "the new private key's passphrase")
	}
	if e.str("OKIT_PREVIOUS_PRIVATE_KEY_FILE", "") != "" || e.str("OKIT_PREVIOUS_INDEX_KEY_FILE", "") != "" {
		e.fail("OKIT_PREVIOUS_PRIVATE_KEY_FILE or OKIT_PREVIOUS_INDEX_KEY_FILE is set: finish okit reseal and retire the previous keys before rotating again")
	}
	if err := e.err(); err != nil {
		return err
	}
	index, err := seal.LoadIndex(indexFile)
	if err != nil {
		return fmt.Errorf("OKIT_INDEX_KEY_FILE: %w", err)
	}
	paths, n, err := seal.RotateKeys(*dir, index, privateFile, []byte(pass), []byte(newPass), *name, *email)
	if err != nil {
		return err
	}
	sealer, err := seal.LoadSealer(paths.Public)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "wrote key generation %d, fingerprint %s. Give every okit process\n"+
		"  OKIT_PUBLIC_KEY_FILE=%s\n  OKIT_INDEX_KEY_FILE=%s\n  OKIT_PREVIOUS_INDEX_KEY_FILE=%s\n"+
		"and the console and reply worker also\n  OKIT_PRIVATE_KEY_FILE=%s\n  OKIT_PREVIOUS_PRIVATE_KEY_FILE=%s\n"+
		"then restart them and run okit reseal. When it says nothing is left, remove the two OKIT_PREVIOUS_* settings and destroy the previous key files.\n",
		n, sealer.Fingerprint(), paths.Public, paths.Index, indexFile, paths.Private, privateFile)
	if newPass != pass {
		fmt.Fprintln(a.stdout, "The new private key has the new passphrase (OKIT_KEY_PASSPHRASE from now on); give the old one as OKIT_PREVIOUS_KEY_PASSPHRASE until the reseal is done.")
	}
	return nil
}
