package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/durable-go/durable-go/core/plugin"
)

// pluginRecord is one JSON line a test plugin prints. A record without a
// "hook" field is printed under the name of the hook that produced it.
type pluginRecord map[string]any

// recorder is the conformance test plugin: it implements every hook
// interface and prints what its configured callbacks return, one JSON
// object per line, stamped with its name and the execution ARN captured at
// invocation start. A nil callback makes its hook silent. A faulty
// recorder panics at the end of every hook, after printing.
type recorder struct {
	plugin.Base
	name   string
	out    io.Writer
	faulty bool

	mu  sync.Mutex // guards arn and serializes writes
	arn string

	invocationStart func(*plugin.InvocationInfo) []pluginRecord
	invocationEnd   func(*plugin.InvocationInfo) []pluginRecord
	operationStart  func(*plugin.OperationInfo) []pluginRecord
	operationEnd    func(*plugin.OperationInfo) []pluginRecord
	attemptStart    func(*plugin.AttemptInfo) []pluginRecord
	attemptEnd      func(*plugin.AttemptInfo) []pluginRecord
	functionStart   func(*plugin.FunctionInfo) []pluginRecord
	functionEnd     func(*plugin.FunctionInfo) []pluginRecord
	change          func(*plugin.OperationChangeInfo) []pluginRecord
}

// recorderOption configures which hooks a recorder reports, and how.
type recorderOption func(*recorder)

// newRecorder returns a recorder named name printing to out.
func newRecorder(name string, out io.Writer, opts ...recorderOption) *recorder {
	r := &recorder{name: name, out: out}
	for _, o := range opts {
		o(r)
	}
	return r
}

// faulty makes every hook panic after printing its records.
func faulty() recorderOption { return func(r *recorder) { r.faulty = true } }

// emit prints recs under hook, then panics if the recorder is faulty.
func (r *recorder) emit(hook string, recs []pluginRecord) {
	r.mu.Lock()
	for _, rec := range recs {
		line := pluginRecord{"plugin": r.name, "hook": hook, "durableExecutionArn": r.arn}
		for k, v := range rec {
			line[k] = v
		}
		b, err := json.Marshal(line)
		if err != nil {
			b, _ = json.Marshal(pluginRecord{"plugin": r.name, "hook": hook, "durableExecutionArn": r.arn, "marshalError": err.Error()})
		}
		_, _ = r.out.Write(append(b, '\n'))
	}
	r.mu.Unlock()
	if r.faulty {
		panic(fmt.Sprintf("%s: %s hook fails on purpose", r.name, hook))
	}
}

// report runs the callback f, if any, on info and emits its records. A
// faulty recorder panics even when f is nil or filters info out.
func report[I any](r *recorder, hook string, f func(I) []pluginRecord, info I) {
	var recs []pluginRecord
	if f != nil {
		recs = f(info)
	}
	r.emit(hook, recs)
}

// OnInvocationStart captures the execution ARN for every later record.
func (r *recorder) OnInvocationStart(_ context.Context, info *plugin.InvocationInfo) {
	r.mu.Lock()
	r.arn = info.ExecutionArn
	r.mu.Unlock()
	report(r, "invocation-start", r.invocationStart, info)
}

// OnInvocationEnd implements plugin.InvocationHook.
func (r *recorder) OnInvocationEnd(_ context.Context, info *plugin.InvocationInfo) {
	report(r, "invocation-end", r.invocationEnd, info)
}

// OnOperationStart implements plugin.OperationHook.
func (r *recorder) OnOperationStart(_ context.Context, info *plugin.OperationInfo) {
	report(r, "operation-start", r.operationStart, info)
}

// OnOperationEnd implements plugin.OperationHook.
func (r *recorder) OnOperationEnd(_ context.Context, info *plugin.OperationInfo) {
	report(r, "operation-end", r.operationEnd, info)
}

// OnAttemptStart implements plugin.AttemptHook.
func (r *recorder) OnAttemptStart(_ context.Context, info *plugin.AttemptInfo) {
	report(r, "attempt-start", r.attemptStart, info)
}

// OnAttemptEnd implements plugin.AttemptHook.
func (r *recorder) OnAttemptEnd(_ context.Context, info *plugin.AttemptInfo) {
	report(r, "attempt-end", r.attemptEnd, info)
}

// OnFunctionStart implements plugin.FunctionHook.
func (r *recorder) OnFunctionStart(_ context.Context, info *plugin.FunctionInfo) {
	report(r, "fn-start", r.functionStart, info)
}

// OnFunctionEnd implements plugin.FunctionHook.
func (r *recorder) OnFunctionEnd(_ context.Context, info *plugin.FunctionInfo) {
	report(r, "fn-end", r.functionEnd, info)
}

// OnOperationChange implements plugin.OperationChangeHook.
func (r *recorder) OnOperationChange(_ context.Context, info *plugin.OperationChangeInfo) {
	report(r, "operation-change", r.change, info)
}
