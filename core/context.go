package durable

import (
	"context"
	"sync/atomic"
)

// Context is the durable context handed to a handler, a child context, a
// map item or a parallel branch. Durable operations take it as their first
// argument. A Context belongs to the goroutine the runtime gave it: call
// its operations from that goroutine only (start concurrent work with Map
// or Parallel, not with go statements); other calls fail the execution
// with an error matching ErrWrongGoroutine.
type Context struct {
	inv  *invocation
	task *task
	// goctx is the Go context user code sees (Context); nil means the
	// invocation's root context.
	goctx context.Context

	// id is the operation id owning this context ("" at the root); it is
	// the prefix of the ids of the operations created in it.
	id string
	// parentID is the ParentId of operations created in this context: id,
	// or the nearest real ancestor for virtual contexts.
	parentID string

	counter   int
	next      string // cached id for counter+1, "" when not computed yet
	busy      atomic.Bool
	replaying atomic.Bool
	// rerun marks a context whose whole body re-runs after it completed
	// (a child or batch item rebuilding a result too large to
	// checkpoint): all of it is replay, to its last line.
	rerun bool
	logs  atomic.Pointer[logScope] // nil until first used: see scope
	// logFrom is the scope this context's own derives from, on first use:
	// most contexts (map items, children) never log, and deriving costs.
	logFrom *logScope

	// done is set when the function owning the context has returned;
	// innerSub and innerName describe the operation holding busy. Both
	// serve misuse errors (misuse.go).
	done                atomic.Bool
	innerSub, innerName string
}

// scope returns the context's log scope, deriving it on first use.
func (c *Context) scope() *logScope {
	if s := c.logs.Load(); s != nil {
		return s
	}
	e := c.inv.enrichment()
	e.parentID = c.parentID
	c.logs.CompareAndSwap(nil, c.logFrom.derive(c.goContext(), e, (*logGate)(c)))
	return c.logs.Load()
}

// logSource is what scopes derived from this context's derive from: only
// the logger, configuration and observer matter, which a scope shares
// with the one it derives from.
func (c *Context) logSource() *logScope {
	if s := c.logs.Load(); s != nil {
		return s
	}
	return c.logFrom
}

func (c *Context) isReplaying() bool { return c.rerun || c.replaying.Load() }

// logGate is a Context as its logger's replay source (logReplaying).
type logGate Context

func (g *logGate) isReplaying() bool { return (*Context)(g).logReplaying() }

// logReplaying is the replay status of a line logged through c's logger:
// the status of the code logging it. That is c's own, unless c is inside
// one of its operations (a child's function, a map item, a branch) and
// the line comes from there, through a logger taken from c before:
// log := ctx.Logger() at the top of a handler, used in a child. The line
// then takes the status of the context whose code runs on the calling
// goroutine; c's own, which stays replaying until the operation ends,
// would drop the child's new lines for good.
func (c *Context) logReplaying() bool {
	if c.busy.Load() {
		if t := c.inv.taskOf(curGoroutine()); t != nil {
			if cur := t.cur; cur != nil && cur != c {
				return cur.isReplaying()
			}
		}
	}
	return c.isReplaying()
}

// IsReplaying reports whether the context is re-executing code whose
// operations already completed in an earlier invocation, including the
// whole body of a completed child context re-run to rebuild a result too
// large to checkpoint.
func (c *Context) IsReplaying() bool { return c.isReplaying() }

// Context returns the Go context of the current invocation: it carries the
// Lambda deadline and lambdacontext metadata, and what plugins add to it
// for this context (a ContextHook: e.g. its trace span).
func (c *Context) Context() context.Context { return c.goContext() }

// ExecutionArn returns the durable execution's ARN.
func (c *Context) ExecutionArn() string { return c.inv.arn }

// Logger returns the replay-aware logger of this context: lines logged
// while the context replays completed work are dropped, so each line
// prints once across invocations. Every line carries executionArn and,
// inside child contexts, parentId.
func (c *Context) Logger() Logger { return c.scope().logger() }

// SetLogger makes l the logger of this context and of the child contexts
// created from it afterwards. The handler-wide default is set with
// WithLogger. A nil l, or a nil pointer of a logger type, changes nothing.
func (c *Context) SetLogger(l LoggerInterface) {
	if isNilLogger(l) {
		return
	}
	c.logs.Store(c.scope().withBase(l))
}

// GetLogger returns the LoggerInterface underneath Logger, as set with
// SetLogger or WithLogger (or the default logger). Lines logged on it
// directly are not replay-aware.
func (c *Context) GetLogger() LoggerInterface { return c.logSource().base() }

// newChild creates the context of a child operation with id opID and Go
// context goctx. virtual contexts checkpoint nothing for themselves: their
// operations keep the enclosing parent id.
func (c *Context) newChild(opID string, t *task, virtual bool, goctx context.Context) *Context {
	child := &Context{inv: c.inv, task: t, id: opID, parentID: opID, goctx: goctx, rerun: c.rerun}
	if virtual {
		child.parentID = c.parentID
	}
	child.replaying.Store(c.replaying.Load())
	if chk := c.inv.check; chk != nil {
		chk.enter(opID)
	}
	child.logFrom = c.logSource()
	return child
}

// nextID advances the operation counter and returns the next id.
func (c *Context) nextID() string {
	id := c.peekNextID()
	c.counter++
	c.next = ""
	return id
}

// peekNextID returns the id the next operation would take. It is cached:
// replay peeks at every following id, and hashing dominates an id's cost.
func (c *Context) peekNextID() string {
	if c.next == "" {
		c.next = operationID(c.id, c.counter+1)
	}
	return c.next
}
