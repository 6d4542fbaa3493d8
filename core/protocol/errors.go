package protocol

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Sentinel errors of the protocol, for errors.Is.
var (
	// ErrInvalidEvent reports a Lambda payload that is not a durable
	// invocation event (missing ARN or token, malformed JSON, no EXECUTION
	// operation, an operation of unknown type or an id occurring twice).
	ErrInvalidEvent = errors.New("durable: invalid invocation event")
	// ErrServiceTimeout reports a call to the durable execution service that
	// got no answer within its attempt timeout, repeatedly, until the
	// invocation's deadline was a margin (one second) away. The runtime
	// returns it inside an *APIError; it is retryable (IsRetryable), so the
	// invocation ends with a Lambda error and the service re-invokes the
	// function.
	ErrServiceTimeout = errors.New("durable: the durable execution service did not answer in time")
	// ErrStatePaging reports a GetDurableExecutionState page sequence that
	// does not end: a NextMarker the service already returned comes back
	// again. Following it would page forever, so loading the state stops
	// with this error instead. The invocation ends with a Lambda error (the
	// service's fault, not the handler's), so the service may re-invoke.
	ErrStatePaging = errors.New("durable: execution state paging does not end")
)

// APIError is an error answered by the durable execution service.
type APIError struct {
	Operation  string // API name, e.g. "CheckpointDurableExecution"
	Code       string // e.g. "InvalidParameterValueException"
	Message    string
	StatusCode int // HTTP status; 0 when unknown (network errors)
	Err        error
}

// Error names the failed API operation, its status and the service's message.
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

// Unwrap returns the transport or decoding error underneath, if any.
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
//
// These methods belong to the caller's error types, and one that panics
// (typically a method of a nil pointer returned as a non-nil error, the
// classic typed-nil mistake) does not panic here: the message is then what
// fmt prints for err ("<nil>" for a nil pointer) and the other members are
// left out, so the error still fails the execution instead of panicking
// the invocation, which Lambda would retry forever.
func ErrorObjectOf(err error) ErrorObject {
	if err == nil {
		return ErrorObject{}
	}
	eo := ErrorObject{ErrorType: errorTypeName(err)}
	var ok bool
	if eo.ErrorMessage, ok = callErrorMethod(err.Error); !ok {
		eo.ErrorMessage = fmt.Sprint(err)
	}
	var d interface{ ErrorData() string }
	if errors.As(err, &d) {
		eo.ErrorData, _ = callErrorMethod(d.ErrorData)
	}
	var s interface{ StackTrace() []string }
	if errors.As(err, &s) {
		eo.StackTrace, _ = callErrorMethod(s.StackTrace)
	}
	eo.ErrorType, eo.ErrorMessage, eo.ErrorData = storable(eo.ErrorType), storable(eo.ErrorMessage), storable(eo.ErrorData)
	copied := false // the caller's slice is not ours to change
	for i, f := range eo.StackTrace {
		if g := storable(f); g != f {
			if !copied {
				eo.StackTrace, copied = append([]string(nil), eo.StackTrace...), true
			}
			eo.StackTrace[i] = g
		}
	}
	return eo
}

// storable returns s as the durable service stores it: the API carries
// strings as JSON, and the AWS client replaces each byte that is not UTF-8
// with U+FFFD. Making the same replacement here keeps an error that a
// first run raises identical to the one a replay rebuilds from the
// stored record.
func storable(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}

// callErrorMethod calls a method of a caller's error, answering ok=false
// (and the zero value) when it panics.
func callErrorMethod[T any](m func() T) (v T, ok bool) {
	defer func() {
		if recover() != nil {
			var zero T
			v, ok = zero, false
		}
	}()
	return m(), true
}

func errorTypeName(err error) string {
	if t, ok := err.(interface{ ErrorType() string }); ok {
		if name, ok := callErrorMethod(t.ErrorType); ok {
			return name
		}
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
