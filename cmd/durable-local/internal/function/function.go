// Package function runs a Lambda function binary locally: it serves the
// Lambda Runtime API (2018-06-01) for each sandbox of that function on
// its own loopback port, starts the binary as a child process with
// AWS_LAMBDA_RUNTIME_API pointing at it, keeps the process warm across
// invocations and starts a new one after a crash or a timeout. Like
// Lambda, it runs concurrent invocations in sandboxes of their own.
//
// A Function is a durabletest.Handler: the durable service hands it an
// invocation event and gets the function's response back, or an error
// describing how the invocation failed (the function's own error, a
// crash with its exit status and the end of its output, a timeout).
package function

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Config describes one function.
type Config struct {
	Name    string
	Binary  string   // path of the executable
	Env     []string // extra KEY=VALUE pairs for the process
	Timeout time.Duration
	// Dir is the function's code directory, Lambda's /var/task: the
	// process's working directory, LAMBDA_TASK_ROOT and
	// LAMBDA_RUNTIME_DIR. Empty means the directory holding Binary.
	Dir string
	// MemorySize is the memory the function is configured with, in MB
	// (AWS_LAMBDA_FUNCTION_MEMORY_SIZE): 0 means DefaultMemorySize,
	// anything else must be in Lambda's range (MinMemorySize to
	// MaxMemorySize). durable-local does not limit the process to it.
	MemorySize int
	// Endpoint is the durable service's URL (AWS_ENDPOINT_URL_LAMBDA).
	Endpoint string
	// Output receives every line the process prints, with the request id
	// and execution ARN of the invocation it printed it during (empty
	// between invocations). As in Lambda, whose log stream gets both, the
	// process's stdout and stderr are one pipe, so lines come in the
	// order the process wrote them and stream is always OutputStream.
	Output func(arn, requestID, stream, line string)
}

// OutputStream is the stream Config.Output names for every line: the
// process's stdout and stderr, one stream.
const OutputStream = "output"

// DefaultTimeout is the function timeout when Config.Timeout is zero.
const DefaultTimeout = 5 * time.Minute

// Lambda's memory sizes, in MB: the default and the range a function may
// be configured with (any whole number of MB in it).
const (
	DefaultMemorySize = 128
	MinMemorySize     = 128
	MaxMemorySize     = 10240
)

// ErrMemorySize is the error for a memory size outside Lambda's range.
var ErrMemorySize = errors.New("invalid memory size")

// CheckMemorySize returns an error wrapping ErrMemorySize unless mb is a
// memory size Lambda accepts (MinMemorySize to MaxMemorySize MB).
func CheckMemorySize(mb int) error {
	if mb < MinMemorySize || mb > MaxMemorySize {
		return fmt.Errorf("%w: %d MB (Lambda's range is %d to %d MB)", ErrMemorySize, mb, MinMemorySize, MaxMemorySize)
	}
	return nil
}

const maxResponse = 6 << 20

// Function is one registered function: a pool of sandboxes, each a
// Runtime API and its process. An invocation takes an idle sandbox or
// starts one more, so invocations of different executions run side by
// side as Lambda scales out, and a sandbox serves one at a time.
type Function struct {
	cfg   Config
	first *sandbox // the sandbox New started, for RuntimeAPI

	mu     sync.Mutex
	all    []*sandbox
	idle   []*sandbox
	closed bool
}

// sandbox is one Lambda execution environment: its Runtime API and its
// process.
type sandbox struct {
	cfg Config
	ln  net.Listener
	srv *http.Server

	mu      sync.Mutex
	closed  bool
	proc    *process
	next    chan *call // the invocation waiting for /next
	current *call      // the invocation handed to the process
	last    *call      // the most recent invocation, for late log lines
	recent  []*call    // the last few invocations, to attribute lines by requestId
}

type call struct {
	requestID, arn, tenantID string
	traceID                  string // X-Ray trace header, one per invocation
	functionArn              string // the invoked ARN, with its qualifier
	payload                  []byte
	timeout                  time.Duration
	// handed gets the invocation's deadline when the runtime takes it:
	// the function timeout counts from then, as in Lambda, not from the
	// start of a process still in init.
	handed chan time.Time
	done   chan result
}

