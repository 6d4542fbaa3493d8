package durabletest

import (
	"errors"
	"fmt"

	durable "github.com/durable-go/durable-go/core"
)

// Size limits of update payloads (protocol §3.4; the API documentation's
// values, which are looser than the Python emulator's 32 KiB for errors).
const (
	maxPayloadBytes          = 1 << 20
	maxExecutionPayloadBytes = 6 << 20
	maxErrorBytes            = 1 << 20
	maxIDLength              = 64
	maxNameLength            = 256
)

// staged is what validation knows of an operation: its stored record as
// changed by the earlier updates of the same call.
type staged struct {
	typ     durable.OperationType
	subType string
	name    string
	parent  string
	status  durable.OperationStatus
}

// validator checks one checkpoint call's updates against the rules of
// protocol §3.4 before any of them is applied: a call is all or nothing.
type validator struct {
	e     *Execution
	ops   map[string]*staged
	seen  map[string][]durable.OperationAction
	count int
}

// validateUpdates returns an InvalidParameterValueException APIError for
// the first update that breaks a rule.
func validateUpdates(e *Execution, updates []durable.OperationUpdate) error {
	v := &validator{e: e, ops: map[string]*staged{}, seen: map[string][]durable.OperationAction{}, count: len(updates)}
	for i, u := range updates {
		if err := v.check(i, u); err != nil {
			return invalidParameter(apiCheckpoint, "%s (update %d: %s %s of operation %q)", err, i, u.Action, u.Type, u.ID)
		}
	}
	return nil
}

func (v *validator) check(i int, u durable.OperationUpdate) error {
	checks := []func(durable.OperationUpdate) error{checkShape, checkPayloads}
	for _, c := range checks {
		if err := c(u); err != nil {
			return err
		}
	}
	if u.Type == durable.OperationTypeExecution {
		return v.checkExecution(i, u)
	}
	if err := v.checkOccurrence(u); err != nil {
		return err
	}
	cur := v.state(u.ID)
	if err := checkConsistent(u, cur); err != nil {
		return err
	}
	if err := v.checkParent(u); err != nil {
		return err
	}
	if err := checkTransition(u, cur); err != nil {
		return err
	}
	if err := checkOptions(u); err != nil {
		return err
	}
	v.stage(u)
	return nil
}

// checkShape validates the fields every update has.
func checkShape(u durable.OperationUpdate) error {
	if !validID(u.ID) {
		return fmt.Errorf("invalid operation Id: must be 1-%d characters of [a-zA-Z0-9-_]", maxIDLength)
	}
	switch u.Type {
	case durable.OperationTypeExecution, durable.OperationTypeContext, durable.OperationTypeStep,
		durable.OperationTypeWait, durable.OperationTypeCallback, durable.OperationTypeChainedInvoke:
	default:
		return fmt.Errorf("unknown operation Type %q", u.Type)
	}
	switch u.Action {
	case durable.ActionStart, durable.ActionSucceed, durable.ActionFail, durable.ActionRetry, durable.ActionCancel:
	default:
		return fmt.Errorf("unknown Action %q", u.Action)
	}
	if len(u.Name) > maxNameLength {
		return fmt.Errorf("Name longer than %d characters", maxNameLength)
	}
	for _, r := range u.Name {
		if r < 0x20 || r > 0x7e {
			return fmt.Errorf("Name must be printable ASCII, found %q", r)
		}
	}
	return nil
}

