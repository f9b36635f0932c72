//go:build unix

package seal

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checkPrivateMode refuses a secret file that group or others may access.
// Like OpenSSH (sshkey_perm_ok), it only judges files owned by the user
// running okit: a file owned by someone else (root:okit 0640, say) was set up
// that way on purpose by an administrator, and okit could not chmod it anyway.
func checkPrivateMode(fi fs.FileInfo, path string) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != os.Getuid() {
		return nil
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%s is accessible by others (mode %04o); chmod 600 %s", path, perm, path)
	}
	return nil
}