type result struct {
	out []byte
	err error
}

// process is one run of the binary.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	state  *os.ProcessState
	err    error
	output *tail // the end of what it wrote to stdout and stderr
	// initErr is what the process reported to /init/error, if anything.
	initErr *FunctionError
	// ready is set once the process asked the Runtime API for an
	// invocation: it got through init.
	ready bool
	// extension is set once the process registered an extension, which
	// makes Lambda send it SIGTERM before it ends its sandbox.
	extension bool

	// out is the write end of the pipe that is the process's stdout and
	// stderr, which we keep too so that mark can put a marker behind
	// what the process wrote; nil once the process exited. marks counts
	// the markers written.
	writeMu sync.Mutex
	out     *os.File
	marks   int

	// reached is the last marker the reader got to; reachedCh is closed
	// when it changes.
	markMu    sync.Mutex
	reached   int
	reachedCh chan struct{}
}

// syncMarker is the line mark writes behind the process's output,
// followed by the marker's number.
const syncMarker = "\x00durable-local-sync"

// mark writes a marker line into the pipe (FIFO) behind what the
// process wrote so far and returns its number, or false when the pipe is
// closed.
func (p *process) mark() (int, bool) {
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	if p.out == nil {
		return 0, false
	}
	p.marks++
	if _, err := fmt.Fprintf(p.out, "%s%d\n", syncMarker, p.marks); err != nil {
		return 0, false
	}
	return p.marks, true
}

// reach records that the reader got to marker n.
func (p *process) reach(n int) {
	p.markMu.Lock()
	defer p.markMu.Unlock()
	p.reached = n
	close(p.reachedCh)
	p.reachedCh = make(chan struct{})
}

// awaitMark returns once the reader got to marker n, or stop is closed.
func (p *process) awaitMark(n int, stop <-chan struct{}) {
	for {
		p.markMu.Lock()
		reached, ch := p.reached, p.reachedCh
		p.markMu.Unlock()
		if reached >= n {
			return
		}
		select {
		case <-ch:
		case <-stop:
			return
		}
	}
}

// drain returns once every line the process wrote to stdout and stderr
// before the call has been read and handed to Config.Output. The lines
// of an invocation are then all attributed before its result is
// returned.
func (p *process) drain() {
	if n, ok := p.mark(); ok {
		p.awaitMark(n, p.exited)
	}
}

// ErrClosed is returned by Invoke after Close.
var ErrClosed = errors.New("function closed")

// New starts the Runtime API of a function's first sandbox on a loopback
// port. The process starts with the first invocation. A memory size out
// of Lambda's range is refused with an error wrapping ErrMemorySize.
func New(cfg Config) (*Function, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MemorySize == 0 {
		cfg.MemorySize = DefaultMemorySize
	}
	if err := CheckMemorySize(cfg.MemorySize); err != nil {
		return nil, fmt.Errorf("function %s: %w", cfg.Name, err)
	}
	// Absolute paths: the process runs in its code directory, where a
	// relative path would name something else.
	var err error
	if cfg.Binary, err = filepath.Abs(cfg.Binary); err != nil {
		return nil, fmt.Errorf("function %s: binary: %w", cfg.Name, err)
	}
	if cfg.Dir == "" {
		cfg.Dir = filepath.Dir(cfg.Binary)
	} else if cfg.Dir, err = filepath.Abs(cfg.Dir); err != nil {
		return nil, fmt.Errorf("function %s: code directory: %w", cfg.Name, err)
	}
	s, err := newSandbox(cfg)
	if err != nil {
		return nil, err
	}
	return &Function{cfg: cfg, first: s, all: []*sandbox{s}, idle: []*sandbox{s}}, nil
}

// Name returns the function's name.
func (f *Function) Name() string { return f.cfg.Name }

// RuntimeAPI returns the host:port of the Runtime API of the function's
// first sandbox, the one that serves invocations one after another.
func (f *Function) RuntimeAPI() string { return f.first.RuntimeAPI() }

