package durabletest_test

import (
	"context"
	"fmt"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// A Host is the in-memory service as a long-lived local service on the
// wall clock: register functions, Run it, start executions and follow
// them through Subscribe. durable-local serves it over HTTP.
func ExampleHost() {
	host := durabletest.NewHost(nil, durabletest.WithSkipTime())
	host.Register("greeter", durable.Handler(func(ctx *durable.Context, name string) (string, error) {
		if err := durable.Wait(ctx, "think", time.Hour); err != nil { // skipped: no real hour passes
			return "", err
		}
		return "hello " + name, nil
	}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go host.Run(ctx)

	changed := make(chan struct{}, 1)
	defer host.Subscribe(func(string) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})()
	input := `"gopher"`
	exec, _, err := host.Start("greeter", "", "greet-1", &input, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	for exec.Status() == durabletest.ExecutionRunning {
		<-changed
	}
	fmt.Println(exec.Name(), exec.Status(), *exec.Result(), len(exec.Invocations()), "invocations")
	// Output: greet-1 SUCCEEDED "hello gopher" 2 invocations
}
