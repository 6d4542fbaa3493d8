package durable

import (
	"errors"
	"reflect"
	"strings"
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
	ErrorObject
}

func (e *OperationError) Error() string {
	var b strings.Builder
	b.WriteString(e.ErrorMessage)
	if b.Len() == 0 {
		b.WriteString(e.ErrorObject.ErrorType)
	}
	return b.String()
}

// ErrorType names the error in checkpointed ErrorObjects: the Kind.
func (e *OperationError) ErrorType() string { return e.Kind }

// Object returns the ErrorObject that carries this error through
// checkpoints: the wrapped original error object.
func (e *OperationError) Object() ErrorObject { return e.ErrorObject }

func newOperationError(kind string, o *op, eo *ErrorObject) *OperationError {
	e := &OperationError{Kind: kind, OperationID: o.id, Name: o.name}
	if eo != nil {
		e.ErrorObject = *eo
	}
	return e
}

// ErrorObjectOf converts err into the protocol's ErrorObject: ErrorType is
// err's ErrorType() method when it has one, otherwise its Go type name;
// ErrorData and StackTrace come from ErrorData() string and
// StackTrace() []string methods when present.
func ErrorObjectOf(err error) ErrorObject {
	if err == nil {
		return ErrorObject{}
	}
	eo := ErrorObject{ErrorType: errorTypeName(err), ErrorMessage: err.Error()}
	var d interface{ ErrorData() string }
	if errors.As(err, &d) {
		eo.ErrorData = d.ErrorData()
	}
	var s interface{ StackTrace() []string }
	if errors.As(err, &s) {
		eo.StackTrace = s.StackTrace()
	}
	return eo
}

func errorTypeName(err error) string {
	if t, ok := err.(interface{ ErrorType() string }); ok {
		return t.ErrorType()
	}
	rt := reflect.TypeOf(err)
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	if rt.Name() == "" || rt.PkgPath() == "errors" || rt.PkgPath() == "fmt" {
		return "Error" // errors.New and fmt.Errorf values
	}
	return rt.Name()
}
