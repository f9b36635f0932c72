//go:build race

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// raceBuild is true when the tests run with -race: the okit processes
// they start are then built with -race too, so that the loops of a real
// `okit serve` are checked, not only the code the tests call in process.
const raceBuild = true

// TestMain sends the race reports of child okit processes to files
// (GORACE log_path, read by each child at start) and fails the run if
// there are any: a child's stderr goes to logs no test reads whole, and
// children are killed rather than left to exit with the detector's code.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "okit-race-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Setenv("GORACE", "log_path="+filepath.Join(dir, "report"))
	code := m.Run()
	reports, _ := filepath.Glob(filepath.Join(dir, "report.*"))
	for _, r := range reports {
		b, _ := os.ReadFile(r)
		fmt.Fprintf(os.Stderr, "a child okit process reported a data race (%s):\n%s\n", filepath.Base(r), b)
		code = 1
	}
	os.RemoveAll(dir)
	os.Exit(code)
}
