package durabletest

import (
	"fmt"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// Option configures a Runner.
type Option func(*config)

type config struct {
	functionName     string
	startTime        time.Time
	functions        map[string]Handler // by function name, the runner's own included
	targets          map[string]Handler
	maxInvocations   int
	pageSize         int
	tenantID         string
	executionTimeout time.Duration
	crash            func(invocation int, u protocol.OperationUpdate) bool
	logObserver      func(LogRecord)
	serviceLatency   time.Duration
	// errs lists the invalid options, for Runner.Start (ErrInvalidConfig);
	// an invalid value leaves the default in place.
	errs []error
}

// invalid records an invalid option.
func (c *config) invalid(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// Defaults of the options.
const (
	DefaultFunctionName     = "test-function"
	DefaultMaxInvocations   = 1000
	DefaultPageSize         = 1000
	DefaultExecutionTimeout = maxWaitSeconds * time.Second
)

func newConfig(opts []Option) *config {
	c := &config{
		functionName:     DefaultFunctionName,
		startTime:        DefaultStartTime,
		targets:          map[string]Handler{},
		maxInvocations:   DefaultMaxInvocations,
		pageSize:         DefaultPageSize,
		executionTimeout: DefaultExecutionTimeout,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// WithFunctionName names the function the runner's handler stands for
// (default "test-function"); it appears in execution ARNs. An empty name
// is invalid (ErrInvalidConfig).
func WithFunctionName(name string) Option {
	return func(c *config) {
		if name == "" {
			c.invalid("WithFunctionName(\"\"): a function needs a name")
			return
		}
		c.functionName = name
	}
}

// WithStartTime sets where the virtual clock starts (default
// DefaultStartTime).
func WithStartTime(t time.Time) Option {
	return func(c *config) {
		if !t.IsZero() {
			c.startTime = t
		}
	}
}

// WithInvokeTarget registers h as the durable function functionName for
// chained invokes. An invoke may name the function plainly, with a
// ":qualifier", or by ARN; the runner matches on the function name. The
// target runs as its own durable execution on the same virtual clock
// (see Runner.Executions); invoking an unregistered function fails the
// invoke with ResourceNotFoundException. An empty name, a nil h and the
// name of the runner's own function are invalid (ErrInvalidConfig).
func WithInvokeTarget(functionName string, h Handler) Option {
	return func(c *config) {
		name, _ := splitFunctionName(functionName)
		switch {
		case name == "":
			c.invalid("WithInvokeTarget(%q): a target needs a function name", functionName)
			return
		case isNil(h):
			c.invalid("WithInvokeTarget(%q): nil handler", functionName)
			return
		}
		c.targets[name] = h
	}
}

// WithMaxInvocations bounds how many invocations one execution may take
// (default 1000). An execution that needs more fails with ErrorType
// ErrorTypeMaxInvocations; this stops a handler that crashes on every
// invocation from looping forever. n must be at least 1
// (ErrInvalidConfig).
func WithMaxInvocations(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.invalid("WithMaxInvocations(%d): an execution needs at least one invocation", n)
			return
		}
		c.maxInvocations = n
	}
}

// WithPageSize sets how many operations the service returns per page: in
// the invocation event's initial state, in checkpoint responses and in
// GetExecutionState (default 1000). Small pages let tests exercise the
// handler's paging through NextMarker. n must be at least 1
// (ErrInvalidConfig).
func WithPageSize(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.invalid("WithPageSize(%d): a page holds at least one operation", n)
			return
		}
		c.pageSize = n
	}
}

// WithTenantID runs the runner's executions for tenant id: invocations
// carry it in lambdacontext.LambdaContext.TenantID.
func WithTenantID(id string) Option { return func(c *config) { c.tenantID = id } }

// WithExecutionTimeout sets the execution timeout of every execution
// (default and maximum: 366 days). When the virtual clock passes it, the
// execution ends TIMED_OUT with ErrorType ErrorTypeExecutionTimeout. A
// timeout of zero, negative or over the maximum is invalid
// (ErrInvalidConfig).
func WithExecutionTimeout(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 || d > DefaultExecutionTimeout {
			c.invalid("WithExecutionTimeout(%v): the timeout must be positive and at most %v", d, DefaultExecutionTimeout)
			return
		}
		c.executionTimeout = d
	}
}

// WithCrash simulates Lambda crashes, for testing at-most-once and
// at-least-once steps. Before the service accepts each update of the
// runner's own executions, it calls crash with the 1-based invocation
// number and the update; if crash returns true, that invocation dies at
// this point, as if the Lambda process had exited: the updates before it
// in the same call are kept (as though the batch had been split there),
// this one and every later call of the invocation are refused, and the
// invocation is recorded as crashed (InvocationCompleted with
// ErrorTypeExitError) and the execution re-invoked. For example, to crash
// the first invocation when it checkpoints the outcome of the step
// "charge" (its body has run, its result is not stored):
//
//	durabletest.WithCrash(func(inv int, u protocol.OperationUpdate) bool {
//		return inv == 1 && u.Name == "charge" && u.Action != protocol.ActionStart
//	})
//
// crash runs while the service is locked: it must not call the Runner,
// the Service or an Execution. See also Crash, which crashes an
// invocation from inside the handler.
func WithCrash(crash func(invocation int, u protocol.OperationUpdate) bool) Option {
	return func(c *config) { c.crash = crash }
}

// WithServiceLatency models a network round trip of d for every call a
// handler makes to the service (CheckpointDurableExecution and
// GetDurableExecutionState): the virtual clock moves forward by d before
// the call is answered, so an invocation takes d of virtual time per call
// (Invocation.End minus Start) and history timestamps show it; no real
// time passes. An invocation's calls go one after the other (each needs
// the token the previous one returned) and it cannot end before the last
// is answered, so calls times d is a lower bound of its wall time in
// Lambda; adding the CPU time the handler used gives an upper bound. A
// timer that comes due during an invocation fires at the invocation's
// next checkpoint call, which reports what it changed. A negative d is
// invalid (ErrInvalidConfig).
func WithServiceLatency(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.invalid("WithServiceLatency(%v): a round trip cannot take negative time", d)
			return
		}
		c.serviceLatency = d
	}
}
