package function_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/durable-go/durable-go/cmd/durable-local/internal/function"
)

// The test binary doubles as the function binary: with FUNCTION_TEST set
// it serves the Runtime API through lambda.Start.
func TestMain(m *testing.M) {
	if os.Getenv("FUNCTION_TEST") != "" {
		fmt.Println("process started")
		switch os.Getenv("FUNCTION_TEST") {
		case "exit-in-init":
			fmt.Fprintln(os.Stderr, "config: no such table")
			os.Exit(2)
		case "serve-forever":
			select {} // a program that is no Lambda function: a server of its own
		case "not-lambda":
			fmt.Println("hello, world")
			return
		case "sleep":
			time.Sleep(time.Hour)
			return
		case "owner":
			// durable-local in miniature: it runs the function and
			// prints its lines, for a test to kill it.
			owner()
			return
		}
		if d, err := time.ParseDuration(os.Getenv("INIT_DELAY")); err == nil {
			time.Sleep(d) // a slow init: loading configuration, connecting
		}
		var opts []lambda.Option
		if os.Getenv("SIGTERM_HOOK") != "" {
			opts = append(opts, lambda.WithEnableSIGTERM(func() { fmt.Println("sigterm hook ran") }))
		}
		lambda.StartWithOptions(func(ctx context.Context, in struct{ Do string }) (string, error) {
			lc, _ := lambdacontext.FromContext(ctx)
			fmt.Printf(`{"level":"INFO","message":"handling %s","requestId":%q}`+"\n", in.Do, lc.AwsRequestID)
			switch in.Do {
			case "crash":
				fmt.Fprintln(os.Stderr, "fatal: the disk is on fire")
				os.Exit(3)
			case "crash-unterminated":
				fmt.Println("a line on stdout")
				fmt.Fprint(os.Stderr, "panic: half a line on stderr")
				os.Exit(4)
			case "env":
				env := map[string]string{}
				for _, k := range lambdaEnv {
					if v, ok := os.LookupEnv(k); ok {
						env[k] = v
					}
				}
				env["cwd"], _ = os.Getwd()
				if b, err := os.ReadFile("settings.txt"); err == nil {
					env["settings.txt"] = string(b) // a file next to the code, opened by a relative path
				}
				b, _ := json.Marshal(env)
				return string(b), nil
			case "crash-leaving-a-child":
				// A helper process that outlives the function's own
				// process, holding its stdout and stderr.
				child := exec.Command(os.Args[0])
				child.Env = append(os.Environ(), "FUNCTION_TEST=serve-forever")
				child.Stdout, child.Stderr = os.Stdout, os.Stderr
				if err := child.Start(); err != nil {
					return "", err
				}
				fmt.Fprintln(os.Stderr, "fatal: leaving a child behind")
				os.Exit(3)
			case "crash-leaving-an-escaped-child":
				// A process of its own in a session of its own, out of
				// the sandbox's process group, holding its output.
				child := exec.Command(os.Args[0])
				child.Env = append(os.Environ(), "FUNCTION_TEST=sleep")
				child.Stdout, child.Stderr = os.Stdout, os.Stderr
				detach(child)
				if err := child.Start(); err != nil {
					return "", err
				}
				fmt.Printf("escaped pid %d\n", child.Process.Pid)
				fmt.Fprintln(os.Stderr, "fatal: leaving a child behind")
				os.Exit(3)
			case "long-line":
				fmt.Println(strings.Repeat("é", 1<<19))
			case "work-2.5s":
				select {
				case <-time.After(2500 * time.Millisecond):
				case <-ctx.Done():
					return "", fmt.Errorf("the deadline came first: %w", ctx.Err())
				}
			case "huge-response":
				return strings.Repeat("x", 7<<20), nil
			case "long-binary-line":
				fmt.Println(strings.Repeat("\x80", 1<<20))
			case "close-output":
				fmt.Println("closing stdout and stderr")
				os.Stdout.Close()
				os.Stderr.Close()
			case "arn":
				return lc.InvokedFunctionArn, nil
			case "hang":
				time.Sleep(time.Hour)
			case "hang-with-child":
				// Busy in an invocation, with a process of its own.
				child := exec.Command(os.Args[0])
				child.Env = append(os.Environ(), "FUNCTION_TEST=sleep")
				if err := child.Start(); err != nil {
					return "", err
				}
				fmt.Printf("pids %d %d\n", os.Getpid(), child.Process.Pid)
				time.Sleep(time.Hour)
			case "hang-in-a-group-of-its-own":
				// Out of reach of what kills the sandbox's process group.
				if err := leaveGroup(); err != nil {
					return "", err
				}
				fmt.Printf("pids %d\n", os.Getpid())
				time.Sleep(time.Hour)
			case "fail":
				return "", errors.New("handler gave up")
			case "interleave":
				for i := range 2000 {
					out := os.Stdout
					if i%3 == 1 {
						out = os.Stderr
					}
					fmt.Fprintf(out, "%s line %d\n", lc.AwsRequestID, i)
				}
			case "stderr":
				for i := range 50000 {
					fmt.Fprintf(os.Stderr, "%s line %d\n", lc.AwsRequestID, i)
				}
			}
			return fmt.Sprintf("pid %d env %s", os.Getpid(), os.Getenv("EXTRA")), nil
		}, opts...)
		return
	}
	os.Exit(m.Run())
}

