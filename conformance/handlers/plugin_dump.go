package handlers

import (
	"time"

	"github.com/durable-go/durable-go/core/plugin"
)

// The dump options print canonical dumps of hook infos (10-19 .. 10-22):
// every field the info type exposes under its camelCase name, unset fields
// omitted, maps as <name>Count, timestamps as RFC 3339, errors as their
// message.

// setString sets rec[key] to s unless s is empty.
func setString(rec pluginRecord, key, s string) {
	if s != "" {
		rec[key] = s
	}
}

// setTime sets rec[key] to t in RFC 3339 unless t is zero.
func setTime(rec pluginRecord, key string, t time.Time) {
	if !t.IsZero() {
		rec[key] = t.UTC().Format(time.RFC3339Nano)
	}
}

// setError sets rec[key] to err's message unless err is nil.
func setError(rec pluginRecord, key string, err error) {
	if err != nil {
		rec[key] = err.Error()
	}
}

// setCount sets rec[key] to the size of m unless m is nil.
func setCount(rec pluginRecord, key string, m map[string]plugin.OperationInfo) {
	if m != nil {
		rec[key] = len(m)
	}
}

// invocationDump is the canonical dump of an invocation info; terminal is
// added at the end, where the status is set.
func invocationDump(i *plugin.InvocationInfo) pluginRecord {
	rec := pluginRecord{"isFirstInvocation": i.IsFirstInvocation}
	setString(rec, "executionArn", i.ExecutionArn)
	setString(rec, "requestId", i.RequestID)
	setString(rec, "tenantId", i.TenantID)
	setTime(rec, "executionStartTimestamp", i.ExecutionStartTimestamp)
	setCount(rec, "operationsCount", i.Operations)
	setCount(rec, "updatedOperationsCount", i.UpdatedOperations)
	if i.Status != "" {
		rec["status"] = string(i.Status)
		rec["terminal"] = i.Terminal()
	}
	setError(rec, "executionError", i.Err)
	return rec
}

// operationDump is the canonical dump of an operation info.
func operationDump(o *plugin.OperationInfo) pluginRecord {
	rec := pluginRecord{"id": o.ID, "isReplay": o.IsReplay}
	setString(rec, "name", o.Name)
	setString(rec, "type", string(o.Type))
	setString(rec, "subType", o.SubType)
	setString(rec, "parentId", o.ParentID)
	setString(rec, "status", string(o.Status))
	setTime(rec, "startTimestamp", o.StartTimestamp)
	setTime(rec, "endTimestamp", o.EndTimestamp)
	if o.Attempt != 0 {
		rec["attempt"] = o.Attempt
	}
	if o.Result != nil {
		rec["result"] = *o.Result
	}
	if o.Error != nil {
		rec["error"] = o.Error.ErrorMessage
	}
	return rec
}

// attemptDump is the canonical dump of an attempt info; end reports
// whether it is the attempt-end info, which alone carries an outcome.
func attemptDump(a *plugin.AttemptInfo, end bool) pluginRecord {
	rec := pluginRecord{"id": a.ID, "attempt": a.Attempt, "isReplay": a.IsReplay}
	setString(rec, "name", a.Name)
	setString(rec, "type", string(a.Type))
	setString(rec, "subType", a.SubType)
	setString(rec, "parentId", a.ParentID)
	setTime(rec, "startTimestamp", a.StartTimestamp)
	setTime(rec, "endTimestamp", a.EndTimestamp)
	if end {
		rec["outcome"] = outcome(a.Succeeded)
	}
	setError(rec, "error", a.Err)
	return rec
}

// invocationDumps dumps both invocation hooks' infos.
func invocationDumps() recorderOption {
	return func(r *recorder) {
		dump := func(i *plugin.InvocationInfo) []pluginRecord { return []pluginRecord{invocationDump(i)} }
		r.invocationStart, r.invocationEnd = dump, dump
	}
}

// operationDumps dumps both operation hooks' infos for the operations keep
// selects.
func operationDumps(keep opFilter) recorderOption {
	return func(r *recorder) {
		dump := func(o *plugin.OperationInfo) []pluginRecord { return only(keep(o.Type, o.SubType), operationDump(o)) }
		r.operationStart, r.operationEnd = dump, dump
	}
}

// attemptDumps dumps both attempt hooks' infos for the operations keep
// selects.
func attemptDumps(keep opFilter) recorderOption {
	return func(r *recorder) {
		r.attemptStart = func(a *plugin.AttemptInfo) []pluginRecord {
			return only(keep(a.Type, a.SubType), attemptDump(a, false))
		}
		r.attemptEnd = func(a *plugin.AttemptInfo) []pluginRecord {
			return only(keep(a.Type, a.SubType), attemptDump(a, true))
		}
	}
}

// changeDumps dumps each item of an operation-change delta that keep
// selects, with the change's own fields and whether the item is also in
// the full operations map.
func changeDumps(keep opFilter) recorderOption {
	return func(r *recorder) {
		r.change = func(c *plugin.OperationChangeInfo) []pluginRecord {
			var recs []pluginRecord
			for id, o := range c.Updated {
				if !keep(o.Type, o.SubType) {
					continue
				}
				rec := operationDump(&o)
				_, inFull := c.Operations[id]
				rec["inFullMap"] = inFull
				setString(rec, "executionArn", c.ExecutionArn)
				setCount(rec, "updatedOperationsCount", c.Updated)
				setCount(rec, "operationsCount", c.Operations)
				recs = append(recs, rec)
			}
			return recs
		}
	}
}
