package durabletest

// Stats counts what an execution asked of the service, to check that a
// handler does not checkpoint or reload state more than it should.
type Stats struct {
	// CheckpointCalls counts CheckpointDurableExecution calls, including
	// refused ones.
	CheckpointCalls int
	// RepeatedCheckpoints counts the checkpoint calls answered as repeats
	// of an applied one, by their ClientToken (included in
	// CheckpointCalls, their updates not in OperationUpdates).
	RepeatedCheckpoints int
	// OperationUpdates counts the updates the service accepted.
	OperationUpdates int
	// StateCalls counts GetDurableExecutionState calls.
	StateCalls int
	// Invocations counts handler invocations.
	Invocations int
}

// Stats returns the execution's service usage so far.
func (e *Execution) Stats() Stats {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	return e.stats
}
