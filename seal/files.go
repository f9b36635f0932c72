package seal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// maxKeyFileSize bounds what is read from a key file, so that pointing a
// setting at a large file or a device fails fast instead of filling memory.
// An armored RSA-4096 private key is about 7 KiB.
const maxKeyFileSize = 1 << 20

// readKeyFile reads a key file. what names the file in errors ("public key").
// For secret files (private key, index key) it refuses a file that group or
// others may access, as OpenSSH does for private keys.
func readKeyFile(path, what string, secret bool) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s file %s: no such file", what, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s file: %w", what, err)
	}
	defer f.Close()

	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s file: %w", what, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s file %s is not a regular file", what, path)
	}
	if secret {
		// Checked on the open file, not the path, so the check and the read
		// are about the same file.
		if err := checkPrivateMode(fi, path); err != nil {
			return nil, err
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s file %s: %w", what, path, err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("%s file %s is too large to be a key (over %d bytes)", what, path, maxKeyFileSize)
	}
	return data, nil
}

// writeNewFiles creates each file with mode 0600 and O_EXCL, so an existing
// file is never replaced, even one created after the caller's own check. If
// any write fails, the files this call created are removed again.
func writeNewFiles(files []newFile) error {
	var created []string
	for _, nf := range files {
		if err := writeNewFile(nf.path, nf.data); err != nil {
			for _, p := range created {
				os.Remove(p)
			}
			return err
		}
		created = append(created, nf.path)
	}
	if len(files) > 0 {
		syncDir(filepath.Dir(files[0].path))
	}
	return nil
}

type newFile struct {
	path string
	data []byte
}

func writeNewFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; refusing to overwrite it", path)
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		// The keys are irreplaceable: without the private key nothing sealed
		// can ever be read again. Make sure they reached the disk.
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// syncDir makes the new directory entries durable. Best effort: not every
// platform can sync a directory, and the files themselves are already synced.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}

// ReadSecretFile reads a file holding a secret other than a key (a
// passphrase, a password, an OAuth client secret), refused, as the key
// files are, when group or others may access it. what names the file in
// errors.
func ReadSecretFile(path, what string) ([]byte, error) {
	return readKeyFile(path, what, true)
}