// owner is the FUNCTION_TEST=owner mode of the test binary: it starts the
// function (the test binary again) busy in an invocation that never ends
// (OWNER_DO), prints its lines on stdout, and waits to be killed.
func owner() {
	f, err := function.New(function.Config{
		Name: "probe", Binary: os.Args[0], Env: []string{"FUNCTION_TEST=1"}, Timeout: time.Hour,
		Endpoint: "http://127.0.0.1:1",
		Output:   func(_, _, _, line string) { fmt.Println(line) },
	})
	if err != nil {
		fmt.Println("owner:", err)
		os.Exit(1)
	}
	_, err = invoke(f, "req-1", os.Getenv("OWNER_DO"))
	fmt.Println("owner: invocation ended:", err)
	os.Exit(1)
}

type line struct{ requestID, stream, text string }

func newFunction(t *testing.T, timeout time.Duration) (*function.Function, func() []line) {
	t.Helper()
	return newFunctionMode(t, "1", timeout)
}

func newFunctionMode(t *testing.T, mode string, timeout time.Duration) (*function.Function, func() []line) {
	t.Helper()
	var mu sync.Mutex
	var lines []line
	f, err := function.New(function.Config{
		Name: "probe", Binary: os.Args[0], Env: []string{"FUNCTION_TEST=" + mode, "EXTRA=yes"}, Timeout: timeout,
		Endpoint: "http://127.0.0.1:1",
		Output: func(arn, requestID, stream, text string) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, line{requestID, stream, text})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, func() []line {
		mu.Lock()
		defer mu.Unlock()
		return append([]line(nil), lines...)
	}
}

func invoke(f *function.Function, requestID, do string) (string, error) {
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: requestID})
	out, err := f.Invoke(ctx, []byte(`{"Do":"`+do+`"}`))
	var s string
	_ = json.Unmarshal(out, &s)
	return s, err
}

