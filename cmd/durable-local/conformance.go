package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/durable-go/durable-go/cmd/durable-local/internal/function"
	"github.com/durable-go/durable-go/cmd/durable-local/internal/server"
	"github.com/durable-go/durable-go/conformance"
	"github.com/durable-go/durable-go/conformance/handlers"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// needsInProcessCrash lists the requirements whose handler simulates a
// crash from inside the process (durabletest.Crash), which a real binary
// cannot do.
var needsInProcessCrash = map[string]bool{"1-17": true}

// conformanceCmd runs the conformance requirements with every handler as
// a real function binary (conformance/cmd/conformance-function) under
// durable-local: the binary talks to the REST API through the real
// aws-sdk-go-v2 client, and the harness keeps its virtual clock.
func conformanceCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", "conformance", "directory of the conformance module (holds cmd/conformance-function)")
	dir := fs.String("dir", conformance.Dir(), "directory of <suite>/<id>.yaml requirement files")
	only := fs.String("run", "", "comma-separated requirement ids to run (default: all)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	in := &instance{}
	defer in.close()
	bin, _, err := in.build(FunctionSpec{Name: "conformance-function", Build: filepath.Join(*source, "cmd", "conformance-function")})
	if err != nil {
		return err
	}
	in.host = durabletest.NewHost(nil)
	in.logs = server.NewLogs(nil)
	in.srv = server.New(in.host, in.logs)
	if in.ln, err = in.srv.Listen("127.0.0.1:0"); err != nil {
		return err
	}
	in.endpoint = "http://" + in.ln.Addr().String()
	in.http = &http.Server{Handler: in.srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = in.http.Serve(in.ln) }()

	b := &binaries{bin: bin, endpoint: in.endpoint}
	defer b.closeAll()
	in.srv.RouteCheckpoints(b.route)
	var opts []conformance.Option
	if *only != "" {
		opts = append(opts, conformance.WithIDs(strings.Split(*only, ",")...))
	}
	outcomes, err := conformance.Run(context.Background(), *dir, b.registry(handlers.Registry()), opts...)
	if err != nil {
		return err
	}
	conformance.Report(stdout, outcomes)
	for _, o := range outcomes {
		if o.Blocking() {
			return errExecutionNotSucceeded
		}
	}
	return nil
}

// binaries starts the function processes of the requirement being run.
type binaries struct {
	bin, endpoint string
	services      sync.Map // execution ARN → *durabletest.Service

	mu      sync.Mutex
	id      string
	running []*function.Function
}

func (b *binaries) route(arn string) (protocol.Service, bool) {
	svc, ok := b.services.Load(arn)
	if !ok {
		return nil, false
	}
	return svc.(*durabletest.Service), true
}

// registry is reg with every handler replaced by its binary.
func (b *binaries) registry(reg conformance.Registry) conformance.Registry {
	out := conformance.Registry{Entries: map[string]conformance.Entry{}, Targets: map[string]func(*conformance.Env) durabletest.Handler{}}
	for id, e := range reg.Entries {
		switch {
		case e.New == nil:
		case needsInProcessCrash[id]:
			e.New, e.NotImplemented = nil, "needs the in-process crash simulation (durabletest.Crash), which a real binary cannot do"
		default:
			e.New = func(env *conformance.Env) durabletest.Handler { return b.start(env, "") }
		}
		out.Entries[id] = e
	}
	for fn := range reg.Targets {
		out.Targets[fn] = func(env *conformance.Env) durabletest.Handler { return b.start(env, fn) }
	}
	return out
}

// start starts the binary serving requirement env.ID's handler (or its
// invoke target), after stopping those of the previous requirement.
func (b *binaries) start(env *conformance.Env, target string) durabletest.Handler {
	b.mu.Lock()
	defer b.mu.Unlock()
	if env.ID != b.id {
		for _, f := range b.running {
			_ = f.Close()
		}
		b.running, b.id = nil, env.ID
	}
	name := "conformance-" + env.ID
	if target != "" {
		name += "-" + strings.NewReplacer(":", "-", "$", "").Replace(target)
	}
	out := env.Stdout
	f, err := function.New(function.Config{Name: name, Binary: b.bin, Endpoint: b.endpoint,
		Env: []string{"CONFORMANCE_ID=" + env.ID, "CONFORMANCE_TARGET=" + target},
		// stdout and stderr both: the harness keeps the JSON lines that
		// name an execution, which the handlers print to stdout.
		Output: func(_, _, _, line string) { fmt.Fprintln(out, line) }})
	if err != nil {
		return failingHandler{err}
	}
	b.running = append(b.running, f)
	return forwarder{f: f, services: &b.services}
}

func (b *binaries) closeAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, f := range b.running {
		_ = f.Close()
	}
}

// forwarder hands an invocation to the binary and routes the binary's
// API calls for that execution to the service that invoked it.
type forwarder struct {
	f        *function.Function
	services *sync.Map
}

func (h forwarder) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev struct{ DurableExecutionArn string }
	if err := json.Unmarshal(payload, &ev); err == nil && ev.DurableExecutionArn != "" {
		if svc, ok := durabletest.ServiceOf(ctx); ok {
			h.services.Store(ev.DurableExecutionArn, svc)
		}
	}
	return failFast{h.f}.Invoke(ctx, payload)
}

type failingHandler struct{ err error }

func (h failingHandler) Invoke(context.Context, []byte) ([]byte, error) { return nil, h.err }
