package durabletest

import (
	"encoding/json"
	"strconv"

	"github.com/durable-go/durable-go/core/protocol"
)

// encodeEvent writes ev exactly as encoding/json would, without
// reflection: every invocation event carries the whole state, so its
// encoding is most of the runner's own work on long executions.
func encodeEvent(ev *protocol.InvocationEvent) []byte {
	size := 128 + len(ev.DurableExecutionArn) + len(ev.CheckpointToken) + len(ev.InitialExecutionState.NextMarker)
	for i := range ev.InitialExecutionState.Operations {
		size += operationSize(&ev.InitialExecutionState.Operations[i])
	}
	for _, id := range ev.UpdatedOperationIDs {
		size += len(id) + 3
	}
	b := make([]byte, 0, size)
	b = append(b, `{"DurableExecutionArn":`...)
	b = appendString(b, ev.DurableExecutionArn)
	b = append(b, `,"CheckpointToken":`...)
	b = appendString(b, ev.CheckpointToken)
	b = append(b, `,"InitialExecutionState":{"Operations":[`...)
	for i := range ev.InitialExecutionState.Operations {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendOperation(b, &ev.InitialExecutionState.Operations[i])
	}
	b = append(b, ']')
	if m := ev.InitialExecutionState.NextMarker; m != "" {
		b = append(b, `,"NextMarker":`...)
		b = appendString(b, m)
	}
	b = append(b, '}')
	if ids := ev.UpdatedOperationIDs; len(ids) > 0 {
		b = append(b, `,"UpdatedOperationIds":[`...)
		for i, id := range ids {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, id)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// operationSize is about the length of op's JSON: a little more, unless
// strings need escapes.
func operationSize(op *protocol.Operation) int {
	n := 200 + len(op.ID) + len(op.ParentID) + len(op.Name) + len(op.SubType)
	add := func(p *string) {
		if p != nil {
			n += len(*p) + 16
		}
	}
	if d := op.ExecutionDetails; d != nil {
		add(d.InputPayload)
	}
	if d := op.ContextDetails; d != nil {
		add(d.Result)
	}
	if d := op.StepDetails; d != nil {
		add(d.Result)
	}
	if d := op.CallbackDetails; d != nil {
		add(d.Result)
	}
	if d := op.ChainedInvokeDetails; d != nil {
		add(d.Result)
	}
	return n
}

func appendOperation(b []byte, op *protocol.Operation) []byte {
	b = append(b, `{"Id":`...)
	b = appendString(b, op.ID)
	b = appendField(b, "ParentId", op.ParentID)
	b = appendField(b, "Name", op.Name)
	b = append(b, `,"Type":`...)
	b = appendString(b, string(op.Type))
	b = appendField(b, "SubType", op.SubType)
	b = append(b, `,"Status":`...)
	b = appendString(b, string(op.Status))
	b = appendTime(b, "StartTimestamp", op.StartTimestamp)
	b = appendTime(b, "EndTimestamp", op.EndTimestamp)
	if d := op.ExecutionDetails; d != nil {
		b = append(b, `,"ExecutionDetails":{`...)
		b = appendPayload(b, "InputPayload", d.InputPayload, true)
		b = append(b, '}')
	}
	if d := op.ContextDetails; d != nil {
		b = append(b, `,"ContextDetails":{`...)
		first := true
		if d.ReplayChildren {
			b, first = append(b, `"ReplayChildren":true`...), false
		}
		b = appendPayload(b, "Result", d.Result, first)
		b = appendError(b, d.Error, first && d.Result == nil)
		b = append(b, '}')
	}
	if d := op.StepDetails; d != nil {
		b = append(b, `,"StepDetails":{"Attempt":`...)
		b = strconv.AppendInt(b, int64(d.Attempt), 10)
		b = appendTime(b, "NextAttemptTimestamp", d.NextAttemptTimestamp)
		b = appendPayload(b, "Result", d.Result, false)
		b = appendError(b, d.Error, false)
		b = append(b, '}')
	}
	if d := op.WaitDetails; d != nil {
		b = append(b, `,"WaitDetails":{`...)
		if t := d.ScheduledEndTimestamp; t != nil {
			b = append(b, `"ScheduledEndTimestamp":`...)
			b = strconv.AppendInt(b, t.UnixMilli(), 10)
		}
		b = append(b, '}')
	}
	if d := op.CallbackDetails; d != nil {
		b = append(b, `,"CallbackDetails":{`...)
		first := d.CallbackID == ""
		if !first {
			b = append(b, `"CallbackId":`...)
			b = appendString(b, d.CallbackID)
		}
		b = appendPayload(b, "Result", d.Result, first)
		b = appendError(b, d.Error, first && d.Result == nil)
		b = append(b, '}')
	}
	if d := op.ChainedInvokeDetails; d != nil {
		b = append(b, `,"ChainedInvokeDetails":{`...)
		b = appendPayload(b, "Result", d.Result, true)
		b = appendError(b, d.Error, d.Result == nil)
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendField writes an omitempty string field after an earlier one.
func appendField(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

func appendTime(b []byte, key string, t *protocol.Timestamp) []byte {
	if t == nil {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, t.UnixMilli(), 10)
}

// appendPayload writes an omitempty *string field; first says whether it
// is the first field of its object.
func appendPayload(b []byte, key string, v *string, first bool) []byte {
	if v == nil {
		return b
	}
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return appendString(b, *v)
}

func appendError(b []byte, e *protocol.ErrorObject, first bool) []byte {
	if e == nil {
		return b
	}
	if !first {
		b = append(b, ',')
	}
	b = append(b, `"Error":`...)
	return appendJSON(b, e)
}

// appendString writes s as a JSON string: as it is when encoding/json
// would not escape anything in it, through encoding/json otherwise.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return appendJSON(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendJSON(b []byte, v any) []byte {
	enc, err := json.Marshal(v)
	if err != nil {
		panic("durabletest: encoding the invocation event: " + err.Error()) // only plain data inside
	}
	return append(b, enc...)
}
