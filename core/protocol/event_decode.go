package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The invocation event can hold thousands of operations, and decoding it
// with encoding/json's reflection dominated a long replay. fastDecodeEvent
// parses the event's known shape directly. It accepts only what it fully
// understands (exact key spelling, expected value kinds, no duplicate or
// unknown keys); anything else returns errSlowPath and the event is decoded
// by encoding/json, so the result is always what encoding/json would give.
// FuzzDecodeEvent checks that equivalence.

var errSlowPath = errors.New("durable: event needs the general decoder")

type eventParser struct {
	b []byte
	i int
	// opsHint bounds the operation count (occurrences of "Id"), so the
	// operations slice is allocated once instead of grown by copying.
	opsHint int
}

func fastDecodeEvent(b []byte) (*InvocationEvent, error) {
	p := &eventParser{b: b}
	ev := &InvocationEvent{}
	err := p.fields(func(key []byte) error {
		switch string(key) {
		case "DurableExecutionArn":
			return p.str(&ev.DurableExecutionArn)
		case "CheckpointToken":
			return p.str(&ev.CheckpointToken)
		case "InitialExecutionState":
			if !p.null() {
				ev.InitialExecutionState = &ExecutionState{}
				return p.state(ev.InitialExecutionState)
			}
			return nil
		case "UpdatedOperationIds":
			return p.strings(&ev.UpdatedOperationIDs)
		}
		return errSlowPath
	})
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.b) {
		return nil, errSlowPath
	}
	return ev, nil
}

func (p *eventParser) state(s *ExecutionState) error {
	return p.fields(func(key []byte) error {
		switch string(key) {
		case "NextMarker":
			return p.str(&s.NextMarker)
		case "Operations":
			if !p.null() {
				return p.operations(&s.Operations)
			}
			return nil
		}
		return errSlowPath
	})
}

// opParts holds everything one operation points to, so that decoding an
// operation costs one allocation for its parts instead of one per part.
type opParts struct {
	start, end, next, scheduled Timestamp
	exec                        ExecutionDetails
	ctx                         ContextDetails
	step                        StepDetails
	wait                        WaitDetails
	cb                          CallbackDetails
	invoke                      ChainedInvokeDetails
	// payload is where the one payload string an operation usually has
	// lives; a second one gets its own allocation.
	payload     string
	payloadUsed bool
}

func (p *eventParser) operations(ops *[]Operation) error {
	if !p.consume('[') {
		return errSlowPath
	}
	if p.opsHint == 0 {
		p.opsHint = bytes.Count(p.b, []byte(`"Id"`))
	}
	out := make([]Operation, 0, p.opsHint)
	if p.consume(']') {
		*ops = out
		return nil
	}
	for {
		out = append(out, Operation{})
		if err := p.operation(&out[len(out)-1]); err != nil {
			return err
		}
		if p.consume(']') {
			*ops = out
			return nil
		}
		if !p.consume(',') {
			return errSlowPath
		}
	}
}

func (p *eventParser) operation(op *Operation) error {
	parts := &opParts{}
	return p.fields(func(key []byte) error {
		switch string(key) {
		case "Id":
			return p.str(&op.ID)
		case "ParentId":
			return p.str(&op.ParentID)
		case "Name":
			return p.str(&op.Name)
		case "Type":
			return p.enum((*string)(&op.Type))
		case "SubType":
			return p.enum(&op.SubType)
		case "Status":
			return p.enum((*string)(&op.Status))
		case "StartTimestamp":
			return p.timestamp(&op.StartTimestamp, &parts.start)
		case "EndTimestamp":
			return p.timestamp(&op.EndTimestamp, &parts.end)
		case "ExecutionDetails":
			return optional(p, &op.ExecutionDetails, &parts.exec, func(d *ExecutionDetails) error { return p.executionDetails(d, parts) })
		case "ContextDetails":
			return optional(p, &op.ContextDetails, &parts.ctx, func(d *ContextDetails) error { return p.contextDetails(d, parts) })
		case "StepDetails":
			return optional(p, &op.StepDetails, &parts.step, func(d *StepDetails) error { return p.stepDetails(d, &parts.next, parts) })
		case "WaitDetails":
			return optional(p, &op.WaitDetails, &parts.wait, func(d *WaitDetails) error { return p.waitDetails(d, &parts.scheduled) })
		case "CallbackDetails":
			return optional(p, &op.CallbackDetails, &parts.cb, func(d *CallbackDetails) error { return p.callbackDetails(d, parts) })
		case "ChainedInvokeDetails":
			return optional(p, &op.ChainedInvokeDetails, &parts.invoke, func(d *ChainedInvokeDetails) error { return p.invokeDetails(d, parts) })
		}
		return errSlowPath
	})
}

