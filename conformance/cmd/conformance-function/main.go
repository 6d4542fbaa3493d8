// Command conformance-function serves one conformance handler as a real
// Lambda function binary, for running the requirements through
// durable-local (`durable-local conformance`). CONFORMANCE_ID names the
// requirement whose handler it serves; CONFORMANCE_TARGET, when set,
// names an invoke target of the registry instead. Lines the handler
// prints go to stdout, where durable-local captures them, and so does
// every emitted context-logger call, in the shape the harness's in-process
// log observer records (the handlers discard their SDK logger's output).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/durable-go/durable-go/conformance"
	"github.com/durable-go/durable-go/conformance/handlers"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
)

func main() {
	reg := handlers.Registry()
	id, target := os.Getenv("CONFORMANCE_ID"), os.Getenv("CONFORMANCE_TARGET")
	targets := map[string]string{}
	for fn := range reg.Targets {
		logical, _, _ := strings.Cut(fn, ":")
		targets[logical] = fn
	}
	env := &conformance.Env{ID: id, Stdout: os.Stdout, Targets: targets}
	if target != "" {
		newTarget, ok := reg.Targets[target]
		if !ok {
			fmt.Fprintf(os.Stderr, "conformance-function: no invoke target %q\n", target)
			os.Exit(2)
		}
		lambda.Start(observed{newTarget(env)})
		return
	}
	entry, ok := reg.Entries[id]
	if !ok || entry.New == nil {
		fmt.Fprintf(os.Stderr, "conformance-function: no handler for requirement %q\n", id)
		os.Exit(2)
	}
	lambda.Start(observed{entry.New(env)})
}

// observed prints every emitted context-logger call of the handler as a
// JSON line on stdout.
type observed struct{ next lambda.Handler }

var stdoutMu sync.Mutex

func (h observed) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return h.next.Invoke(durabletest.ObserveLogs(ctx, printRecord), payload)
}

func printRecord(r durabletest.LogRecord) {
	if !r.Emitted {
		return
	}
	line := map[string]any{}
	for k, v := range r.Fields {
		if err, ok := v.(error); ok {
			v = err.Error()
		}
		if _, err := json.Marshal(v); err != nil {
			v = fmt.Sprint(v)
		}
		line[k] = v
	}
	line["timestamp"] = r.Time.UTC().Format(time.RFC3339Nano)
	line["level"] = logsink.LambdaLevelName(r.Level)
	line["message"] = r.Message
	b, err := json.Marshal(line)
	if err != nil {
		return
	}
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	os.Stdout.Write(append(b, '\n'))
}
