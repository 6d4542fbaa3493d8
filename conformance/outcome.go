package conformance

// Status is the outcome of one requirement.
type Status string

// Outcome statuses. A failure of an optional requirement is FAILED with
// Outcome.Optional set; it does not block a run.
const (
	Passed         Status = "PASSED"
	Failed         Status = "FAILED"
	NotImplemented Status = "NOT_IMPLEMENTED"
)

// Outcome is the result of running one requirement.
type Outcome struct {
	ID, Suite, Description string
	Status                 Status
	// Detail says why a requirement failed (every mismatch, with its
	// EventId, field path, expected and actual values) or why it is not
	// implemented.
	Detail string
	// Optional is set for requirements marked optional: true.
	Optional bool
}

// Blocking reports whether the outcome should fail a run: a failure of a
// requirement that is not optional.
func (o Outcome) Blocking() bool { return o.Status == Failed && !o.Optional }

// uncovered is the detail of an id no registry entry implements.
const uncovered = "no handler registered"
