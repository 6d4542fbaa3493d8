package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/durable-go/durable-go/cmd/durable-local/internal/console"
	"github.com/durable-go/durable-go/cmd/durable-local/internal/function"
	"github.com/durable-go/durable-go/cmd/durable-local/internal/server"
	"github.com/durable-go/durable-go/cmd/durable-local/internal/store"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// FunctionSpec registers one function: a binary, or a `go build` target
// built into a temporary directory. MemorySize (MB) overrides -memory.
type FunctionSpec struct {
	Name       string            `json:"name"`
	Binary     string            `json:"binary,omitempty"`
	Build      string            `json:"build,omitempty"`
	Env        map[string]string `json:"env,omitempty"`
	Timeout    string            `json:"timeout,omitempty"`
	MemorySize *int              `json:"memorySize,omitempty"`
}

// Config is the config file's shape (JSON).
type Config struct {
	Functions []FunctionSpec `json:"functions"`
}

func loadConfig(path string) (Config, error) {
	var c Config
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("reading config: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// parseFunctionFlag reads -f name=target: target is a binary when it is an
// executable file, a go build target otherwise.
func parseFunctionFlag(v string) (FunctionSpec, error) {
	name, target, ok := strings.Cut(v, "=")
	if !ok || name == "" || target == "" {
		return FunctionSpec{}, fmt.Errorf("-f %q: want name=binary or name=./go/package", v)
	}
	return specFor(name, target), nil
}

func specFor(name, target string) FunctionSpec {
	if st, err := os.Stat(target); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
		return FunctionSpec{Name: name, Binary: target}
	}
	return FunctionSpec{Name: name, Build: target}
}

// instance is a running durable-local: the durable service, its HTTP
// server and the registered functions.
type instance struct {
	host      *durabletest.Host
	logs      *server.Logs
	srv       *server.Server
	ln        net.Listener
	http      *http.Server
	endpoint  string
	functions []*function.Function
	buildDir  string
	cancel    context.CancelFunc
	done      chan error
	store     *store.Store
	closeOnce sync.Once
}

type options struct {
	addr       string
	skipTime   bool
	env        []string
	timeout    time.Duration
	memory     int // MB, for the functions whose spec names none; 0 is Lambda's default
	maxInvoke  int
	data       string // directory of the database; "" keeps everything in memory
	allowHosts []string
	logs       func(server.LogLine)
}

func start(opts options, specs []FunctionSpec) (*instance, error) {
	var hostOpts []durabletest.HostOption
	if opts.skipTime {
		hostOpts = append(hostOpts, durabletest.WithSkipTime())
	}
	var runnerOpts []durabletest.Option
	if opts.maxInvoke > 0 {
		runnerOpts = append(runnerOpts, durabletest.WithMaxInvocations(opts.maxInvoke))
	}
	in := &instance{host: durabletest.NewHost(runnerOpts, hostOpts...), done: make(chan error, 1)}
	in.logs = server.NewLogs(nil)
	in.srv = server.New(in.host, in.logs)
	console.New(in.srv).Register(in.srv)
	ln, err := in.srv.Listen(opts.addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%w (is another durable-local serving there? choose another address with -addr)", err)
	}
	if err != nil {
		return nil, err
	}
	in.ln = ln
	for _, h := range opts.allowHosts {
		in.srv.AllowHost(h)
	}
	in.endpoint = "http://" + ln.Addr().String()
	if opts.data != "" {
		if in.store, err = store.Open(opts.data); err != nil {
			in.close()
			return nil, fmt.Errorf("-data %s: %w", opts.data, err)
		}
	}
	if err := in.register(opts, specs); err != nil {
		in.close()
		return nil, err
	}
	if err := in.restore(); err != nil {
		in.close()
		return nil, err
	}
	in.http = &http.Server{Handler: in.srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = in.http.Serve(ln) }()
	ctx, cancel := context.WithCancel(context.Background())
	in.cancel = cancel
	go func() { in.done <- in.host.Run(ctx) }()
	return in, nil
}

func (in *instance) register(opts options, specs []FunctionSpec) error {
	seen := map[string]bool{}
	for _, spec := range specs {
		if spec.Name == "" || seen[spec.Name] {
			return fmt.Errorf("function name %q is empty or registered twice", spec.Name)
		}
		seen[spec.Name] = true
		memory := opts.memory
		if spec.MemorySize != nil {
			// Checked before its build, which a mistake would waste.
			if err := function.CheckMemorySize(*spec.MemorySize); err != nil {
				return fmt.Errorf("function %s: memorySize: %w", spec.Name, err)
			}
			memory = *spec.MemorySize
		}
		bin, dir := spec.Binary, "" // a binary's code directory is its own
		if bin == "" {
			if spec.Build == "" {
				return fmt.Errorf("function %s: give a binary or a go build target", spec.Name)
			}
			var err error
			if bin, dir, err = in.build(spec); err != nil {
				return err
			}
		}
		timeout := opts.timeout
		if spec.Timeout != "" {
			d, err := time.ParseDuration(spec.Timeout)
			if err != nil {
				return fmt.Errorf("function %s: timeout: %w", spec.Name, err)
			}
			timeout = d
		}
		env := append([]string(nil), opts.env...)
		for k, v := range spec.Env {
			env = append(env, k+"="+v)
		}
		logs, db := in.logs, in.store
		f, err := function.New(function.Config{Name: spec.Name, Binary: bin, Dir: dir, MemorySize: memory, Env: env, Timeout: timeout, Endpoint: in.endpoint,
			Output: func(arn, requestID, stream, line string) {
				l := logs.Add(arn, requestID, stream, line)
				if db != nil {
					db.AddLine(store.Line{Arn: arn, RequestID: requestID, Stream: stream, Text: line, Time: l.Time})
				}
				if opts.logs != nil {
					opts.logs(server.LogLine{Arn: arn, RequestID: requestID, Stream: stream, Text: line})
				}
			}})
		if err != nil {
			return err
		}
		in.functions = append(in.functions, f)
		in.host.Register(spec.Name, failFast{f})
	}
	return nil
}

// failFast ends the execution when its function binary cannot get
// through init (function.InitError): the durable service re-invokes a
// failed invocation, and would start a binary that cannot run until
// -max-invocations, while the error says all there is to say.
type failFast struct{ f *function.Function }

func (h failFast) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	out, err := h.f.Invoke(ctx, payload)
	var ie *function.InitError
	if !errors.As(err, &ie) {
		return out, err
	}
	return json.Marshal(protocol.InvocationOutput{Status: protocol.InvocationFailed,
		Error: &protocol.ErrorObject{ErrorType: ie.ErrorType(), ErrorMessage: ie.Error()}})
}

