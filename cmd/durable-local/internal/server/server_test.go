package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/durable-go/durable-go/cmd/durable-local/internal/server"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// env is a durable-local server on an httptest listener with a real
// aws-sdk-go-v2 Lambda client pointed at it.
type env struct {
	host   *durabletest.Host
	srv    *server.Server
	http   *httptest.Server
	client *lambda.Client
}

func newEnv(t *testing.T, opts ...durabletest.Option) *env {
	t.Helper()
	host := durabletest.NewHost(opts, durabletest.WithSkipTime())
	srv := server.New(host, server.NewLogs(nil))
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	srv.AllowAddr(hs.Listener.Addr())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = host.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	client := lambda.New(lambda.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
	})
	return &env{host: host, srv: srv, http: hs, client: client}
}

// overREST makes an in-process durable handler, built with
// durable.WithLambdaClient(e.client), talk to the service through the REST
// API and the real client, as a function binary does: it invokes the
// handler with a context that keeps only the invocation's cancellation,
// deadline and Lambda context, not the in-memory service the host put there.
type overREST struct{ fn durabletest.Handler }

func (h overREST) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	detached := context.Background()
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		detached = lambdacontext.NewContext(detached, lc)
	}
	if d, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		detached, cancel = context.WithDeadline(detached, d)
		defer cancel()
	}
	detached, cancel := context.WithCancel(detached)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()
	return h.fn.Invoke(detached, payload)
}

// handlerFunc is a raw Lambda handler.
type handlerFunc func(ctx context.Context, payload []byte) ([]byte, error)

func (f handlerFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

func (e *env) waitStatus(t *testing.T, arn string, want string) {
	t.Helper()
	ex, err := e.host.Execution(arn)
	if err != nil {
		t.Fatal(err)
	}
	e.waitFor(t, func() bool { return ex.Status() == want })
}

// waitFor waits until cond holds, checking it after every change.
func (e *env) waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	changed := make(chan struct{}, 1)
	defer e.host.Subscribe(func(string) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})()
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case <-changed:
		case <-deadline:
			t.Fatal("condition not reached in 30s")
		}
	}
}

