package mailauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// tokenFile is what the refresh token file holds. Only the refresh token
// matters; the time says when it was last written.
type tokenFile struct {
	RefreshToken string    `json:"refresh_token"`
	Saved        time.Time `json:"saved"`
}

// tokenFileState is the refresh token a DeviceCode grant uses, and what
// the file looked like when it was last read or written: a file changed
// since (okit mailbox authorize ran again) is read anew.
type tokenFileState struct {
	refresh string
	stamp   fileStamp
	unsaved bool // the provider rotated the token and writing it failed: try again
}

type fileStamp struct {
	mod  time.Time
	size int64
}

func stampOf(fi os.FileInfo) fileStamp { return fileStamp{fi.ModTime(), fi.Size()} }

// CheckTokenFile says whether path holds a refresh token okit can use:
// readable, not readable by group or others, and not empty.
func CheckTokenFile(path string) error {
	_, _, err := readTokenFile(path)
	return err
}

func readTokenFile(path string) (string, fileStamp, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fileStamp{}, fmt.Errorf("%s does not exist: run okit mailbox authorize", path)
		}
		return "", fileStamp{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fileStamp{}, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return "", fileStamp{}, fmt.Errorf("%s may be read by others (mode %04o): chmod 600 it", path, fi.Mode().Perm())
	}
	var t tokenFile
	if err := json.NewDecoder(f).Decode(&t); err != nil {
		return "", fileStamp{}, fmt.Errorf("%s is not a token file okit wrote: %v", path, err)
	}
	if t.RefreshToken == "" {
		return "", fileStamp{}, fmt.Errorf("%s holds no refresh token: run okit mailbox authorize", path)
	}
	return t.RefreshToken, stampOf(fi), nil
}

// writeTokenFile replaces path with a file holding refresh, mode 0600, at
// once: a new file in the same folder, synced, renamed over the old one,
// and the folder synced. A crash leaves the old token or the new one,
// never half of either.
func writeTokenFile(path, refresh string, now time.Time) (fileStamp, error) {
	b, err := json.Marshal(tokenFile{RefreshToken: refresh, Saved: now.UTC()})
	if err != nil {
		return fileStamp{}, err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".okit-token-*")
	if err != nil {
		return fileStamp{}, err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fileStamp{}, err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fileStamp{}, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fileStamp{}, err
	}
	if err := tmp.Close(); err != nil {
		return fileStamp{}, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fileStamp{}, err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	return stampOf(fi), nil
}

// current returns the refresh token to use: the file's if it changed
// since it was last read or written (okit mailbox authorize ran), else
// the one held. A rotated token that could not be saved is saved first:
// until it is, no token is used, so that a restart never finds an old one.
func (s *tokenFileState) current(path string, now time.Time) (string, error) {
	fi, err := os.Stat(path)
	changed := err == nil && stampOf(fi) != s.stamp // written by someone else
	switch {
	case s.unsaved && !changed:
		return s.refresh, s.rotated(path, s.refresh, now)
	case s.refresh != "" && err == nil && !changed:
		return s.refresh, nil
	}
	refresh, stamp, err := readTokenFile(path)
	if err != nil {
		return "", &Error{Code: CodeTokenFile, Permanent: true, Err: err}
	}
	s.refresh, s.stamp, s.unsaved = refresh, stamp, false
	return refresh, nil
}

// rotated keeps a refresh token the provider sent in place of the old
// one and writes it to the file.
func (s *tokenFileState) rotated(path, refresh string, now time.Time) error {
	s.refresh, s.unsaved = refresh, true
	stamp, err := writeTokenFile(path, refresh, now)
	if err != nil {
		return &Error{Code: CodeTokenFile, Permanent: true, Err: fmt.Errorf("save the rotated refresh token: %w", err)}
	}
	s.stamp, s.unsaved = stamp, false
	return nil
}
