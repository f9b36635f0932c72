package main

import (
	"fmt"
	"io"
	"strings"
)

// maxWords bounds what is read from stdin as an operator's words.
const maxWords = 64 << 10

// readWords reads an operator's words (a reason, an answer, a crisis
// home's address) from stdin, where no other user of the host sees them
// and no shell history keeps them, as arguments would be. what names
// them in errors, example shows how to give them.
func readWords(stdin io.Reader, what, example string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(stdin, maxWords+1))
	if err != nil {
		return "", fmt.Errorf("read %s from stdin: %w", what, err)
	}
	if len(b) > maxWords {
		return "", fmt.Errorf("%s is longer than %d KiB", what, maxWords>>10)
	}
	text := strings.TrimSpace(string(b))
	if text == "" {
		return "", fmt.Errorf("write %s on stdin: %s", what, example)
	}
	return text, nil
}
