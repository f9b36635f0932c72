package secondopinion

import (
	"encoding/binary"
	"testing"
)

// TestSipHashVectors checks the reference vectors of the SipHash paper
// (key 00 01 … 0f, messages 00 01 … of length 0 to 15).
func TestSipHashVectors(t *testing.T) {
	t.Parallel()
	var key [16]byte
	for i := range key {
		key[i] = byte(i)
	}
	k0, k1 := binary.LittleEndian.Uint64(key[:8]), binary.LittleEndian.Uint64(key[8:])
	want := map[int]uint64{0: 0x726fdb47dd0e0e31, 1: 0x74f839c593dc67fd, 8: 0x93f5f5799a932462, 15: 0xa129ca6149be45e5}
	msg := make([]byte, 16)
	for i := range msg {
		msg[i] = byte(i)
	}
	for n, w := range want {
		if got := sipHash(k0, k1, msg[:n]); got != w {
			t.Errorf("length %d: got %#x, want %#x", n, got, w)
		}
	}
}
