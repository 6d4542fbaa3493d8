package protocol

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
)

// ErrInvalidEvent reports a Lambda payload that is not a durable invocation
// event (missing ARN or token, malformed JSON, no EXECUTION operation).
var ErrInvalidEvent = errors.New("durable: invalid invocation event")

// APIError is an error answered by the durable execution service.
type APIError struct {
	Operation  string // API name, e.g. "CheckpointDurableExecution"
	Code       string // e.g. "InvalidParameterValueException"
	Message    string
	StatusCode int // HTTP status; 0 when unknown (network errors)
	Err        error
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("durable: ")
	b.WriteString(e.Operation)
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	} else if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.Err }

// Retryable classifies the error as the protocol prescribes (§4.3): KMS
// errors and 4xx other than 429 are terminal, except a stale checkpoint
// token; 429, 5xx, network and unknown errors are retryable.
func (e *APIError) Retryable() bool {
	if strings.HasPrefix(e.Code, "KMS") {
		return false
	}
	if e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusTooManyRequests {
		return e.Code == "InvalidParameterValueException" &&
			strings.HasPrefix(strings.ToLower(e.Message), "invalid checkpoint token")
	}
	return true
}

// IsRetryable reports whether err, from a Service call, should end the
// invocation with a Lambda error so that the service re-invokes (true), or
// fail the execution (false). Errors that do not classify themselves are
// retryable, as the protocol treats unknown errors.
func IsRetryable(err error) bool {
	var r interface{ Retryable() bool }
	if errors.As(err, &r) {
		return r.Retryable()
	}
	return true
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
