package durabletest

import (
	"strings"
	"time"
)

// Name returns the execution's name: the DurableExecutionName segment of
// its ARN.
func (e *Execution) Name() string {
	parts := strings.Split(e.Arn(), "/")
	if len(parts) < 3 {
		return ""
	}
	return parts[len(parts)-2]
}

// Version returns the function version (qualifier) the execution runs.
func (e *Execution) Version() string { return e.version }

// TenantID returns the tenant the execution runs for, if any.
func (e *Execution) TenantID() string { return e.tenantID }

// Input returns the execution's input JSON text, nil when it has none.
func (e *Execution) Input() *string {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	return cloneString(e.ops[e.id].op.ExecutionDetails.InputPayload)
}

// StartTime returns when the execution started.
func (e *Execution) StartTime() time.Time {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	return e.ops[e.id].op.StartTimestamp.Time
}

// EndTime returns when the execution ended; the zero time while it runs.
func (e *Execution) EndTime() time.Time {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	if t := e.ops[e.id].op.EndTimestamp; t != nil {
		return t.Time
	}
	return time.Time{}
}

// InvokedBy returns the ARN of the execution whose chained invoke started
// this one, and that operation's id; empty when it was started directly.
func (e *Execution) InvokedBy() (arn, operationID string) {
	if e.caller == nil {
		return "", ""
	}
	return e.caller.exec.Arn(), e.caller.opID
}

// Invoking reports whether an invocation of the execution is running now.
func (e *Execution) Invoking() bool {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	return e.current != nil
}
