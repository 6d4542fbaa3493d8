// Package plugin is the interface between durable functions and the
// plugins that observe them for tracing and metrics (see durable.WithPlugins).
// Handler authors register plugins; plugin authors implement them here.
//
// A plugin is a type that embeds Base and implements one or more of the hook
// interfaces (InvocationHook, OperationHook, AttemptHook, FunctionHook,
// OperationChangeHook; for tracers also ContextHook, LogAttrsHook,
// CheckpointHook and InvokeHook). Embedding Base makes the type a Plugin,
// so passing anything else to durable.WithPlugins does not compile. The runtime finds
// the hooks once, by type assertion, so a plugin pays only for what it
// implements; a plugin that implements none of them, or only part of one
// (a misspelled method, a wrong signature, hooks declared on the pointer
// while the value was registered), is rejected when the handler is built:
// the *durable.Function then fails every invocation with an error naming
// the plugin and the problem. Assert the hooks you mean to implement at
// compile time as well:
//
//	var _ plugin.OperationHook = (*Tracer)(nil)
//
// Hooks run synchronously: invocation, attempt and function hooks on the
// goroutine running the user code, operation and operation-change hooks on
// whichever goroutine observed the change (the checkpoint sender for
// completions). A panicking hook is recovered: a plugin never changes an
// execution's outcome nor keeps other plugins from their hooks. The first
// panic of each hook of a plugin type is logged through the SDK's logger
// (the "durable" logger, level ERROR) with the panic value and stack.
// Hooks must be quick and safe for concurrent use.
//
// An info a hook receives (OperationInfo, AttemptInfo, FunctionInfo,
// InvocationInfo, OperationChangeInfo, CheckpointInfo) is the hook's for
// the duration of the call only: the runtime may reuse its memory for later
// calls, so that hooks cost no allocation per operation. A plugin that
// needs an info's values after the call returns copies them (saved :=
// *info), never keeps the pointer. The maps in InvocationInfo and
// OperationChangeInfo are made for the call and may be kept.
package plugin

