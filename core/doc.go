// Package durable is a Go SDK for AWS Lambda durable functions.
//
// A durable function is an ordinary Lambda handler that the durable
// execution service re-runs (replays) from checkpoints. Durable operations
// checkpoint their outcome; on replay a completed operation returns its
// recorded result instead of running again:
//
//	func process(ctx *durable.Context, o Order) (Receipt, error) {
//		id, err := durable.Step(ctx, "reserve", func(sc *durable.StepContext) (string, error) {
//			return inventory.Reserve(sc.Context(), o)
//		})
//		if err != nil {
//			return Receipt{}, err
//		}
//		if err := durable.Wait(ctx, "cool-off", 30*time.Minute); err != nil {
//			return Receipt{}, err
//		}
//		ctx.Logger().Info("reserved", "order_id", o.ID, "reservation", id)
//		return Receipt{Reservation: id}, nil
//	}
//
//	func main() { lambda.Start(durable.Handler(process)) }
//
// # Operations
//
// Step runs code once and checkpoints its result, retrying failed attempts
// across invocations. Wait suspends the execution. RunInChildContext groups
// operations. CreateCallback and WaitForCallback wait for an external
// system; Invoke calls another durable function; WaitForCondition polls a
// checkpointed state; Map and Parallel run work concurrently with bounded
// concurrency and completion rules. Every operation takes the Context first
// and a name ("" for none) second.
//
// Code between operations runs again on every replay, so it must be
// deterministic: the same calls in the same order. Replayed code that calls
// another operation than the one recorded fails the execution with a
// NonDeterministicError.
//
// # Logging
//
// Context.Logger is replay-aware: a line logged while its context replays
// completed work is dropped, so each line prints once across invocations,
// and every line carries the execution's ARN and, where they apply, the
// enclosing context, operation and attempt. Any LoggerInterface can be
// plugged in (WithLogger, Context.SetLogger); the adapters modules wrap
// zap, zerolog, logrus and log/slog. A line holds each key once, the
// call's value replacing enrichment of the same name. Logger.Slog gives
// the same logger to code that takes a *slog.Logger. AWS_LAMBDA_LOG_LEVEL
// (when Lambda sets it) and AWS_LAMBDA_LOG_FORMAT are honoured for every
// logger; WithLogLevel sets the level in code.
//
// # Testing
//
// Package durabletest runs a handler locally, through the same code path
// Lambda uses, against an in-memory durable service with a virtual clock.
//
// # Design notes
//
// Suspension. A wait, an unfinished callback or invoke, or a retry delay
// must stop the handler mid-function. The runtime runs the handler (and
// each map item and parallel branch) on a goroutine of its own and ends it
// with runtime.Goexit when it must suspend: deferred calls run, a recover
// in user code cannot swallow the suspension, and no error has to be
// propagated by hand. The invocation returns PENDING once no goroutine can
// make progress.
//
// Map and Parallel concurrency. A suspended map item or parallel branch
// keeps its slot (WithMaxConcurrency). When an item's timer (a wait, a
// retry delay) comes due while other items still run, or before the batch
// would suspend, it resumes in the same invocation (protocol §8.7): one
// checkpoint call refreshes the state (an empty one when no update is
// queued), and each item whose awaited operation the service has moved on
// meanwhile runs again in its slot, replaying up to where it stopped (no
// step runs twice, lines logged before the wait print once). An item
// whose awaited operation another item's checkpoint response reports
// moved on (a callback completed from outside) resumes the same way at
// once, while the other items still run. An item not yet moved on by the service stays suspended; refreshes are paced (1 s,
// doubling to 16 s) and none starts close to the invocation's deadline.
// When every running item is suspended and none can go on, the batch
// suspends the invocation until the earliest of their timers.
//
// Batching. One goroutine owns the checkpoint token and sends updates in
// FIFO batches within the service's limits. Unlike a fixed idle window, it
// sends as soon as every goroutine running durable code is waiting for an
// acknowledgement, because then nothing more can join the batch: sequential
// code pays no batching delay, while concurrent map items share large
// batches. A failed checkpoint ends the invocation: retryable failures with
// a Lambda error (the service re-invokes), others by failing the execution.
//
// Step outcomes and the durability window. A step returns once its
// outcome is checkpointed, as the protocol specifies: a step that returned
// never runs again, so the code after it may act on its result (charge a
// card with the idempotency key it generated) knowing a replay returns the
// same result. A checkpoint call is a network round trip, though, and
// sequential steps pay one each. WithCheckpointWindow trades that
// guarantee for fewer calls: the outcomes of at-least-once steps are
// queued, not awaited, and sent in order with the updates that follow
// them: before any update the code must wait for (an at-most-once step, a
// wait, a callback, an invoke, a retry, a child context's or batch's
// result), when the invocation ends (it returns, fails or suspends;
// nothing is returned to Lambda with updates still queued), when a batch
// is full (250 updates or 750 KiB), or when the oldest queued update has
// waited the window's length. A crash can lose only those queued outcomes:
// the steps run again on the next invocation, and so does the code
// between them, so its log lines print again; no step is recorded twice.
// But a step re-run this way had returned, and the steps after it may have
// acted on its result: if its body can return something else the second
// time (a generated idempotency key or id, a timestamp, a random choice),
// a later step's side effect can happen twice, once with each result. In
// a handler with a window, mark such steps WithStepSync (or
// WithAtMostOncePerRetry): their Step waits for the checkpoint.
//
// One service interface. Everything the runtime needs from the service is
// the protocol.Service interface of package
// github.com/durable-go/durable-go/core/protocol (the wire protocol),
// implemented over the AWS SDK (the default; see WithLambdaClient), in
// memory by package durabletest.
//
// Plugins observe executions for tracing and metrics; they are written
// against package github.com/durable-go/durable-go/core/plugin and
// registered with WithPlugins.
package durable