// optional decodes an optional details object into slot and points dst at
// it; null leaves dst nil.
func optional[T any](p *eventParser, dst **T, slot *T, decode func(*T) error) error {
	if p.null() {
		return nil
	}
	*dst = slot
	return decode(slot)
}

// outcome decodes the Result and Error members the details objects share.
func (p *eventParser) outcome(key []byte, result **string, e **ErrorObject, parts *opParts) error {
	switch string(key) {
	case "Result":
		return p.optStr(result, parts)
	case "Error":
		return p.errorObject(e)
	}
	return errSlowPath
}

func (p *eventParser) executionDetails(d *ExecutionDetails, parts *opParts) error {
	return p.fields(func(key []byte) error {
		if string(key) != "InputPayload" {
			return errSlowPath
		}
		return p.optStr(&d.InputPayload, parts)
	})
}

func (p *eventParser) contextDetails(d *ContextDetails, parts *opParts) error {
	return p.fields(func(key []byte) error {
		switch string(key) {
		case "ReplayChildren":
			return p.boolean(&d.ReplayChildren)
		}
		return p.outcome(key, &d.Result, &d.Error, parts)
	})
}

func (p *eventParser) stepDetails(d *StepDetails, next *Timestamp, parts *opParts) error {
	return p.fields(func(key []byte) error {
		switch string(key) {
		case "Attempt":
			return p.integer(&d.Attempt)
		case "NextAttemptTimestamp":
			return p.timestamp(&d.NextAttemptTimestamp, next)
		}
		return p.outcome(key, &d.Result, &d.Error, parts)
	})
}

func (p *eventParser) waitDetails(d *WaitDetails, end *Timestamp) error {
	return p.fields(func(key []byte) error {
		if string(key) != "ScheduledEndTimestamp" {
			return errSlowPath
		}
		return p.timestamp(&d.ScheduledEndTimestamp, end)
	})
}

func (p *eventParser) callbackDetails(d *CallbackDetails, parts *opParts) error {
	return p.fields(func(key []byte) error {
		switch string(key) {
		case "CallbackId":
			return p.str(&d.CallbackID)
		}
		return p.outcome(key, &d.Result, &d.Error, parts)
	})
}

func (p *eventParser) invokeDetails(d *ChainedInvokeDetails, parts *opParts) error {
	return p.fields(func(key []byte) error { return p.outcome(key, &d.Result, &d.Error, parts) })
}

func (p *eventParser) errorObject(dst **ErrorObject) error {
	if p.null() {
		return nil
	}
	e := &ErrorObject{}
	*dst = e
	return p.fields(func(key []byte) error {
		switch string(key) {
		case "ErrorType":
			return p.str(&e.ErrorType)
		case "ErrorMessage":
			return p.str(&e.ErrorMessage)
		case "ErrorData":
			return p.str(&e.ErrorData)
		case "StackTrace":
			return p.strings(&e.StackTrace)
		}
		return errSlowPath
	})
}

