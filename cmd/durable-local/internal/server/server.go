// Package server serves durable-local's HTTP APIs: the durable execution
// REST API of the Lambda service (protocol §4), the Lambda Invoke API
// that starts executions, and the hooks a console builds on (View).
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/durable-go/durable-go/core/durabletest"
)

// Size limits (Lambda's).
const (
	maxInvokePayload      = 6 << 20
	maxAsyncInvokePayload = 1 << 20 // an Event invocation's
	maxCallbackResult     = 256 << 10
	maxRequestBody        = 8 << 20
	maxSyncInvokeWait     = 15 * time.Minute
	defaultListItems      = 100
	maxListItems          = 1000
	defaultHistoryPage    = 100
)

// Server is durable-local's HTTP front end over a durabletest.Host.
type Server struct {
	host *durabletest.Host
	logs *Logs
	mux  *http.ServeMux

	mu      sync.Mutex
	allowed map[string]bool // Host header values this server answers to
	route   func(arn string) (service, bool)
}

// New returns a server for host; logs holds the lines the function
// processes print.
func New(host *durabletest.Host, logs *Logs) *Server {
	s := &Server{host: host, logs: logs, mux: http.NewServeMux(), allowed: map[string]bool{}}
	const d = "/2025-12-01/durable-executions/{arn}"
	s.mux.HandleFunc("POST "+d+"/checkpoint", s.checkpoint)
	s.mux.HandleFunc("GET "+d+"/state", s.state)
	s.mux.HandleFunc("GET "+d+"/history", s.history)
	s.mux.HandleFunc("GET "+d, s.getExecution)
	s.mux.HandleFunc("POST "+d+"/stop", s.stop)
	s.mux.HandleFunc("GET /2025-12-01/durable-executions", s.listAll)
	const c = "/2025-12-01/durable-execution-callbacks/{id}"
	s.mux.HandleFunc("POST "+c+"/succeed", s.callbackSuccess)
	s.mux.HandleFunc("POST "+c+"/fail", s.callbackFailure)
	s.mux.HandleFunc("POST "+c+"/heartbeat", s.callbackHeartbeat)
	s.mux.HandleFunc("GET /2025-12-01/functions/{fn}/durable-executions", s.listByFunction)
	s.mux.HandleFunc("POST /2015-03-31/functions/{fn}/invocations", s.invoke)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, newError(http.StatusNotFound, "UnknownOperationException", "No API at %s %s", r.Method, r.URL.Path))
	})
	return s
}

// Host returns the durable service the server fronts.
func (s *Server) Host() *durabletest.Host { return s.host }

// Logs returns the function log store.
func (s *Server) Logs() *Logs { return s.logs }

// Handle adds a route (a console page, say) behind the same security
// checks as the API.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// AllowHost lets requests whose Host header is hostport through; Listen
// allows the listening address and its loopback aliases itself.
func (s *Server) AllowHost(hostport string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.allowed[strings.ToLower(hostport)] = true
}

// Listen listens on addr (127.0.0.1:9014 if empty) and allows the Host
// names that reach it.
func (s *Server) Listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:9014"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.AllowAddr(ln.Addr())
	return ln, nil
}

// AllowAddr allows the Host names under which a listener bound to addr
// is reached: the address itself and, for loopback, localhost.
func (s *Server) AllowAddr(addr net.Addr) {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return
	}
	s.AllowHost(addr.String())
	if ip := net.ParseIP(host); ip != nil && (ip.IsLoopback() || ip.IsUnspecified()) {
		for _, h := range []string{"localhost", "127.0.0.1", "[::1]"} {
			s.AllowHost(h + ":" + port)
		}
	}
}

// ServeHTTP answers a request after the security checks: the Host must
// be this server's own (DNS rebinding), and a state-changing request must
// not come from another origin (cross-site posts). Refusals are 403.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := s.checkOrigin(r); err != nil {
		writeError(w, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	s.mux.ServeHTTP(w, r)
}

