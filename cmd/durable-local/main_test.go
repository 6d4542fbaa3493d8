package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/durable-go/durable-go/core/durabletest"
)

// TestTourEndToEnd builds the tour example and its receipt function, runs
// them as real Lambda binaries under durable-local through a wait, a
// retry, a callback and a chained invoke, and checks the result, the
// history and that every log line appears exactly once.
func TestTourEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	in := startTour(t, "")
	ctx := context.Background()
	client := newClient(in.endpoint)
	out, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("tour"), Payload: []byte(`{"order":"42"}`),
		InvocationType: lambdatypes.InvocationTypeEvent})
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	arn := aws.ToString(out.DurableExecutionArn)
	exec, err := in.host.Execution(arn)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, in, func() bool {
		return len(exec.Callbacks()) == 1 && exec.Status() == durabletest.ExecutionRunning && !exec.Invoking()
	})
	id := exec.Callbacks()[0].CallbackDetails.CallbackID
	if _, err := client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{
		CallbackId: aws.String(id), Result: []byte("approved")}); err != nil {
		t.Fatalf("callback: %v", err)
	}
	waitFor(t, in, func() bool { return exec.Status() != durabletest.ExecutionRunning })

	if r := exec.Result(); exec.Status() != durabletest.ExecutionSucceeded || r == nil ||
		*r != `{"order":"42","charge":"charged","approval":"approved","receipt":"R-42"}` {
		t.Fatalf("status %s, result %v, error %+v", exec.Status(), exec.Result(), exec.Error())
	}

	var types []string
	for _, ev := range exec.History() {
		types = append(types, string(ev.EventType))
	}
	history := strings.Join(types, " ")
	for _, want := range []string{
		"WaitStarted InvocationCompleted WaitSucceeded",
		"StepStarted StepFailed InvocationCompleted StepStarted StepSucceeded",
		"CallbackStarted", "CallbackSucceeded",
		"ChainedInvokeStarted InvocationCompleted ChainedInvokeSucceeded",
		"InvocationCompleted ExecutionSucceeded",
	} {
		if !strings.Contains(history, want) {
			t.Errorf("history lacks %q:\n%s", want, history)
		}
	}

	count := map[string]int{}
	for _, l := range in.logs.Lines(arn) {
		count[l.Message()]++
	}
	for msg, want := range map[string]int{"tour started": 1, "charging card": 2, "approval requested": 1, "tour finished": 1} {
		if count[msg] != want {
			t.Errorf("%q printed %d times, want %d (lines: %v)", msg, count[msg], want, count)
		}
	}
	var receipt *durabletest.Execution
	for _, e := range in.host.Executions() {
		if e.FunctionName() == "receipt" {
			receipt = e
		}
	}
	if receipt == nil || len(in.logs.Lines(receipt.Arn())) != 1 || in.logs.Lines(receipt.Arn())[0].Message() != "writing receipt" {
		t.Errorf("the receipt execution's lines: %+v", receipt)
	}
	if invs := exec.Invocations(); len(invs) < 5 {
		t.Errorf("%d invocations, want one per suspension", len(invs))
	}
}

// startTour starts durable-local with the tour and its receipt function,
// skipping time, persisting in data when it is not empty; the test closes
// it.
func startTour(t *testing.T, data string) *instance {
	t.Helper()
	in, err := start(options{addr: "127.0.0.1:0", skipTime: true, timeout: time.Minute, data: data}, []FunctionSpec{
		{Name: "tour", Build: "../../examples/tour"},
		{Name: "receipt", Build: "../../examples/tour/receipt"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(in.close)
	return in
}

func waitFor(t *testing.T, in *instance, cond func() bool) {
	t.Helper()
	changed := make(chan struct{}, 1)
	defer in.host.Subscribe(func(string) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})()
	deadline := time.After(2 * time.Minute)
	for !cond() {
		select {
		case <-changed:
		case <-deadline:
			t.Fatal("condition not reached in 2 minutes")
		}
	}
}

// TestRunCommandPrintsTheExecution runs `durable-local run -json` on the
// retry example, built from source.
func TestRunCommandPrintsTheExecution(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"run", "-json", "-skip-time", "../../examples/retry", "12.5"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s\nstdout:\n%s", code, stderr.String(), stdout.String())
	}
	var v View
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
		t.Fatalf("output is not a View: %v\n%s", err, stdout.String())
	}
	if v.Status != "SUCCEEDED" || v.Result == nil || *v.Result != `"charged"` || len(v.Invocations) != 3 {
		t.Fatalf("view: status %s result %v, %d invocations", v.Status, v.Result, len(v.Invocations))
	}
	charging := 0
	for _, iv := range v.Invocations {
		for _, l := range iv.Logs {
			if strings.Contains(l, `"charging"`) {
				charging++
			}
		}
	}
	if charging != 1 {
		t.Errorf(`"charging" printed %d times over 3 invocations, want once (replays are silent)`, charging)
	}
	if got := v.Invocations[2].Replayed; len(got) != 0 {
		t.Logf("replayed in the last invocation: %v", got)
	}
	if !strings.Contains(stderr.String(), "StepFailed charge") {
		t.Errorf("no progress on stderr:\n%s", stderr.String())
	}
}

func TestBadCommandLines(t *testing.T) {
	for _, args := range [][]string{
		{}, {"frobnicate"}, {"run"}, {"run", "x", "not json"}, {"callback", "succeed"}, {"callback", "-endpoint", "http://127.0.0.1:1", "poke", "id"},
		{"serve", "-f", "no-equals-sign"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2 (usage)\n%s", args, code, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"callback", "-endpoint", "http://127.0.0.1:1", "succeed", "id"}, &stdout, &stderr); code != 1 || stderr.Len() == 0 {
		t.Errorf("unreachable endpoint: exit %d, stderr %q", code, stderr.String())
	}
}