func TestRealClientDrivesAnExecutionThroughTheRESTAPI(t *testing.T) {
	e := newEnv(t, durabletest.WithPageSize(2)) // small pages: the client pages state with NextMarker
	callbackIDs := make(chan string, 1)
	fn := durable.Handler(func(ctx *durable.Context, in map[string]int) (string, error) {
		for _, name := range []string{"a", "b", "c"} {
			if _, err := durable.Step(ctx, name, func(*durable.StepContext) (int, error) { return in["order"], nil }); err != nil {
				return "", err
			}
		}
		if err := durable.Wait(ctx, "pause", time.Minute); err != nil {
			return "", err
		}
		cb, err := durable.CreateCallback[string](ctx, "approve")
		if err != nil {
			return "", err
		}
		select {
		case callbackIDs <- cb.ID():
		default:
		}
		v, err := cb.Result()
		return "approved: " + v, err
	}, durable.WithLambdaClient(e.client))
	e.host.Register("orders", overREST{fn: fn})
	ctx := context.Background()

	out, err := e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("orders"), Payload: []byte(`{"order":42}`),
		InvocationType: lambdatypes.InvocationTypeEvent, DurableExecutionName: aws.String("order-42")})
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	arn := aws.ToString(out.DurableExecutionArn)
	if !strings.Contains(arn, "/durable-execution/order-42/") {
		t.Fatalf("ARN %q does not carry the execution name", arn)
	}
	id := <-callbackIDs
	if _, err := e.client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{
		CallbackId: aws.String(id), Result: []byte("yes")}); err != nil {
		t.Fatalf("SendDurableExecutionCallbackSuccess: %v", err)
	}
	e.waitStatus(t, arn, durabletest.ExecutionSucceeded)

	got, err := e.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: aws.String(arn), IncludeExecutionData: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetDurableExecution: %v", err)
	}
	if got.Status != lambdatypes.ExecutionStatusSucceeded || aws.ToString(got.Result) != `"approved: yes"` ||
		aws.ToString(got.InputPayload) != `{"order":42}` || aws.ToString(got.DurableExecutionName) != "order-42" {
		t.Errorf("GetDurableExecution = status %s result %s input %s name %s", got.Status, aws.ToString(got.Result),
			aws.ToString(got.InputPayload), aws.ToString(got.DurableExecutionName))
	}
	if got.EndTimestamp == nil || got.EndTimestamp.Sub(*got.StartTimestamp) < time.Minute {
		t.Errorf("start %v end %v: want the skipped minute between them", got.StartTimestamp, got.EndTimestamp)
	}

	var events []lambdatypes.Event
	p := lambda.NewGetDurableExecutionHistoryPaginator(e.client, &lambda.GetDurableExecutionHistoryInput{
		DurableExecutionArn: aws.String(arn), IncludeExecutionData: aws.Bool(true), MaxItems: 4})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("history: %v", err)
		}
		events = append(events, page.Events...)
	}
	ex, _ := e.host.Execution(arn)
	want := ex.History()
	if len(events) != len(want) {
		t.Fatalf("history has %d events over REST, %d in the service", len(events), len(want))
	}
	for i, ev := range events {
		if string(ev.EventType) != string(want[i].EventType) || int(aws.ToInt32(ev.EventId)) != i+1 {
			t.Errorf("event %d: %s #%d, want %s", i, ev.EventType, aws.ToInt32(ev.EventId), want[i].EventType)
		}
	}
	last := events[len(events)-1]
	if last.ExecutionSucceededDetails == nil || aws.ToString(last.ExecutionSucceededDetails.Result.Payload) != `"approved: yes"` {
		t.Errorf("last event %s lacks the result", last.EventType)
	}
	var wait lambdatypes.Event
	for _, ev := range events {
		if ev.EventType == lambdatypes.EventTypeWaitStarted {
			wait = ev
		}
	}
	if wait.WaitStartedDetails == nil || aws.ToInt32(wait.WaitStartedDetails.Duration) != 60 || wait.WaitStartedDetails.ScheduledEndTimestamp == nil {
		t.Errorf("WaitStarted = %+v, want 60s with its end", wait.WaitStartedDetails)
	}

	list, err := e.client.ListDurableExecutionsByFunction(ctx, &lambda.ListDurableExecutionsByFunctionInput{
		FunctionName: aws.String("orders"), Statuses: []lambdatypes.ExecutionStatus{lambdatypes.ExecutionStatusSucceeded}})
	if err != nil || len(list.DurableExecutions) != 1 || aws.ToString(list.DurableExecutions[0].DurableExecutionArn) != arn {
		t.Errorf("ListDurableExecutionsByFunction = %+v, %v", list, err)
	}
	if ex.Stats().StateCalls == 0 {
		t.Errorf("the client never paged through GetDurableExecutionState although pages hold 2 operations")
	}
}

func TestSyncInvokeReturnsTheResult(t *testing.T) {
	e := newEnv(t)
	e.host.Register("double", overREST{fn: durable.Handler(func(ctx *durable.Context, n int) (int, error) {
		return durable.Step(ctx, "double", func(*durable.StepContext) (int, error) { return 2 * n, nil })
	}, durable.WithLambdaClient(e.client))})
	e.host.Register("fail", overREST{fn: durable.Handler(func(ctx *durable.Context, n int) (int, error) {
		return 0, errors.New("no luck")
	}, durable.WithLambdaClient(e.client))})
	out, err := e.client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("double"), Payload: []byte(`21`)})
	if err != nil || string(out.Payload) != "42" || out.FunctionError != nil {
		t.Fatalf("Invoke = %s, %v, %v", out.Payload, out.FunctionError, err)
	}
	out, err = e.client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("fail"), Payload: []byte(`1`)})
	if err != nil || aws.ToString(out.FunctionError) != "Unhandled" || !bytes.Contains(out.Payload, []byte("no luck")) {
		t.Fatalf("failing Invoke = %s, %v, %v", out.Payload, aws.ToString(out.FunctionError), err)
	}
}

