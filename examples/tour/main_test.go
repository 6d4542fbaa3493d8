package main

import (
	"context"
	"errors"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

func TestTourGoesThroughEverySuspension(t *testing.T) {
	receipt := durable.Handler(func(ctx *durable.Context, in Input) (string, error) { return "R-" + in.Order, nil })
	r := durabletest.NewRunner(durable.Handler(Tour), durabletest.WithInvokeTarget("receipt", receipt))
	ctx := context.Background()
	exec, err := r.Run(ctx, Input{Order: "42"})
	if !errors.Is(err, durabletest.ErrBlocked) || len(exec.Callbacks()) != 1 {
		t.Fatalf("the tour should wait for its approval: %v", err)
	}
	if err := exec.SendCallbackSuccess(ctx, exec.Callbacks()[0].CallbackDetails.CallbackID, []byte("approved")); err != nil {
		t.Fatal(err)
	}
	if err := exec.RunToCompletion(ctx); err != nil {
		t.Fatal(err)
	}
	if got := exec.Result(); got == nil || *got != `{"order":"42","charge":"charged","approval":"approved","receipt":"R-42"}` {
		t.Fatalf("result %v, error %+v", got, exec.Error())
	}
	started := 0
	for _, l := range exec.EmittedLogs() {
		if l.Message == "tour started" {
			started++
		}
	}
	if started != 1 {
		t.Errorf(`"tour started" printed %d times over %d invocations, want once`, started, len(exec.Invocations()))
	}
}
