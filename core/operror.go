package durable

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/durable-go/durable-go/core/protocol"
)

// OperationError is the error a durable operation returns when it failed:
// the checkpointed ErrorObject, identical on the first run and on every
// replay. Kind says which operation failed.
//
// The original Go error of a failed step is not kept across invocations
// (only its type name, message and data are checkpointed); branch on
// ErrorType or on Kind with errors.As.
type OperationError struct {
	Kind        string // "StepError", "ChildContextError", "CallbackError", ...
	OperationID string
	Name        string
	protocol.ErrorObject
}

// Error returns the checkpointed error message, or its type when the
// message is empty.
func (e *OperationError) Error() string {
	var b strings.Builder
	b.WriteString(e.ErrorMessage)
	if b.Len() == 0 {
		b.WriteString(e.ErrorObject.ErrorType)
	}
	return b.String()
}

// Is reports whether target is ErrStepInterrupted or ErrPayloadTooLarge
// and this operation failed with it, so that errors.Is works although the
// original error is not kept across invocations. ErrPayloadTooLarge
// matches the SDK's size error only, not a user's error type that is
// also named PayloadTooLargeError.
func (e *OperationError) Is(target error) bool {
	switch target {
	case ErrStepInterrupted:
		return e.ErrorObject.ErrorType == stepInterrupted{}.ErrorType()
	case ErrPayloadTooLarge:
		return isPayloadSizeObject(&e.ErrorObject)
	}
	return false
}

// ErrorType names the error in checkpointed ErrorObjects: the Kind.
func (e *OperationError) ErrorType() string { return e.Kind }

// Object returns the ErrorObject that carries this error through
// checkpoints: the wrapped original error object.
func (e *OperationError) Object() protocol.ErrorObject { return e.ErrorObject }

func newOperationError(kind string, o *op, eo *protocol.ErrorObject) *OperationError {
	e := &OperationError{Kind: kind, OperationID: o.id, Name: o.name}
	if eo != nil {
		e.ErrorObject = *eo
	}
	return e
}

// recordedFailure is the error of an operation whose record rec ended
// unsuccessfully with eo. Every field of an ErrorObject is optional
// (protocol §1.3) and the service may record none: the error then names
// how the operation ended instead of being blank.
func recordedFailure(kind string, o *op, rec *protocol.Operation, eo *protocol.ErrorObject) *OperationError {
	e := newOperationError(kind, o, eo)
	if e.ErrorMessage == "" && e.ErrorObject.ErrorType == "" {
		e.ErrorMessage = fmt.Sprintf("durable: %s operation %s ended %s without error details", rec.Type, o.id, rec.Status)
	}
	return e
}

// errorObjectOf is protocol.ErrorObjectOf that keeps the ErrorData and
// StackTrace of an *OperationError in err's chain: they are fields of the
// error, not the methods protocol.ErrorObjectOf looks for, and a failure
// re-checkpointed by an enclosing context or the execution must keep
// them (protocol §1.3).
func errorObjectOf(err error) protocol.ErrorObject {
	eo := protocol.ErrorObjectOf(err)
	var oe *OperationError
	if errors.As(err, &oe) {
		if eo.ErrorData == "" {
			eo.ErrorData = oe.ErrorData
		}
		if eo.StackTrace == nil {
			eo.StackTrace = oe.StackTrace
		}
	}
	fitErrorObject(&eo)
	return eo
}

// maxErrorObjectBytes is the service's limit on an update's error: "the
// combined size of all error fields is limited to 1 MB" (API reference,
// OperationUpdate.Error).
const maxErrorObjectBytes = 1 << 20

// fitErrorObject trims an error object over maxErrorObjectBytes, which
// the service would refuse, failing the execution with that refusal
// instead of the error (and never retrying a step that failed with it).
// Stack frames go first, from the last; then the type is cut to 1 KiB,
// and the message and the data share what is left, each cut marked.
// Trimming happens before the error is checkpointed or returned, so the
// code sees the error a replay rebuilds.
func fitErrorObject(eo *protocol.ErrorObject) {
	size := len(eo.ErrorType) + len(eo.ErrorMessage) + len(eo.ErrorData)
	for _, f := range eo.StackTrace {
		size += len(f)
	}
	if size <= maxErrorObjectBytes {
		return
	}
	n := len(eo.StackTrace)
	for n > 0 && size > maxErrorObjectBytes {
		n--
		size -= len(eo.StackTrace[n])
	}
	eo.StackTrace = eo.StackTrace[:n:n] // the caller's frames are not ours to change
	if size <= maxErrorObjectBytes {
		return
	}
	eo.ErrorType = trimTo(eo.ErrorType, 1<<10)
	room := maxErrorObjectBytes - len(eo.ErrorType)
	msg, data := room/2, room-room/2
	if len(eo.ErrorMessage) < msg {
		msg, data = len(eo.ErrorMessage), room-len(eo.ErrorMessage)
	} else if len(eo.ErrorData) < data {
		msg, data = room-len(eo.ErrorData), len(eo.ErrorData)
	}
	eo.ErrorMessage, eo.ErrorData = trimTo(eo.ErrorMessage, msg), trimTo(eo.ErrorData, data)
}

// trimTo cuts the tail of s, at a rune boundary, to at most room bytes, a
// mark of the cut included; it returns "" when the mark does not fit.
func trimTo(s string, room int) string {
	const markRoom = len(" [... -9223372036854775808 bytes trimmed]")
	if len(s) <= room {
		return s
	}
	keep := room - markRoom
	if keep <= 0 {
		return ""
	}
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	return s[:keep] + fmt.Sprintf(" [... %d bytes trimmed]", len(s)-keep)
}
