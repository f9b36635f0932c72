package web

import (
	"net/http"

	"github.com/ncsszi/okit/account"
)

// access is who may use a route. Every route names one;
// TestEveryRouteChecksItsRole lists by hand who gets through each.
type access string

// Access levels.
const (
	public     access = "public"     // no session looked up: the login page, static files
	firstStep  access = "first-step" // a session whose second factor is still to come
	signedIn   access = "signed-in"  // any role
	caseWork   access = "case-work"  // operators and supervisors: reading and answering cases
	supervisor access = "supervisor" // supervisors: crisis-home places, figures, the audit trail
	admin      access = "admin"      // admins: accounts
)

// allowed says which roles each access level lets in, once their second
// factor is done.
var allowed = map[access][]account.Role{
	signedIn:   account.Roles(),
	caseWork:   account.CaseWorkers(),
	supervisor: {account.Supervisor},
	admin:      {account.Admin},
}

// route is one entry of the console's table.
type route struct {
	pattern string
	access  access
	// background marks requests the page makes by itself (live updates):
	// they do not count as the person being active, so an open console
	// still times out.
	background bool
	// whileLocked marks what a locked console still gets: the content-free
	// alerts, the live stream (without case ids) and unlocking.
	whileLocked bool
	handle      func(s *Server, w http.ResponseWriter, r *http.Request, c *call)
}

// routes is every page and action of the console.
var routes = []route{
	{pattern: "GET /static/", access: public, handle: (*Server).static},
	{pattern: "GET /login", access: public, handle: (*Server).loginPage},
	{pattern: "POST /login", access: public, handle: (*Server).login},
	{pattern: "POST /lang", access: public, handle: (*Server).setLanguage},
	{pattern: "GET /welcome/{token}", access: public, handle: (*Server).welcomePage},
	{pattern: "POST /welcome/{token}", access: public, handle: (*Server).welcome},
	{pattern: "GET /totp", access: firstStep, handle: (*Server).totpPage},
	{pattern: "POST /totp", access: firstStep, handle: (*Server).totp},
	{pattern: "GET /enrol", access: firstStep, handle: (*Server).enrolPage},
	{pattern: "GET /enrol/qr.png", access: firstStep, handle: (*Server).enrolQR},
	{pattern: "POST /enrol", access: firstStep, handle: (*Server).enrol},
	{pattern: "POST /logout", access: firstStep, handle: (*Server).logout},

	{pattern: "GET /{$}", access: signedIn, handle: (*Server).home},
	{pattern: "GET /account", access: signedIn, handle: (*Server).accountPage},
	{pattern: "POST /account/password", access: signedIn, handle: (*Server).changePassword},
	{pattern: "POST /account/signature", access: signedIn, handle: (*Server).changeSignature},
	{pattern: "GET /shelters", access: signedIn, handle: (*Server).sheltersPage},
	{pattern: "POST /alive", access: signedIn, handle: (*Server).alive},
	{pattern: "POST /account/sound", access: signedIn, handle: (*Server).changeSound},
	{pattern: "POST /unlock", access: signedIn, whileLocked: true, handle: (*Server).unlock},

	{pattern: "GET /queue", access: caseWork, handle: (*Server).queuePage},
	{pattern: "GET /queue/rows", access: caseWork, background: true, handle: (*Server).queueRows},
	{pattern: "GET /live", access: caseWork, background: true, whileLocked: true, handle: (*Server).liveEvents},
	{pattern: "GET /alerts", access: caseWork, background: true, whileLocked: true, handle: (*Server).alertsNow},
	{pattern: "POST /shift", access: caseWork, handle: (*Server).startShift},
	{pattern: "GET /shift/end", access: caseWork, handle: (*Server).endShiftPage},
	{pattern: "POST /shift/end", access: caseWork, handle: (*Server).endShift},
	{pattern: "GET /search", access: caseWork, handle: (*Server).searchPage},
	{pattern: "GET /cases/{ref}", access: caseWork, handle: (*Server).casePage},
	{pattern: "GET /cases/{ref}/messages/{id}/attachments/{n}", access: caseWork, handle: (*Server).attachment},
	{pattern: "POST /cases/{ref}/assign", access: caseWork, handle: (*Server).assign},
	{pattern: "POST /cases/{ref}/priority", access: caseWork, handle: (*Server).setPriority},
	{pattern: "POST /cases/{ref}/priority/confirm", access: caseWork, handle: (*Server).confirmPriority},
	{pattern: "POST /cases/{ref}/answer", access: caseWork, handle: (*Server).answer},
	{pattern: "POST /cases/{ref}/presence", access: caseWork, background: true, handle: (*Server).markPresence},
	{pattern: "POST /cases/{ref}/draft", access: caseWork, handle: (*Server).saveDraft},
	{pattern: "POST /cases/{ref}/crisis-home", access: caseWork, handle: (*Server).crisisHome},
	{pattern: "POST /cases/{ref}/notes", access: caseWork, handle: (*Server).addNote},
	{pattern: "POST /cases/{ref}/close", access: caseWork, handle: (*Server).closeCase},
	{pattern: "POST /cases/{ref}/reopen", access: caseWork, handle: (*Server).reopenCase},
	{pattern: "POST /cases/{ref}/merge", access: caseWork, handle: (*Server).merge},
	{pattern: "POST /cases/{ref}/split", access: caseWork, handle: (*Server).split},

	{pattern: "POST /shelters/places", access: supervisor, handle: (*Server).setPlaces},
	{pattern: "POST /alerts/ack", access: supervisor, handle: (*Server).acknowledgeAlerts},
	{pattern: "GET /answers", access: supervisor, handle: (*Server).answersPage},
	{pattern: "POST /answers", access: supervisor, handle: (*Server).saveAnswer},
	{pattern: "POST /answers/{id}", access: supervisor, handle: (*Server).saveAnswer},
	{pattern: "POST /answers/{id}/delete", access: supervisor, handle: (*Server).deleteAnswer},
	{pattern: "GET /audit", access: supervisor, handle: (*Server).auditPage},
	{pattern: "GET /audit.csv", access: supervisor, handle: (*Server).auditCSV},
	{pattern: "GET /now", access: supervisor, handle: (*Server).nowPage},
	{pattern: "GET /now/parts", access: supervisor, background: true, handle: (*Server).nowParts},
	{pattern: "GET /dashboard", access: supervisor, handle: (*Server).dashboardPage},
	{pattern: "GET /dashboard.csv", access: supervisor, handle: (*Server).dashboardCSV},
	{pattern: "POST /dashboard/model", access: supervisor, handle: (*Server).activateModel},
	{pattern: "POST /users/{name}/confirm", access: supervisor, handle: (*Server).confirmAccount},

	{pattern: "GET /users", access: admin, handle: (*Server).usersPage},
	{pattern: "POST /users", access: admin, handle: (*Server).addUser},
	{pattern: "POST /users/{name}", access: admin, handle: (*Server).changeUser},
	{pattern: "POST /users/{name}/reset", access: admin, handle: (*Server).resetAccount},
	{pattern: "POST /users/{name}/disable", access: admin, handle: (*Server).disableUser},
	{pattern: "POST /users/{name}/enable", access: admin, handle: (*Server).enableUser},
}
