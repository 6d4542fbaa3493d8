package plugin

import (
	"context"
	"log/slog"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// The optional hooks below let a tracing plugin (such as plugins/otel) put
// its spans where user code and loggers see them, observe checkpoint calls
// and carry trace context to chained invokes. The runtime discovers them
// like the other hooks, by type assertion.

// ContextHook lets a plugin derive the Go context that user code sees
// (durable.Context.Context, durable.StepContext.Context) and that the hooks
// of the work inside receive: a tracer returns ctx carrying the scope's
// span, so the user's HTTP clients and loggers pick it up. Each method gets
// the enclosing scope's context and returns the one to use; returning ctx
// changes nothing, nil is read as ctx. With several ContextHooks each
// derives from the previous one's result.
//
// Which context each hook receives: OnInvocationStart the Lambda context;
// OnInvocationEnd, OnOperationEnd, OnOperationChange and OnCheckpoint the
// invocation's derived context; OnOperationStart, OnAttemptStart and
// OnFunctionStart the enclosing Context's; OnAttemptEnd and OnFunctionEnd
// the context derived for that attempt or function.
type ContextHook interface {
	// InvocationContext derives the handler's root context, after
	// OnInvocationStart.
	InvocationContext(ctx context.Context, info *InvocationInfo) context.Context
	// FunctionContext derives the context of a child-context body, map
	// item or parallel branch, after OnFunctionStart.
	FunctionContext(ctx context.Context, info *FunctionInfo) context.Context
	// AttemptContext derives the context of a step attempt or
	// wait-for-condition check, after OnAttemptStart.
	AttemptContext(ctx context.Context, info *AttemptInfo) context.Context
}

// LogAttrsHook lets a plugin add fields to the enrichment of the replay-
// aware loggers (durable.Context.Logger, durable.StepContext.Logger), such
// as the trace and span ids of the scope. LogAttrs is called at most once
// per scope (the invocation's root context, each child context, map item or
// branch, each step attempt), when the scope first logs, with the scope's
// Go context as ContextHooks derived it; the attrs then go out after the
// SDK's own fields with every line of the scope, through every logger.
type LogAttrsHook interface {
	LogAttrs(ctx context.Context) []slog.Attr
}

// CheckpointHook observes every checkpoint call the invocation makes.
type CheckpointHook interface {
	OnCheckpoint(ctx context.Context, info *CheckpointInfo)
}

// CheckpointInfo describes one checkpoint call, after it returned.
type CheckpointInfo struct {
	ExecutionArn string
	// Updates are the operation updates sent in the call: read only, and
	// valid only until OnCheckpoint returns (the runtime reuses the slice).
	Updates  []protocol.OperationUpdate
	Duration time.Duration
	Err      error // the call's error, nil when it succeeded
}

// InvokeHook lets a plugin amend the input payload of a chained invoke
// before it is checkpointed and sent to the target function, e.g. to carry
// trace context. It runs when the invoke starts, never on replay; payload
// is the serialized input (JSON unless durable.WithPayloadSerdes says
// otherwise). ctx is the enclosing Context's.
type InvokeHook interface {
	InvokePayload(ctx context.Context, info *OperationInfo, payload string) string
}