func TestProcessStaysWarmAndRestartsAfterACrash(t *testing.T) {
	f, lines := newFunction(t, time.Minute)
	first, err := invoke(f, "req-1", "echo")
	if err != nil || !strings.HasSuffix(first, "env yes") {
		t.Fatalf("first invocation: %q, %v", first, err)
	}
	second, err := invoke(f, "req-2", "echo")
	if err != nil || second != first {
		t.Fatalf("second invocation answered %q, %v; want the same warm process: %q", second, err, first)
	}
	if _, err := invoke(f, "req-fail", "fail"); err == nil {
		t.Fatal("the failing handler succeeded")
	}
	_, err = invoke(f, "req-3", "crash")
	var exit *function.ExitError
	if !errors.As(err, &exit) || exit.ExitCode != 3 || !strings.Contains(exit.Output, "the disk is on fire") || exit.ErrorType() != "Runtime.ExitError" {
		t.Fatalf("crash: %v, want an ExitError with exit status 3 and the output's end", err)
	}
	if strings.Contains(exit.Output, "handler gave up") {
		t.Errorf("the crash's output has an earlier invocation's lines:\n%s", exit.Output)
	}
	third, err := invoke(f, "req-4", "echo")
	if err != nil || third == first {
		t.Fatalf("after the crash: %q, %v; want a new process", third, err)
	}
	starts := 0
	for _, l := range lines() {
		if l.text == "process started" {
			starts++
		}
		if strings.Contains(l.text, `"requestId"`) && !strings.Contains(l.text, `"`+l.requestID+`"`) {
			t.Errorf("line %q attributed to %s", l.text, l.requestID)
		}
	}
	if starts != 2 {
		t.Errorf("%d processes started, want 2 (one warm for two invocations, one after the crash)", starts)
	}
}

func TestHandlerErrorsAndHangs(t *testing.T) {
	f, _ := newFunction(t, 2*time.Second)
	_, err := invoke(f, "req-1", "fail")
	var fe *function.FunctionError
	if !errors.As(err, &fe) || !strings.Contains(fe.Message, "handler gave up") {
		t.Fatalf("failing handler: %v, want a FunctionError", err)
	}
	_, err = invoke(f, "req-2", "hang")
	var te *function.TimeoutError
	if !errors.As(err, &te) || te.ErrorType() != "Sandbox.Timedout" {
		t.Fatalf("hanging handler: %v, want a TimeoutError", err)
	}
	if want := "RequestId: req-2 Error: Task timed out after 2.00 seconds"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("hanging handler: %q, want Lambda's %q", err, want)
	}
	if out, err := invoke(f, "req-3", "echo"); err != nil || !strings.HasPrefix(out, "pid") {
		t.Fatalf("after the timeout: %q, %v; want a fresh process", out, err)
	}
}