// Close stops the processes, all at once, and the Runtime APIs.
func (f *Function) Close() error {
	f.mu.Lock()
	all := f.all
	f.closed, f.idle = true, nil
	f.mu.Unlock()
	errs := make([]error, len(all))
	var wg sync.WaitGroup
	for i, s := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Close()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Invoke hands payload to the process of an idle sandbox and returns its
// response (durabletest.Handler). The request id comes from ctx's
// LambdaContext.
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	s, err := f.take()
	if err != nil {
		return nil, err
	}
	defer f.put(s)
	return s.invoke(ctx, payload)
}

// take returns the most recently used idle sandbox (the warmest), or a
// new one when all are busy.
func (f *Function) take() (*sandbox, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, fmt.Errorf("function %s: %w", f.cfg.Name, ErrClosed)
	}
	if n := len(f.idle); n > 0 {
		s := f.idle[n-1]
		f.idle = f.idle[:n-1]
		return s, nil
	}
	s, err := newSandbox(f.cfg)
	if err != nil {
		return nil, err
	}
	f.all = append(f.all, s)
	return s, nil
}

func (f *Function) put(s *sandbox) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed {
		f.idle = append(f.idle, s)
	}
}

func newSandbox(cfg Config) (*sandbox, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("function %s: runtime API listener: %w", cfg.Name, err)
	}
	f := &sandbox{cfg: cfg, ln: ln, next: make(chan *call)}
	mux := http.NewServeMux()
	const base = "/2018-06-01/runtime"
	mux.HandleFunc("GET "+base+"/invocation/next", f.handleNext)
	mux.HandleFunc("POST "+base+"/invocation/{id}/response", f.handleResponse)
	mux.HandleFunc("POST "+base+"/invocation/{id}/error", f.handleError)
	mux.HandleFunc("POST "+base+"/init/error", f.handleInitError)
	const extension = "/2020-01-01/extension"
	mux.HandleFunc("POST "+extension+"/register", f.handleRegister)
	mux.HandleFunc("GET "+extension+"/event/next", f.handleExtensionNext)
	f.srv = &http.Server{Handler: f.guard(mux), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

// guard lets through only what a runtime in the child process sends: a
// request naming the listener itself as Host, with no Origin and no
// browser fetch metadata. A web page (cross-site request, DNS rebinding)
// cannot take or answer invocations.
func (f *sandbox) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != f.RuntimeAPI() || r.Header.Get("Origin") != "" || r.Header.Get("Sec-Fetch-Site") != "" {
			runtimeError(w, http.StatusForbidden, "AccessDenied", "not a request of the function's runtime")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RuntimeAPI returns the host:port of the sandbox's Runtime API.
func (f *sandbox) RuntimeAPI() string { return f.ln.Addr().String() }

// ShutdownGrace is how long a process that registered an extension has
// between SIGTERM and SIGKILL when its sandbox closes: Lambda's 500 ms
// for a runtime with an internal extension.
const ShutdownGrace = 500 * time.Millisecond

// Close stops the process and the Runtime API. As Lambda shuts down an
// execution environment, a process that registered an extension (as
// aws-lambda-go's WithEnableSIGTERM does) gets SIGTERM and ShutdownGrace
// to end before the SIGKILL; others get the SIGKILL at once.
func (f *sandbox) Close() error {
	f.mu.Lock()
	p := f.proc
	f.proc, f.closed = nil, true
	extension := p != nil && p.extension
	f.mu.Unlock()
	if extension && p.cmd.Process.Signal(syscall.SIGTERM) == nil {
		grace := time.NewTimer(ShutdownGrace)
		select {
		case <-p.exited:
		case <-grace.C:
		}
		grace.Stop()
	}
	if p != nil {
		p.kill()
	}
	return f.srv.Close()
}

// invoke hands payload to the sandbox's process and returns its response.
func (f *sandbox) invoke(ctx context.Context, payload []byte) ([]byte, error) {
	c := &call{payload: payload, timeout: f.cfg.Timeout, handed: make(chan time.Time, 1), done: make(chan result, 1),
		traceID: fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), randomHex(12), randomHex(8))}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		c.requestID, c.tenantID, c.functionArn = lc.AwsRequestID, lc.TenantID, lc.InvokedFunctionArn
	}
	if c.functionArn == "" {
		c.functionArn = "arn:aws:lambda:us-east-1:123456789012:function:" + f.cfg.Name
	}
	if c.requestID == "" {
		c.requestID = strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	var ev struct{ DurableExecutionArn string }
	_ = json.Unmarshal(payload, &ev)
	c.arn = ev.DurableExecutionArn

	f.mu.Lock()
	f.last = c
	f.recent = append(f.recent, c)
	if len(f.recent) > 16 {
		f.recent = f.recent[1:]
	}
	f.mu.Unlock()
	timer := time.NewTimer(f.cfg.Timeout)
	defer timer.Stop()
	defer func() {
		f.mu.Lock()
		f.current = nil
		f.mu.Unlock()
	}()
	// Hand the call to /next, starting the binary again when it exits
	// before asking for an invocation (a failed init), a bounded number
	// of times; then wait for its answer.
	var p *process
	for attempt := 1; ; {
		var err error
		if p, err = f.ensureProcess(); errors.Is(err, ErrClosed) {
			return nil, err
		} else if err != nil {
			return nil, &InitError{Function: f.cfg.Name, Binary: f.cfg.Binary, Attempts: attempt, Err: err}
		}
		select {
		case f.next <- c:
			// The runtime took it: the time it has is the function
			// timeout from now on (Reset drops a tick of the init's
			// timeout that was not received).
			timer.Reset(time.Until(<-c.handed))
		case <-p.exited:
			err := p.exitError(c)
			f.mu.Lock()
			ready := p.ready
			f.mu.Unlock()
			if ready {
				// A warm process that exited between invocations: the
				// next one starts afresh.
				continue
			}
			if attempt >= InitAttempts {
				return nil, &InitError{Function: f.cfg.Name, Binary: f.cfg.Binary, Attempts: attempt, Err: err}
			}
			attempt++
			continue
		case <-timer.C:
			p.kill()
			<-p.exited
			te := &TimeoutError{RequestID: c.requestID, Timeout: f.cfg.Timeout, Phase: "waiting for the runtime to ask for the invocation", Output: p.output.String()}
			f.mu.Lock()
			ready := p.ready
			f.mu.Unlock()
			if !ready {
				// Not through init in the whole timeout: starting it
				// again would only wait as long again.
				return nil, &InitError{Function: f.cfg.Name, Binary: f.cfg.Binary, Attempts: attempt, Err: te}
			}
			return nil, te
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		break
	}
	select {
	case r := <-c.done:
		p.drain()
		// The next invocation's errors quote only its own output (it
		// may belong to another execution).
		p.output.reset()
		return r.out, r.err
	case <-p.exited:
		select {
		case r := <-c.done: // answered just before exiting
			return r.out, r.err
		default:
		}
		return nil, p.exitError(c)
	case <-timer.C:
		p.kill()
		<-p.exited
		return nil, &TimeoutError{RequestID: c.requestID, Timeout: f.cfg.Timeout, Output: p.output.String()}
	case <-ctx.Done():
		// No one waits for the answer any more: the process goes, so
		// that the sandbox is not handed out busy with this invocation.
		p.kill()
		<-p.exited
		return nil, ctx.Err()
	}
}

// ensureProcess returns the running process, starting one if there is
// none or the last one exited.
func (f *sandbox) ensureProcess() (*process, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, fmt.Errorf("function %s: %w", f.cfg.Name, ErrClosed)
	}
	if f.proc != nil {
		select {
		case <-f.proc.exited:
		default:
			return f.proc, nil
		}
	}
	// A missing binary is reported as such, not as the chdir into its
	// directory that would fail first.
	if _, err := os.Stat(f.cfg.Binary); err != nil {
		return nil, &StartError{Function: f.cfg.Name, Err: err}
	}
	cmd := exec.Command(f.cfg.Binary)
	cmd.Dir = f.cfg.Dir // as Lambda runs a function in /var/task
	cmd.Env = f.environment()
	p := &process{cmd: cmd, exited: make(chan struct{}), output: &tail{max: 8 << 10}, reachedCh: make(chan struct{})}
	// One pipe for stdout and stderr, as Lambda's runtime gives a
	// function: what it writes to either keeps its order.
	r, w, err := os.Pipe()
	if err != nil {
		return nil, &StartError{Function: f.cfg.Name, Err: err}
	}
	p.out = w
	cmd.Stdout, cmd.Stderr = w, w
	ownGroup(cmd)
	if err := start(cmd); err != nil {
		r.Close()
		w.Close()
		return nil, &StartError{Function: f.cfg.Name, Err: err}
	}
	unwatch := watchGroup(cmd)
	read := make(chan struct{})
	go func() {
		defer close(read)
		lw := &lineWriter{emit: func(line string) {
			text, n := line, 0
			if i := strings.LastIndex(line, syncMarker); i >= 0 {
				if m, err := strconv.Atoi(line[i+len(syncMarker):]); err == nil {
					text, n = line[:i], m
				}
			}
			if text != "" || n == 0 {
				// What the process wrote of a line before an
				// invocation ended belongs to that invocation.
				_, _ = p.output.Write([]byte(text + "\n"))
				f.output(text)
			}
			if n != 0 {
				p.reach(n)
			}
		}}
		_, _ = io.Copy(lw, r)
		lw.flush()
		r.Close()
	}()
	go func() {
		err := cmd.Wait()
		// What the process left running (holding its stdout and stderr
		// open) goes with it, as in a sandbox that Lambda resets.
		killGroup(cmd)
		unwatch()
		// Every line the process wrote is read once the reader gets to a
		// marker written now. Then the pipe is closed, and with it what
		// a process that left the sandbox's group (setsid) and still
		// holds the pipe writes later: its end of the output would never
		// come.
		n, marked := p.mark()
		if marked {
			p.awaitMark(n, read)
		}
		p.writeMu.Lock()
		p.out.Close()
		p.out = nil
		p.writeMu.Unlock()
		r.Close()
		<-read
		f.mu.Lock()
		p.state, p.err = cmd.ProcessState, err
		f.mu.Unlock()
		close(p.exited)
	}()
	f.proc = p
	return p, nil
}