// fields walks an object, calling field with each key and the parser at
// its value.
func (p *eventParser) fields(field func(key []byte) error) error {
	var it objIter
	if err := p.open(&it); err != nil {
		return err
	}
	for {
		key, ok, err := p.next(&it)
		if err != nil || !ok {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
	}
}

// objIter walks the keys of one object. Duplicate keys take the slow
// path, whose merging rules are encoding/json's.
type objIter struct {
	seen  [16][]byte
	n     int
	first bool
}

// open consumes the '{' of an object.
func (p *eventParser) open(it *objIter) error {
	if !p.consume('{') {
		return errSlowPath
	}
	it.first = true
	return nil
}

// next returns the next key, with the parser at its value, or ok=false at
// the end of the object.
func (p *eventParser) next(it *objIter) (key []byte, ok bool, err error) {
	if p.consume('}') {
		return nil, false, nil
	}
	if !it.first && !p.consume(',') {
		return nil, false, errSlowPath
	}
	it.first = false
	p.ws()
	key, ok = p.rawString()
	if !ok || !p.consume(':') || it.n == len(it.seen) {
		return nil, false, errSlowPath
	}
	for _, k := range it.seen[:it.n] {
		if string(k) == string(key) {
			return nil, false, errSlowPath
		}
	}
	it.seen[it.n] = key
	it.n++
	p.ws()
	return key, true, nil
}

func (p *eventParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *eventParser) consume(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *eventParser) null() bool {
	p.ws()
	if len(p.b)-p.i >= 4 && string(p.b[p.i:p.i+4]) == "null" {
		p.i += 4
		return true
	}
	return false
}

// rawString returns the contents of a string without escapes or control
// characters; anything else is left to the slow path.
func (p *eventParser) rawString() ([]byte, bool) {
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return nil, false
	}
	start := p.i + 1
	for j := start; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '"':
			p.i = j + 1
			return p.b[start:j], true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// str decodes a string; null leaves dst unchanged, as encoding/json does.
func (p *eventParser) str(dst *string) error {
	if p.null() {
		return nil
	}
	p.ws()
	if raw, ok := p.rawString(); ok {
		*dst = string(raw)
		return nil
	}
	return p.escapedString(dst)
}

// escapedString decodes a string with escapes (common: payloads are JSON
// text inside JSON) through encoding/json, which owns the escape rules.
func (p *eventParser) escapedString(dst *string) error {
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return errSlowPath
	}
	j := p.i + 1
	for ; j < len(p.b); j++ {
		if p.b[j] == '\\' {
			j++
		} else if p.b[j] == '"' {
			break
		}
	}
	if j >= len(p.b) {
		return errSlowPath
	}
	if v, ok := unescapeSimple(p.b[p.i+1 : j]); ok {
		*dst = v
	} else if err := json.Unmarshal(p.b[p.i:j+1], dst); err != nil {
		return errSlowPath
	}
	p.i = j + 1
	return nil
}

// unescapeSimple decodes ASCII string contents whose escapes are the
// single-character ones; \u escapes and non-ASCII text are left to
// encoding/json (ok=false), which owns the UTF-8 and surrogate rules.
func unescapeSimple(raw []byte) (string, bool) {
	var out strings.Builder
	out.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c < 0x20 || c >= 0x80 {
			return "", false
		}
		if c != '\\' {
			out.WriteByte(c)
			continue
		}
		i++
		if i == len(raw) {
			return "", false
		}
		switch raw[i] {
		case '"', '\\', '/':
			out.WriteByte(raw[i])
		case 'b':
			out.WriteByte('\b')
		case 'f':
			out.WriteByte('\f')
		case 'n':
			out.WriteByte('\n')
		case 'r':
			out.WriteByte('\r')
		case 't':
			out.WriteByte('\t')
		default:
			return "", false
		}
	}
	return out.String(), true
}

// optStr decodes an optional string into slot (or a new string when the
// slot is taken) and points dst at it; null leaves dst nil.
func (p *eventParser) optStr(dst **string, parts *opParts) error {
	if p.null() {
		return nil
	}
	s := &parts.payload
	if parts.payloadUsed {
		s = new(string)
	}
	parts.payloadUsed = true
	if err := p.str(s); err != nil {
		return err
	}
	*dst = s
	return nil
}

// enum decodes a protocol enum, sharing the constant's storage when the
// value is a known one.
func (p *eventParser) enum(dst *string) error {
	if p.null() {
		return nil
	}
	p.ws()
	raw, ok := p.rawString()
	if !ok {
		return p.str(dst)
	}
	if v, known := enumValues[string(raw)]; known {
		*dst = v
	} else {
		*dst = string(raw)
	}
	return nil
}

