package conformance

import (
	"io"
	"strings"

	"github.com/durable-go/durable-go/core/durabletest"
)

// Entry is how a registry implements one requirement id.
type Entry struct {
	// New builds the handler under test; env carries per-run facilities.
	New func(env *Env) durabletest.Handler
	// NotImplemented, when non-empty, declares an intentional gap with its
	// reason; the requirement is reported NOT_IMPLEMENTED and not run.
	NotImplemented string
	// RunnerOptions are extra durabletest options for this requirement,
	// for example durabletest.WithTenantID.
	RunnerOptions []durabletest.Option
}

// Env carries what a handler needs from the harness for one run.
type Env struct {
	// ID is the requirement being run.
	ID string
	// Stdout stands in for the function's standard output. Every line
	// written to it that is a JSON object carrying the execution ARN at top
	// level (durableExecutionArn or executionArn) joins the log records
	// that ExpectedLogs is checked against, in write order. Plugin test
	// handlers print their hook records here. It is safe for concurrent use.
	//
	// Context-logger lines need no wiring: the harness sees every emitted
	// line through the runtime's log observer (its fields plus message,
	// level and timestamp) in the same sequence as Stdout lines. Do not
	// also point the SDK logger at Stdout, or its lines count twice.
	Stdout io.Writer
	// Targets maps a logical target name ("echo", "fail", ...) to the
	// function name the runner registered for it; pass that name to
	// chained invokes. The logical name is a Registry.Targets key up to its
	// first colon, so "echo:$LATEST" is reached as Targets["echo"].
	Targets map[string]string
}

// Registry maps requirement ids to the handlers that implement them.
type Registry struct {
	// Entries maps requirement ids such as "1-1" to their handlers.
	Entries map[string]Entry
	// Targets are the invoke-target functions every run registers with
	// the runner, keyed by function name.
	Targets map[string]func(env *Env) durabletest.Handler
}

// targetNames maps logical target names to registered function names.
func (r Registry) targetNames() map[string]string {
	names := make(map[string]string, len(r.Targets))
	for fn := range r.Targets {
		logical, _, _ := strings.Cut(fn, ":")
		names[logical] = fn
	}
	return names
}
