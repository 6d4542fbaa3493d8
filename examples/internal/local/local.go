// Package local runs an example durable function on AWS Lambda when it is
// deployed there, and on the local runner (package durabletest) otherwise,
// so `go run` shows the whole execution without an AWS account.
package local

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// Main starts fn with lambda.Start inside Lambda; elsewhere it runs one
// execution with input on the local runner and prints what happened.
func Main(fn *durable.Function, input any) {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		lambda.Start(fn)
		return
	}
	exec, err := Run(fn, input)
	if err != nil {
		fmt.Fprintln(os.Stderr, "local run:", err)
		os.Exit(1)
	}
	Summarize(os.Stdout, exec)
}

// Run runs one execution of fn to completion on the local runner.
func Run(fn *durable.Function, input any, opts ...durabletest.Option) (*durabletest.Execution, error) {
	return durabletest.NewRunner(fn, opts...).Run(context.Background(), input)
}

// Summarize prints the invocations, the operations and the outcome.
func Summarize(w io.Writer, exec *durabletest.Execution) {
	fmt.Fprintf(w, "\n--- execution %s\n", exec.Arn())
	for _, inv := range exec.Invocations() {
		fmt.Fprintf(w, "invocation %d at %s: %s\n", inv.Index, inv.Start.Format("15:04:05"), inv.Status)
	}
	for _, op := range exec.Operations() {
		if op.Type != protocol.OperationTypeExecution {
			fmt.Fprintf(w, "  %-14s %-18s %-24q %s\n", op.Type, op.SubType, op.Name, op.Status)
		}
	}
	emitted := 0
	for _, r := range exec.Logs() {
		if r.Emitted {
			emitted++
		}
	}
	fmt.Fprintf(w, "log calls: %d, printed: %d (the rest were replays)\n", len(exec.Logs()), emitted)
	switch exec.Status() {
	case durabletest.ExecutionSucceeded:
		fmt.Fprintf(w, "status: %s, result: %s\n", exec.Status(), *exec.Result())
	default:
		fmt.Fprintf(w, "status: %s, error: %+v\n", exec.Status(), exec.Error())
	}
}