func (f *sandbox) output(line string) {
	if f.cfg.Output == nil {
		return
	}
	// A JSON line names its invocation (Lambda's requestId field); it
	// may be read after the next invocation began.
	var named struct {
		RequestID string `json:"requestId"`
	}
	if strings.HasPrefix(line, "{") {
		_ = json.Unmarshal([]byte(line), &named)
	}
	f.mu.Lock()
	c := f.current
	if c == nil {
		c = f.last
	}
	for _, r := range f.recent {
		if named.RequestID != "" && r.requestID == named.RequestID {
			c = r
		}
	}
	f.mu.Unlock()
	arn, id := "", ""
	if c != nil {
		arn, id = c.arn, c.requestID
	}
	f.cfg.Output(arn, id, OutputStream, line)
}

// environment is the process environment: the parent's, without AWS
// credentials and settings, plus what the Lambda runtime sets and the
// function's own variables. As for Lambda's OS-only runtimes (provided.al2023,
// where Go functions run), AWS_EXECUTION_ENV is not set, nor is
// _X_AMZN_TRACE_ID: the runtime client (aws-lambda-go) sets it from each
// invocation's Lambda-Runtime-Trace-Id. LAMBDA_RUNTIME_DIR, /var/runtime in
// Lambda, names the code directory too: an OS-only runtime's runtime is
// the function's own binary.
func (f *sandbox) environment() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "_LAMBDA_") && !strings.HasPrefix(kv, "PWD=") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"AWS_LAMBDA_RUNTIME_API="+f.RuntimeAPI(),
		"AWS_LAMBDA_FUNCTION_NAME="+f.cfg.Name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE="+strconv.Itoa(f.cfg.MemorySize),
		"AWS_REGION=us-east-1",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=durable-local",
		"AWS_SECRET_ACCESS_KEY=durable-local",
		"AWS_ENDPOINT_URL_LAMBDA="+f.cfg.Endpoint,
		"AWS_LAMBDA_LOG_FORMAT=JSON",
		"AWS_LAMBDA_LOG_LEVEL=INFO", // Lambda's default application log level with JSON
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/"+f.cfg.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME="+time.Now().UTC().Format("2006/01/02")+"/[$LATEST]"+randomHex(16),
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"_HANDLER=bootstrap", // the handler of an OS-only runtime's function
		"LAMBDA_TASK_ROOT="+f.cfg.Dir,
		"LAMBDA_RUNTIME_DIR="+f.cfg.Dir,
		"PWD="+f.cfg.Dir, // the working directory, for what reads it from the environment (a shell)
		"TZ=:UTC",
	)
	return append(env, f.cfg.Env...)
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// kill kills the process's group, unless the process has already exited
// (its group went with it, and its id may be another's by now).
func (p *process) kill() {
	select {
	case <-p.exited:
	default:
		killGroup(p.cmd)
	}
}