func TestServiceErrorsReachTheClientTyped(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	type result struct {
		reuse, transition, unknownParent error
	}
	results := make(chan result, 1)
	// A raw handler speaks the protocol itself to break its rules.
	e.host.Register("raw", handlerFunc(func(_ context.Context, payload []byte) ([]byte, error) {
		var ev struct{ DurableExecutionArn, CheckpointToken string }
		_ = json.Unmarshal(payload, &ev)
		arn := aws.String(ev.DurableExecutionArn)
		step := lambdatypes.OperationUpdate{Id: aws.String("s1"), Type: lambdatypes.OperationTypeStep, SubType: aws.String("Step"), Action: lambdatypes.OperationActionStart}
		first, err := e.client.CheckpointDurableExecution(ctx, &lambda.CheckpointDurableExecutionInput{
			DurableExecutionArn: arn, CheckpointToken: aws.String(ev.CheckpointToken), Updates: []lambdatypes.OperationUpdate{step}})
		if err != nil {
			t.Errorf("first checkpoint: %v", err)
			return []byte(`{"Status":"FAILED"}`), nil
		}
		var r result
		_, r.reuse = e.client.CheckpointDurableExecution(ctx, &lambda.CheckpointDurableExecutionInput{
			DurableExecutionArn: arn, CheckpointToken: aws.String(ev.CheckpointToken)})
		wait := lambdatypes.OperationUpdate{Id: aws.String("s1"), Type: lambdatypes.OperationTypeWait, SubType: aws.String("Wait"), Action: lambdatypes.OperationActionCancel}
		_, r.transition = e.client.CheckpointDurableExecution(ctx, &lambda.CheckpointDurableExecutionInput{
			DurableExecutionArn: arn, CheckpointToken: first.CheckpointToken, Updates: []lambdatypes.OperationUpdate{wait}})
		orphan := lambdatypes.OperationUpdate{Id: aws.String("s2"), ParentId: aws.String("nope"), Type: lambdatypes.OperationTypeStep, SubType: aws.String("Step"), Action: lambdatypes.OperationActionStart}
		_, r.unknownParent = e.client.CheckpointDurableExecution(ctx, &lambda.CheckpointDurableExecutionInput{
			DurableExecutionArn: arn, CheckpointToken: first.CheckpointToken, Updates: []lambdatypes.OperationUpdate{orphan}})
		results <- r
		return []byte(`{"Status":"FAILED","Error":{"ErrorType":"Done"}}`), nil
	}))
	if _, err := e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("raw"), InvocationType: lambdatypes.InvocationTypeEvent}); err != nil {
		t.Fatal(err)
	}
	r := <-results
	var invalid *lambdatypes.InvalidParameterValueException
	if !errors.As(r.reuse, &invalid) || !strings.Contains(strings.ToLower(invalid.ErrorMessage()), "invalid checkpoint token") {
		t.Errorf("reused token: %v, want InvalidParameterValueException: Invalid checkpoint token", r.reuse)
	}
	if !errors.As(r.transition, &invalid) {
		t.Errorf("illegal transition: %v, want InvalidParameterValueException", r.transition)
	}
	if !errors.As(r.unknownParent, &invalid) {
		t.Errorf("unknown parent: %v, want InvalidParameterValueException", r.unknownParent)
	}

	var notFound *lambdatypes.ResourceNotFoundException
	_, err := e.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: aws.String("arn:aws:lambda:us-east-1:123456789012:function:x:$LATEST/durable-execution/n/i")})
	if !errors.As(err, &notFound) {
		t.Errorf("unknown execution: %v, want ResourceNotFoundException", err)
	}
	_, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("nobody")})
	if !errors.As(err, &notFound) {
		t.Errorf("unknown function: %v, want ResourceNotFoundException", err)
	}
	_, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("nobody"), InvocationType: lambdatypes.InvocationTypeDryRun})
	if !errors.As(err, &notFound) {
		t.Errorf("dry run of an unknown function: %v, want ResourceNotFoundException", err)
	}
	if out, err := e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("raw"), InvocationType: lambdatypes.InvocationTypeDryRun}); err != nil || out.StatusCode != 204 {
		t.Errorf("dry run of a known function: %+v, %v, want 204", out, err)
	}
	_, err = e.client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{CallbackId: aws.String("bm9uZQ")})
	if !errors.As(err, &notFound) {
		t.Errorf("unknown callback: %v, want ResourceNotFoundException", err)
	}
	var tooLarge *lambdatypes.RequestTooLargeException
	_, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("raw"), Payload: []byte(`"` + strings.Repeat("x", 7<<20) + `"`)})
	if !errors.As(err, &tooLarge) {
		t.Errorf("7 MiB payload: %v, want RequestTooLargeException", err)
	}
	var already *lambdatypes.DurableExecutionAlreadyStartedException
	for i, in := range []string{`1`, `2`} {
		_, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("raw"), Payload: []byte(in),
			DurableExecutionName: aws.String("once"), InvocationType: lambdatypes.InvocationTypeEvent})
		if i == 1 && !errors.As(err, &already) {
			t.Errorf("same name, other input: %v, want DurableExecutionAlreadyStartedException", err)
		}
	}
}