// restore loads the executions and log lines of the data directory and
// starts saving changes there.
func (in *instance) restore() error {
	if in.store == nil {
		return nil
	}
	snaps, err := in.store.Executions()
	if err != nil {
		return fmt.Errorf("reading saved executions: %w", err)
	}
	if err := in.host.Restore(snaps); err != nil {
		return err
	}
	lines, err := in.store.Lines()
	if err != nil {
		return fmt.Errorf("reading log lines: %w", err)
	}
	for _, l := range lines {
		in.logs.AddAt(l.Arn, l.RequestID, l.Stream, l.Text, l.Time)
	}
	in.store.Start(in.host.Snapshot)
	in.host.Subscribe(in.store.Changed)
	return nil
}

// checkBuildTarget fails clearly on a target that names a path which is
// not there or is a file go build cannot build, before go build reports it
// in terms of modules or the standard library. A package path
// (example.com/m/cmd/fn: a dot in its first element) is left to go build.
func checkBuildTarget(spec FunctionSpec) error {
	t := spec.Build
	first, _, _ := strings.Cut(filepath.ToSlash(t), "/")
	if !strings.HasPrefix(t, ".") && !filepath.IsAbs(t) && strings.Contains(first, ".") {
		return nil
	}
	st, err := os.Stat(t)
	switch {
	case err != nil:
		return fmt.Errorf("function %s: %w (want an executable function binary or a Go package directory)", spec.Name, err)
	case st.Mode().IsRegular() && !strings.HasSuffix(t, ".go"):
		return fmt.Errorf("function %s: %s is not executable (chmod +x it, or give its Go package directory)", spec.Name, t)
	}
	return nil
}

// build compiles a go build target into the instance's temporary dir. It
// returns the binary and the function's code directory: the package's
// directory, as if the function were deployed from there, so that files
// kept next to the code are found by relative paths as in /var/task.
func (in *instance) build(spec FunctionSpec) (bin, codeDir string, err error) {
	if err := checkBuildTarget(spec); err != nil {
		return "", "", err
	}
	if in.buildDir == "" {
		dir, err := os.MkdirTemp("", "durable-local-")
		if err != nil {
			return "", "", err
		}
		in.buildDir = dir
	}
	out := filepath.Join(in.buildDir, spec.Name)
	cmd := exec.Command("go", "build", "-o", out, spec.Build)
	codeDir = filepath.Dir(spec.Build) // a .go file's
	if st, err := os.Stat(spec.Build); err == nil && st.IsDir() {
		// Build inside the directory, so that its own module (or the
		// workspace around it) resolves the imports.
		cmd = exec.Command("go", "build", "-o", out, ".")
		cmd.Dir, codeDir = spec.Build, spec.Build
	} else if err != nil {
		// A package path: the go command knows its directory.
		list, err := exec.Command("go", "list", "-f", "{{.Dir}}", spec.Build).Output()
		if err != nil {
			return "", "", fmt.Errorf("building %s (%s): finding its directory: %w", spec.Name, spec.Build, err)
		}
		codeDir = strings.TrimSpace(string(list))
	}
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", "", fmt.Errorf("building %s (%s): %w", spec.Name, spec.Build, err)
	}
	return out, codeDir, nil
}

// close stops the service, the functions and the store; it may be called
// more than once.
func (in *instance) close() { in.closeOnce.Do(in.shutdown) }

func (in *instance) shutdown() {
	if in.cancel != nil {
		in.cancel()
		<-in.done
	}
	if in.http != nil {
		_ = in.http.Close()
	} else if in.ln != nil {
		_ = in.ln.Close()
	}
	for _, f := range in.functions {
		_ = f.Close()
	}
	if in.store != nil {
		for _, e := range in.host.Executions() {
			in.store.Changed(e.Arn())
		}
		if err := in.store.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "durable-local: saving:", err)
		}
	}
	if in.buildDir != "" {
		_ = os.RemoveAll(in.buildDir)
	}
}

// errUsage marks a command line mistake.
var errUsage = errors.New("usage")
