package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/durable-go/durable-go/cmd/durable-local/internal/function"
	"github.com/durable-go/durable-go/core/protocol"
)

// notLambda is a program that is no working Lambda function: it fails
// before lambda.Start, or never calls it.
const notLambda = `package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("program started")
	if os.Getenv("MODE") == "interleave" {
		for i := 0; i < 300; i++ {
			out := os.Stdout
			if i%3 == 1 {
				out = os.Stderr
			}
			fmt.Fprintf(out, "line %d\n", i)
		}
		os.Exit(2)
	}
	if os.Getenv("MODE") == "exit2" {
		fmt.Fprintln(os.Stderr, "config: no such table")
		os.Exit(2)
	}
	fmt.Println("hello, world")
}
`

// A binary that cannot serve as a Lambda function fails its execution at
// once with a message naming the binary and what went wrong, after a few
// starts, instead of being re-invoked until -max-invocations.
func TestRunFailsFastOnABinaryThatIsNoLambdaFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	src := writeNotLambda(t, dir)
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte("not a program\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		args   []string
		want   []string
		starts int
	}{
		{"exits during init", []string{"-e", "MODE=exit2", src}, []string{"function notlambda (", "the function exited during init with exit status 2", "config: no such table"}, 3},
		{"never calls lambda.Start", []string{src}, []string{"function notlambda (", "the function exited during init with exit status 0", "lambda.Start"}, 3},
		{"not a program", []string{garbage}, []string{"function garbage: cannot run " + garbage, "exec format error"}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"run", "-json"}, c.args...), &stdout, &stderr)
			if code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			var v View
			if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
				t.Fatalf("output is not a View: %v\n%s", err, stdout.String())
			}
			if v.Status != "FAILED" || len(v.Invocations) != 1 {
				t.Fatalf("status %s after %d invocations, want FAILED after 1", v.Status, len(v.Invocations))
			}
			msg := fmt.Sprint(v.Error)
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("the execution's error lacks %q:\n%s", w, msg)
				}
			}
			starts := strings.Count(strings.Join(v.Invocations[0].Logs, "\n"), "program started")
			if starts != c.starts {
				t.Errorf("the binary started %d times, want %d", starts, c.starts)
			}
		})
	}
}

// writeNotLambda writes the notLambda program's package into dir and
// returns its directory.
func writeNotLambda(t *testing.T, dir string) string {
	t.Helper()
	src := filepath.Join(dir, "notlambda")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"go.mod": "module notlambda\n\ngo 1.21\n", "main.go": notLambda} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// The lines a function writes to stdout and stderr are shown in the order
// it wrote them, as in its CloudWatch log stream.
func TestRunShowsStdoutAndStderrInTheOrderWritten(t *testing.T) {
	src := writeNotLambda(t, t.TempDir())
	var stdout, stderr bytes.Buffer
	run([]string{"run", "-json", "-e", "MODE=interleave", src}, &stdout, &stderr)
	var v View
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil || len(v.Invocations) == 0 {
		t.Fatalf("output is not a View with an invocation: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	var got []string
	for _, l := range v.Invocations[0].Logs {
		if strings.HasPrefix(l, "line ") {
			got = append(got, l)
		}
	}
	// Each start of the binary prints them all.
	if len(got) != 300*function.InitAttempts {
		t.Fatalf("%d lines, want %d:\n%s", len(got), 300*function.InitAttempts, strings.Join(v.Invocations[0].Logs, "\n"))
	}
	for i, l := range got {
		if want := fmt.Sprintf("line %d", i%300); l != want {
			t.Fatalf("line %d is %q, want %q (stdout and stderr out of order)", i, l, want)
		}
	}
}

// The conformance command's functions fail fast too: a binary that
// cannot get through init fails the invocation with its error instead of
// returning an error, which the service would answer by re-invoking it.
func TestConformanceForwarderFailsFast(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage")
	if err := os.WriteFile(garbage, []byte("not a program\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := function.New(function.Config{Name: "garbage", Binary: garbage, Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var services sync.Map
	out, err := forwarder{f: f, services: &services}.Invoke(context.Background(), []byte(`{"DurableExecutionArn":"arn:x"}`))
	if err != nil {
		t.Fatalf("Invoke: %v, want a FAILED result", err)
	}
	var env protocol.InvocationOutput
	if json.Unmarshal(out, &env) != nil || env.Status != protocol.InvocationFailed || env.Error == nil || !strings.HasPrefix(env.Error.ErrorType, "Runtime.") {
		t.Errorf("result %s, want FAILED with a Runtime.* error", out)
	}
}