func validID(id string) bool {
	if id == "" || len(id) > maxIDLength {
		return false
	}
	for _, r := range id {
		ok := r == '-' || r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// checkPayloads enforces which action may carry Payload and Error, and
// their sizes.
func checkPayloads(u durable.OperationUpdate) error {
	switch {
	case u.Action == durable.ActionFail && u.Payload != nil:
		return errors.New("FAIL must not carry Payload")
	case u.Action == durable.ActionSucceed && u.Error != nil:
		return errors.New("SUCCEED must not carry Error")
	case u.Action == durable.ActionRetry && u.StepOptions == nil:
		return errors.New("RETRY requires StepOptions")
	case u.Action == durable.ActionRetry && u.Payload != nil && u.Error != nil:
		return errors.New("RETRY carries Error or Payload, not both")
	case u.Action == durable.ActionRetry && u.StepOptions.NextAttemptDelaySeconds < 0:
		return errors.New("StepOptions.NextAttemptDelaySeconds must not be negative")
	}
	limit := maxPayloadBytes
	if u.Type == durable.OperationTypeExecution {
		limit = maxExecutionPayloadBytes
	}
	if u.Payload != nil && len(*u.Payload) > limit {
		return fmt.Errorf("Payload of %d bytes exceeds the limit of %d", len(*u.Payload), limit)
	}
	if n := errorSize(u.Error); n > maxErrorBytes {
		return fmt.Errorf("Error of %d bytes exceeds the limit of %d", n, maxErrorBytes)
	}
	return nil
}

func errorSize(e *durable.ErrorObject) int {
	if e == nil {
		return 0
	}
	n := len(e.ErrorType) + len(e.ErrorMessage) + len(e.ErrorData)
	for _, s := range e.StackTrace {
		n += len(s)
	}
	return n
}

// checkExecution: EXECUTION updates complete the execution, once, last.
func (v *validator) checkExecution(i int, u durable.OperationUpdate) error {
	if u.Action != durable.ActionSucceed && u.Action != durable.ActionFail {
		return fmt.Errorf("invalid action %s for an EXECUTION operation (only SUCCEED and FAIL)", u.Action)
	}
	if i != v.count-1 {
		return errors.New("an EXECUTION update must be the last update of the call, and only one is allowed")
	}
	return nil
}

// checkOccurrence: an Id appears once per call, except a STEP or CONTEXT
// START followed by one non-START update.
func (v *validator) checkOccurrence(u durable.OperationUpdate) error {
	prev := v.seen[u.ID]
	if len(prev) == 0 {
		return nil
	}
	startThenMore := len(prev) == 1 && prev[0] == durable.ActionStart && u.Action != durable.ActionStart &&
		(u.Type == durable.OperationTypeStep || u.Type == durable.OperationTypeContext)
	if startThenMore {
		return nil
	}
	return errors.New("operation appears more than once in the call (only a STEP or CONTEXT START may be followed by one more update)")
}

// state returns the operation as known after the earlier updates of the
// call, or nil if it does not exist yet.
func (v *validator) state(id string) *staged {
	if s, ok := v.ops[id]; ok {
		return s
	}
	rec, ok := v.e.ops[id]
	if !ok {
		return nil
	}
	op := rec.op
	return &staged{typ: op.Type, subType: op.SubType, name: op.Name, parent: op.ParentID, status: op.Status}
}

// checkConsistent: every update repeats the stored Type, SubType, Name and
// ParentId.
func checkConsistent(u durable.OperationUpdate, cur *staged) error {
	if cur == nil {
		return nil
	}
	switch {
	case u.Type != cur.typ:
		return fmt.Errorf("Inconsistent operation type: stored %s, update %s", cur.typ, u.Type)
	case u.SubType != cur.subType:
		return fmt.Errorf("Inconsistent operation subtype: stored %q, update %q", cur.subType, u.SubType)
	case u.Name != cur.name:
		return fmt.Errorf("Inconsistent operation name: stored %q, update %q", cur.name, u.Name)
	case u.ParentID != cur.parent:
		return fmt.Errorf("Inconsistent operation parent: stored %q, update %q", cur.parent, u.ParentID)
	}
	return nil
}

// checkParent: ParentId names a CONTEXT that exists or starts earlier in
// the call.
func (v *validator) checkParent(u durable.OperationUpdate) error {
	if u.ParentID == "" {
		return nil
	}
	p := v.state(u.ParentID)
	if p == nil {
		return fmt.Errorf("parent operation %q does not exist", u.ParentID)
	}
	if p.typ != durable.OperationTypeContext {
		return fmt.Errorf("parent operation %q is a %s, not a CONTEXT", u.ParentID, p.typ)
	}
	return nil
}

// transitions lists, per type and action, the statuses an existing
// operation may be in; an action listed with nil accepts only a new
// operation (protocol §3.4).
var transitions = map[durable.OperationType]map[durable.OperationAction][]durable.OperationStatus{
	durable.OperationTypeContext: {
		durable.ActionStart:   nil,
		durable.ActionSucceed: {durable.StatusStarted},
		durable.ActionFail:    {durable.StatusStarted},
	},
	durable.OperationTypeStep: {
		durable.ActionStart:   {durable.StatusReady},
		durable.ActionSucceed: {durable.StatusStarted, durable.StatusReady},
		durable.ActionFail:    {durable.StatusStarted, durable.StatusReady},
		durable.ActionRetry:   {durable.StatusStarted, durable.StatusReady},
	},
	durable.OperationTypeWait: {
		durable.ActionStart:  nil,
		durable.ActionCancel: {durable.StatusStarted},
	},
	durable.OperationTypeCallback: {
		durable.ActionStart: nil,
	},
	durable.OperationTypeChainedInvoke: {
		durable.ActionStart:  nil,
		durable.ActionCancel: {durable.StatusStarted},
	},
}

func checkTransition(u durable.OperationUpdate, cur *staged) error {
	from, ok := transitions[u.Type][u.Action]
	if !ok {
		return fmt.Errorf("invalid action %s for a %s operation", u.Action, u.Type)
	}
	if cur == nil {
		if u.Action == durable.ActionStart {
			return nil
		}
		return fmt.Errorf("cannot %s operation: it does not exist", u.Action)
	}
	for _, s := range from {
		if cur.status == s {
			return nil
		}
	}
	if u.Action == durable.ActionStart {
		return fmt.Errorf("cannot START operation: it already exists with status %s", cur.status)
	}
	return fmt.Errorf("cannot %s a %s operation in status %s", u.Action, u.Type, cur.status)
}

// checkOptions validates the options a START needs.
func checkOptions(u durable.OperationUpdate) error {
	if u.Action != durable.ActionStart {
		return nil
	}
	switch u.Type {
	case durable.OperationTypeWait:
		if u.WaitOptions == nil || u.WaitOptions.WaitSeconds < 1 || u.WaitOptions.WaitSeconds > maxWaitSeconds {
			return fmt.Errorf("WAIT START requires WaitOptions.WaitSeconds between 1 and %d", maxWaitSeconds)
		}
	case durable.OperationTypeCallback:
		if o := u.CallbackOptions; o != nil && (o.TimeoutSeconds < 0 || o.HeartbeatTimeoutSeconds < 0) {
			return errors.New("CallbackOptions timeouts must not be negative")
		}
	case durable.OperationTypeChainedInvoke:
		if u.ChainedInvokeOptions == nil || u.ChainedInvokeOptions.FunctionName == "" {
			return errors.New("CHAINED_INVOKE START requires ChainedInvokeOptions.FunctionName")
		}
	}
	return nil
}

// stage records the status u leaves its operation in.
func (v *validator) stage(u durable.OperationUpdate) {
	v.seen[u.ID] = append(v.seen[u.ID], u.Action)
	status := map[durable.OperationAction]durable.OperationStatus{
		durable.ActionStart:   durable.StatusStarted,
		durable.ActionSucceed: durable.StatusSucceeded,
		durable.ActionFail:    durable.StatusFailed,
		durable.ActionRetry:   durable.StatusPending,
		durable.ActionCancel:  durable.StatusCancelled,
	}[u.Action]
	v.ops[u.ID] = &staged{typ: u.Type, subType: u.SubType, name: u.Name, parent: u.ParentID, status: status}
}
