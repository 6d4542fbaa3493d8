package durable

import (
	"fmt"

	"github.com/durable-go/durable-go/core/protocol"
)

// NonDeterministicError reports replayed code that took another path than
// the recorded one: at a recorded operation id it called an operation of
// another type, subtype or name. It fails the execution without retry.
type NonDeterministicError struct {
	OperationID string
	ParentID    string // the enclosing context's operation id; "" at the root
	Position    int    // 1-based position of the call in its context; 0 when unknown
	Recorded    string // type/subtype/name of the checkpointed operation
	Called      string // type/subtype/name of the call being replayed
}

// Error names the operation, what the history recorded there and what
// the code called instead.
func (e *NonDeterministicError) Error() string {
	where := ""
	if e.Position > 0 {
		where = fmt.Sprintf(" (call %d of its context)", e.Position)
		if e.ParentID != "" {
			where = fmt.Sprintf(" (call %d of context %s)", e.Position, e.ParentID)
		}
	}
	return fmt.Sprintf("durable: non-deterministic execution at operation %s%s: the history recorded %s but the code called %s",
		e.OperationID, where, e.Recorded, e.Called)
}

// ErrorType names the error in checkpointed ErrorObjects.
func (e *NonDeterministicError) ErrorType() string { return "NonDeterministicExecutionError" }

// op is one durable call in progress on a context.
type op struct {
	ctx     *Context
	id      string
	name    string
	typ     protocol.OperationType
	subType string
	rec     *protocol.Operation // the record found at the start of the call; nil if none
	err     error               // a misuse of the context: the call must return it (misuse.go)
}

// begin starts a durable call: it takes the next id, checks the recorded
// operation (if any) against the call, and updates the replay status
// (protocol §6.2).
func (c *Context) begin(typ protocol.OperationType, subType, name string) op {
	if err := c.checkUse(subType, name, false); err != nil {
		return op{ctx: c, err: err}
	}
	if err := checkName(subType, name); err != nil {
		return op{ctx: c, err: err}
	}
	if !c.busy.CompareAndSwap(false, true) {
		c.abort(ErrConcurrentUse)
	}
	c.innerSub, c.innerName = subType, name
	o := op{ctx: c, id: c.nextID(), name: name, typ: typ, subType: subType}
	o.rec = c.inv.state.get(o.id)
	if o.rec != nil && (o.rec.Type != typ || o.rec.SubType != subType || o.rec.Name != name) {
		c.busy.Store(false)
		c.abort(&NonDeterministicError{
			OperationID: o.id,
			Recorded:    describeOp(o.rec.Type, o.rec.SubType, o.rec.Name),
			Called:      describeOp(typ, subType, name),
			ParentID:    c.parentID,
			Position:    c.counter,
		})
	}
	if chk := c.inv.check; chk != nil {
		chk.begin(&o)
	}
	if c.replaying.Load() && (o.rec == nil || (typ == protocol.OperationTypeStep && !o.rec.Status.Terminal())) {
		c.replaying.Store(false)
	}
	c.inv.hooks.operationStart(&o)
	return o
}

// end finishes a durable call and advances the replay status. A call
// the invocation failed fatally inside (its task aborting through it)
// reports its end to plugins, FAILED with that failure, unless the
// service has it terminal: no start is left without its end.
func (o *op) end() {
	c := o.ctx
	if c.task.end == taskAborted {
		if rec := c.inv.state.get(o.id); rec == nil || !rec.Status.Terminal() {
			c.inv.hooks.refused(o, c.inv.fatalErr())
		}
	}
	if c.replaying.Load() && c.inv.check == nil { // a replay check replays to the end (replay_check.go)
		if o.rec == nil || !o.rec.Status.Terminal() || !c.inv.state.has(c.peekNextID()) {
			c.replaying.Store(false)
		}
	}
	c.busy.Store(false)
}

// maxNameLength is the longest operation name the service stores.
const maxNameLength = 256

// checkName refuses a name the service would refuse in the update
// (protocol §2.1: 1-256 printable ASCII characters; "" means none): the
// operation fails at once, before anything runs or is checkpointed,
// instead of the service failing the execution, with the updates queued
// beside it, after a step's body already ran.
func checkName(subType, name string) error {
	if len(name) > maxNameLength {
		return fmt.Errorf("%w: %s: the name is %d bytes long, over the %d the service stores", ErrInvalidArgument,
			describeCall(subType, name[:32]+"..."), len(name), maxNameLength)
	}
	for i, r := range name {
		if r < 0x20 || r > 0x7e {
			return fmt.Errorf("%w: %s: the name has %q at byte %d; the service stores only printable ASCII names", ErrInvalidArgument,
				describeCall(subType, name), r, i)
		}
	}
	return nil
}

func describeOp(typ protocol.OperationType, subType, name string) string {
	if name == "" {
		return fmt.Sprintf("%s/%s (unnamed)", typ, subType)
	}
	return fmt.Sprintf("%s/%s %q", typ, subType, name)
}

// update returns a protocol.OperationUpdate for this operation with action a.
func (o *op) update(a protocol.OperationAction) protocol.OperationUpdate {
	return protocol.OperationUpdate{
		ID: o.id, ParentID: o.ctx.parentID, Name: o.name,
		Type: o.typ, SubType: o.subType, Action: a,
	}
}

// reload re-reads the record after a synchronous checkpoint.
func (o *op) reload() *protocol.Operation {
	o.rec = o.ctx.inv.state.get(o.id)
	return o.rec
}

// suspend suspends the task, waiting for o; the caller's deferred end
// releases the context as the goroutine exits.
func (o *op) suspend(resume *protocol.Timestamp) {
	var t protocol.Timestamp
	if resume != nil {
		t = *resume
	}
	o.ctx.suspend(t.Time, o.id)
}
