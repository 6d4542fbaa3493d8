package durable

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/durable-go/durable-go/core/internal/testhook"
	"github.com/durable-go/durable-go/core/protocol"
)

// invocation is one Lambda call of a durable function: the state it
// loaded, the checkpointer, and the goroutines (tasks) running user code.
type invocation struct {
	goctx     context.Context
	cfg       *config
	arn       string
	execID    string
	requestID string
	tenantID  string
	state     *executionState
	cp        *checkpointer
	observer  logObserver
	hooks     *hooks          // nil without plugins
	rootctx   context.Context // goctx as ContextHooks derived it; nil without

	misused atomic.Bool // a Context was misused: every later operation fails (misuse.go)
	// tasks holds the running tasks by goroutine (curGoroutine), so a
	// logger used on another task's goroutine finds the code's context
	// (Context.logReplaying).
	tasksMu sync.Mutex
	tasks   map[uintptr]*task
	check   *replayCheck   // set for a replay check (testhook.WithReplayCheck): nothing new may happen (replay_check.go)
	clock   testhook.Clock // the service's time, from a local runner; nil: the wall clock (resume.go)

	mu    sync.Mutex
	fatal error // ends the invocation: non-determinism, checkpoint failure
}

// enrichment returns the invocation-wide log fields.
func (inv *invocation) enrichment() enrichment {
	return enrichment{executionArn: inv.arn, requestID: inv.requestID, tenantID: inv.tenantID, hooks: inv.hooks}
}

// setFatal records the first error that must end the invocation.
func (inv *invocation) setFatal(err error) {
	inv.mu.Lock()
	if inv.fatal == nil {
		inv.fatal = err
	}
	inv.mu.Unlock()
}

func (inv *invocation) fatalErr() error {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return inv.fatal
}

// taskEnd is how a task's goroutine ended.
type taskEnd int

const (
	taskReturned  taskEnd = iota // the function returned
	taskSuspended                // it waits for something a later invocation brings
	taskAborted                  // the invocation failed fatally
	taskPanicked                 // user code panicked outside any step
	taskExited                   // user code called runtime.Goexit itself
)

// task is a goroutine running durable user code: the handler, or one map
// item or parallel branch. Suspension ends it with runtime.Goexit, so
// deferred calls run and recover cannot swallow it.
type task struct {
	inv    *invocation
	end    taskEnd
	resume time.Time // earliest time a suspended task could continue; zero if unknown
	// blockers are the operations a suspended task waits for: it can
	// continue once one of them has progressed (resume.go).
	blockers []string
	panic    any
	stack    []byte
	done     chan struct{}
	g        uintptr // the goroutine running the task (curGoroutine)
	// orphaned is set when the task's batch completed without it: its
	// later checkpoints are refused and it ends at its next operation.
	// The tasks it started (the items of a batch inside it) are orphaned
	// with it (isOrphaned).
	orphaned atomic.Bool
	parent   *task // the task that started it (a batch's item); nil for the root
	// stepBodies counts the step bodies running on the task: none of its
	// Contexts may await a callback meanwhile (misuse.go).
	stepBodies int
	// cur is the innermost context whose function runs on the task: the
	// root or item's, or a child's running inline. Only the task's
	// goroutine uses it.
	cur *Context
}

// setTask records t as the task running on goroutine g (nil: none).
func (inv *invocation) setTask(g uintptr, t *task) {
	inv.tasksMu.Lock()
	defer inv.tasksMu.Unlock()
	if t == nil {
		delete(inv.tasks, g)
		return
	}
	if inv.tasks == nil {
		inv.tasks = map[uintptr]*task{}
	}
	inv.tasks[g] = t
}

// taskOf returns the task running on goroutine g, or nil.
func (inv *invocation) taskOf(g uintptr) *task {
	inv.tasksMu.Lock()
	defer inv.tasksMu.Unlock()
	return inv.tasks[g]
}

// startTask runs fn on a new goroutine counted by the checkpointer; then,
// if not nil, runs on that goroutine once the task has ended.
func (inv *invocation) startTask(fn func(t *task), then func()) *task {
	return inv.startTaskUnder(nil, fn, then)
}

// startTaskUnder is startTask for a task started by parent.
func (inv *invocation) startTaskUnder(parent *task, fn func(t *task), then func()) *task {
	t := &task{inv: inv, end: taskExited, done: make(chan struct{}), parent: parent}
	inv.cp.enter()
	go func() {
		t.g = curGoroutine()
		inv.setTask(t.g, t)
		defer inv.setTask(t.g, nil) // before the goroutine, whose id another may take, ends
		if then != nil {
			defer then()
		}
		defer close(t.done)
		defer inv.cp.leave()
		defer func() {
			if t.end != taskExited {
				return
			}
			if r := recover(); r != nil {
				t.end, t.panic = taskPanicked, r
				t.stack = stack()
			}
		}()
		fn(t)
		t.end = taskReturned
	}()
	return t
}

// suspend ends the calling task until a later invocation, or until its
// batch resumes it (resume.go). resume, when known, is when the awaited
// timer fires; blockers are the operations it waits for.
func (c *Context) suspend(resume time.Time, blockers ...string) {
	c.task.resume, c.task.blockers = resume, blockers
	c.task.end = taskSuspended
	runtime.Goexit()
}

// abort fails the invocation with err and ends the calling task.
func (c *Context) abort(err error) {
	c.inv.setFatal(err)
	c.task.end = taskAborted
	runtime.Goexit()
}

// checkpoint sends u synchronously, ending the task if the checkpoint
// fails: a lost checkpoint must not let user code continue.
func (c *Context) checkpoint(u protocol.OperationUpdate) {
	c.refuseOrphan()
	if err := c.inv.cp.sendFrom(c.task, &u); err != nil {
		c.checkpointFailed(err)
	}
}

// checkpointAsync queues u without waiting.
func (c *Context) checkpointAsync(u protocol.OperationUpdate) {
	c.refuseOrphan()
	if err := c.inv.cp.enqueueFrom(c.task, &u); err != nil {
		c.checkpointFailed(err)
	}
}

// checkpointFailed ends the task whose update the checkpointer refused.
func (c *Context) checkpointFailed(err error) {
	if errors.Is(err, errOrphaned) {
		c.refuseOrphan()
	}
	c.abort(err)
}

// isOrphaned reports whether t or a task that started it was orphaned:
// the items of a batch inside an orphaned item are late finishers too.
func (t *task) isOrphaned() bool {
	for ; t != nil; t = t.parent {
		if t.orphaned.Load() {
			return true
		}
	}
	return false
}

// refuseOrphan ends an orphaned task instead of letting it checkpoint.
func (c *Context) refuseOrphan() {
	if c.task.isOrphaned() || c.inv.check != nil {
		c.task.end = taskSuspended
		runtime.Goexit()
	}
}

func stack() []byte {
	buf := make([]byte, 16<<10)
	return buf[:runtime.Stack(buf, false)]
}

// panicToError, deferred, turns a panic of the calling function into a
// *PanicError in *err.
func panicToError(err *error) {
	if r := recover(); r != nil {
		*err = &PanicError{Value: r, Stack: stack()}
	}
}

// PanicError is the error a panic in user code becomes: a panicking step
// fails its attempt, a panicking handler fails the execution.
type PanicError struct {
	Value any
	Stack []byte
}

// Error returns the panic value, as "panic: <value>".
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// ErrorType names the error in checkpointed ErrorObjects.
func (e *PanicError) ErrorType() string { return "Panic" }
