// Package secondopinion is a small learned model that reads a message
// after the triage rules and may raise their priority: a P2 to P1, a P3
// to P2, a P4 that is not automated mail to P2 (the safer side when
// unsure: the urgent messages the rules miss on new batches they give
// P4). It never lowers a priority, never raises automated mail from P4
// and never touches a flag, a category or the rules that fired; a verdict
// it raised carries triage.Raised.
//
// # What it reads
//
// The words of the writer's new text as triage read them
// (triage.Rules.TriageRead): each word as its lemma where the word-form
// table knows it, else folded; pairs of neighbouring words in a
// sentence; the concepts a word matched, alone and with each mark of its
// ending (first person, past …); the marks; the language. The rules'
// priority and rule ids are left out: a model that reads them learns to
// repeat the rules. Each feature is a bucket of 2^Bits, hashed with
// SipHash-2-4 under a Key derived from the index key, so the weights are
// numbers by bucket that say nothing about words without the key.
//
// # How it learns
//
// Logistic regression with two heads (P1 against the rest, P1 or P2
// against the rest), AdaGrad with L2, a fixed seed: the same labels give
// the same model. Train measures by 5-fold cross-validation and sets each
// threshold where the model's own recall on held-out folds is highest at
// a precision of at least MinPrecision: for the P1 head's P2→P1 and the
// P1+P2 head's P4→P2 the precision of the held-out messages the model
// scores like a raise (isotonic calibration of the model alone;
// calibratedThreshold says why), for the P1+P2 head's P3→P2 that of its
// raises (raisesThreshold). Figures compares the rules alone with the
// rules and the model, per priority: counts only.
//
// Labels, storage and activation live elsewhere (storage, cmd/okit's
// triage learn and triage model); this package is pure: no I/O, no clock.
// The starting model, trained on the project's own corpus, is embedded
// (Starting) and used only once a supervisor activates it.
package secondopinion
