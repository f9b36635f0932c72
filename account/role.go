package account

import (
	"fmt"
	"slices"
)

// Role is what a user may do in okit.
type Role string

// The roles, from least to most administrative.
const (
	Operator   Role = "operator"   // works cases: reads, answers, assigns
	Supervisor Role = "supervisor" // works cases; crisis-home places, figures, the audit trail
	Admin      Role = "admin"      // accounts; takes no cases
)

// Roles are all the roles, in the order forms list them.
func Roles() []Role { return []Role{Operator, Supervisor, Admin} }

// CaseWorkers are the roles that work cases: cases are assigned to them,
// and they read and answer cases in the console.
func CaseWorkers() []Role { return []Role{Operator, Supervisor} }

// ParseRole reads a role's name, as a form or a flag gives it.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", fmt.Errorf("role %q: give operator, supervisor or admin", s)
	}
	return r, nil
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// WorksCases reports whether users of the role are assigned cases.
func (r Role) WorksCases() bool { return slices.Contains(CaseWorkers(), r) }