// exitError describes a process that exited during invocation c.
func (p *process) exitError(c *call) error {
	<-p.exited
	e := &ExitError{RequestID: c.requestID, Output: p.output.String(), InitError: p.initErr}
	if p.state != nil {
		e.ExitCode = p.state.ExitCode()
		e.Status = p.state.String()
	} else if p.err != nil {
		e.Status = p.err.Error()
	}
	return e
}

func (f *sandbox) handleNext(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	if f.proc != nil {
		f.proc.ready = true
	}
	f.mu.Unlock()
	select {
	case c := <-f.next:
		deadline := time.Now().Add(c.timeout)
		c.handed <- deadline
		f.mu.Lock()
		f.current = c
		f.mu.Unlock()
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", c.requestID)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(deadline.UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", c.functionArn)
		h.Set("Lambda-Runtime-Trace-Id", c.traceID)
		if c.tenantID != "" {
			h.Set("Lambda-Runtime-Aws-Tenant-Id", c.tenantID)
		}
		h.Set("Content-Type", "application/json")
		_, _ = w.Write(c.payload)
	case <-r.Context().Done():
	}
}

// answer delivers the result of invocation id.
func (f *sandbox) answer(w http.ResponseWriter, id string, res result) {
	f.mu.Lock()
	c := f.current
	if c != nil && c.requestID == id {
		f.current = nil
	} else {
		c = nil
	}
	f.mu.Unlock()
	if c == nil {
		runtimeError(w, http.StatusBadRequest, "InvalidRequestID", "no invocation "+id+" is in progress")
		return
	}
	c.done <- res
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

func (f *sandbox) handleResponse(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxResponse+1))
	if err != nil {
		runtimeError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	if len(b) > maxResponse {
		f.answer(w, r.PathValue("id"), result{err: &FunctionError{Type: "Function.ResponseSizeTooLarge",
			Message: fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", maxResponse)}})
		return
	}
	f.answer(w, r.PathValue("id"), result{out: b})
}

func (f *sandbox) handleError(w http.ResponseWriter, r *http.Request) {
	f.answer(w, r.PathValue("id"), result{err: readFunctionError(r)})
}

func (f *sandbox) handleInitError(w http.ResponseWriter, r *http.Request) {
	fe := readFunctionError(r)
	f.mu.Lock()
	if f.proc != nil {
		f.proc.initErr = fe
	}
	f.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

// handleRegister registers an extension of the process (Lambda's
// Extensions API). Only an extension that asks for no events is served,
// such as the one aws-lambda-go's WithEnableSIGTERM registers to get
// SIGTERM at shutdown: durable-local runs no extension processes and
// sends no INVOKE or SHUTDOWN events.
func (f *sandbox) handleRegister(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Events []string `json:"events"`
	}
	name := r.Header.Get("Lambda-Extension-Name")
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&body); name == "" || err != nil {
		runtimeError(w, http.StatusBadRequest, "InvalidRequestFormat", "an extension registers with a Lambda-Extension-Name header and a JSON body")
		return
	}
	if len(body.Events) > 0 {
		runtimeError(w, http.StatusBadRequest, "Extension.UnsupportedEvents",
			fmt.Sprintf("extension %s asks for events %v: durable-local sends none (it serves an extension registered for no events, as lambda.WithEnableSIGTERM's)", name, body.Events))
		return
	}
	f.mu.Lock()
	if f.proc != nil {
		f.proc.extension = true
	}
	f.mu.Unlock()
	w.Header().Set("Lambda-Extension-Identifier", randomHex(16))
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"functionName": f.cfg.Name, "functionVersion": "$LATEST", "handler": "bootstrap"})
}