func (s *Server) checkOrigin(r *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.allowed[strings.ToLower(r.Host)] {
		return newError(http.StatusForbidden, codeForbidden, "Host %q is not this server's own", r.Host)
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return newError(http.StatusForbidden, codeForbidden, "cross-site request refused")
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host == "" || !s.allowed[strings.ToLower(u.Host)] {
			return newError(http.StatusForbidden, codeForbidden, "Origin %q is not this server's own", o)
		}
	}
	return nil
}

// readBody reads a request body; too large a body is a 413.
func readBody(r *http.Request, limit int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || len(b) > limit {
		return nil, newError(http.StatusRequestEntityTooLarge, codeTooLarge, "Request must be smaller than %d bytes", limit)
	}
	if err != nil {
		return nil, newError(http.StatusBadRequest, codeInvalidParameter, "reading the request: %v", err)
	}
	return b, nil
}

func decodeJSON(r *http.Request, v any) error {
	b, err := readBody(r, maxRequestBody)
	if err != nil {
		return err
	}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return newError(http.StatusBadRequest, codeInvalidParameter, "Invalid request body: %v", err)
	}
	return nil
}

func intQuery(r *http.Request, key string, def int) (int, error) {
	v := r.URL.Query().Get(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, newError(http.StatusBadRequest, codeInvalidParameter, "%s must be a non-negative integer", key)
	}
	return n, nil
}

func (s *Server) checkpoint(w http.ResponseWriter, r *http.Request) {
	var in checkpointInput
	if err := decodeJSON(r, &in); err != nil {
		writeError(w, err)
		return
	}
	resp, err := s.serviceFor(r.PathValue("arn")).Checkpoint(r.Context(), checkpointRequest(r.PathValue("arn"), in))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, checkpointResponse(resp))
}

func (s *Server) state(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	n, err := intQuery(r, "MaxItems", 0)
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := s.serviceFor(r.PathValue("arn")).GetExecutionState(r.Context(), stateRequest(r.PathValue("arn"), q.Get("CheckpointToken"), q.Get("Marker"), n))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, restState(*st))
}

// pageSize reads MaxItems: defSize when absent, zero or too large.
func pageSize(r *http.Request, defSize int) (int, error) {
	size, err := intQuery(r, "MaxItems", defSize)
	if err != nil {
		return 0, err
	}
	if size == 0 || size > maxListItems {
		size = min(defSize, maxListItems)
	}
	return size, nil
}

