// Command replay checks recorded execution histories against the current
// code of durable functions before it is deployed: an execution still
// running when new code goes live replays its history on that code, and an
// operation added, removed or renamed before its resume point makes it fail
// with a NonDeterministicError.
//
//	go run ./examples/replay -workflow order -record order-42.json   # record a history locally
//	go run ./examples/replay -workflow order order-42.json           # replays: exit status 0
//	go run ./examples/replay -workflow order-fraud-check order-42.json
//	order-42.json: durabletest: replaying invocation 3 of 3: durable: non-deterministic execution ...
//
// Production histories come from GetDurableExecutionHistory with
// IncludeExecutionData=true (aws lambda get-durable-execution-history
// --include-execution-data).
//
// A replayer can only run handlers compiled into it, so this command is a
// template: copy it next to your functions and register them in workflows.
// In CI, a go test that calls durabletest.ReplayHistory on saved histories
// does the same job without a command.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/examples/internal/orders"
)

// workflows registers the handlers this replayer knows, by name.
var workflows = map[string]func() *durable.Function{
	"order": func() *durable.Function { return durable.Handler(orders.Process) },
	// order-fraud-check is the order workflow as a change would make it:
	// a fraud check inserted before the card is charged.
	"order-fraud-check": func() *durable.Function { return durable.Handler(processWithFraudCheck) },
}

func processWithFraudCheck(ctx *durable.Context, o orders.Order) (orders.Receipt, error) {
	reservation, err := durable.Step(ctx, "reserve-inventory", func(*durable.StepContext) (string, error) { return "rsv-" + o.ID, nil })
	if err != nil {
		return orders.Receipt{}, err
	}
	if err := durable.Wait(ctx, "cancellation-window", 30*time.Minute); err != nil {
		return orders.Receipt{}, err
	}
	if _, err := durable.Step(ctx, "fraud-check", func(*durable.StepContext) (bool, error) { return o.Amount < 1000, nil }); err != nil {
		return orders.Receipt{}, err
	}
	payment, err := durable.Step(ctx, "charge-card", func(*durable.StepContext) (string, error) {
		return fmt.Sprintf("pay-%s-%.2f", o.ID, o.Amount), nil
	})
	if err != nil {
		return orders.Receipt{}, err
	}
	if err := durable.Wait(ctx, "settlement", time.Hour); err != nil {
		return orders.Receipt{}, err
	}
	return orders.Receipt{OrderID: o.ID, Reservation: reservation, Payment: payment}, nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("workflow", "", "registered workflow to replay: "+strings.Join(names(), ", "))
	recordTo := fs.String("record", "", "run the workflow on the local runner and write its history to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	newFn, ok := workflows[*name]
	if !ok {
		fmt.Fprintf(stderr, "replay: unknown -workflow %q (known: %s)\n", *name, strings.Join(names(), ", "))
		return 2
	}
	if *recordTo != "" {
		if err := record(newFn(), *recordTo); err != nil {
			fmt.Fprintln(stderr, "replay:", err)
			return 1
		}
		return 0
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "replay: give one or more history files")
		return 2
	}
	status := 0
	for _, file := range fs.Args() {
		data, err := os.ReadFile(file)
		if err == nil {
			err = durabletest.ReplayHistory(context.Background(), data, newFn())
		}
		if err != nil {
			fmt.Fprintf(stdout, "%s: %v\n", file, err)
			status = 1
			continue
		}
		fmt.Fprintf(stdout, "%s: replays\n", file)
	}
	return status
}

func record(fn *durable.Function, file string) error {
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), orders.Order{ID: "42", Items: []string{"book", "lamp"}, Amount: 59.90})
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(map[string]any{"Events": exec.History()}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d events, execution %s\n", file, len(exec.History()), exec.Status())
	return nil
}

func names() []string {
	var out []string
	for n := range workflows {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
