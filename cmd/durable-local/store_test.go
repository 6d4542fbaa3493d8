package main

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/durable-go/durable-go/core/durabletest"
)

// TestDataDirSurvivesARestart stops durable-local while the tour waits
// for its callback, starts it again on the same -data directory, and
// completes the execution there.
func TestDataDirSurvivesARestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	data := t.TempDir()
	first := startTour(t, data)
	out, err := newClient(first.endpoint).Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("tour"),
		Payload: []byte(`{"order":"7"}`), InvocationType: lambdatypes.InvocationTypeEvent})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.DurableExecutionArn)
	exec, _ := first.host.Execution(arn)
	waitFor(t, first, func() bool { return len(exec.Callbacks()) == 1 && !exec.Invoking() })
	callbackID := exec.Callbacks()[0].CallbackDetails.CallbackID
	eventsBefore := len(exec.History())
	first.close()

	second := startTour(t, data)
	restored, err := second.host.Execution(arn)
	if err != nil {
		t.Fatalf("after the restart: %v", err)
	}
	if n := len(restored.History()); n != eventsBefore {
		t.Fatalf("restored history has %d events, had %d", n, eventsBefore)
	}
	if _, err := newClient(second.endpoint).SendDurableExecutionCallbackSuccess(context.Background(),
		&lambda.SendDurableExecutionCallbackSuccessInput{CallbackId: aws.String(callbackID), Result: []byte("ok")}); err != nil {
		t.Fatalf("callback after the restart: %v", err)
	}
	waitFor(t, second, func() bool { return restored.Status() != durabletest.ExecutionRunning })
	if r := restored.Result(); r == nil || *r != `{"order":"7","charge":"charged","approval":"ok","receipt":"R-7"}` {
		t.Fatalf("status %s result %v error %+v", restored.Status(), r, restored.Error())
	}
	count := map[string]int{}
	for _, l := range second.logs.Lines(arn) {
		count[l.Message()]++
	}
	if count["tour started"] != 1 || count["tour finished"] != 1 {
		t.Errorf("log lines across the restart: %v; want each once", count)
	}
}
