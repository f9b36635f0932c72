package web

import (
	"sync"
	"time"
)

// seen remembers, per session, the cases whose summaries this console
// process has recorded as opened, so that a list refreshed every few
// seconds records each case once per session and not once per refresh.
// The record still comes before the decryption, and every case whose
// summary a session sees is recorded at least once: a new process, or
// another process behind the same address, records again (the safe side).
type seen struct {
	mu       sync.Mutex
	sessions map[string]*seenSession
	maxAge   time.Duration // a session older than this has ended
}

type seenSession struct {
	since time.Time
	cases map[int64]bool
}

func newSeen(maxAge time.Duration) *seen {
	return &seen{sessions: map[string]*seenSession{}, maxAge: maxAge}
}

// unrecorded gives the ids a session has not had recorded yet.
func (s *seen) unrecorded(session []byte, ids []int64) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int64
	ss := s.sessions[string(session)]
	for _, id := range ids {
		if ss == nil || !ss.cases[id] {
			out = append(out, id)
		}
	}
	return out
}

// recorded notes ids as recorded for a session, once the event is written.
func (s *seen) recorded(session []byte, ids []int64, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[string(session)]
	if ss == nil {
		for k, old := range s.sessions { // forget sessions that have ended
			if now.Sub(old.since) > s.maxAge {
				delete(s.sessions, k)
			}
		}
		ss = &seenSession{since: now, cases: map[int64]bool{}}
		s.sessions[string(session)] = ss
	}
	for _, id := range ids {
		ss.cases[id] = true
	}
}
