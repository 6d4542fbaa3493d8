package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/signal"
	"sort"
	"strings"
	"time"

	"github.com/durable-go/durable-go/cmd/durable-local/internal/server"
	"github.com/durable-go/durable-go/core/durabletest"
)

type lineEvent = server.LogLine

// follow starts an execution of fn and prints its history events as they
// happen until it ends (or the user interrupts).
func (in *instance) follow(fn, input string, progress io.Writer) (*durabletest.Execution, error) {
	changed := make(chan struct{}, 1)
	cancel := in.host.Subscribe(func(string) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	var payload *string
	if input != "" {
		payload = &input
	}
	e, _, err := in.host.Start(fn, "", "", payload, "")
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(progress, "execution %s\n", e.Arn())
	ctx, stop := signal.NotifyContext(context.Background(), shutdownSignals...)
	defer stop()
	printed := 0
	for {
		events := e.History()
		for _, ev := range events[printed:] {
			fmt.Fprintf(progress, "  %s %s\n", ev.EventTimestamp.Format("15:04:05.000"), describeEvent(ev))
			if ev.EventType == durabletest.EventCallbackStarted {
				fmt.Fprintf(progress, "    complete it: durable-local callback -endpoint %s succeed %s <result>\n", in.endpoint, ev.Details.CallbackID)
			}
		}
		printed = len(events)
		if e.Status() != durabletest.ExecutionRunning {
			return e, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			fmt.Fprintln(progress, "interrupted; the execution is still RUNNING")
			return e, nil
		}
	}
}

// View is what `run -json` prints: the execution, its invocations with
// their log lines and the history.
type View struct {
	Arn         string              `json:"arn"`
	Function    string              `json:"function"`
	Status      string              `json:"status"`
	Result      *string             `json:"result,omitempty"`
	Error       any                 `json:"error,omitempty"`
	Invocations []InvocationView    `json:"invocations"`
	History     []durabletest.Event `json:"history"`
}

// InvocationView is one invocation, the operations it replayed and the
// lines its process printed.
type InvocationView struct {
	Index     int       `json:"index"`
	RequestID string    `json:"requestId"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Outcome   string    `json:"outcome"`
	Error     string    `json:"error,omitempty"`
	// Replayed names the operations that had completed before the
	// invocation started: its handler went past them without running
	// them, and their log lines are not printed again.
	Replayed []string            `json:"replayed"`
	Events   []durabletest.Event `json:"-"`
	Logs     []string            `json:"logs"`
}

func buildView(e *durabletest.Execution, lines []server.LogLine) View {
	v := View{Arn: e.Arn(), Function: e.FunctionName(), Status: e.Status(), Result: e.Result(), History: e.History()}
	if err := e.Error(); err != nil {
		v.Error = err
	}
	ops := e.Operations()
	ev := 0
	for _, inv := range e.Invocations() {
		iv := InvocationView{Index: inv.Index, RequestID: inv.RequestID, Start: inv.Start, End: inv.End,
			Outcome: string(inv.Status), Replayed: []string{}, Logs: []string{}}
		if inv.Err != nil {
			iv.Outcome, iv.Error = "CRASHED", inv.Err.Error()
		}
		for _, op := range ops {
			if op.Type != "EXECUTION" && op.EndTimestamp != nil && op.EndTimestamp.Before(inv.Start) && op.ParentID == "" {
				iv.Replayed = append(iv.Replayed, label(string(op.Type), op.Name))
			}
		}
		for ; ev < len(v.History); ev++ {
			iv.Events = append(iv.Events, v.History[ev])
			if v.History[ev].EventType == durabletest.EventInvocationCompleted {
				ev++
				break
			}
		}
		for _, l := range lines {
			if l.RequestID == inv.RequestID {
				iv.Logs = append(iv.Logs, l.Text)
			}
		}
		v.Invocations = append(v.Invocations, iv)
	}
	if len(v.Invocations) > 0 {
		last := &v.Invocations[len(v.Invocations)-1]
		last.Events = append(last.Events, v.History[ev:]...)
	}
	return v
}

func label(typ, name string) string {
	if name == "" {
		return strings.ToLower(typ)
	}
	return strings.ToLower(typ) + " " + name
}

// printTimeline prints a view for a developer: per invocation, what was
// replayed, what happened and what the function printed.
func printTimeline(w io.Writer, v View) {
	fmt.Fprintf(w, "\n%s  %s\n", v.Function, v.Arn)
	for _, iv := range v.Invocations {
		fmt.Fprintf(w, "\n── invocation %d  %s  %s (%s)  %s\n", iv.Index, shortRequest(iv.RequestID),
			iv.Start.Format("15:04:05.000"), iv.End.Sub(iv.Start).Round(time.Millisecond), iv.Outcome)
		if len(iv.Replayed) > 0 {
			fmt.Fprintf(w, "   ↺ replayed, not re-run, logs not repeated: %s\n", strings.Join(iv.Replayed, ", "))
		}
		type entry struct {
			at   time.Time
			text string
		}
		var entries []entry
		for _, ev := range iv.Events {
			if ev.EventType == durabletest.EventInvocationCompleted && ev.Details.Error == nil {
				continue
			}
			entries = append(entries, entry{ev.EventTimestamp, "• " + describeEvent(ev)})
		}
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].at.Before(entries[j].at) })
		for _, e := range entries {
			fmt.Fprintf(w, "   %s\n", e.text)
		}
		for _, l := range iv.Logs {
			fmt.Fprintf(w, "   │ %s\n", logText(l))
		}
		if iv.Error != "" {
			fmt.Fprintf(w, "   ✗ %s\n", strings.ReplaceAll(iv.Error, "\n", "\n     "))
		}
	}
	fmt.Fprintf(w, "\nstatus: %s\n", v.Status)
	if v.Result != nil {
		fmt.Fprintf(w, "result: %s\n", *v.Result)
	}
	if v.Error != nil {
		b, _ := json.Marshal(v.Error)
		fmt.Fprintf(w, "error: %s\n", b)
	}
}

// logText shortens a JSON log line to level, message and its other
// fields.
func logText(line string) string {
	var fields map[string]any
	if json.Unmarshal([]byte(line), &fields) != nil {
		return line
	}
	var b strings.Builder
	level, _ := fields["level"].(string)
	msg, _ := fields["message"].(string)
	if msg == "" {
		msg, _ = fields["msg"].(string)
	}
	fmt.Fprintf(&b, "%-5s %s", level, msg)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		switch k {
		case "level", "message", "msg", "timestamp", "time", "requestId", "executionArn":
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := fmt.Sprint(fields[k])
		if (k == "operationId" || k == "parentId") && len(v) > 8 {
			v = v[:8] // ids are 64 hex digits; the prefix tells them apart
		}
		fmt.Fprintf(&b, " %s=%s", k, v)
	}
	return b.String()
}

func shortRequest(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// describeEvent is one line about a history event.
func describeEvent(ev durabletest.Event) string {
	d := ev.Details
	s := string(ev.EventType)
	if ev.Name != "" {
		s += " " + ev.Name
	}
	switch {
	case d.Result != nil && d.Result.Payload != nil:
		s += " → " + clip(*d.Result.Payload)
	case d.Error != nil && d.Error.Payload != nil:
		s += " ✗ " + d.Error.Payload.ErrorType + ": " + clip(d.Error.Payload.ErrorMessage)
	}
	switch ev.EventType {
	case durabletest.EventWaitStarted:
		s += fmt.Sprintf(" (%ds, until %s)", d.Duration, d.ScheduledEndTimestamp.Format("15:04:05"))
	case durabletest.EventCallbackStarted:
		s += " (callbackId " + d.CallbackID + ")"
	case durabletest.EventChainedInvokeStarted:
		s += " of " + d.FunctionName
	case durabletest.EventStepFailed, durabletest.EventStepSucceeded:
		if r := d.RetryDetails; r != nil {
			s += fmt.Sprintf(" (attempt %d", r.CurrentAttempt)
			if r.NextAttemptDelaySeconds > 0 {
				s += fmt.Sprintf(", retry in %ds", r.NextAttemptDelaySeconds)
			}
			s += ")"
		}
	}
	return s
}

func clip(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}