func TestMissingBinary(t *testing.T) {
	f, err := function.New(function.Config{Name: "ghost", Binary: "/nonexistent/ghost"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = f.Invoke(context.Background(), []byte(`{}`))
	var se *function.StartError
	if !errors.As(err, &se) {
		t.Fatalf("missing binary: %v, want a StartError", err)
	}
}

func TestRuntimeAPIRefusesBrowsers(t *testing.T) {
	f, _ := newFunction(t, time.Minute)
	base := "http://" + f.RuntimeAPI() + "/2018-06-01/runtime/invocation/"
	for name, set := range map[string]func(*http.Request){
		"cross-site fetch":  func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") },
		"foreign origin":    func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") },
		"DNS rebinding":     func(r *http.Request) { r.Host = "evil.example:80" },
		"localhost aliases": func(r *http.Request) { r.Host = strings.Replace(f.RuntimeAPI(), "127.0.0.1", "localhost", 1) },
	} {
		req, _ := http.NewRequest("POST", base+"some-id/response", strings.NewReader(`"forged"`))
		set(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: HTTP %d, want 403", name, resp.StatusCode)
		}
	}
	// The runtime itself still gets through.
	if out, err := invoke(f, "req-1", "echo"); err != nil || !strings.HasPrefix(out, "pid") {
		t.Fatalf("the function's own runtime: %q, %v", out, err)
	}
}

// A binary that exits during init, or is no Lambda function at all, is
// started a few times and then reported as an InitError naming it, its
// exit status and its stderr, instead of once per invocation forever.
func TestBinaryThatCannotGetThroughInit(t *testing.T) {
	for _, c := range []struct {
		mode, status, stderr string
	}{
		{"exit-in-init", "exit status 2", "config: no such table"},
		{"not-lambda", "exit status 0", ""},
	} {
		t.Run(c.mode, func(t *testing.T) {
			f, lines := newFunctionMode(t, c.mode, time.Minute)
			_, err := invoke(f, "req-1", "echo")
			var ie *function.InitError
			if !errors.As(err, &ie) || ie.Attempts != function.InitAttempts || ie.ErrorType() != "Runtime.ExitError" {
				t.Fatalf("got %v, want an InitError after %d attempts", err, function.InitAttempts)
			}
			wantInError(t, err, "function probe ("+os.Args[0]+")", "exited during init with "+c.status, c.stderr)
			if n := starts(lines()); n != function.InitAttempts {
				t.Errorf("the binary started %d times, want %d", n, function.InitAttempts)
			}
		})
	}
}

// starts counts the processes started: the lines they print first.
func starts(lines []line) int {
	n := 0
	for _, l := range lines {
		if l.text == "process started" {
			n++
		}
	}
	return n
}

func wantInError(t *testing.T, err error, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestBinaryThatCannotRun(t *testing.T) {
	bin := t.TempDir() + "/fn"
	if err := os.WriteFile(bin, []byte("not a program\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := function.New(function.Config{Name: "garbage", Binary: bin})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = f.Invoke(context.Background(), []byte(`{}`))
	var ie *function.InitError
	if !errors.As(err, &ie) || ie.ErrorType() != "Runtime.InvalidEntrypoint" {
		t.Fatalf("got %v, want an InitError of type Runtime.InvalidEntrypoint", err)
	}
	wantInError(t, err, "function garbage: cannot run "+bin, "exec format error")
}

// Every line the function writes to stderr during an invocation (the log
// package's default) is attributed to it, in order, by the time the
// invocation's result is returned.
func TestStderrLinesBelongToTheirInvocation(t *testing.T) {
	f, lines := newFunction(t, time.Minute)
	for _, id := range []string{"req-1", "req-2"} {
		if _, err := invoke(f, id, "stderr"); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range lines() {
			if strings.HasPrefix(l.text, id+" ") {
				got = append(got, l.text)
				if l.requestID != id {
					t.Fatalf("%q attributed to %q", l.text, l.requestID)
				}
			}
		}
		if len(got) != 50000 {
			t.Fatalf("%s: %d stderr lines when the invocation returned, want 50000", id, len(got))
		}
		for i, l := range got {
			if want := fmt.Sprintf("%s line %d", id, i); l != want {
				t.Fatalf("stderr line %d is %q, want %q", i, l, want)
			}
		}
	}
}

// What the function writes to stdout and stderr shows in the order it
// wrote it, as in the function's CloudWatch log stream, where both go.
func TestStdoutAndStderrKeepTheirOrder(t *testing.T) {
	f, lines := newFunction(t, time.Minute)
	if _, err := invoke(f, "req-1", "interleave"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines() {
		if strings.HasPrefix(l.text, "req-1 line ") {
			if l.requestID != "req-1" {
				t.Fatalf("%q attributed to %q", l.text, l.requestID)
			}
			got = append(got, l.text)
		}
	}
	if len(got) != 2000 {
		t.Fatalf("%d lines when the invocation returned, want 2000", len(got))
	}
	for i, l := range got {
		if want := fmt.Sprintf("req-1 line %d", i); l != want {
			t.Fatalf("line %d is %q, want %q (stdout and stderr out of order)", i, l, want)
		}
	}
}

// The last line a crashing process writes is kept even when it does not
// end with a newline: in the output and in the crash's error.
func TestUnterminatedLastLineIsKept(t *testing.T) {
	f, lines := newFunction(t, time.Minute)
	_, err := invoke(f, "req-1", "crash-unterminated")
	var exit *function.ExitError
	if !errors.As(err, &exit) || !strings.HasSuffix(exit.Output, "a line on stdout\npanic: half a line on stderr") {
		t.Fatalf("crash: %v, want an ExitError ending with the output's last lines", err)
	}
	var got []line
	for _, l := range lines() {
		if l.requestID == "req-1" && !strings.HasPrefix(l.text, "{") && l.text != "process started" {
			got = append(got, l)
		}
	}
	want := []line{{"req-1", function.OutputStream, "a line on stdout"}, {"req-1", function.OutputStream, "panic: half a line on stderr"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("lines %v, want %v", got, want)
	}
}

var lambdaEnv = []string{"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
	"_HANDLER", "AWS_LAMBDA_LOG_FORMAT", "AWS_LAMBDA_LOG_LEVEL", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_REGION", "TZ", "_X_AMZN_TRACE_ID", "AWS_LAMBDA_RUNTIME_API",
	"LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "AWS_EXECUTION_ENV", "PWD"}

// The process sees the variables the Lambda runtime sets, and a trace id
// of its own per invocation. It runs in its code directory, by default
// the one holding its binary, which LAMBDA_TASK_ROOT names as Lambda's
// /var/task; AWS_EXECUTION_ENV, which Lambda does not set for an OS-only
// runtime, is not set even when durable-local's own environment has it.
func TestLambdaEnvironment(t *testing.T) {
	t.Setenv("AWS_EXECUTION_ENV", "AWS_Lambda_go1.x")
	t.Setenv("LAMBDA_TASK_ROOT", "/var/task")
	codeDir, err := filepath.Abs(filepath.Dir(os.Args[0]))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := newFunction(t, time.Minute)
	var traces []string
	for _, id := range []string{"req-1", "req-2"} {
		out, err := invoke(f, id, "env")
		if err != nil {
			t.Fatal(err)
		}
		var env map[string]string
		if err := json.Unmarshal([]byte(out), &env); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		for k, want := range map[string]string{
			"AWS_LAMBDA_FUNCTION_NAME": "probe", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
			"_HANDLER": "bootstrap", "AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "INFO",
			"AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/probe", "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
			"AWS_REGION": "us-east-1", "TZ": ":UTC", "AWS_LAMBDA_RUNTIME_API": f.RuntimeAPI(),
			"LAMBDA_TASK_ROOT": codeDir, "LAMBDA_RUNTIME_DIR": codeDir, "cwd": codeDir,
		} {
			if env[k] != want {
				t.Errorf("%s=%q, want %q", k, env[k], want)
			}
		}
		if v, ok := env["AWS_EXECUTION_ENV"]; ok {
			t.Errorf("AWS_EXECUTION_ENV=%q, want it unset as for an OS-only runtime", v)
		}
		if !strings.Contains(env["AWS_LAMBDA_LOG_STREAM_NAME"], "[$LATEST]") {
			t.Errorf("AWS_LAMBDA_LOG_STREAM_NAME=%q, want a Lambda log stream name", env["AWS_LAMBDA_LOG_STREAM_NAME"])
		}
		traces = append(traces, env["_X_AMZN_TRACE_ID"])
	}
	trace := regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`)
	for _, tr := range traces {
		if !trace.MatchString(tr) {
			t.Errorf("_X_AMZN_TRACE_ID=%q, want an X-Ray trace header", tr)
		}
	}
	if traces[0] == traces[1] {
		t.Errorf("two invocations share the trace id %q", traces[0])
	}
}

// A function configured with a code directory and a memory size runs in
// that directory, opens the files deployed next to its code by relative
// paths, and reads both from the environment, wherever its binary is and
// whatever durable-local's own working directory is.
func TestCodeDirectoryAndMemorySize(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "settings.txt"), []byte("stage=local"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := function.New(function.Config{Name: "probe", Binary: os.Args[0], Dir: dir, MemorySize: 2048,
		Env: []string{"FUNCTION_TEST=1"}, Timeout: time.Minute, Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	out, err := invoke(f, "req-1", "env")
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]string
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for k, want := range map[string]string{"cwd": dir, "PWD": dir, "LAMBDA_TASK_ROOT": dir, "LAMBDA_RUNTIME_DIR": dir,
		"settings.txt": "stage=local", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "2048"} {
		if env[k] != want {
			t.Errorf("%s=%q, want %q", k, env[k], want)
		}
	}
}

// A memory size Lambda would refuse is refused before anything starts,
// with an error naming the function, the size and Lambda's range; the
// ends of the range are accepted.
func TestInvalidMemorySize(t *testing.T) {
	for _, mb := range []int{-1, 64, 127, 10241} {
		_, err := function.New(function.Config{Name: "probe", Binary: os.Args[0], MemorySize: mb})
		if !errors.Is(err, function.ErrMemorySize) {
			t.Errorf("memory size %d: %v, want ErrMemorySize", mb, err)
			continue
		}
		wantInError(t, err, "function probe: invalid memory size: "+fmt.Sprint(mb)+" MB", "128 to 10240 MB")
	}
	for _, mb := range []int{0, 128, 10240} {
		f, err := function.New(function.Config{Name: "probe", Binary: os.Args[0], MemorySize: mb})
		if err != nil {
			t.Errorf("memory size %d: %v, want it accepted", mb, err)
			continue
		}
		_ = f.Close()
	}
}

// A binary that neither exits nor asks the Runtime API for an invocation
// (a server of its own, a main blocked before lambda.Start) is killed at
// the function timeout and reported as an InitError, once: starting it
// again would only wait as long again.
func TestBinaryThatNeverAsksForAnInvocation(t *testing.T) {
	f, lines := newFunctionMode(t, "serve-forever", time.Second)
	_, err := invoke(f, "req-1", "echo")
	var ie *function.InitError
	if !errors.As(err, &ie) || !function.IsTimeout(err) || ie.Attempts != 1 {
		t.Fatalf("got %v, want an InitError for a timeout after 1 attempt", err)
	}
	wantInError(t, err, "function probe ("+os.Args[0]+")", "did not ask the Runtime API for an invocation within 1s", "lambda.Start")
	if n := starts(lines()); n != 1 {
		t.Errorf("the binary started %d times, want 1", n)
	}
}

// Invocations of the same function run side by side, each in a sandbox
// of its own, as Lambda scales out: a hanging invocation of one
// execution does not hold up the others until it times out.
func TestConcurrentInvocationsDoNotWaitForEachOther(t *testing.T) {
	f, handling := newHandlingFunction(t)
	hung := make(chan error, 1)
	go func() {
		_, err := invoke(f, "req-hang", "hang")
		hung <- err
	}()
	if id := <-handling; id != "req-hang" {
		t.Fatalf("first line from %q", id)
	}
	out, err := invoke(f, "req-echo", "echo")
	if err != nil || !strings.HasPrefix(out, "pid") {
		t.Fatalf("second invocation: %q, %v", out, err)
	}
	select {
	case err := <-hung:
		t.Fatalf("the second invocation waited for the first to end (%v)", err)
	default:
	}
	_ = f.Close()
	if err := <-hung; err == nil {
		t.Error("the hanging invocation succeeded after Close")
	}
}

// A process that crashes leaving a process of its own behind ends its
// invocation like any crash, and takes that process with it, as Lambda
// resets the whole sandbox.
func TestCrashLeavingAChildBehind(t *testing.T) {
	f, _ := newFunction(t, 20*time.Second)
	wantCrashLeavingAChild(t, f, "crash-leaving-a-child")
}

// wantCrashLeavingAChild runs invocation do, which crashes leaving a
// child behind, and wants it to end with the crash's ExitError (within a
// minute) and the next invocation to be answered.
func wantCrashLeavingAChild(t *testing.T, f *function.Function, do string) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := invoke(f, "req-1", do)
		done <- err
	}()
	select {
	case err := <-done:
		var exit *function.ExitError
		if !errors.As(err, &exit) || exit.ExitCode != 3 || !strings.Contains(exit.Output, "leaving a child behind") {
			t.Fatalf("got %v, want the crash's ExitError", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the invocation did not end after the crash")
	}
	if out, err := invoke(f, "req-2", "echo"); err != nil || !strings.HasPrefix(out, "pid") {
		t.Fatalf("after the crash: %q, %v", out, err)
	}
}

// The process is told the function ARN the service invoked, with its
// qualifier, as the execution's ARN names it.
func TestInvokedFunctionArn(t *testing.T) {
	f, _ := newFunction(t, time.Minute)
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:probe:$LATEST"
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1", InvokedFunctionArn: arn})
	out, err := f.Invoke(ctx, []byte(`{"Do":"arn"}`))
	if err != nil || string(out) != `"`+arn+`"` {
		t.Fatalf("invoked function ARN %s, %v; want %q", out, err, arn)
	}
}

// Close ends an invocation that is still starting its process, and no
// process is started after it: none is left running.
func TestCloseDuringInitStartsNoMoreProcesses(t *testing.T) {
	started := make(chan struct{}, 8)
	var mu sync.Mutex
	n := 0
	f, err := function.New(function.Config{
		Name: "probe", Binary: os.Args[0], Env: []string{"FUNCTION_TEST=serve-forever"}, Timeout: 3 * time.Second,
		Output: func(_, _, _, text string) {
			if text == "process started" {
				mu.Lock()
				n++
				mu.Unlock()
				started <- struct{}{}
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := invoke(f, "req-1", "echo")
		done <- err
	}()
	<-started
	_ = f.Close()
	if err := <-done; !errors.Is(err, function.ErrClosed) {
		t.Errorf("invocation during Close: %v, want ErrClosed", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if n != 1 {
		t.Errorf("%d processes started, want 1 (none after Close)", n)
	}
}

// A line longer than a CloudWatch Logs event (1 MiB, of a 256 KiB
// limit) is split into lines that fit, as Lambda splits it into log
// events, none of it lost: durable-local never holds an unbounded line
// (a progress bar redrawn with \r for hours).
func TestLongLineIsSplitAsLambdaSplitsIt(t *testing.T) {
	f, lines := newFunction(t, time.Minute)
	if _, err := invoke(f, "req-1", "long-line"); err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, l := range lines() {
		if strings.HasPrefix(l.text, "é") {
			if l.requestID != "req-1" {
				t.Errorf("part attributed to %q", l.requestID)
			}
			if len(l.text) > 256<<10 || !utf8.ValidString(l.text) {
				t.Errorf("a part of %d bytes (valid UTF-8: %v), want at most 256 KiB of whole characters", len(l.text), utf8.ValidString(l.text))
			}
			parts = append(parts, l.text)
		}
	}
	if want := strings.Repeat("é", 1<<19); strings.Join(parts, "") != want || len(parts) < 4 {
		t.Errorf("%d parts of %d bytes in all, want the 1 MiB line in at least 4 parts", len(parts), len(strings.Join(parts, "")))
	}

	// Bytes that are no UTF-8 are split all the same.
	if _, err := invoke(f, "req-2", "long-binary-line"); err != nil {
		t.Fatal(err)
	}
	parts = nil
	for _, l := range lines() {
		if strings.HasPrefix(l.text, "\x80") {
			if len(l.text) > 256<<10 {
				t.Errorf("a part of %d bytes, want at most 256 KiB", len(l.text))
			}
			parts = append(parts, l.text)
		}
	}
	if want := strings.Repeat("\x80", 1<<20); strings.Join(parts, "") != want || len(parts) < 4 {
		t.Errorf("%d parts of %d bytes in all, want the 1 MiB line in at least 4 parts", len(parts), len(strings.Join(parts, "")))
	}
}

// A function that closes its stdout and stderr during an invocation
// still answers it, and the sandbox serves the next.
func TestFunctionClosingItsOutput(t *testing.T) {
	f, lines := newFunction(t, time.Minute)
	first, err := invoke(f, "req-1", "close-output")
	if err != nil || !strings.HasPrefix(first, "pid") {
		t.Fatalf("closing its output: %q, %v", first, err)
	}
	if out, err := invoke(f, "req-2", "echo"); err != nil || out != first {
		t.Fatalf("next invocation: %q, %v; want the same warm process: %q", out, err, first)
	}
	for _, l := range lines() {
		if l.text == "closing stdout and stderr" && l.requestID == "req-1" {
			return
		}
	}
	t.Errorf("the line written before closing is missing: %v", lines())
}

// A response over Lambda's 6 MB fails its invocation with Lambda's
// Function.ResponseSizeTooLarge, and the function serves the next one.
func TestResponseTooLarge(t *testing.T) {
	f, _ := newFunction(t, time.Minute)
	_, err := invoke(f, "req-1", "huge-response")
	var fe *function.FunctionError
	if !errors.As(err, &fe) || fe.Type != "Function.ResponseSizeTooLarge" {
		t.Fatalf("got %v, want a Function.ResponseSizeTooLarge error", err)
	}
	if out, err := invoke(f, "req-2", "echo"); err != nil || !strings.HasPrefix(out, "pid") {
		t.Fatalf("after the large response: %q, %v", out, err)
	}
}

// As in Lambda, the function timeout (and the deadline the handler's
// context gets) counts from when the runtime gets the invocation, not
// from the start of a process that takes a while to get through init.
func TestTimeoutCountsFromTheInvocationNotTheInit(t *testing.T) {
	f, err := function.New(function.Config{
		Name: "probe", Binary: os.Args[0], Env: []string{"FUNCTION_TEST=1", "INIT_DELAY=2.5s"}, Timeout: 4 * time.Second,
		Endpoint: "http://127.0.0.1:1",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if out, err := invoke(f, "req-1", "work-2.5s"); err != nil || !strings.HasPrefix(out, "pid") {
		t.Fatalf("2.5s of init and 2.5s of work with a 4s timeout: %q, %v; want the answer", out, err)
	}
}

// A function that asks for SIGTERM before the end of its sandbox
// (lambda.WithEnableSIGTERM, which registers an internal extension) gets
// it when durable-local closes, as Lambda sends it at shutdown, and its
// hook runs before the process is killed.
func TestSIGTERMBeforeShutdown(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	f, err := function.New(function.Config{
		Name: "probe", Binary: os.Args[0], Env: []string{"FUNCTION_TEST=1", "SIGTERM_HOOK=1"}, Timeout: time.Minute,
		Endpoint: "http://127.0.0.1:1",
		Output: func(_, _, _, line string) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, line)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := invoke(f, "req-1", "echo"); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	mu.Lock()
	defer mu.Unlock()
	ran := false
	for _, l := range lines {
		ran = ran || l == "sigterm hook ran"
		if strings.Contains(l, "WARNING") {
			t.Errorf("the runtime warned: %s", l)
		}
	}
	if !ran {
		t.Errorf("the SIGTERM hook did not run by the end of Close:\n%s", strings.Join(lines, "\n"))
	}
}

// An invocation whose context ends (the service stops waiting for it)
// takes its process down with it: the sandbox goes back to the pool
// ready for the next invocation, not busy with the abandoned one.
func TestAbandonedInvocationFreesItsSandbox(t *testing.T) {
	f, handling := newHandlingFunction(t)
	ctx, cancel := context.WithCancel(lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"}))
	abandoned := make(chan error, 1)
	go func() {
		_, err := f.Invoke(ctx, []byte(`{"Do":"hang"}`))
		abandoned <- err
	}()
	<-handling
	cancel()
	if err := <-abandoned; !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned invocation: %v, want context.Canceled", err)
	}
	if out, err := invoke(f, "req-2", "echo"); err != nil || !strings.HasPrefix(out, "pid") {
		t.Fatalf("next invocation: %q, %v; want an answer", out, err)
	}
}

// newHandlingFunction returns a function with a 20s timeout and the
// request ids of the invocations it starts handling, as it starts them.
func newHandlingFunction(t *testing.T) (*function.Function, <-chan string) {
	t.Helper()
	handling := make(chan string, 16)
	f, err := function.New(function.Config{
		Name: "probe", Binary: os.Args[0], Env: []string{"FUNCTION_TEST=1"}, Timeout: 20 * time.Second,
		Endpoint: "http://127.0.0.1:1",
		Output: func(_, requestID, _, text string) {
			if strings.Contains(text, "handling") {
				handling <- requestID
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, handling
}
