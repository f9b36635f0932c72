package intake

// recordDigests makes one record's digests with the current index key
// and, after a key rotation, notes what each would have been under the
// previous key (Record.Earlier): until okit reseal has made every stored
// digest again, the store finds earlier messages, senders and replies by
// those.
type recordDigests struct {
	current, previous Digester // previous is nil but after a rotation
	earlier           map[string][]byte
}

func (in *Intake) digests() *recordDigests {
	return &recordDigests{current: in.digest, previous: in.cfg.PreviousIndex}
}

// note returns d, made with the current key, after noting the digest of
// the same value under the previous key.
func (r *recordDigests) note(d []byte, previous func(Digester) []byte) []byte {
	if r.previous == nil {
		return d
	}
	if r.earlier == nil {
		r.earlier = map[string][]byte{}
	}
	r.earlier[string(previous(r.previous))] = d
	return d
}

func (r *recordDigests) RawDigest(raw []byte) []byte {
	return r.note(r.current.RawDigest(raw), func(p Digester) []byte { return p.RawDigest(raw) })
}

func (r *recordDigests) AddressDigest(addr string) []byte {
	return r.note(r.current.AddressDigest(addr), func(p Digester) []byte { return p.AddressDigest(addr) })
}

func (r *recordDigests) DomainDigest(addr string) []byte {
	return r.note(r.current.DomainDigest(addr), func(p Digester) []byte { return p.DomainDigest(addr) })
}

func (r *recordDigests) MessageIDDigest(id string) []byte {
	return r.note(r.current.MessageIDDigest(id), func(p Digester) []byte { return p.MessageIDDigest(id) })
}
