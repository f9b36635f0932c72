//go:build race

package message

// raceEnabled: the race detector drops sync.Pool items at random, so
// allocation figures mean nothing under it.
const raceEnabled = true
