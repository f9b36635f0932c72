package triage

// The decision's working space lives in the pooled scratch, so that
// triaging a message allocates little beyond its verdict.

// closeCache returns the emptied cache of closeSentence: two entries
// for each sentence of the subject and the body.
func (s *scratch) closeCache() *[2][]uint8 {
	for f := range s.close {
		n := 2 * len(s.words(uint8(f)).sents)
		if cap(s.close[f]) < n {
			s.close[f] = make([]uint8, n)
		}
		s.close[f] = s.close[f][:n]
		clear(s.close[f])
	}
	return &s.close
}

// fired returns n cleared flags, one per rule.
func (s *scratch) fired(n int) []bool {
	s.firedBuf = resize(s.firedBuf, n)
	return s.firedBuf
}

// counted returns n cleared flags, one per rule.
func (s *scratch) counted(n int) []bool {
	s.countedBuf = resize(s.countedBuf, n)
	return s.countedBuf
}

// effects returns n cleared effects, one per hit.
func (s *scratch) effects(n int) []effect {
	if cap(s.effectBuf) < n {
		s.effectBuf = make([]effect, n)
	}
	s.effectBuf = s.effectBuf[:n]
	clear(s.effectBuf)
	return s.effectBuf
}

func resizeMask(b []uint8, n int) []uint8 {
	if cap(b) < n {
		return make([]uint8, n)
	}
	b = b[:n]
	clear(b)
	return b
}

func resize(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}
