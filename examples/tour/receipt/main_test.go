package main

import (
	"context"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

func TestReceipt(t *testing.T) {
	exec, err := durabletest.NewRunner(durable.Handler(Receipt)).Run(context.Background(), Order{Order: "7"})
	if err != nil || exec.Result() == nil || *exec.Result() != `"R-7"` {
		t.Fatalf("%v, %v", err, exec.Result())
	}
}