// TestRepeatedCheckpointGetsItsFirstAnswer checks that a checkpoint sent
// again with the same ClientToken, as the AWS SDK does when it lost the
// answer, gets the first call's answer over the wire instead of a refusal
// of its spent token, and is applied once.
func TestRepeatedCheckpointGetsItsFirstAnswer(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	type result struct {
		first, again *lambda.CheckpointDurableExecutionOutput
		err          error
	}
	results := make(chan result, 1)
	e.host.Register("repeat", handlerFunc(func(_ context.Context, payload []byte) ([]byte, error) {
		var ev struct{ DurableExecutionArn, CheckpointToken string }
		_ = json.Unmarshal(payload, &ev)
		in := &lambda.CheckpointDurableExecutionInput{
			DurableExecutionArn: aws.String(ev.DurableExecutionArn), CheckpointToken: aws.String(ev.CheckpointToken),
			ClientToken: aws.String("client-token-1"),
			Updates: []lambdatypes.OperationUpdate{{Id: aws.String("s1"), Type: lambdatypes.OperationTypeStep,
				SubType: aws.String("Step"), Action: lambdatypes.OperationActionStart}},
		}
		var r result
		if r.first, r.err = e.client.CheckpointDurableExecution(ctx, in); r.err == nil {
			r.again, r.err = e.client.CheckpointDurableExecution(ctx, in)
		}
		results <- r
		return []byte(`{"Status":"FAILED","Error":{"ErrorType":"Done"}}`), nil
	}))
	if _, err := e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("repeat"), InvocationType: lambdatypes.InvocationTypeEvent}); err != nil {
		t.Fatal(err)
	}
	r := <-results
	if r.err != nil {
		t.Fatalf("checkpoint and its repeat: %v, want both answered", r.err)
	}
	if a, b := aws.ToString(r.first.CheckpointToken), aws.ToString(r.again.CheckpointToken); a == "" || a != b {
		t.Errorf("repeat answered token %q, want the first answer's %q", b, a)
	}
}

// startWaiter starts an execution that waits for a callback, over the
// REST API, and returns its ARN and the callback's id.
func (e *env) startWaiter(t *testing.T) (arn *string, callbackID string) {
	t.Helper()
	ids := make(chan string, 1)
	e.host.Register("waiter", overREST{fn: durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "never")
		if err != nil {
			return "", err
		}
		select {
		case ids <- cb.ID():
		default:
		}
		return cb.Result()
	}, durable.WithLambdaClient(e.client))})
	out, err := e.client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("waiter"), InvocationType: lambdatypes.InvocationTypeEvent})
	if err != nil {
		t.Fatal(err)
	}
	return out.DurableExecutionArn, <-ids
}

func TestStopAndClosedCallbacks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	arn, id := e.startWaiter(t)
	if _, err := e.client.SendDurableExecutionCallbackHeartbeat(ctx, &lambda.SendDurableExecutionCallbackHeartbeatInput{CallbackId: aws.String(id)}); err != nil {
		t.Errorf("heartbeat: %v", err)
	}
	stop, err := e.client.StopDurableExecution(ctx, &lambda.StopDurableExecutionInput{DurableExecutionArn: arn,
		Error: &lambdatypes.ErrorObject{ErrorType: aws.String("Operator"), ErrorMessage: aws.String("enough")}})
	if err != nil || stop.StopTimestamp == nil {
		t.Fatalf("StopDurableExecution: %+v, %v", stop, err)
	}
	var invalid *lambdatypes.InvalidParameterValueException
	if _, err := e.client.StopDurableExecution(ctx, &lambda.StopDurableExecutionInput{DurableExecutionArn: arn}); !errors.As(err, &invalid) {
		t.Errorf("second stop: %v, want InvalidParameterValueException", err)
	}
	var closed *lambdatypes.CallbackTimeoutException
	_, err = e.client.SendDurableExecutionCallbackFailure(ctx, &lambda.SendDurableExecutionCallbackFailureInput{CallbackId: aws.String(id),
		Error: &lambdatypes.ErrorObject{ErrorType: aws.String("Late")}})
	if !errors.As(err, &closed) {
		t.Errorf("callback of a stopped execution: %v, want CallbackTimeoutException", err)
	}
	got, err := e.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: arn})
	if err != nil || got.Status != lambdatypes.ExecutionStatusStopped || aws.ToString(got.Error.ErrorMessage) != "enough" {
		t.Errorf("stopped execution: %+v, %v", got, err)
	}
	// Without execution data, only metadata: no input, result or error.
	got, err = e.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: arn, IncludeExecutionData: aws.Bool(false)})
	if err != nil || got.Status != lambdatypes.ExecutionStatusStopped || got.Error != nil || got.InputPayload != nil || aws.ToBool(got.ExecutionDataIncluded) {
		t.Errorf("stopped execution without data: %+v, %v", got, err)
	}
}

