// Package console is durable-local's web console: server-rendered pages
// over a server.Source (executions with their status and duration; one
// execution's operations as a tree, its invocations with the log lines
// each printed, its history), a form to start an execution and one to
// complete each open callback, and live updates through Server-Sent
// Events. No build step: html/template and a few lines of JavaScript.
package console

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/durable-go/durable-go/cmd/durable-local/internal/server"
	"github.com/durable-go/durable-go/core/durabletest"
)

//go:embed templates/*.html
var files embed.FS

// Console serves the pages.
type Console struct {
	src   server.Source
	pages *template.Template
}

// New returns the console of src.
func New(src server.Source) *Console {
	funcs := template.FuncMap{
		"clock":  func(t time.Time) string { return formatTime(t) },
		"short":  func(s string) string { return shorten(s, 12) },
		"status": func(s string) string { return strings.ToLower(s) },
		"arnURL": func(arn string) string { return "/execution?arn=" + url.QueryEscape(arn) },
	}
	return &Console{src: src, pages: template.Must(template.New("").Funcs(funcs).ParseFS(files, "templates/*.html"))}
}

// Register adds the console's routes to mux.
func (c *Console) Register(mux interface {
	Handle(pattern string, h http.Handler)
}) {
	mux.Handle("GET /{$}", http.HandlerFunc(c.index))
	mux.Handle("GET /execution", http.HandlerFunc(c.execution))
	mux.Handle("GET /console/events", http.HandlerFunc(c.events))
	mux.Handle("POST /console/start", http.HandlerFunc(c.start))
	mux.Handle("POST /console/callback", http.HandlerFunc(c.callback))
}

type executionRow struct {
	Arn, Function, Name, Status string
	Start                       time.Time
	Duration                    string
}

func row(e *durabletest.Execution, now time.Time) executionRow {
	end := e.EndTime()
	if end.IsZero() {
		end = now // the service clock's, on which StartTime is taken
	}
	return executionRow{Arn: e.Arn(), Function: e.FunctionName(), Name: e.Name(), Status: e.Status(),
		Start: e.StartTime(), Duration: end.Sub(e.StartTime()).Round(time.Millisecond).String()}
}

func (c *Console) index(w http.ResponseWriter, r *http.Request) {
	var rows []executionRow
	execs, now := c.src.Executions(), c.src.Now()
	for i := len(execs) - 1; i >= 0; i-- {
		rows = append(rows, row(execs[i], now))
	}
	fns := c.src.Functions()
	sort.Strings(fns)
	c.render(w, "index.html", map[string]any{"Executions": rows, "Functions": fns, "Error": r.URL.Query().Get("error")})
}

// opNode is an operation with its children, for the tree.
type opNode struct {
	Arn                             string // the execution's
	Type, SubType, Name, Status, ID string
	Details                         []string
	CallbackID                      string // set while the callback is open
	Target                          string // a chained invoke's execution
	Children                        []*opNode
}

type invocationView struct {
	Index              int
	RequestID, Outcome string
	Start              time.Time
	Duration           string
	Error              string
	Lines              []lineView
}

type lineView struct {
	Level, Message, Stream string
	Fields                 []string
}

type eventView struct {
	ID          int
	Time        time.Time
	Type, Name  string
	Details     string
	Operational bool
}

