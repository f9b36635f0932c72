package triage

import "strings"

// safetyHolds checks what the words of a safety rule cannot say alone:
// that the phone someone reads is the writer's ("a férjem nézi a
// telefonomat", not "a húgom férje nézi a telefonját", not "ellenőrzöm a
// telefonomat", not "please see the email below"), and that a phone the
// writer writes from is someone else's ("a szomszéd telefonjáról írok").
// Phrases carry their own person ("he checks my phone") and always hold.
func (pc *policyContext) safetyHolds(h hit) bool {
	ru := pc.r.rules[h.rule]
	if ru.reason == ReasonAskedNotToWrite && pc.quotedGoodbye(h) {
		return false
	}
	if int(h.pat) < len(ru.phrases) {
		return true
	}
	w, m := pc.s.words(h.field), pc.s.matches[h.field]
	dev, other := -1, -1
	for _, i := range [2]int{int(h.t0), int(h.t1)} {
		if hasConcept(w, m, i, pc.r.policy.device) {
			dev = i
		} else {
			other = i
		}
	}
	if dev < 0 {
		return true
	}
	d := w.toks[dev].feat
	switch ru.reason {
	case ReasonSomeoneReads:
		// "her boyfriend checks her phone": the phone is someone else's;
		// "he reads it on his phone" is the writer's mail on his.
		if dev > 0 && w.is(dev-1, clsTheirs) && !(dev > 1 && onDevice(w.folded(dev-2))) {
			return false
		}
		// "jej kontroluje telefon" (Slovak, Polish): the owner said
		// before the verb that stands right before the phone.
		if other >= 0 && other == dev-1 && other > 0 && w.toks[other].feat == 0 && w.is(other-1, clsTheirs) {
			return false
		}
		if other < 0 {
			return true
		}
		if w.toks[other].feat == 0 { // not a Hungarian form
			// "checking account", "tracking number": a noun, not a reading.
			f := w.folded(other)
			if other == dev-1 && len(f) > 4 && string(f[len(f)-3:]) == "ing" {
				return false
			}
			return englishWatcher(w, other)
		}
		// "a közös email címünk, ő is olvassa": the address is the
		// writer's (shared, or "mine" said on the noun after the device).
		mine := d&featMine != 0 || dev > 0 && hasConcept(w, m, dev-1, pc.r.policy.me) || mineEnding(w.folded(dev)) ||
			dev > 0 && string(w.folded(dev-1)) == "kozos" ||
			dev+1 < len(w.toks) && w.toks[dev+1].sent == w.toks[dev].sent && (w.toks[dev+1].feat&featMine != 0 || mineEnding(w.folded(dev+1)))
		o := w.toks[other].feat
		return mine && o&featThird != 0 && o&featFirst == 0
	case ReasonOtherPersonsDevice:
		// "telefonja sincs, az ura nem engedi": she has no phone of her
		// own, so whatever we send reaches a device that is not hers.
		// "nem engedi, hogy találkozzunk velük, a telefont sem adja át":
		// what is not allowed is said in the "hogy" clause, not the phone.
		if other >= 0 && forbids(w.folded(other)) {
			for i := min(dev, other) + 1; i < max(dev, other); i++ {
				if f := string(w.folded(i)); f == "hogy" || f == "that" {
					return false
				}
			}
			return true
		}
		// "a szomszéd telefonjáról írok": from someone else's phone, in
		// the -ról/-ből case; "a levelére írok" is an answer to theirs.
		// "writing from my own phone", "from my phone": the writer's.
		if dev > 0 && (w.is(dev-1, clsPossessive) || ownWord(w.folded(dev-1))) {
			return false
		}
		f := w.folded(dev)
		from := len(f) > 3 && (string(f[len(f)-3:]) == "rol" || string(f[len(f)-3:]) == "bol")
		// Row 115: "a sógornőm telefonján írok": on someone's phone, in
		// the -n case, after a third person's ending (telefonjá-n, gépé-n).
		on := len(f) > 4 && f[len(f)-1] == 'n' && (f[len(f)-2] == 'a' || f[len(f)-2] == 'e')
		from = from || on && d&featThird != 0 && d&featMine == 0
		if d == 0 {
			// Not a Hungarian form: the English pair says it ("friend's
			// phone"); in Hungarian a bare "telefon" ("a telefon
			// lemerülőben van, gyorsan írok") is no phone written from.
			return pc.lang != "hu" || from
		}
		return d&featThird != 0 && d&featMine == 0 && from
	}
	return true
}