// handleExtensionNext waits for the next event of an extension, of which
// there is none: it returns when the process or the sandbox ends.
func (f *sandbox) handleExtensionNext(w http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
}

func readFunctionError(r *http.Request) *FunctionError {
	b, _ := io.ReadAll(io.LimitReader(r.Body, maxResponse))
	var body struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
		StackTrace   []any  `json:"stackTrace"`
	}
	_ = json.Unmarshal(b, &body)
	fe := &FunctionError{Type: body.ErrorType, Message: body.ErrorMessage}
	if fe.Type == "" {
		fe.Type = r.Header.Get("Lambda-Runtime-Function-Error-Type")
	}
	if fe.Type == "" {
		fe.Type = "Unhandled"
	}
	if fe.Message == "" && len(body.StackTrace) == 0 {
		fe.Message = strings.TrimSpace(string(b))
	}
	return fe
}

func runtimeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"errorType": typ, "errorMessage": msg})
}

// maxLine is the longest line lineWriter emits: a CloudWatch Logs event
// holds 256 KiB, 26 bytes of which are the event's own, and Lambda splits
// a longer line into events of that size.
const maxLine = 256<<10 - 26

// lineWriter splits what a process writes into lines, a line longer than
// maxLine into lines of at most maxLine bytes, so that it holds no more
// than that of a line that does not end.
type lineWriter struct {
	mu   sync.Mutex
	buf  []byte
	emit func(string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		// A line that ends here may have grown past maxLine while it was
		// kept below the split threshold (a marker's room): its text is
		// split too, and a marker behind it stays whole in the last part.
		line := strings.TrimRight(string(w.buf[:i]), "\r")
		text, mark := line, ""
		if j := strings.LastIndex(line, syncMarker); j >= 0 {
			text, mark = line[:j], line[j:]
		}
		for len(text) > maxLine {
			cut := cutAt(text)
			w.emit(text[:cut])
			text = text[cut:]
		}
		w.emit(text + mark)
		w.buf = w.buf[i+1:]
	}
	// What is left has no newline. Its last bytes may be the start of a
	// marker (syncMarker and up to 20 digits), whose line ends in the
	// next read; only what comes before it is split off.
	for len(w.buf) > maxLine+len(syncMarker)+20 {
		cut := cutAt(w.buf)
		w.emit(string(w.buf[:cut]))
		w.buf = w.buf[cut:]
	}
	return len(p), nil
}

