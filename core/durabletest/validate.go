package durabletest

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/durable-go/durable-go/core/protocol"
)

// Size limits of update payloads (protocol §3.4; the API documentation's
// values, which are looser than the Python emulator's 32 KiB for errors).
const (
	maxPayloadBytes          = 1 << 20
	maxExecutionPayloadBytes = 6 << 20
	maxErrorBytes            = 1 << 20
	maxCallbackResultBytes   = 256 << 10 // SendDurableExecutionCallbackSuccess (protocol §4.1)
	maxIDLength              = 64
	maxNameLength            = 256
)

// staged is what validation knows of an operation: its stored record as
// changed by the earlier updates of the same call.
type staged struct {
	typ     protocol.OperationType
	subType string
	name    string
	parent  string
	status  protocol.OperationStatus
	// the call's updates of the operation so far: how many, and whether
	// the first was a START
	seen       int
	firstStart bool
}

// validator checks one checkpoint call's updates against the rules of
// protocol §3.4 before any of them is applied: a call is all or nothing.
type validator struct {
	e     *Execution
	ops   map[string]staged
	count int
	// cur and parent hold what state returns for an update and its parent
	cur, parent staged
}

// validateUpdates returns an InvalidParameterValueException APIError for
// the first update that breaks a rule. v is reused from call to call: its
// map keeps its room.
func (v *validator) validateUpdates(e *Execution, updates []protocol.OperationUpdate) error {
	if v.ops == nil {
		v.ops = map[string]staged{}
	}
	defer clear(v.ops)
	v.e, v.count = e, len(updates)
	for i := range updates {
		u := &updates[i]
		if err := v.check(i, u); err != nil {
			return invalidParameter(apiCheckpoint, "%s (update %d: %s %s of operation %q)", err, i, u.Action, u.Type, u.ID)
		}
	}
	return nil
}

func (v *validator) check(i int, u *protocol.OperationUpdate) error {
	if err := checkShape(u); err != nil {
		return err
	}
	if err := checkPayloads(u); err != nil {
		return err
	}
	if u.Type == protocol.OperationTypeExecution {
		return v.checkExecution(i, u)
	}
	if err := v.checkOccurrence(u); err != nil {
		return err
	}
	cur, stagedCur := v.state(u.ID, &v.cur)
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
	v.stage(u, cur, stagedCur)
	return nil
}

