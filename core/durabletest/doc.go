// Package durabletest runs durable functions locally, in memory, for
// tests: it is the Go counterpart of the Python testing library's local
// runner.
//
// A Runner plays the Lambda durable execution service. It drives a handler
// through exactly the code path Lambda uses: it builds the durable
// invocation event, calls the handler's Invoke method (the lambda.Handler
// interface that durable.Handler implements) with a context carrying the
// in-memory Service (a protocol.Service), a log observer (see Execution.Logs
// and WithLogObserver) and a lambdacontext.LambdaContext with a fresh
// request id, and decodes the output envelope. Between invocations
// it does what the service does: it re-invokes a suspended execution once
// the wait, retry delay, callback or chained invoke it waits for is over.
//
//	r := durabletest.NewRunner(durable.Handler(processOrder))
//	exec, err := r.Run(ctx, Order{ID: "42"})
//	// exec.Status(), exec.Result(), exec.History(), exec.EmittedLogs() ...
//
// # Virtual time
//
// All service time comes from a virtual clock that starts at
// DefaultStartTime (see WithStartTime) and moves only when the runner
// moves it: RunToCompletion jumps to the next timer whenever nothing else
// can happen, and Advance moves it by a chosen amount, firing the timers
// on the way in order. Nothing sleeps, so an hour-long wait takes
// microseconds and every run of a test sees the same timestamps. Time does
// not pass during an invocation, unless WithServiceLatency models a round
// trip per service call or the code calls Sleep to model work that takes
// time. A timer that comes due during an invocation fires at its time, and
// the invocation's next checkpoint call reports what it changed: a map
// item or parallel branch whose wait ends while others still work resumes
// in the same invocation. The handler's runtime reads this clock.
//
// # What the service checks
//
// The Service validates every checkpoint like the real service (protocol
// §3.4): single-use checkpoint tokens, the actions valid for each operation
// type and status, payload rules, one update per operation per call
// (except START plus one more), existing parents, and updates consistent
// with the stored operation. A violation is a *protocol.APIError with code
// InvalidParameterValueException, so a handler that breaks the protocol
// fails its test instead of passing against a lenient fake. Like the real
// service, it answers a checkpoint repeated with the ClientToken of one it
// applied (an HTTP client's retry) with that one's answer instead.
//
// # History
//
// Every execution records the history GetDurableExecutionHistory would
// return (History, Event), produced the way the service produces it: one
// event per accepted update, the service's own transitions (a wait ending,
// a callback completing or timing out, a chained invoke finishing), an
// InvocationCompleted event per invocation and the execution's final
// event. Histories can be compared with the conformance suite's expected
// histories.
//
// # Callbacks, chained invokes, crashes
//
// A callback is completed from the test with Execution.SendCallbackSuccess,
// SendCallbackFailure or SendCallbackHeartbeat; find its id with
// Execution.Callbacks. Chained invokes run the functions registered with
// WithInvokeTarget as executions of their own on the same clock. Crash and
// WithCrash simulate a Lambda process dying mid-invocation, for testing
// at-most-once and at-least-once steps; a handler that returns an error,
// panics or returns an invalid envelope counts as crashed too, and is
// re-invoked up to WithMaxInvocations times.
package durabletest
