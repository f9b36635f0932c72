package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ncsszi/okit/storage"
)

// presenceFor is how long a mark lasts without the page saying it again
// (it does every 20 seconds): a page closed without a word leaves it for
// at most that long.
const presenceFor = 45 * time.Second

// presence is who has which case open in the console, and who is writing
// an answer on it, so that two operators do not answer one writer unaware
// of each other. It lives in this process's memory; each process tells
// the others of its own consoles' marks through the database
// (storage.AnnouncePresence), so that consoles on two nodes see each
// other. Changes go out on the live stream like any change of a case.
type presence struct {
	mu    sync.Mutex
	cases map[int64]map[string]mark // case id → username →
}

type mark struct {
	writing bool
	until   time.Time
}

// present is one person on a case, as pages show them.
type present struct {
	User    string `json:"user"`
	Writing bool   `json:"writing"`
}

func newPresence() *presence { return &presence{cases: map[int64]map[string]mark{}} }

// set puts a mark (removes it, when leaving) and reports whether what
// others see changed: a mark heard again from the database changes nothing.
func (p *presence) set(m storage.Presence, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	on := p.cases[m.CaseID]
	old, had := on[m.User]
	had = had && old.until.After(now)
	if m.Leaving {
		delete(on, m.User)
		return had
	}
	if on == nil {
		on = map[string]mark{}
		p.cases[m.CaseID] = on
	}
	on[m.User] = mark{writing: m.Writing, until: m.Until}
	return !had || old.writing != m.Writing
}

// on lists who is on a case, but the user asking, by name.
func (p *presence) on(caseID int64, but string, now time.Time) []present {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []present
	for user, m := range p.cases[caseID] {
		if user != but && m.until.After(now) {
			out = append(out, present{User: user, Writing: m.writing})
		}
	}
	slices.SortFunc(out, func(a, b present) int { return strings.Compare(a.User, b.User) })
	return out
}

// expire forgets marks that ran out and returns the cases they were on.
func (p *presence) expire(now time.Time) []int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ids []int64
	for id, on := range p.cases {
		for user, m := range on {
			if !m.until.After(now) {
				delete(on, user)
				ids = append(ids, id)
			}
		}
		if len(on) == 0 {
			delete(p.cases, id)
		}
	}
	return ids
}

// expirePresence tells consoles of marks that ran out, until ctx ends.
func (s *Server) expirePresence(ctx context.Context) {
	t := time.NewTicker(presenceFor / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if ids := s.presence.expire(s.now()); len(ids) > 0 {
				s.live.publish(ids)
			}
		}
	}
}

// markPresence is the case page saying, every 20 seconds and when it
// changes, that its person is viewing the case, writing an answer, or
// leaving it.
func (s *Server) markPresence(w http.ResponseWriter, r *http.Request, c *call) {
	id, err := s.store.CaseID(r.Context(), r.PathValue("ref"))
	if errors.Is(err, storage.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	state := r.PostFormValue("state")
	m := storage.Presence{CaseID: id, User: c.session.Username, Writing: state == "writing", Leaving: state == "left",
		Until: s.now().Add(presenceFor)}
	if s.presence.set(m, s.now()) {
		s.live.publish([]int64{id})
	}
	// Other nodes hear of it; this one hears it back, which changes nothing.
	if err := s.store.AnnouncePresence(r.Context(), m); err != nil {
		s.log.Warn("console: presence not announced to other nodes", "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(s.presence.on(id, c.session.Username, s.now()))
}