import (
	"context"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// Plugin is a value durable.WithPlugins accepts: any type that embeds Base.
// It observes executions through the hook interfaces it implements.
type Plugin interface {
	isPlugin()
}

// Base makes a type a Plugin when embedded:
//
//	type Tracer struct {
//		plugin.Base
//		// ...
//	}
//
//	func (t *Tracer) OnOperationStart(ctx context.Context, info *plugin.OperationInfo) {}
//	func (t *Tracer) OnOperationEnd(ctx context.Context, info *plugin.OperationInfo)   {}
//
// Base implements no hook itself.
type Base struct{}

func (Base) isPlugin() {}

// InvocationHook observes invocations: OnInvocationStart before the handler
// code runs, OnInvocationEnd once the invocation's outcome is final.
type InvocationHook interface {
	OnInvocationStart(ctx context.Context, info *InvocationInfo)
	OnInvocationEnd(ctx context.Context, info *InvocationInfo)
}

// OperationHook observes durable operations: OnOperationStart when user
// code starts an operation that has not completed yet (again on replay
// while it is still running), OnOperationEnd once per operation, when this
// invocation observes it terminal (through its own checkpoint, or because
// the service completed it while the execution was suspended), or, for a
// map item or parallel branch that its batch abandoned unfinished, when
// the invocation that completed the batch checkpointed that completion
// (OperationInfo.Abandoned). A call the SDK refuses before checkpointing
// anything (an Invoke input over the service's limit, invalid Map or
// Parallel options) ends at once, FAILED with the error the code gets.
type OperationHook interface {
	OnOperationStart(ctx context.Context, info *OperationInfo)
	OnOperationEnd(ctx context.Context, info *OperationInfo)
}

// AttemptHook observes each executed attempt of a step (or check of a
// wait-for-condition), around the user's function.
type AttemptHook interface {
	OnAttemptStart(ctx context.Context, info *AttemptInfo)
	OnAttemptEnd(ctx context.Context, info *AttemptInfo)
}

// FunctionHook observes the user functions the SDK runs in their own
// context: child-context bodies, map items and parallel branches.
type FunctionHook interface {
	OnFunctionStart(ctx context.Context, info *FunctionInfo)
	OnFunctionEnd(ctx context.Context, info *FunctionInfo)
}

// OperationChangeHook observes state changes: the operations the service
// updated while the execution was suspended (at invocation start) and those
// each checkpoint response changed.
type OperationChangeHook interface {
	OnOperationChange(ctx context.Context, info *OperationChangeInfo)
}

// OperationInfo describes one operation as the invocation sees it.
type OperationInfo struct {
	ID, ParentID, Name string
	Type               protocol.OperationType
	SubType            string
	Status             protocol.OperationStatus // empty before the operation has a record
	StartTimestamp     time.Time
	EndTimestamp       time.Time
	Attempt            int     // STEP: attempts finished
	Result             *string // the checkpointed result, when terminal
	Error              *protocol.ErrorObject
	// IsReplay is true when the operation was found in the checkpointed
	// state the invocation started from.
	IsReplay bool
	// Abandoned is true (OnOperationEnd only) for a map item or parallel
	// branch still unfinished when its batch completed (WithMinSuccessful
	// reached, tolerated failures exceeded): it never ends, and stays
	// STARTED for good. Its end is reported once, by the invocation that
	// completed the batch, after the batch's completion was checkpointed
	// (never on replay), with Status STARTED and the batch's end as
	// EndTimestamp; an item that was being started as its batch completed,
	// and so never got a record, ends as it is refused its start, which
	// may precede the batch's checkpoint. Operations inside it that were
	// still running are not reported.
	Abandoned bool
}

// InvocationInfo describes an invocation, at its start and at its end.
type InvocationInfo struct {
	ExecutionArn, RequestID, TenantID string
	// IsFirstInvocation is true when the execution had no operation yet.
	IsFirstInvocation       bool
	ExecutionStartTimestamp time.Time
	// Operations is every operation in the state, by id: a map made for
	// this call, which a plugin may keep. It is nil when every registered
	// plugin implements OperationsOptOut.
	Operations map[string]OperationInfo
	// CompletedOperations is the number of operations, besides the
	// EXECUTION, that were complete (terminal) in the state the invocation
	// started from: those it replays instead of running.
	CompletedOperations int
	// Input is the execution's input payload (nil when there is none).
	Input *string
	// UpdatedOperations (start only) are the operations the service changed
	// while the execution was suspended: a timer that fired, a callback
	// that completed.
	UpdatedOperations map[string]OperationInfo
	// Status (end only) is the output envelope's status: SUCCEEDED or
	// FAILED when the execution ended, PENDING when it suspended. An
	// invocation that ends with a Lambda error (so that the service
	// re-invokes) reports PENDING with Err set.
	Status protocol.InvocationStatus
	Err    error // end only: why the execution failed, or the Lambda error
}

// Terminal reports whether the invocation ended the execution.
func (i *InvocationInfo) Terminal() bool {
	return i.Status == protocol.InvocationSucceeded || i.Status == protocol.InvocationFailed
}

// AttemptInfo describes one attempt of a step or wait-for-condition check.
type AttemptInfo struct {
	ID, ParentID, Name string
	Type               protocol.OperationType
	SubType            string
	Attempt            int // 1-based
	StartTimestamp     time.Time
	EndTimestamp       time.Time // end only
	IsReplay           bool
	Succeeded          bool  // end only
	Err                error // end only
}

// FunctionInfo describes a user function run in its own context.
type FunctionInfo struct {
	ID, ParentID, Name string
	Type               protocol.OperationType
	SubType            string
	// IsReplayingChildren is true when the function re-runs to rebuild a
	// result that was too large to checkpoint.
	IsReplayingChildren bool
	// Virtual is true for map items and branches run WithFlatNesting:
	// they checkpoint nothing for themselves, and the operations inside
	// have ParentID as their parent id.
	Virtual   bool
	Succeeded bool  // end only
	Err       error // end only: the function's error, or the invocation's when it failed fatally
	// Suspended (end only) is true when the function did not return
	// because its invocation suspended while it waited (a wait, a
	// callback, a retry inside it): it starts again, from its start, in a
	// later invocation, or in the same one for a map item or parallel
	// branch whose wait ends while other items still run. Every start is
	// followed by one end in the same invocation.
	Suspended bool
}

// OperationChangeInfo lists changed operations and the whole state.
type OperationChangeInfo struct {
	ExecutionArn string
	Updated      map[string]OperationInfo
	Operations   map[string]OperationInfo // nil when every plugin implements OperationsOptOut
}

// OperationsOptOut is implemented by a plugin that never reads the
// Operations maps of InvocationInfo and OperationChangeInfo. Building them
// costs an entry per operation in the execution's state at every
// invocation start and end (and change), which adds up for large or long
// executions; when every registered plugin implements OperationsOptOut the
// runtime leaves them nil. It is not a hook: a plugin implementing only
// OperationsOptOut is still rejected.
type OperationsOptOut interface {
	OmitOperations()
}
