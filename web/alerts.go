package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/storage"
)

// alertWindow is how far back supervisors' banner looks for alerts they
// have not acknowledged: a supervisor back after days off is not greeted
// by every breach since.
const alertWindow = 24 * time.Hour

// alertKinds are the alerts supervisors' banner names, in its order.
var alertKinds = append([]string{storage.AlertBreach, storage.AlertCredentialForged}, intake.AlertKinds...)

// alertState is what the console's script alerts a person to. It names
// no writer and no words, and case ids only, so that it is said on a
// locked console too and fits a shared screen: the script turns it into
// the tab's count, a sound and "Új sürgős ügy (P1)".
type alertState struct {
	Locked bool           `json:"locked"`
	P1     []int64        `json:"p1"`   // urgent cases waiting: unassigned, or the person's and unanswered
	Mine   []int64        `json:"mine"` // the person's other unanswered cases
	Alerts map[string]int `json:"alerts,omitempty"`
	Upto   int64          `json:"upto"` // the newest unacknowledged alert, for supervisors
	// EndsIn is how many seconds the session has before its absolute
	// limit, so that the page warns before an operator must log in again.
	EndsIn int64 `json:"ends_in"`
}

// alertsNow answers the console's script, on each change the live stream
// announces and every half minute.
func (s *Server) alertsNow(w http.ResponseWriter, r *http.Request, c *call) {
	wt, err := s.store.Waiting(r.Context(), c.session.UserID)
	if err != nil {
		s.log.Error("read waiting cases", "err", err)
		http.Error(w, "500", http.StatusInternalServerError)
		return
	}
	st := alertState{Locked: c.session.Locked, P1: wt.P1, Mine: wt.Mine,
		EndsIn: int64(c.session.CreatedAt.Add(s.cfg.MaxSessionAge).Sub(s.now()).Seconds())}
	if a := s.supervisorAlerts(r, c.session); a != nil {
		st.Alerts, st.Upto = a.Count, a.Upto
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(st)
}

// supervisorAlerts are a supervisor's unacknowledged alerts; nil for
// anyone else, and when they cannot be read (the page is worth more than
// the banner).
func (s *Server) supervisorAlerts(r *http.Request, ss *storage.Session) *storage.Alerts {
	if ss == nil || !ss.SecondFactor || ss.Role != account.Supervisor {
		return nil
	}
	a, err := s.store.OpenAlerts(r.Context(), "user:"+ss.Username, s.now().Add(-alertWindow))
	if err != nil {
		s.log.Error("read alerts", "err", err)
		return nil
	}
	return &a
}

// acknowledgeAlerts takes the banner away for this supervisor, up to the
// alerts it showed: a newer one shows again.
func (s *Server) acknowledgeAlerts(w http.ResponseWriter, r *http.Request, c *call) {
	upto, err := strconv.ParseInt(r.PostFormValue("upto"), 10, 64)
	if err != nil || upto <= 0 {
		redirect(w, r, localPath(r.PostFormValue("back")), "")
		return
	}
	if err := s.store.AcknowledgeAlerts(r.Context(), c.actor, upto); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}