func (s *Server) history(w http.ResponseWriter, r *http.Request) {
	e, err := s.host.Execution(r.PathValue("arn"))
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	events := e.History()
	reverse := q.Get("ReverseOrder") == "true"
	if reverse {
		for i, j := 0, len(events)-1; i < j; i, j = i+1, j-1 {
			events[i], events[j] = events[j], events[i]
		}
	}
	size, err := pageSize(r, defaultHistoryPage)
	if err != nil {
		writeError(w, err)
		return
	}
	// A marker is the EventId the next page starts at, not a position: a
	// newest-first listing must not shift while the execution adds events.
	from := 0
	if m := q.Get("Marker"); m != "" {
		id, err := strconv.Atoi(m)
		if err != nil || id < 1 || id > len(events) {
			writeError(w, newError(http.StatusBadRequest, codeInvalidParameter, "Invalid marker %q", m))
			return
		}
		from = id - 1
		if reverse {
			from = len(events) - id
		}
	}
	to := min(from+size, len(events))
	out := historyOutput{Events: []json.RawMessage{}}
	if to < len(events) {
		next := strconv.Itoa(events[to].EventID)
		out.NextMarker = &next
	}
	for _, ev := range events[from:to] {
		if q.Get("IncludeExecutionData") != "true" {
			ev = stripData(ev)
		}
		b, err := json.Marshal(ev)
		if err != nil {
			writeError(w, err)
			return
		}
		out.Events = append(out.Events, b)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getExecution(w http.ResponseWriter, r *http.Request) {
	e, err := s.host.Execution(r.PathValue("arn"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, describe(e, r.URL.Query().Get("IncludeExecutionData") != "false"))
}

func (s *Server) stop(w http.ResponseWriter, r *http.Request) {
	var errObj *errorObject
	if err := decodeJSON(r, &errObj); err != nil {
		writeError(w, err)
		return
	}
	at, err := s.host.Stop(r.PathValue("arn"), errObj)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]*seconds{"StopTimestamp": secondsAt(at)})
}

func (s *Server) callbackSuccess(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(r, maxRequestBody)
	if err == nil && len(b) > maxCallbackResult {
		err = newError(http.StatusRequestEntityTooLarge, codeTooLarge, "Callback result of %d bytes exceeds the limit of %d", len(b), maxCallbackResult)
	}
	if err == nil {
		err = s.host.SendCallbackSuccess(r.Context(), r.PathValue("id"), b)
	}
	answerEmpty(w, err)
}

func (s *Server) callbackFailure(w http.ResponseWriter, r *http.Request) {
	var errObj errorObject
	err := decodeJSON(r, &errObj)
	if err == nil {
		err = s.host.SendCallbackFailure(r.Context(), r.PathValue("id"), errObj)
	}
	answerEmpty(w, err)
}

func (s *Server) callbackHeartbeat(w http.ResponseWriter, r *http.Request) {
	answerEmpty(w, s.host.SendCallbackHeartbeat(r.Context(), r.PathValue("id")))
}

func answerEmpty(w http.ResponseWriter, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

func (s *Server) listAll(w http.ResponseWriter, r *http.Request) {
	s.list(w, r, func(*durabletest.Execution) bool { return true })
}

func (s *Server) listByFunction(w http.ResponseWriter, r *http.Request) {
	fn := r.PathValue("fn")
	if i := strings.LastIndex(fn, ":function:"); i >= 0 {
		fn = fn[i+len(":function:"):]
	}
	fn, qualifier, _ := strings.Cut(fn, ":")
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		qualifier = q
	}
	if !s.known(w, fn) {
		return
	}
	s.list(w, r, func(e *durabletest.Execution) bool {
		return e.FunctionName() == fn && (qualifier == "" || e.Version() == qualifier)
	})
}

// known reports whether fn is a registered function, answering a
// ResourceNotFoundException if not.
func (s *Server) known(w http.ResponseWriter, fn string) bool {
	for _, name := range s.host.Functions() {
		if name == fn {
			return true
		}
	}
	writeError(w, newError(http.StatusNotFound, codeNotFound, "Function not found: %s", fn))
	return false
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, keep func(*durabletest.Execution) bool) {
	q := r.URL.Query()
	statuses := map[string]bool{}
	for _, st := range q["Statuses"] {
		for _, v := range strings.Split(st, ",") {
			statuses[v] = true
		}
	}
	after, before := timeQuery(q.Get("StartedAfter")), timeQuery(q.Get("StartedBefore"))
	var out []executionSummary
	for _, e := range s.host.Executions() {
		sum := summarize(e)
		start := e.StartTime()
		switch {
		case !keep(e),
			q.Get("DurableExecutionName") != "" && e.Name() != q.Get("DurableExecutionName"),
			len(statuses) > 0 && !statuses[sum.Status],
			!after.IsZero() && start.Before(after),
			!before.IsZero() && start.After(before):
			continue
		}
		out = append(out, sum)
	}
	reverse := q.Get("ReverseOrder") == "true"
	listedBefore := func(a, b listKey) bool {
		if a.start != b.start {
			return (a.start < b.start) != reverse
		}
		return a.arn != b.arn && (a.arn < b.arn) != reverse
	}
	sort.Slice(out, func(i, j int) bool { return listedBefore(keyOf(out[i]), keyOf(out[j])) })
	size, err := pageSize(r, defaultListItems)
	if err != nil {
		writeError(w, err)
		return
	}
	// A marker names the execution the next page starts at, not a
	// position: the listing must not shift while executions start.
	from := 0
	if m := q.Get("Marker"); m != "" {
		k, ok := parseListMarker(m)
		if !ok {
			writeError(w, newError(http.StatusBadRequest, codeInvalidParameter, "Invalid marker %q", m))
			return
		}
		from = sort.Search(len(out), func(i int) bool { return !listedBefore(keyOf(out[i]), k) })
	}
	to := min(from+size, len(out))
	var next *string
	if to < len(out) {
		m := keyOf(out[to]).marker()
		next = &m
	}
	writeJSON(w, http.StatusOK, struct {
		DurableExecutions []executionSummary
		NextMarker        *string `json:",omitempty"`
	}{append([]executionSummary{}, out[from:to]...), next})
}

// listKey orders listed executions: by start time, then ARN.
type listKey struct {
	start int64 // Unix milliseconds
	arn   string
}

func keyOf(sum executionSummary) listKey {
	return listKey{time.Time(*sum.StartTimestamp).UnixMilli(), sum.DurableExecutionArn}
}

func (k listKey) marker() string { return strconv.FormatInt(k.start, 10) + " " + k.arn }

func parseListMarker(m string) (listKey, bool) {
	ms, arn, ok := strings.Cut(m, " ")
	start, err := strconv.ParseInt(ms, 10, 64)
	return listKey{start, arn}, ok && err == nil
}

// timeQuery reads a timestamp query parameter: epoch seconds or RFC 3339.
func timeQuery(v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return time.UnixMilli(int64(f * 1000))
	}
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t
}

