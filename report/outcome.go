package report

// Outcome is how a case ended, as the operator closing it says: asked at
// every close and recorded in the case_closed event, so that the figures
// can tell answered cases from duplicates and referrals.
type Outcome string

// Outcomes of a case.
const (
	AnsweredByEmail Outcome = "answered_email"
	AnsweredByPhone Outcome = "answered_phone"
	Referred        Outcome = "referred"
	NoAnswerNeeded  Outcome = "no_answer_needed"
	Duplicate       Outcome = "duplicate"
	// Unrecorded counts closes made before outcomes were asked, and by
	// okit itself (a merge closes the case merged away).
	Unrecorded Outcome = "unrecorded"
)

// Outcomes are the outcomes a person may choose, in the order offered.
func Outcomes() []Outcome {
	return []Outcome{AnsweredByEmail, AnsweredByPhone, Referred, NoAnswerNeeded, Duplicate}
}

// OutcomeCount counts the closes of the period with one outcome.
type OutcomeCount struct {
	Outcome Outcome
	Closes  int
}
