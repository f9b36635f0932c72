package account

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A code works in its own 30 seconds and the ones either side, and gives
// its time step, by which a code is refused a second time.
func TestTOTPStep(t *testing.T) {
	t.Parallel()
	secret, address, err := NewTOTP("vera", "")
	if err != nil || !strings.HasPrefix(address, "otpauth://totp/OKIT:vera?") || !strings.Contains(address, "secret="+secret) {
		t.Fatalf("address %q, %v", address, err)
	}
	if png, err := QRCode(address, 220); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("QR code: %.8q, %v", png, err)
	}
	if again, _, _ := NewTOTP("vera", secret); again != secret {
		t.Errorf("a pending secret shown again as %q, want %q", again, secret)
	}
	now := time.Unix(1_800_000_015, 0)
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		code, _ := TOTPCode(secret, now.Add(d))
		step, ok := TOTPStep(secret, code, now)
		if !ok || step != now.Add(d).Unix()/30 {
			t.Errorf("code of %v: step %d, %v", d, step, ok)
		}
	}
	code, _ := TOTPCode(secret, now.Add(-2*time.Minute))
	if _, ok := TOTPStep(secret, code, now); ok {
		t.Error("a two-minute-old code was accepted")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := TOTPStep(secret, bad, now); ok {
			t.Errorf("code %q was accepted", bad)
		}
	}
}