// cutAt returns where to split s, longer than maxLine, for a first part of
// at most maxLine bytes: at a character boundary where s is UTF-8.
func cutAt[T string | []byte](s T) int {
	cut := maxLine
	for back := 1; back < utf8.UTFMax && !utf8.RuneStart(s[cut]); back++ {
		cut--
	}
	return cut
}

// flush emits what is left of an unterminated last line.
func (w *lineWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 {
		w.emit(strings.TrimRight(string(w.buf), "\r"))
		w.buf = nil
	}
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tail) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.b))
}

// ErrorType makes errors report their Lambda error type to the durable
// service, which records it in InvocationCompleted.
var (
	_ interface{ ErrorType() string } = (*ExitError)(nil)
	_ interface{ ErrorType() string } = (*TimeoutError)(nil)
	_ interface{ ErrorType() string } = (*FunctionError)(nil)
	_ interface{ ErrorType() string } = (*InitError)(nil)
)

// ExitError reports a process that exited during an invocation.
type ExitError struct {
	RequestID string
	ExitCode  int
	Status    string // "exit status 2", "signal: killed"
	Output    string // the last lines the process wrote to stdout and stderr
	InitError *FunctionError
}

// ErrorType is Lambda's: Runtime.ExitError.
func (e *ExitError) ErrorType() string { return "Runtime.ExitError" }

func (e *ExitError) Error() string {
	msg := fmt.Sprintf("RequestId: %s Error: Runtime exited with error: %s", e.RequestID, e.Status)
	if e.InitError != nil {
		msg += " (init error " + e.InitError.Error() + ")"
	}
	if e.Output != "" {
		msg += "\noutput:\n" + e.Output
	}
	return msg
}

