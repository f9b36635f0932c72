package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ncsszi/okit/storage"
)

// hub hands the ids of changed cases to every open console. A console
// that is slow to take them misses nothing that matters: it is told that
// something changed and reloads its rows.
type hub struct {
	mu   sync.Mutex
	subs map[chan []int64]struct{}
}

func newHub() *hub { return &hub{subs: map[chan []int64]struct{}{}} }

func (h *hub) subscribe() chan []int64 {
	ch := make(chan []int64, 1)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	return ch
}

func (h *hub) unsubscribe(ch chan []int64) {
	h.mu.Lock()
	delete(h.subs, ch)
	h.mu.Unlock()
}

// publish tells every console; nil ids mean "anything may have changed"
// (after listening again on a new connection).
func (h *hub) publish(ids []int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- ids:
		default: // a change is already waiting to be sent: this one joins it
		}
	}
}

// liveEvents is the console's server-sent event stream: an event
// "changed" with the changed case ids each time cases change (0 for an
// alert about no case), and a comment every 25 seconds so that proxies
// keep the connection open. A locked console is told that something
// changed, not what: its alerts ask for what they may say.
func (s *Server) liveEvents(w http.ResponseWriter, r *http.Request, c *call) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 5000\n\n")
	rc.Flush()
	ch := s.live.subscribe()
	defer s.live.unsubscribe(ch)
	beat := time.NewTicker(25 * time.Second)
	defer beat.Stop()
	// The session is read again at each beat: the person may have come back.
	lockAt := s.lockAt(c.session)
	for {
		select {
		case <-r.Context().Done():
			return
		case ids := <-ch:
			if !s.now().Before(lockAt) {
				ids = nil
			}
			f := make([]string, len(ids))
			for i, id := range ids {
				f[i] = strconv.FormatInt(id, 10)
			}
			fmt.Fprintf(w, "event: changed\ndata: %s\n\n", strings.Join(f, ","))
		case <-beat.C:
			// The session may have ended (logout, idle, disabled): the
			// stream ends with it.
			ss, _, err := s.session(r, false)
			if err != nil {
				return
			}
			lockAt = s.lockAt(&ss)
			fmt.Fprint(w, ": keepalive\n\n")
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// lockAt is when a session locks unless its person comes back; the zero
// time for a locked one.
func (s *Server) lockAt(ss *storage.Session) time.Time {
	if ss.Locked {
		return time.Time{}
	}
	return ss.SeenAt.Add(s.cfg.IdleTimeout)
}
