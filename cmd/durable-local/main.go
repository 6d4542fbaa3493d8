// Command durable-local runs durable functions on a laptop or in CI with
// no AWS account: their real lambda.Start binaries, talking HTTP through
// the unmodified aws-sdk-go-v2 client to a local durable execution
// service that checkpoints, suspends, wakes them up, completes callbacks
// and chains invokes.
//
//	durable-local serve -f orders=./examples/order
//	durable-local run -skip-time ./examples/order '{"orderId":"42","items":["book"],"amount":5}'
//	durable-local callback succeed <callback-id> '"approved"'
//	durable-local history <execution-arn>
//
// See README.md beside this file.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/durable-go/durable-go/cmd/durable-local/internal/function"
)

const defaultAddr = "127.0.0.1:9014"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `durable-local: a local durable execution service for Lambda function binaries

usage:
  durable-local serve [-addr host:port] [-config file.json] [-f name=target]... [-skip-time] [-data dir]
  durable-local run [-json] [-skip-time] [-f name=target]... <target> [input-json]
  durable-local invoke [-endpoint url] [-name execution-name] [-async] <function> [input-json]
  durable-local callback [-endpoint url] succeed <callback-id> [result]
  durable-local callback [-endpoint url] fail <callback-id> [error-type] [error-message]
  durable-local callback [-endpoint url] heartbeat <callback-id>
  durable-local stop [-endpoint url] <execution-arn>
  durable-local history [-endpoint url] [-json] <execution-arn>
  durable-local list [-endpoint url] -function <name>
  durable-local conformance [-source ./conformance] [-run ids]

A target is an executable function binary or a go build target (./cmd/myfn).
serve and run also take -e KEY=VALUE, -timeout, -memory, -max-invocations and
-allow-host; run also takes -name, -addr and -data. 'durable-local <command> -h'
lists a command's flags and their defaults.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func([]string, io.Writer, io.Writer) error{
		"serve": serveCmd, "run": runCmd, "invoke": invokeCmd, "callback": callbackCmd,
		"stop": stopCmd, "history": historyCmd, "list": listCmd, "conformance": conformanceCmd,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "durable-local: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := cmd(args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "durable-local %s: %v\n", args[0], err)
		}
		return 2
	case errors.Is(err, errExecutionNotSucceeded):
		return 1
	}
	fmt.Fprintf(stderr, "durable-local %s: %v\n", args[0], err)
	if errors.Is(err, syscall.ECONNREFUSED) && args[0] != "serve" && args[0] != "run" {
		fmt.Fprintf(stderr, "(no durable-local is listening there: start one with 'durable-local serve', or name its URL with -endpoint or AWS_ENDPOINT_URL_LAMBDA)\n")
	}
	return 1
}

// functionFlags collects -f name=target.
type functionFlags []FunctionSpec

func (f *functionFlags) String() string { return "" }
func (f *functionFlags) Set(v string) error {
	spec, err := parseFunctionFlag(v)
	if err != nil {
		return err
	}
	*f = append(*f, spec)
	return nil
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// memoryFlag is -memory: a memory size in Lambda's range.
type memoryFlag int

func (m *memoryFlag) String() string { return strconv.Itoa(int(*m)) }
func (m *memoryFlag) Set(v string) error {
	mb, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("want a whole number of MB: %w", err)
	}
	if err := function.CheckMemorySize(mb); err != nil {
		return err
	}
	*m = memoryFlag(mb)
	return nil
}

// serviceFlags are the flags serve and run share.
type serviceFlags struct {
	addr       string
	skipTime   bool
	timeout    time.Duration
	memory     int
	maxInvoke  int
	data       string
	env        listFlag
	allowHosts listFlag
	functions  functionFlags
}

func (s *serviceFlags) register(fs *flag.FlagSet, addr string) {
	fs.StringVar(&s.addr, "addr", addr, "listen address (loopback unless you mean otherwise)")
	fs.BoolVar(&s.skipTime, "skip-time", false, "fire wait and retry timers at once")
	fs.DurationVar(&s.timeout, "timeout", 5*time.Minute, "function timeout per invocation")
	s.memory = function.DefaultMemorySize
	fs.Var((*memoryFlag)(&s.memory), "memory", "function memory size in `MB`, 128 to 10240 (AWS_LAMBDA_FUNCTION_MEMORY_SIZE; not enforced)")
	fs.IntVar(&s.maxInvoke, "max-invocations", 1000, "invocations allowed per execution")
	fs.Var(&s.env, "e", "KEY=VALUE for every function process (repeatable)")
	fs.Var(&s.functions, "f", "register a function: name=binary or name=./go/package (repeatable)")
	fs.StringVar(&s.data, "data", "", "keep executions in a database in this directory (default: in memory)")
	fs.Var(&s.allowHosts, "allow-host", "also accept requests naming this host:port (repeatable; for a non-loopback -addr)")
}

func (s *serviceFlags) options() options {
	return options{addr: s.addr, skipTime: s.skipTime, env: s.env, timeout: s.timeout, memory: s.memory, maxInvoke: s.maxInvoke, data: s.data, allowHosts: s.allowHosts}
}

func serveCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf serviceFlags
	sf.register(fs, defaultAddr)
	config := fs.String("config", "", "JSON config file registering functions")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	specs := []FunctionSpec(sf.functions)
	if *config != "" {
		c, err := loadConfig(*config)
		if err != nil {
			return err
		}
		specs = append(specs, c.Functions...)
	}
	opts := sf.options()
	opts.logs = func(l lineEvent) { fmt.Fprintf(stdout, "[%s] %s\n", shortRequest(l.RequestID), l.Text) }
	// Listen for the signals before anything starts, so that one that
	// comes early still shuts the functions down.
	ctx, stop := signal.NotifyContext(context.Background(), shutdownSignals...)
	defer stop()
	in, err := start(opts, specs)
	if err != nil {
		return err
	}
	defer in.close()
	fmt.Fprintf(stdout, "durable-local serving on %s\n  console: %s/\n  export AWS_ENDPOINT_URL_LAMBDA=%s\n", in.endpoint, in.endpoint, in.endpoint)
	for _, f := range in.functions {
		fmt.Fprintf(stdout, "  function %s (runtime API %s)\n", f.Name(), f.RuntimeAPI())
	}
	<-ctx.Done()
	fmt.Fprintln(stdout, "durable-local: shutting down")
	return nil
}

// shutdownSignals end serve and run cleanly (function processes stopped,
// build directory removed): an interrupt, and SIGTERM, which CI runners,
// timeout(1) and container runtimes send.
var shutdownSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

var errExecutionNotSucceeded = errors.New("execution did not succeed")

func runCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf serviceFlags
	sf.register(fs, "127.0.0.1:0")
	asJSON := fs.Bool("json", false, "print the execution as JSON")
	name := fs.String("name", "", "function name (default: the target's base name)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return fmt.Errorf("%w: want <target> [input-json]", errUsage)
	}
	target := fs.Arg(0)
	input := ""
	if fs.NArg() == 2 {
		input = fs.Arg(1)
		if !json.Valid([]byte(input)) {
			return fmt.Errorf("%w: input %q is not JSON", errUsage, input)
		}
	}
	fn := *name
	if fn == "" {
		fn = filepath.Base(strings.TrimRight(target, "/"))
	}
	specs := append([]FunctionSpec{specFor(fn, target)}, sf.functions...)
	opts := sf.options()
	progress := stderr
	if !*asJSON {
		progress = stdout
	}
	in, err := start(opts, specs)
	if err != nil {
		return err
	}
	defer in.close()
	fmt.Fprintf(progress, "durable-local: %s on %s (console %s/, send callbacks with -endpoint %s)\n", fn, in.endpoint, in.endpoint, in.endpoint)
	e, err := in.follow(fn, input, progress)
	if err != nil {
		return err
	}
	view := buildView(e, in.logs.Lines(e.Arn()))
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(view); err != nil {
			return err
		}
	} else {
		printTimeline(stdout, view)
	}
	if view.Status != "SUCCEEDED" {
		return errExecutionNotSucceeded
	}
	return nil
}

// parseFlags parses a subcommand's flags; a mistake is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}
