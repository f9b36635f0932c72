package replies

import (
	"fmt"
	"strings"

	"github.com/emersion/go-message/mail"
)

// CheckFrom looks at the address replies come from (OKIT_FROM) as a
// writer's screen shows it. A display name that names the service or
// what it is about is an error: Compose refuses every reply with it. A
// local part that does ("okit@…", "krizis@…") is a warning: the mail
// goes out, but a mailbox list or a lock screen shows it to whoever
// looks, so an administrator may prefer a neutral address (and domain).
func CheckFrom(from mail.Address) (warning string, err error) {
	if w := Revealing(from.Name); w != "" {
		return "", fmt.Errorf("the display name %q %w (%q): every reply would be refused; leave the name out or make it neutral", from.Name, ErrRevealing, w)
	}
	local, _, _ := strings.Cut(from.Address, "@")
	if w := Revealing(local); w != "" {
		return fmt.Sprintf("the local part %q reveals what the mail is about (%q) on the writer's screen; a neutral address is safer (see the README)", local, w), nil
	}
	return "", nil
}
