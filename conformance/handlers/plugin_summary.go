package handlers

import (
	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// The summary options print the few fields the lifecycle requirements
// (10-1 .. 10-17) name for each hook.

// opFilter selects operations by type and sub-type.
type opFilter func(typ protocol.OperationType, subType string) bool

// ofType selects operations of type typ.
func ofType(typ protocol.OperationType) opFilter {
	return func(t protocol.OperationType, _ string) bool { return t == typ }
}

// ofSubType selects operations of sub-type subType.
func ofSubType(subType string) opFilter {
	return func(_ protocol.OperationType, s string) bool { return s == subType }
}

// anyOp selects every operation.
func anyOp(protocol.OperationType, string) bool { return true }

// orNone is s, or the literal NONE the requirements use for absent values.
func orNone(s string) string {
	if s == "" {
		return "NONE"
	}
	return s
}

// outcome is the shared SUCCEEDED/FAILED token for a success indicator.
func outcome(succeeded bool) string {
	if succeeded {
		return string(protocol.StatusSucceeded)
	}
	return string(protocol.StatusFailed)
}

// only returns rec alone, or nothing when keep is false.
func only(keep bool, rec pluginRecord) []pluginRecord {
	if !keep {
		return nil
	}
	return []pluginRecord{rec}
}

// invocationSummary reports invocation-start {first} and invocation-end
// {first, terminal, status}.
func invocationSummary() recorderOption {
	return func(r *recorder) {
		r.invocationStart = func(i *plugin.InvocationInfo) []pluginRecord {
			return []pluginRecord{{"first": i.IsFirstInvocation}}
		}
		r.invocationEnd = func(i *plugin.InvocationInfo) []pluginRecord {
			return []pluginRecord{{"first": i.IsFirstInvocation, "terminal": i.Terminal(), "status": string(i.Status)}}
		}
	}
}

// operationSummary reports operation-start {op, type, parent} and
// operation-end {op, type, parent, status, result, error} for the
// operations keep selects.
func operationSummary(keep opFilter) recorderOption {
	return func(r *recorder) {
		r.operationStart = func(o *plugin.OperationInfo) []pluginRecord {
			return only(keep(o.Type, o.SubType), pluginRecord{"op": o.ID, "type": string(o.Type), "parent": orNone(o.ParentID)})
		}
		r.operationEnd = func(o *plugin.OperationInfo) []pluginRecord {
			rec := pluginRecord{
				"op": o.ID, "type": string(o.Type), "parent": orNone(o.ParentID), "status": string(o.Status),
				"result": "NONE", "error": "NONE",
			}
			if o.Result != nil {
				rec["result"] = *o.Result
			}
			if o.Error != nil {
				rec["error"] = o.Error.ErrorMessage
			}
			return only(keep(o.Type, o.SubType), rec)
		}
	}
}

// attemptSummary reports attempt-start {n, op} and attempt-end {n, op,
// outcome} for the operations keep selects.
func attemptSummary(keep opFilter) recorderOption {
	return func(r *recorder) {
		r.attemptStart = func(a *plugin.AttemptInfo) []pluginRecord {
			return only(keep(a.Type, a.SubType), pluginRecord{"n": a.Attempt, "op": a.ID})
		}
		r.attemptEnd = func(a *plugin.AttemptInfo) []pluginRecord {
			return only(keep(a.Type, a.SubType), pluginRecord{"n": a.Attempt, "op": a.ID, "outcome": outcome(a.Succeeded)})
		}
	}
}

// functionSummary reports fn-start {op, parent} and fn-end {op, parent,
// outcome} for the user functions keep selects.
func functionSummary(keep opFilter) recorderOption {
	return func(r *recorder) {
		r.functionStart = func(f *plugin.FunctionInfo) []pluginRecord {
			return only(keep(f.Type, f.SubType), pluginRecord{"op": f.ID, "parent": orNone(f.ParentID)})
		}
		r.functionEnd = func(f *plugin.FunctionInfo) []pluginRecord {
			return only(keep(f.Type, f.SubType), pluginRecord{"op": f.ID, "parent": orNone(f.ParentID), "outcome": outcome(f.Succeeded)})
		}
	}
}

// updatedOnInvoke reports, from invocation start, one updated-on-invoke
// record {op, status, first} per operation keep selects among those the
// service updated while the execution was suspended.
func updatedOnInvoke(keep opFilter) recorderOption {
	return func(r *recorder) {
		r.invocationStart = func(i *plugin.InvocationInfo) []pluginRecord {
			var recs []pluginRecord
			for _, o := range i.UpdatedOperations {
				if keep(o.Type, o.SubType) {
					recs = append(recs, pluginRecord{"hook": "updated-on-invoke", "op": o.ID, "status": string(o.Status), "first": i.IsFirstInvocation})
				}
			}
			return recs
		}
	}
}

// bareHooks makes a recorder print a bare record from every
// invocation hook and from the operation and attempt hooks of the
// operations keep selects.
func bareHooks(keep opFilter) recorderOption {
	bare := func(keep bool) []pluginRecord { return only(keep, pluginRecord{}) }
	return func(r *recorder) {
		r.invocationStart = func(*plugin.InvocationInfo) []pluginRecord { return bare(true) }
		r.invocationEnd = func(*plugin.InvocationInfo) []pluginRecord { return bare(true) }
		r.operationStart = func(o *plugin.OperationInfo) []pluginRecord { return bare(keep(o.Type, o.SubType)) }
		r.operationEnd = func(o *plugin.OperationInfo) []pluginRecord { return bare(keep(o.Type, o.SubType)) }
		r.attemptStart = func(a *plugin.AttemptInfo) []pluginRecord { return bare(keep(a.Type, a.SubType)) }
		r.attemptEnd = func(a *plugin.AttemptInfo) []pluginRecord { return bare(keep(a.Type, a.SubType)) }
	}
}