var enumValues = func() map[string]string {
	m := map[string]string{}
	for _, v := range []string{
		string(OperationTypeExecution), string(OperationTypeContext), string(OperationTypeStep),
		string(OperationTypeWait), string(OperationTypeCallback), string(OperationTypeChainedInvoke),
		string(StatusStarted), string(StatusPending), string(StatusReady), string(StatusSucceeded),
		string(StatusFailed), string(StatusCancelled), string(StatusTimedOut), string(StatusStopped),
		SubTypeStep, SubTypeWaitForCondition, SubTypeWait, SubTypeCallback, SubTypeChainedInvoke,
		SubTypeRunInChildContext, SubTypeWaitForCallback, SubTypeMap, SubTypeMapIteration,
		SubTypeParallel, SubTypeParallelBranch,
	} {
		m[v] = v
	}
	return m
}()

func (p *eventParser) strings(dst *[]string) error {
	if p.null() {
		return nil
	}
	if !p.consume('[') {
		return errSlowPath
	}
	out := []string{}
	if !p.consume(']') {
		for {
			var s string
			p.ws()
			if p.null() {
				return errSlowPath
			}
			if err := p.str(&s); err != nil {
				return err
			}
			out = append(out, s)
			if p.consume(']') {
				break
			}
			if !p.consume(',') {
				return errSlowPath
			}
		}
	}
	*dst = out
	return nil
}

func (p *eventParser) boolean(dst *bool) error {
	switch {
	case p.null():
	case len(p.b)-p.i >= 4 && string(p.b[p.i:p.i+4]) == "true":
		*dst, p.i = true, p.i+4
	case len(p.b)-p.i >= 5 && string(p.b[p.i:p.i+5]) == "false":
		*dst, p.i = false, p.i+5
	default:
		return errSlowPath
	}
	return nil
}

// number returns the raw text of a JSON number.
func (p *eventParser) number() ([]byte, bool) {
	start := p.i
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			p.i++
			continue
		}
		break
	}
	return p.b[start:p.i], p.i > start
}

func (p *eventParser) integer(dst *int) error {
	if p.null() {
		return nil
	}
	raw, ok := p.number()
	if !ok || !validNumber(raw) {
		return errSlowPath
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return errSlowPath
	}
	*dst = n
	return nil
}

// timestamp decodes a number (epoch milliseconds) into slot and points dst
// at it; strings and the rest go through Timestamp.UnmarshalJSON via the
// slow path so that errors read the same.
func (p *eventParser) timestamp(dst **Timestamp, slot *Timestamp) error {
	if p.null() {
		return nil
	}
	raw, ok := p.number()
	if !ok || !validNumber(raw) {
		return errSlowPath
	}
	if ms, ok := smallInt(raw); ok {
		slot.Time = time.UnixMilli(ms).UTC() // what UnmarshalJSON computes, without parsing a float
	} else if err := slot.UnmarshalJSON(raw); err != nil {
		return errSlowPath
	}
	*dst = slot
	return nil
}

// smallInt parses a non-negative integer below 9e12 (year 2255 in epoch
// milliseconds), the range in which UnmarshalJSON's float arithmetic
// (milliseconds times 1000 as a float64) is exact.
func smallInt(raw []byte) (int64, bool) {
	if len(raw) == 0 || len(raw) > 13 {
		return 0, false
	}
	var n int64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, n < 9_000_000_000_000
}

// validNumber reports whether raw is a JSON number (RFC 8259 grammar).
func validNumber(raw []byte) bool {
	i := 0
	if i < len(raw) && raw[i] == '-' {
		i++
	}
	switch {
	case i < len(raw) && raw[i] == '0':
		i++
	case i < len(raw) && raw[i] >= '1' && raw[i] <= '9':
		for i < len(raw) && raw[i] >= '0' && raw[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(raw) && raw[i] == '.' {
		i++
		d := i
		for i < len(raw) && raw[i] >= '0' && raw[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(raw) && (raw[i] == 'e' || raw[i] == 'E') {
		i++
		if i < len(raw) && (raw[i] == '+' || raw[i] == '-') {
			i++
		}
		d := i
		for i < len(raw) && raw[i] >= '0' && raw[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(raw)
}