// checkShape validates the fields every update has.
func checkShape(u *protocol.OperationUpdate) error {
	if !validID(u.ID) {
		return fmt.Errorf("invalid operation Id: must be 1-%d characters of [a-zA-Z0-9-_]", maxIDLength)
	}
	switch u.Type {
	case protocol.OperationTypeExecution, protocol.OperationTypeContext, protocol.OperationTypeStep,
		protocol.OperationTypeWait, protocol.OperationTypeCallback, protocol.OperationTypeChainedInvoke:
	default:
		return fmt.Errorf("unknown operation Type %q", u.Type)
	}
	switch u.Action {
	case protocol.ActionStart, protocol.ActionSucceed, protocol.ActionFail, protocol.ActionRetry, protocol.ActionCancel:
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
func checkPayloads(u *protocol.OperationUpdate) error {
	switch {
	case u.Action == protocol.ActionFail && u.Payload != nil:
		return errors.New("FAIL must not carry Payload")
	case u.Action == protocol.ActionSucceed && u.Error != nil:
		return errors.New("SUCCEED must not carry Error")
	case u.Action == protocol.ActionRetry && u.StepOptions == nil:
		return errors.New("RETRY requires StepOptions")
	case u.Action == protocol.ActionRetry && u.Payload != nil && u.Error != nil:
		return errors.New("RETRY carries Error or Payload, not both")
	case u.Action == protocol.ActionRetry && u.StepOptions.NextAttemptDelaySeconds < 0:
		return errors.New("StepOptions.NextAttemptDelaySeconds must not be negative")
	}
	limit := maxPayloadBytes
	if u.Type == protocol.OperationTypeExecution {
		limit = maxExecutionPayloadBytes
	}
	if u.Payload != nil && len(*u.Payload) > limit {
		return fmt.Errorf("Payload of %d bytes exceeds the limit of %d", len(*u.Payload), limit)
	}
	if u.Payload != nil && !utf8.ValidString(*u.Payload) {
		// The API carries payloads as JSON strings: what is not UTF-8
		// cannot reach it unchanged (core's AWS client path refuses it
		// before sending).
		return errors.New("Payload is not UTF-8 text")
	}
	if n := errorSize(u.Error); n > maxErrorBytes {
		return fmt.Errorf("Error of %d bytes exceeds the limit of %d", n, maxErrorBytes)
	}
	return nil
}

func errorSize(e *protocol.ErrorObject) int {
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
func (v *validator) checkExecution(i int, u *protocol.OperationUpdate) error {
	if u.Action != protocol.ActionSucceed && u.Action != protocol.ActionFail {
		return fmt.Errorf("invalid action %s for an EXECUTION operation (only SUCCEED and FAIL)", u.Action)
	}
	if i != v.count-1 {
		return errors.New("an EXECUTION update must be the last update of the call, and only one is allowed")
	}
	return nil
}

// checkOccurrence: an Id appears once per call, except a STEP or CONTEXT
// START followed by one non-START update.
func (v *validator) checkOccurrence(u *protocol.OperationUpdate) error {
	prev, ok := v.ops[u.ID]
	if !ok {
		return nil
	}
	startThenMore := prev.seen == 1 && prev.firstStart && u.Action != protocol.ActionStart &&
		(u.Type == protocol.OperationTypeStep || u.Type == protocol.OperationTypeContext)
	if startThenMore {
		return nil
	}
	return errors.New("operation appears more than once in the call (only a STEP or CONTEXT START may be followed by one more update)")
}

// state returns the operation as known after the earlier updates of the
// call, or nil if it does not exist yet; staged says whether an earlier
// update of the call staged it.
// It fills and returns buf, so that nothing is allocated.
func (v *validator) state(id string, buf *staged) (s *staged, isStaged bool) {
	if s, ok := v.ops[id]; ok {
		*buf = s
		return buf, true
	}
	rec, ok := v.e.ops[id]
	if !ok {
		return nil, false
	}
	op := &rec.op
	*buf = staged{typ: op.Type, subType: op.SubType, name: op.Name, parent: op.ParentID, status: op.Status}
	return buf, false
}

// checkConsistent: every update repeats the stored Type, SubType, Name and
// ParentId.
func checkConsistent(u *protocol.OperationUpdate, cur *staged) error {
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
func (v *validator) checkParent(u *protocol.OperationUpdate) error {
	if u.ParentID == "" {
		return nil
	}
	p, _ := v.state(u.ParentID, &v.parent)
	if p == nil {
		return fmt.Errorf("parent operation %q does not exist", u.ParentID)
	}
	if p.typ != protocol.OperationTypeContext {
		return fmt.Errorf("parent operation %q is a %s, not a CONTEXT", u.ParentID, p.typ)
	}
	return nil
}

// transitions lists, per type and action, the statuses an existing
// operation may be in; an action listed with nil accepts only a new
// operation (protocol §3.4).
var transitions = map[protocol.OperationType]map[protocol.OperationAction][]protocol.OperationStatus{
	protocol.OperationTypeContext: {
		protocol.ActionStart:   nil,
		protocol.ActionSucceed: {protocol.StatusStarted},
		protocol.ActionFail:    {protocol.StatusStarted},
	},
	protocol.OperationTypeStep: {
		protocol.ActionStart:   {protocol.StatusReady},
		protocol.ActionSucceed: {protocol.StatusStarted, protocol.StatusReady},
		protocol.ActionFail:    {protocol.StatusStarted, protocol.StatusReady},
		protocol.ActionRetry:   {protocol.StatusStarted, protocol.StatusReady},
	},
	protocol.OperationTypeWait: {
		protocol.ActionStart:  nil,
		protocol.ActionCancel: {protocol.StatusStarted},
	},
	protocol.OperationTypeCallback: {
		protocol.ActionStart: nil,
	},
	protocol.OperationTypeChainedInvoke: {
		protocol.ActionStart:  nil,
		protocol.ActionCancel: {protocol.StatusStarted},
	},
}

func checkTransition(u *protocol.OperationUpdate, cur *staged) error {
	from, ok := transitions[u.Type][u.Action]
	if !ok {
		return fmt.Errorf("invalid action %s for a %s operation", u.Action, u.Type)
	}
	if cur == nil {
		if u.Action == protocol.ActionStart {
			return nil
		}
		return fmt.Errorf("cannot %s operation: it does not exist", u.Action)
	}
	for _, s := range from {
		if cur.status == s {
			return nil
		}
	}
	if u.Action == protocol.ActionStart {
		return fmt.Errorf("cannot START operation: it already exists with status %s", cur.status)
	}
	return fmt.Errorf("cannot %s a %s operation in status %s", u.Action, u.Type, cur.status)
}

// checkOptions validates the options a START needs.
func checkOptions(u *protocol.OperationUpdate) error {
	if u.Action != protocol.ActionStart {
		return nil
	}
	switch u.Type {
	case protocol.OperationTypeWait:
		if u.WaitOptions == nil || u.WaitOptions.WaitSeconds < 1 || u.WaitOptions.WaitSeconds > maxWaitSeconds {
			return fmt.Errorf("WAIT START requires WaitOptions.WaitSeconds between 1 and %d", maxWaitSeconds)
		}
	case protocol.OperationTypeCallback:
		if o := u.CallbackOptions; o != nil && (o.TimeoutSeconds < 0 || o.HeartbeatTimeoutSeconds < 0) {
			return errors.New("CallbackOptions timeouts must not be negative")
		}
	case protocol.OperationTypeChainedInvoke:
		if u.ChainedInvokeOptions == nil || u.ChainedInvokeOptions.FunctionName == "" {
			return errors.New("CHAINED_INVOKE START requires ChainedInvokeOptions.FunctionName")
		}
	}
	return nil
}

// stage records the status u leaves its operation in. cur is the
// operation as state returned it (nil for a new one); isStaged says whether
// the call staged it before.
func (v *validator) stage(u *protocol.OperationUpdate, cur *staged, isStaged bool) {
	var status protocol.OperationStatus
	switch u.Action {
	case protocol.ActionStart:
		status = protocol.StatusStarted
	case protocol.ActionSucceed:
		status = protocol.StatusSucceeded
	case protocol.ActionFail:
		status = protocol.StatusFailed
	case protocol.ActionRetry:
		status = protocol.StatusPending
	case protocol.ActionCancel:
		status = protocol.StatusCancelled
	}
	next := staged{typ: u.Type, subType: u.SubType, name: u.Name, parent: u.ParentID, status: status,
		seen: 1, firstStart: u.Action == protocol.ActionStart}
	if isStaged {
		next.seen, next.firstStart = cur.seen+1, cur.firstStart
	}
	v.ops[u.ID] = next
}