// TimeoutError reports an invocation that outlived the function timeout;
// the process was killed.
type TimeoutError struct {
	RequestID string
	Timeout   time.Duration
	Phase     string
	Output    string // the last lines the process wrote to stdout and stderr
}

// ErrorType is Lambda's: Sandbox.Timedout.
func (e *TimeoutError) ErrorType() string { return "Sandbox.Timedout" }

func (e *TimeoutError) Error() string {
	msg := fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", e.RequestID, e.Timeout.Seconds())
	if e.Phase != "" {
		msg += " " + e.Phase
	}
	if e.Output != "" {
		msg += "\noutput:\n" + e.Output
	}
	return msg
}

// FunctionError is an error the function reported through the Runtime
// API (its handler returned an error or panicked).
type FunctionError struct {
	Type    string
	Message string
}

// ErrorType is the type the function reported.
func (e *FunctionError) ErrorType() string { return e.Type }

func (e *FunctionError) Error() string { return e.Type + ": " + e.Message }

// StartError reports a binary that could not be started.
type StartError struct {
	Function string
	Err      error
}

func (e *StartError) Error() string {
	return fmt.Sprintf("function %s: starting the binary: %v", e.Function, e.Err)
}

func (e *StartError) Unwrap() error { return e.Err }

// ErrorType is Lambda's for a runtime that cannot start.
func (e *StartError) ErrorType() string { return "Runtime.InvalidEntrypoint" }

// InitAttempts is how many times Invoke starts a binary that exits
// before asking the Runtime API for the invocation, before it gives up
// with an InitError. Lambda retries a failed init a few times too; a
// binary that cannot run fails fast instead of on every invocation.
const InitAttempts = 3

// InitError reports a binary that could not get through init: it could
// not be started (not found, not executable, not a program for this
// machine), on each of Attempts starts it exited before it asked the
// Runtime API for an invocation (it failed during init, or it is not a
// Lambda function: it never calls lambda.Start), or it did not ask within
// the function timeout. Err is the last attempt's *StartError, *ExitError
// or *TimeoutError.
type InitError struct {
	Function string
	Binary   string
	Attempts int
	Err      error
}

// ErrorType is Lambda's: Runtime.InvalidEntrypoint for a binary that
// cannot be started, Runtime.ExitError for one that exits during init.
func (e *InitError) ErrorType() string {
	var typed interface{ ErrorType() string }
	if errors.As(e.Err, &typed) {
		return typed.ErrorType()
	}
	return "Runtime.Unknown"
}

func (e *InitError) Error() string {
	var timeout *TimeoutError
	if errors.As(e.Err, &timeout) {
		msg := fmt.Sprintf("function %s (%s): the function did not ask the Runtime API for an invocation within %s and was killed: it never got through init (a Lambda function binary calls lambda.Start)",
			e.Function, e.Binary, timeout.Timeout)
		if timeout.Output != "" {
			msg += "\noutput:\n" + lastLines(timeout.Output, 20)
		}
		return msg
	}
	var exit *ExitError
	if !errors.As(e.Err, &exit) {
		var start *StartError
		if errors.As(e.Err, &start) {
			return fmt.Sprintf("function %s: cannot run %s: %v (want a Lambda function binary for this machine)", e.Function, e.Binary, start.Err)
		}
		return fmt.Sprintf("function %s (%s): %v", e.Function, e.Binary, e.Err)
	}
	msg := fmt.Sprintf("function %s (%s): the function exited during init with %s, %d times in a row, before it asked the Runtime API for an invocation (a Lambda function binary calls lambda.Start)",
		e.Function, e.Binary, exit.Status, e.Attempts)
	if exit.InitError != nil {
		msg += "; init error " + exit.InitError.Error()
	}
	if exit.Output != "" {
		msg += "\noutput:\n" + lastLines(exit.Output, 20)
	}
	return msg
}

func (e *InitError) Unwrap() error { return e.Err }

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// IsTimeout reports whether err is a TimeoutError.
func IsTimeout(err error) bool {
	var t *TimeoutError
	return errors.As(err, &t)
}