// invoke is Lambda's Invoke: it starts a durable execution of the
// function. RequestResponse waits for the execution to end and answers
// its result; Event answers 202 at once.
func (s *Server) invoke(w http.ResponseWriter, r *http.Request) {
	limit := maxInvokePayload
	if r.Header.Get("X-Amz-Invocation-Type") == "Event" {
		limit = maxAsyncInvokePayload
	}
	body, err := readBody(r, limit)
	if err != nil {
		writeError(w, err)
		return
	}
	var input *string
	if len(body) > 0 {
		if !json.Valid(body) {
			writeError(w, newError(http.StatusBadRequest, "InvalidRequestContentException", "Could not parse request body into json"))
			return
		}
		in := string(body)
		input = &in
	}
	fn, qualifier, _ := strings.Cut(r.PathValue("fn"), ":")
	if i := strings.LastIndex(r.PathValue("fn"), ":function:"); i >= 0 {
		fn, qualifier, _ = strings.Cut(r.PathValue("fn")[i+len(":function:"):], ":")
	}
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		qualifier = q
	}
	typ := r.Header.Get("X-Amz-Invocation-Type")
	if typ == "DryRun" {
		if s.known(w, fn) {
			w.WriteHeader(http.StatusNoContent)
		}
		return
	}
	done := make(chan struct{}, 1)
	var arn string
	var arnMu sync.Mutex
	cancel := s.host.Subscribe(func(changed string) {
		arnMu.Lock()
		defer arnMu.Unlock()
		if changed == arn {
			select {
			case done <- struct{}{}:
			default:
			}
		}
	})
	defer cancel()
	e, _, err := s.host.Start(fn, qualifier, r.Header.Get("X-Amz-Durable-Execution-Name"), input, r.Header.Get("X-Amz-Tenant-Id"))
	if err != nil {
		writeError(w, err)
		return
	}
	arnMu.Lock()
	arn = e.Arn()
	arnMu.Unlock()
	w.Header().Set("X-Amz-Durable-Execution-Arn", e.Arn())
	w.Header().Set("X-Amz-Executed-Version", e.Version())
	if typ == "Event" {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if err := waitTerminal(r.Context(), e, done); err != nil {
		writeError(w, newError(http.StatusInternalServerError, codeService, "waiting for %s: %v", e.Arn(), err))
		return
	}
	if e.Status() == durabletest.ExecutionSucceeded {
		result := "null"
		if p := e.Result(); p != nil {
			result = *p
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, result)
		return
	}
	w.Header().Set("X-Amz-Function-Error", "Unhandled")
	errObj := e.Error()
	if errObj == nil {
		errObj = &errorObject{ErrorType: "Execution" + e.Status()}
	}
	writeJSON(w, http.StatusOK, map[string]string{"errorType": errObj.ErrorType, "errorMessage": errObj.ErrorMessage})
}

// waitTerminal waits until e leaves RUNNING; done is signalled on each
// change of e.
func waitTerminal(ctx context.Context, e *durabletest.Execution, done <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, maxSyncInvokeWait)
	defer cancel()
	for e.Status() == durabletest.ExecutionRunning {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-done:
		}
	}
	return nil
}