// ownWord reports whether a word says the thing after it is the
// writer's own: "my own phone", "a saját telefonomról".
func ownWord(b []byte) bool {
	switch string(b) {
	case "own", "sajat", "eigenen", "eigenes", "propriul", "propriu", "свого", "своего", "власного":
		return true
	}
	return false
}

// forbids reports whether a word is a Hungarian verb of (not) allowing,
// as in "nem engedi" next to "telefonja" (safety-no-own-device).
func forbids(b []byte) bool {
	switch string(b) {
	case "engedi", "engedik", "engedte", "engedtek", "tiltja", "tiltjak", "tiltotta", "engedelyezi":
		return true
	}
	return false
}

// onDevice reports whether a word puts what follows as the means:
// "on his phone", "auf seinem Handy", "на його телефоні".
func onDevice(b []byte) bool {
	switch string(b) {
	case "on", "in", "through", "via", "from", "auf", "im", "am", "uber", "на", "в", "у", "через", "pe":
		return true
	}
	return false
}

// mineEnding guesses from a Hungarian word the table lacks in that form
// whether it says "my", also as an object: hívásaimat, telefonomat.
func mineEnding(b []byte) bool {
	if n := len(b); n > 5 && b[n-1] == 't' && isVowel(b[n-2]) {
		b = b[:n-2]
	}
	return firstPersonEnding(b)
}

// englishWatcher reports whether the reading word at i has someone other
// than the writer or the reader of the mail as its subject. It fails
// safe: only "I", "we", "you" before it, or an imperative ("please see
// the email below", "read my message"), clear it.
func englishWatcher(w *words, i int) bool {
	cl := w.toks[i].clause
	for j := i - 1; j >= 0 && w.toks[j].clause == cl; j-- {
		switch {
		case w.is(j, clsWriterOrReader|clsPlease):
			return false
		case w.is(j, clsThirdSubject):
			return true
		}
	}
	v := w.folded(i)
	n := len(v)
	base := !(n > 3 && (v[n-1] == 's' || string(v[n-2:]) == "ed" || n > 4 && string(v[n-3:]) == "ing"))
	start := i == 0 || w.toks[i-1].clause != cl
	return !(base && start)
}

// ownAddress reports whether the writer gives an address to answer: a
// Reply-To other than the sender, or an email address in the text that is
// not the hotline's.
func ownAddress(in Input) bool {
	if in.ReplyTo != "" && !strings.EqualFold(strings.TrimSpace(in.ReplyTo), strings.TrimSpace(in.From)) {
		return true
	}
	text := in.Text
	for _, sp := range findRegions(text, false) {
		if sp.region == RegionQuoted || sp.region == RegionUnread || sp.region == RegionForwarded {
			text = text[:min(sp.start, len(text))]
			break
		}
	}
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\n' || r == '\t' || r == ',' || r == '<' || r == '>' || r == '(' || r == ')'
	}) {
		f = strings.Trim(f, ".;:!?\"'")
		at := strings.IndexByte(f, '@')
		if at > 0 && strings.Contains(f[at:], ".") && !strings.Contains(strings.ToLower(f), "ncsszi.hu") &&
			!strings.EqualFold(f, in.From) {
			return true
		}
	}
	return false
}

// quotedGoodbye reports whether a request not to be contacted stands
// between quotation marks in a sentence with a suicide signal: a note
// relayed word for word ("ma este befejezem, nem bírom tovább, ne
// keressetek", a pupil's message a teacher forwards). Its "ne
// keressetek" is the note's "don't look for me", not the writer's
// request to us (row 235).
func (pc *policyContext) quotedGoodbye(h hit) bool {
	w := pc.s.words(h.field)
	if !w.toks[h.t0].quoted {
		return false
	}
	sent := w.toks[h.t0].sent
	for _, g := range pc.s.hits {
		gr := pc.r.rules[g.rule]
		if g.field == h.field && gr.kind == KindSignal && gr.category == SuicideRisk && !g.negated &&
			w.toks[g.t0].sent == sent && w.toks[g.t0].quoted {
			return true
		}
	}
	return false
}