func TestForeignOriginsAndHostsAreRefused(t *testing.T) {
	e := newEnv(t)
	e.host.Register("f", handlerFunc(func(context.Context, []byte) ([]byte, error) { return []byte(`{"Status":"SUCCEEDED"}`), nil }))
	invoke := e.http.URL + "/2015-03-31/functions/f/invocations"
	cases := []struct {
		name    string
		method  string
		url     string
		headers map[string]string
		want    int
	}{
		{"same-origin post", "POST", invoke, map[string]string{"Origin": e.http.URL}, http.StatusOK},
		{"post without origin (CLI, SDK)", "POST", invoke, nil, http.StatusOK},
		{"cross-site form post", "POST", invoke, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"cross-site fetch", "POST", invoke, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"opaque origin", "POST", invoke, map[string]string{"Origin": "null"}, http.StatusForbidden},
		{"DNS rebinding post", "POST", invoke, map[string]string{"Host": "evil.example:80"}, http.StatusForbidden},
		{"DNS rebinding read", "GET", e.http.URL + "/2025-12-01/durable-executions", map[string]string{"Host": "rebind.evil.example"}, http.StatusForbidden},
		{"callback from another site", "POST", e.http.URL + "/2025-12-01/durable-execution-callbacks/x/succeed", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"localhost alias", "GET", e.http.URL + "/2025-12-01/durable-executions", map[string]string{"Host": strings.Replace(e.http.Listener.Addr().String(), "127.0.0.1", "localhost", 1)}, http.StatusOK},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, c.url, strings.NewReader(`{}`))
		for k, v := range c.headers {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: HTTP %d, want %d", c.name, resp.StatusCode, c.want)
		}
		if c.want == http.StatusForbidden && resp.Header.Get("X-Amzn-ErrorType") != "AccessDeniedException" {
			t.Errorf("%s: X-Amzn-ErrorType %q", c.name, resp.Header.Get("X-Amzn-ErrorType"))
		}
	}
}

// ListDurableExecutionsByFunction answers 100 executions per page unless
// MaxItems says otherwise, as the API documents.
func TestListPagesHoldAHundredExecutionsByDefault(t *testing.T) {
	e := newEnv(t)
	e.host.Register("f", handlerFunc(func(context.Context, []byte) ([]byte, error) {
		return []byte(`{"Status":"SUCCEEDED","Result":"1"}`), nil
	}))
	for i := 0; i < 101; i++ {
		if _, _, err := e.host.Start("f", "", "", nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	first, err := e.client.ListDurableExecutionsByFunction(ctx, &lambda.ListDurableExecutionsByFunctionInput{FunctionName: aws.String("f")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(first.DurableExecutions); n != 100 || first.NextMarker == nil {
		t.Fatalf("first page: %d executions, next marker %v; want 100 and a marker", n, first.NextMarker)
	}
	rest, err := e.client.ListDurableExecutionsByFunction(ctx, &lambda.ListDurableExecutionsByFunctionInput{FunctionName: aws.String("f"), Marker: first.NextMarker})
	if err != nil || len(rest.DurableExecutions) != 1 || rest.NextMarker != nil {
		t.Fatalf("second page: %+v, %v; want the last execution", rest, err)
	}
}

// Lambda takes at most 1 MB of input for an asynchronous (Event)
// invocation, 6 MB for a synchronous one.
func TestAsyncInvokeTakesAtMostOneMegabyte(t *testing.T) {
	e := newEnv(t)
	e.host.Register("f", handlerFunc(func(context.Context, []byte) ([]byte, error) {
		return []byte(`{"Status":"SUCCEEDED","Result":"1"}`), nil
	}))
	ctx := context.Background()
	input := func(size int) []byte { return []byte(`"` + strings.Repeat("x", size-2) + `"`) }
	var tooLarge *lambdatypes.RequestTooLargeException
	_, err := e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("f"), InvocationType: lambdatypes.InvocationTypeEvent, Payload: input(1<<20 + 1)})
	if !errors.As(err, &tooLarge) {
		t.Errorf("Event invocation of 1 MB + 1 byte: %v, want RequestTooLargeException", err)
	}
	if _, err := e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("f"), InvocationType: lambdatypes.InvocationTypeEvent, Payload: input(1 << 20)}); err != nil {
		t.Errorf("Event invocation of 1 MB: %v", err)
	}
	if _, err := e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("f"), Payload: input(1<<20 + 1)}); err != nil {
		t.Errorf("RequestResponse invocation of 1 MB + 1 byte: %v", err)
	}
}

