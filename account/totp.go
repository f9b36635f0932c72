package account

import (
	"bytes"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image/png"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpOpts are the usual authenticator-app settings: six digits every 30
// seconds, SHA-1, as every app understands.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TOTPStep checks a code against a secret at now, a step either side
// allowed for clock drift, and returns the time step it belongs to, so
// that a code is accepted only once.
func TOTPStep(secret, code string, now time.Time) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	for _, skew := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(skew*30) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, t, totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return t.Unix() / 30, true
		}
	}
	return 0, false
}

// NewTOTP makes a secret for a user to enrol (or shows again the one
// being enrolled, pending, given in base32), with its otpauth address,
// which authenticator apps read from a QR code (QRCode).
func NewTOTP(username, pending string) (secret, address string, err error) {
	opts := totp.GenerateOpts{Issuer: "OKIT", AccountName: username}
	if pending != "" {
		if opts.Secret, err = base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(pending); err != nil {
			return "", "", fmt.Errorf("read the pending second-factor secret: %w", err)
		}
	}
	key, err := totp.Generate(opts)
	if err != nil {
		return "", "", fmt.Errorf("make a second-factor secret: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// QRCode draws an otpauth address as a PNG QR code of size by size pixels.
func QRCode(address string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(address)
	if err != nil {
		return nil, fmt.Errorf("read the second factor's address: %w", err)
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, fmt.Errorf("draw the second factor's QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode the second factor's QR code: %w", err)
	}
	return buf.Bytes(), nil
}

// TOTPCode is the code of a secret at t: what the user's app shows then.
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}
