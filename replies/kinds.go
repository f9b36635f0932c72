package replies

// Kind is what a reply is.
type Kind string

const (
	KindAck        Kind = "ack"         // the automatic acknowledgement of a writer's message
	KindAnswer     Kind = "answer"      // an operator's answer in their own words
	KindCrisisHome Kind = "crisis_home" // an operator's crisis-home contact: the home's intake phone
)

// Automatic reports whether okit sends the reply on its own, without a
// person deciding: such mail is marked Auto-Submitted (RFC 3834) and is
// held to the acknowledgement policy.
func (k Kind) Automatic() bool { return k == KindAck }

// State is where a reply stands. A reply moves queued → composed → sent,
// or ends suppressed (okit decided not to send it), failed (the mail
// server refused it for good) or bounced (it came back).
type State string

const (
	StateQueued     State = "queued"     // waiting for the reply worker
	StateComposed   State = "composed"   // composed, sealed and stored; sending
	StateSent       State = "sent"       // the mail server accepted it
	StateFailed     State = "failed"     // the mail server refused it for good
	StateSuppressed State = "suppressed" // not sent, by the policy; Reason says why
	StateBounced    State = "bounced"    // a delivery report returned it
)

// Pending reports whether the worker still has to do something with a
// reply in this state.
func (s State) Pending() bool { return s == StateQueued || s == StateComposed }