// Paging a running execution's history newest first: the next page goes on
// below the events already read, although new events arrived meanwhile.
func TestReverseHistoryPagesStayPutWhileEventsArrive(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	arn, id := e.startWaiter(t)
	ex, _ := e.host.Execution(*arn)
	e.waitFor(t, func() bool { return !ex.Invoking() && len(ex.History()) == 3 }) // started, callback, invocation
	read := func(marker *string) *lambda.GetDurableExecutionHistoryOutput {
		t.Helper()
		page, err := e.client.GetDurableExecutionHistory(ctx, &lambda.GetDurableExecutionHistoryInput{
			DurableExecutionArn: arn, ReverseOrder: aws.Bool(true), MaxItems: 2, Marker: marker})
		if err != nil {
			t.Fatal(err)
		}
		return page
	}
	first := read(nil)
	if n := len(first.Events); n != 2 || aws.ToInt32(first.Events[0].EventId) != 3 || first.NextMarker == nil {
		t.Fatalf("first page: %d events from #%d, marker %v; want #3 and #2 and a marker", n, aws.ToInt32(first.Events[0].EventId), first.NextMarker)
	}
	if _, err := e.client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{CallbackId: aws.String(id), Result: []byte("ok")}); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(t, *arn, durabletest.ExecutionSucceeded)
	second := read(first.NextMarker)
	var got []int32
	for _, ev := range second.Events {
		got = append(got, aws.ToInt32(ev.EventId))
	}
	if len(got) != 1 || got[0] != 1 || second.NextMarker != nil {
		t.Fatalf("second page: events %v, marker %v; want only #1, the one left below the first page", got, second.NextMarker)
	}
}

// Listing executions newest first page by page while another starts: each
// execution already listed appears once, the next page going on below the
// first.
func TestReverseListPagesStayPutWhileExecutionsStart(t *testing.T) {
	e := newEnv(t)
	e.host.Register("f", handlerFunc(func(context.Context, []byte) ([]byte, error) {
		return []byte(`{"Status":"SUCCEEDED","Result":"1"}`), nil
	}))
	start := func() string {
		t0 := e.host.Now()
		for !e.host.Now().After(t0) { // one start time per execution
		}
		ex, _, err := e.host.Start("f", "", "", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		return ex.Arn()
	}
	first3 := []string{start(), start(), start()}
	ctx := context.Background()
	list := func(marker *string) *lambda.ListDurableExecutionsByFunctionOutput {
		t.Helper()
		out, err := e.client.ListDurableExecutionsByFunction(ctx, &lambda.ListDurableExecutionsByFunctionInput{
			FunctionName: aws.String("f"), ReverseOrder: aws.Bool(true), MaxItems: 2, Marker: marker})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	page1 := list(nil)
	start()
	page2 := list(page1.NextMarker)
	var got []string
	for _, p := range [][]lambdatypes.Execution{page1.DurableExecutions, page2.DurableExecutions} {
		for _, ex := range p {
			got = append(got, aws.ToString(ex.DurableExecutionArn))
		}
	}
	want := []string{first3[2], first3[1], first3[0]}
	if !slices.Equal(got, want) || page2.NextMarker != nil {
		t.Fatalf("pages list %v (next marker %v), want the first three executions newest first, once each: %v", got, page2.NextMarker, want)
	}
}