func (c *Console) execution(w http.ResponseWriter, r *http.Request) {
	e, err := c.src.Execution(r.URL.Query().Get("arn"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	history := e.History()
	targets := map[string]string{}
	var events []eventView
	for _, ev := range history {
		if ev.EventType == durabletest.EventChainedInvokeStarted {
			targets[ev.ID] = ev.Details.DurableExecutionArn
		}
		b, _ := json.Marshal(ev)
		var m map[string]json.RawMessage
		_ = json.Unmarshal(b, &m)
		events = append(events, eventView{ID: ev.EventID, Time: ev.EventTimestamp, Type: string(ev.EventType), Name: ev.Name,
			Details: unescaped(m[string(ev.EventType)+"Details"])})
	}
	data := map[string]any{
		"Execution":   row(e, c.src.Now()),
		"Input":       deref(e.Input()),
		"Result":      deref(e.Result()),
		"Error":       errorText(e.Error()),
		"Operations":  c.tree(e, targets),
		"Invocations": c.invocations(e),
		"Events":      events,
		"Running":     e.Status() == durabletest.ExecutionRunning,
		"Invoking":    e.Invoking(), // a stopped execution's last invocation may run on
	}
	if arn, _ := e.InvokedBy(); arn != "" {
		data["Caller"] = arn
	}
	c.render(w, "execution.html", data)
}

func (c *Console) tree(e *durabletest.Execution, targets map[string]string) []*opNode {
	nodes := map[string]*opNode{}
	var roots []*opNode
	for _, op := range e.Operations() {
		if op.Type == "EXECUTION" {
			continue
		}
		n := &opNode{Arn: e.Arn(), Type: string(op.Type), SubType: op.SubType, Name: op.Name, Status: string(op.Status), ID: op.ID, Target: targets[op.ID]}
		if d := op.StepDetails; d != nil {
			n.Details = append(n.Details, fmt.Sprintf("attempts %d", d.Attempt))
			if d.NextAttemptTimestamp != nil {
				n.Details = append(n.Details, "next attempt "+formatTime(d.NextAttemptTimestamp.Time))
			}
			n.Details = appendOutcome(n.Details, d.Result, errorText(d.Error))
		}
		if d := op.WaitDetails; d != nil && d.ScheduledEndTimestamp != nil {
			n.Details = append(n.Details, "until "+formatTime(d.ScheduledEndTimestamp.Time))
		}
		if d := op.CallbackDetails; d != nil {
			n.Details = append(n.Details, "callback id "+d.CallbackID)
			if op.Status == "STARTED" {
				n.CallbackID = d.CallbackID
			}
			n.Details = appendOutcome(n.Details, d.Result, errorText(d.Error))
		}
		if d := op.ContextDetails; d != nil {
			n.Details = appendOutcome(n.Details, d.Result, errorText(d.Error))
		}
		if d := op.ChainedInvokeDetails; d != nil {
			n.Details = appendOutcome(n.Details, d.Result, errorText(d.Error))
		}
		nodes[op.ID] = n
		if p, ok := nodes[op.ParentID]; ok && op.ParentID != "" {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

func appendOutcome(details []string, result *string, errText string) []string {
	if result != nil {
		details = append(details, "result "+shorten(*result, 200))
	}
	if errText != "" {
		details = append(details, "error "+errText)
	}
	return details
}

func (c *Console) invocations(e *durabletest.Execution) []invocationView {
	lines := c.src.Lines(e.Arn())
	byRequest := map[string][]server.LogLine{} // one pass, not one per invocation
	for _, l := range lines {
		byRequest[l.RequestID] = append(byRequest[l.RequestID], l)
	}
	var out []invocationView
	for _, inv := range e.Invocations() {
		out = append(out, c.invocation(inv.Index, inv.RequestID, string(inv.Status), inv.Start, inv.End, inv.Err, byRequest[inv.RequestID]))
	}
	if e.Invoking() {
		// The running invocation is not listed yet; its lines are the
		// ones of no finished invocation.
		done := map[string]bool{}
		for _, inv := range out {
			done[inv.RequestID] = true
		}
		var running []server.LogLine
		var id string
		for _, l := range lines {
			if !done[l.RequestID] {
				running, id = append(running, l), l.RequestID
			}
		}
		out = append(out, c.invocation(len(out)+1, id, "RUNNING", c.src.Now(), time.Time{}, nil, running))
	}
	return out
}

func (c *Console) invocation(index int, requestID, outcome string, start, end time.Time, err error, lines []server.LogLine) invocationView {
	iv := invocationView{Index: index, RequestID: requestID, Outcome: outcome, Start: start}
	if !end.IsZero() {
		iv.Duration = end.Sub(start).Round(time.Millisecond).String()
	}
	if err != nil {
		iv.Outcome, iv.Error = "CRASHED", err.Error()
	}
	for _, l := range lines {
		if l.RequestID != requestID {
			continue
		}
		lv := lineView{Message: l.Message(), Stream: l.Stream}
		lv.Level, _ = l.Fields["level"].(string)
		keys := make([]string, 0, len(l.Fields))
		for k := range l.Fields {
			switch k {
			case "level", "message", "msg", "timestamp", "time", "requestId":
				continue
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			lv.Fields = append(lv.Fields, fmt.Sprintf("%s=%v", k, shortenValue(k, l.Fields[k])))
		}
		iv.Lines = append(iv.Lines, lv)
	}
	return iv
}

// events streams a "change" message each time the execution named by
// ?arn (any execution when absent) changes.
func (c *Console) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	arn := r.URL.Query().Get("arn")
	changed := make(chan struct{}, 1)
	cancel := c.src.Subscribe(func(a string) {
		if arn == "" || a == arn || isChildOf(c.src, a, arn) {
			select {
			case changed <- struct{}{}:
			default:
			}
		}
	})
	defer cancel()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-changed:
			fmt.Fprint(w, "data: change\n\n")
			flusher.Flush()
		}
	}
}

// isChildOf reports whether execution a was started by a chained invoke
// of parent (its changes show on the parent's page).
func isChildOf(src server.Source, a, parent string) bool {
	e, err := src.Execution(a)
	if err != nil {
		return false
	}
	caller, _ := e.InvokedBy()
	return caller == parent
}

func (c *Console) start(w http.ResponseWriter, r *http.Request) {
	fn, input := r.FormValue("function"), strings.TrimSpace(r.FormValue("input"))
	var payload *string
	if input != "" {
		if !json.Valid([]byte(input)) {
			http.Redirect(w, r, "/?error="+url.QueryEscape("the input is not JSON"), http.StatusSeeOther)
			return
		}
		payload = &input
	}
	e, err := c.src.Start(fn, payload)
	if err != nil {
		http.Redirect(w, r, "/?error="+url.QueryEscape(err.Error()), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/execution?arn="+url.QueryEscape(e.Arn()), http.StatusSeeOther)
}

func (c *Console) callback(w http.ResponseWriter, r *http.Request) {
	id, arn := r.FormValue("id"), r.FormValue("arn")
	var err error
	ctx := context.WithoutCancel(r.Context())
	if r.FormValue("action") == "fail" {
		err = c.src.SendCallbackFailure(ctx, id, "CallbackFailed", r.FormValue("result"))
	} else {
		err = c.src.SendCallbackSuccess(ctx, id, []byte(r.FormValue("result")))
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/execution?arn="+url.QueryEscape(arn), http.StatusSeeOther)
}

func (c *Console) render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
	w.Header().Set("X-Frame-Options", "DENY")
	if err := c.pages.ExecuteTemplate(w, name, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.Local()
	if y, m, d := time.Now().Date(); t.Year() != y || t.Month() != m || t.Day() != d {
		return t.Format("2006-01-02 15:04:05.000") // not today's: say which day
	}
	return t.Format("15:04:05.000")
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) { // cut between characters
		n--
	}
	return s[:n] + "…"
}

func shortenValue(key string, v any) string {
	s := fmt.Sprint(v)
	if key == "operationId" || key == "parentId" || key == "executionArn" {
		if i := strings.LastIndex(s, "/"); i >= 0 {
			s = s[i+1:]
		}
		return shorten(s, 8)
	}
	return s
}

// unescaped returns JSON without the \u0026 \u003c \u003e escapes of
// json.Marshal: the template escapes, the page shows & < > as they are.
func unescaped(raw json.RawMessage) string {
	if !bytes.Contains(raw, []byte(`\u00`)) {
		return string(raw) // nothing escaped: spare the re-encoding
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return string(raw)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return string(raw)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// errorText formats an error object (any of the protocol's error
// fields) as "Type: message".
func errorText(e interface{}) string {
	b, err := json.Marshal(e)
	if err != nil || string(b) == "null" {
		return ""
	}
	var m struct{ ErrorType, ErrorMessage string }
	_ = json.Unmarshal(b, &m)
	return strings.TrimPrefix(m.ErrorType+": "+m.ErrorMessage, ": ")
}
