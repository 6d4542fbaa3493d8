package durable

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	smithylogging "github.com/aws/smithy-go/logging"
	"github.com/durable-go/durable-go/core/protocol"
)

const (
	testExecutionArn = "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST/durable-execution/run-1/3f2c"
	// testEscapedArn is testExecutionArn as a URL path segment.
	testEscapedArn = "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorders%3A%24LATEST%2Fdurable-execution%2Frun-1%2F3f2c"
	testAccessKey  = "AKIDLAMBDATEST"
)

// lambdaReply is one scripted answer of fakeLambda.
type lambdaReply struct {
	status    int    // 0 means 200
	errorType string // X-Amzn-Errortype header, for error answers
	body      string
}

// lambdaRequest is what fakeLambda saw of one request.
type lambdaRequest struct {
	method string
	path   string // as sent, still escaped
	query  url.Values
	header http.Header
	body   []byte
}

// fakeLambda speaks the durable execution REST routes with scripted
// answers, one per request, and records every request.
type fakeLambda struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	replies []lambdaReply
	seen    []lambdaRequest
}

func newFakeLambda(t *testing.T, replies ...lambdaReply) *fakeLambda {
	t.Helper()
	f := &fakeLambda{t: t, replies: replies}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLambda) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("read request body: %v", err)
	}
	path, _, _ := strings.Cut(r.RequestURI, "?")
	f.mu.Lock()
	f.seen = append(f.seen, lambdaRequest{
		method: r.Method, path: path, query: r.URL.Query(), header: r.Header.Clone(), body: body,
	})
	var reply lambdaReply
	if len(f.replies) == 0 {
		f.t.Errorf("unexpected request %d: %s %s", len(f.seen), r.Method, path)
		reply = lambdaReply{status: http.StatusTeapot, errorType: "UnexpectedRequest"}
	} else {
		reply, f.replies = f.replies[0], f.replies[1:]
	}
	f.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	if reply.errorType != "" {
		w.Header().Set("X-Amzn-Errortype", reply.errorType)
	}
	if reply.status == 0 {
		reply.status = http.StatusOK
	}
	w.WriteHeader(reply.status)
	_, _ = io.WriteString(w, reply.body)
}

func (f *fakeLambda) requests() []lambdaRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]lambdaRequest(nil), f.seen...)
}

// service returns a Service over a real lambda.Client pointed at the fake,
// retrying up to three attempts without any backoff delay.
func (f *fakeLambda) service() protocol.Service {
	return newLambdaService(newTestLambdaClient(f.srv.URL))
}

func newTestLambdaClient(endpoint string) *lambda.Client {
	cfg := aws.Config{
		Region: "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: "secret"}, nil
		}),
	}
	return lambda.NewFromConfig(cfg, func(o *lambda.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = 3
			so.RateLimiter = ratelimit.None
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	})
}

func decodeLambdaJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("invalid JSON %s: %v", b, err)
	}
	return v
}

func TestLambdaCheckpointSendsRequest(t *testing.T) {
	payload := `{"total":42}`
	tests := []struct {
		name     string
		req      protocol.CheckpointRequest
		wantBody string // ClientToken excluded; checked separately
	}{
		{
			name: "step start and succeed",
			req: protocol.CheckpointRequest{
				CheckpointToken: "token-1",
				ClientToken:     "client-token-1",
				Updates: []protocol.OperationUpdate{
					{ID: "op-1", Type: protocol.OperationTypeStep, SubType: protocol.SubTypeStep, Name: "validate", Action: protocol.ActionStart},
					{ID: "op-1", Type: protocol.OperationTypeStep, SubType: protocol.SubTypeStep, Name: "validate", Action: protocol.ActionSucceed, Payload: &payload},
				},
			},
			wantBody: `{"CheckpointToken":"token-1","Updates":[
				{"Id":"op-1","Type":"STEP","SubType":"Step","Name":"validate","Action":"START"},
				{"Id":"op-1","Type":"STEP","SubType":"Step","Name":"validate","Action":"SUCCEED","Payload":"{\"total\":42}"}]}`,
		},
		{
			name: "every option and error field",
			req: protocol.CheckpointRequest{
				CheckpointToken: "token-2",
				Updates: []protocol.OperationUpdate{
					{ID: "ctx", Type: protocol.OperationTypeContext, SubType: protocol.SubTypeRunInChildContext, Action: protocol.ActionStart},
					{ID: "retry", ParentID: "ctx", Type: protocol.OperationTypeStep, SubType: protocol.SubTypeStep, Action: protocol.ActionRetry,
						Error:       &protocol.ErrorObject{ErrorType: "Boom", ErrorMessage: "it broke", ErrorData: `{"code":7}`, StackTrace: []string{"a.go:1", "b.go:2"}},
						StepOptions: &protocol.StepOptions{NextAttemptDelaySeconds: 3}},
					{ID: "wait", ParentID: "ctx", Type: protocol.OperationTypeWait, SubType: protocol.SubTypeWait, Action: protocol.ActionStart,
						WaitOptions: &protocol.WaitOptions{WaitSeconds: 5}},
					{ID: "cb", ParentID: "ctx", Type: protocol.OperationTypeCallback, SubType: protocol.SubTypeCallback, Action: protocol.ActionStart,
						CallbackOptions: &protocol.CallbackOptions{TimeoutSeconds: 300, HeartbeatTimeoutSeconds: 60}},
					{ID: "inv", ParentID: "ctx", Type: protocol.OperationTypeChainedInvoke, SubType: protocol.SubTypeChainedInvoke, Action: protocol.ActionStart,
						ChainedInvokeOptions: &protocol.ChainedInvokeOptions{FunctionName: "billing", TenantID: "tenant-9"}},
					{ID: "ctx", Type: protocol.OperationTypeContext, SubType: protocol.SubTypeRunInChildContext, Action: protocol.ActionSucceed,
						ContextOptions: &protocol.ContextOptions{ReplayChildren: false}},
				},
			},
			wantBody: `{"CheckpointToken":"token-2","Updates":[
				{"Id":"ctx","Type":"CONTEXT","SubType":"RunInChildContext","Action":"START"},
				{"Id":"retry","ParentId":"ctx","Type":"STEP","SubType":"Step","Action":"RETRY",
				 "Error":{"ErrorType":"Boom","ErrorMessage":"it broke","ErrorData":"{\"code\":7}","StackTrace":["a.go:1","b.go:2"]},
				 "StepOptions":{"NextAttemptDelaySeconds":3}},
				{"Id":"wait","ParentId":"ctx","Type":"WAIT","SubType":"Wait","Action":"START","WaitOptions":{"WaitSeconds":5}},
				{"Id":"cb","ParentId":"ctx","Type":"CALLBACK","SubType":"Callback","Action":"START",
				 "CallbackOptions":{"TimeoutSeconds":300,"HeartbeatTimeoutSeconds":60}},
				{"Id":"inv","ParentId":"ctx","Type":"CHAINED_INVOKE","SubType":"ChainedInvoke","Action":"START",
				 "ChainedInvokeOptions":{"FunctionName":"billing","TenantId":"tenant-9"}},
				{"Id":"ctx","Type":"CONTEXT","SubType":"RunInChildContext","Action":"SUCCEED","ContextOptions":{"ReplayChildren":false}}]}`,
		},
		{
			name:     "empty checkpoint still sends an update list",
			req:      protocol.CheckpointRequest{CheckpointToken: "token-3"},
			wantBody: `{"CheckpointToken":"token-3","Updates":[]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFakeLambda(t, lambdaReply{body: `{"CheckpointToken":"next","NewExecutionState":{"Operations":[]}}`})
			tt.req.DurableExecutionArn = testExecutionArn
			if _, err := fake.service().Checkpoint(context.Background(), tt.req); err != nil {
				t.Fatalf("Checkpoint: %v", err)
			}
			reqs := fake.requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			got := reqs[0]
			if want := "/2025-12-01/durable-executions/" + testEscapedArn + "/checkpoint"; got.method != http.MethodPost || got.path != want {
				t.Errorf("request = %s %s, want POST %s", got.method, got.path, want)
			}
			if ct := got.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			if auth := got.header.Get("Authorization"); !strings.Contains(auth, "Credential="+testAccessKey+"/") {
				t.Errorf("Authorization = %q, want a SigV4 signature with %s", auth, testAccessKey)
			}
			body, _ := decodeLambdaJSON(t, got.body).(map[string]any)
			clientToken, _ := body["ClientToken"].(string)
			delete(body, "ClientToken")
			if want := decodeLambdaJSON(t, []byte(tt.wantBody)); !reflect.DeepEqual(body, want) {
				t.Errorf("body = %s\nwant  %s", got.body, tt.wantBody)
			}
			switch {
			case tt.req.ClientToken != "" && clientToken != tt.req.ClientToken:
				t.Errorf("ClientToken = %q, want %q", clientToken, tt.req.ClientToken)
			case clientToken == "":
				t.Errorf("ClientToken missing; the SDK should generate one")
			}
		})
	}
}

func TestLambdaCheckpointDecodesResponse(t *testing.T) {
	ms := func(v int64) *protocol.Timestamp { return &protocol.Timestamp{Time: time.UnixMilli(v).UTC()} }
	str := func(s string) *string { return &s }
	tests := []struct {
		name string
		body string
		want protocol.CheckpointResponse
	}{
		{
			name: "every detail type with epoch-second timestamps",
			body: `{"CheckpointToken":"token-2","NewExecutionState":{"NextMarker":"page-2","Operations":[
				{"Id":"exec","Type":"EXECUTION","Status":"STARTED","StartTimestamp":1700000000,
				 "ExecutionDetails":{"InputPayload":"{\"order\":1}"}},
				{"Id":"ctx","Name":"child","Type":"CONTEXT","SubType":"RunInChildContext","Status":"FAILED",
				 "StartTimestamp":1700000000.5,"EndTimestamp":1700000001.25,
				 "ContextDetails":{"ReplayChildren":true,"Error":{"ErrorType":"Boom","ErrorMessage":"no","ErrorData":"d","StackTrace":["x.go:3"]}}},
				{"Id":"step","ParentId":"ctx","Type":"STEP","SubType":"Step","Status":"PENDING","StartTimestamp":1700000002.125,
				 "StepDetails":{"Attempt":2,"NextAttemptTimestamp":1700000009.75,"Error":{"ErrorType":"Retry","ErrorMessage":"again"}}},
				{"Id":"done","Type":"STEP","SubType":"Step","Status":"SUCCEEDED","StartTimestamp":1700000003,"EndTimestamp":1700000004,
				 "StepDetails":{"Attempt":1,"Result":"\"ok\""}},
				{"Id":"wait","Type":"WAIT","SubType":"Wait","Status":"STARTED","StartTimestamp":1700000005,
				 "WaitDetails":{"ScheduledEndTimestamp":1700000010.5}},
				{"Id":"cb","Type":"CALLBACK","SubType":"Callback","Status":"SUCCEEDED","StartTimestamp":1700000006,
				 "CallbackDetails":{"CallbackId":"Y2FsbGJhY2s=","Result":"{\"approved\":true}"}},
				{"Id":"inv","Type":"CHAINED_INVOKE","SubType":"ChainedInvoke","Status":"FAILED","StartTimestamp":1700000007,
				 "ChainedInvokeDetails":{"Error":{"ErrorType":"Denied","ErrorMessage":"no access"}}}]}}`,
			want: protocol.CheckpointResponse{CheckpointToken: "token-2", NewExecutionState: protocol.ExecutionState{NextMarker: "page-2", Operations: []protocol.Operation{
				{ID: "exec", Type: protocol.OperationTypeExecution, Status: protocol.StatusStarted, StartTimestamp: ms(1700000000000),
					ExecutionDetails: &protocol.ExecutionDetails{InputPayload: str(`{"order":1}`)}},
				{ID: "ctx", Name: "child", Type: protocol.OperationTypeContext, SubType: protocol.SubTypeRunInChildContext, Status: protocol.StatusFailed,
					StartTimestamp: ms(1700000000500), EndTimestamp: ms(1700000001250),
					ContextDetails: &protocol.ContextDetails{ReplayChildren: true, Error: &protocol.ErrorObject{ErrorType: "Boom", ErrorMessage: "no", ErrorData: "d", StackTrace: []string{"x.go:3"}}}},
				{ID: "step", ParentID: "ctx", Type: protocol.OperationTypeStep, SubType: protocol.SubTypeStep, Status: protocol.StatusPending, StartTimestamp: ms(1700000002125),
					StepDetails: &protocol.StepDetails{Attempt: 2, NextAttemptTimestamp: ms(1700000009750), Error: &protocol.ErrorObject{ErrorType: "Retry", ErrorMessage: "again"}}},
				{ID: "done", Type: protocol.OperationTypeStep, SubType: protocol.SubTypeStep, Status: protocol.StatusSucceeded, StartTimestamp: ms(1700000003000), EndTimestamp: ms(1700000004000),
					StepDetails: &protocol.StepDetails{Attempt: 1, Result: str(`"ok"`)}},
				{ID: "wait", Type: protocol.OperationTypeWait, SubType: protocol.SubTypeWait, Status: protocol.StatusStarted, StartTimestamp: ms(1700000005000),
					WaitDetails: &protocol.WaitDetails{ScheduledEndTimestamp: ms(1700000010500)}},
				{ID: "cb", Type: protocol.OperationTypeCallback, SubType: protocol.SubTypeCallback, Status: protocol.StatusSucceeded, StartTimestamp: ms(1700000006000),
					CallbackDetails: &protocol.CallbackDetails{CallbackID: "Y2FsbGJhY2s=", Result: str(`{"approved":true}`)}},
				{ID: "inv", Type: protocol.OperationTypeChainedInvoke, SubType: protocol.SubTypeChainedInvoke, Status: protocol.StatusFailed, StartTimestamp: ms(1700000007000),
					ChainedInvokeDetails: &protocol.ChainedInvokeDetails{Error: &protocol.ErrorObject{ErrorType: "Denied", ErrorMessage: "no access"}}},
			}}},
		},
		{
			name: "no token after the final update means the execution is terminal",
			body: `{"NewExecutionState":{"Operations":[]}}`,
			want: protocol.CheckpointResponse{NewExecutionState: protocol.ExecutionState{Operations: []protocol.Operation{}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFakeLambda(t, lambdaReply{body: tt.body})
			got, err := fake.service().Checkpoint(context.Background(), protocol.CheckpointRequest{DurableExecutionArn: testExecutionArn, CheckpointToken: "token-1"})
			if err != nil {
				t.Fatalf("Checkpoint: %v", err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				gotJSON, _ := json.Marshal(got)
				wantJSON, _ := json.Marshal(tt.want)
				t.Errorf("response\n got %s\nwant %s", gotJSON, wantJSON)
			}
		})
	}
}

func TestLambdaGetExecutionStatePages(t *testing.T) {
	tests := []struct {
		name      string
		req       protocol.StateRequest
		reply     string
		wantQuery url.Values
		want      protocol.ExecutionState
	}{
		{
			name:      "first page asks for the maximum page size",
			req:       protocol.StateRequest{CheckpointToken: "token-1"},
			reply:     `{"Operations":[{"Id":"exec","Type":"EXECUTION","Status":"STARTED","StartTimestamp":1700000000}],"NextMarker":"page-2"}`,
			wantQuery: url.Values{"CheckpointToken": {"token-1"}, "MaxItems": {"1000"}},
			want: protocol.ExecutionState{NextMarker: "page-2", Operations: []protocol.Operation{
				{ID: "exec", Type: protocol.OperationTypeExecution, Status: protocol.StatusStarted, StartTimestamp: &protocol.Timestamp{Time: time.UnixMilli(1700000000000).UTC()}},
			}},
		},
		{
			name:      "next page passes the marker and page size",
			req:       protocol.StateRequest{CheckpointToken: "token 2/+", Marker: "page-2", MaxItems: 50},
			reply:     `{"Operations":[]}`,
			wantQuery: url.Values{"CheckpointToken": {"token 2/+"}, "Marker": {"page-2"}, "MaxItems": {"50"}},
			want:      protocol.ExecutionState{Operations: []protocol.Operation{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFakeLambda(t, lambdaReply{body: tt.reply})
			tt.req.DurableExecutionArn = testExecutionArn
			got, err := fake.service().GetExecutionState(context.Background(), tt.req)
			if err != nil {
				t.Fatalf("GetExecutionState: %v", err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("state = %+v, want %+v", *got, tt.want)
			}
			reqs := fake.requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			if want := "/2025-12-01/durable-executions/" + testEscapedArn + "/state"; reqs[0].method != http.MethodGet || reqs[0].path != want {
				t.Errorf("request = %s %s, want GET %s", reqs[0].method, reqs[0].path, want)
			}
			if !reflect.DeepEqual(reqs[0].query, tt.wantQuery) {
				t.Errorf("query = %v, want %v", reqs[0].query, tt.wantQuery)
			}
		})
	}
}

func TestLambdaRetriesTransientErrors(t *testing.T) {
	ok := lambdaReply{body: `{"CheckpointToken":"next","NewExecutionState":{"Operations":[]}}`}
	tests := []struct {
		name    string
		replies []lambdaReply
	}{
		{
			name: "throttled then accepted",
			replies: []lambdaReply{
				{status: http.StatusTooManyRequests, errorType: "TooManyRequestsException", body: `{"Type":"User","message":"Rate exceeded"}`},
				ok,
			},
		},
		{
			name: "server errors then accepted",
			replies: []lambdaReply{
				{status: http.StatusInternalServerError, errorType: "ServiceException", body: `{"Type":"Service","message":"internal"}`},
				{status: http.StatusServiceUnavailable, body: `upstream unavailable`},
				ok,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFakeLambda(t, tt.replies...)
			got, err := fake.service().Checkpoint(context.Background(), protocol.CheckpointRequest{DurableExecutionArn: testExecutionArn, CheckpointToken: "token-1"})
			if err != nil {
				t.Fatalf("Checkpoint: %v", err)
			}
			if got.CheckpointToken != "next" {
				t.Errorf("CheckpointToken = %q, want next", got.CheckpointToken)
			}
			reqs := fake.requests()
			if len(reqs) != len(tt.replies) {
				t.Fatalf("got %d attempts, want %d", len(reqs), len(tt.replies))
			}
			// The SDK fills ClientToken once, before its retry loop, which
			// is what makes its retries of a checkpoint idempotent.
			first := decodeLambdaJSON(t, reqs[0].body).(map[string]any)["ClientToken"]
			for i, r := range reqs[1:] {
				if again := decodeLambdaJSON(t, r.body).(map[string]any)["ClientToken"]; again != first {
					t.Errorf("attempt %d ClientToken = %v, want %v as in attempt 1", i+2, again, first)
				}
			}
		})
	}
}

func TestLambdaErrorsBecomeAPIErrors(t *testing.T) {
	checkpoint := func(s protocol.Service) error {
		_, err := s.Checkpoint(context.Background(), protocol.CheckpointRequest{DurableExecutionArn: testExecutionArn, CheckpointToken: "token-1"})
		return err
	}
	getState := func(s protocol.Service) error {
		_, err := s.GetExecutionState(context.Background(), protocol.StateRequest{DurableExecutionArn: testExecutionArn, CheckpointToken: "token-1"})
		return err
	}
	tests := []struct {
		name         string
		call         func(protocol.Service) error
		replies      []lambdaReply
		wantOp       string
		wantCode     string
		wantMessage  string
		wantStatus   int
		wantRetry    bool
		wantSDKError func(error) bool
	}{
		{
			name: "stale checkpoint token is retryable",
			call: checkpoint,
			replies: []lambdaReply{{status: 400, errorType: "InvalidParameterValueException",
				body: `{"Type":"User","message":"Invalid Checkpoint Token: token was already used"}`}},
			wantOp: opCheckpointDurableExecution, wantCode: "InvalidParameterValueException",
			wantMessage: "Invalid Checkpoint Token: token was already used", wantStatus: 400, wantRetry: true,
			wantSDKError: isSDKError[*lambdatypes.InvalidParameterValueException],
		},
		{
			name: "stale checkpoint token in emulator wording is retryable",
			call: checkpoint,
			replies: []lambdaReply{{status: 400, errorType: "InvalidParameterValueException",
				body: `{"Type":"User","Message":"Invalid checkpoint token"}`}},
			wantOp: opCheckpointDurableExecution, wantCode: "InvalidParameterValueException",
			wantMessage: "Invalid checkpoint token", wantStatus: 400, wantRetry: true,
			wantSDKError: isSDKError[*lambdatypes.InvalidParameterValueException],
		},
		{
			name: "other invalid parameter is terminal",
			call: checkpoint,
			replies: []lambdaReply{{status: 400, errorType: "InvalidParameterValueException",
				body: `{"Type":"User","message":"Inconsistent operation type"}`}},
			wantOp: opCheckpointDurableExecution, wantCode: "InvalidParameterValueException",
			wantMessage: "Inconsistent operation type", wantStatus: 400, wantRetry: false,
			wantSDKError: isSDKError[*lambdatypes.InvalidParameterValueException],
		},
		{
			name: "unknown execution is terminal",
			call: getState,
			replies: []lambdaReply{{status: 404, errorType: "ResourceNotFoundException",
				body: `{"Type":"User","Message":"Execution not found"}`}},
			wantOp: opGetDurableExecutionState, wantCode: "ResourceNotFoundException",
			wantMessage: "Execution not found", wantStatus: 404, wantRetry: false,
			wantSDKError: isSDKError[*lambdatypes.ResourceNotFoundException],
		},
		{
			name: "KMS error is terminal and not retried by the SDK",
			call: checkpoint,
			replies: []lambdaReply{{status: 502, errorType: "KMSAccessDeniedException",
				body: `{"Type":"User","Message":"Lambda was unable to decrypt"}`}},
			wantOp: opCheckpointDurableExecution, wantCode: "KMSAccessDeniedException",
			wantMessage: "Lambda was unable to decrypt", wantStatus: 502, wantRetry: false,
			wantSDKError: isSDKError[*lambdatypes.KMSAccessDeniedException],
		},
		{
			name: "throttling that outlasts the retries is retryable",
			call: getState,
			replies: []lambdaReply{
				{status: 429, errorType: "TooManyRequestsException", body: `{"Type":"User","message":"Rate exceeded"}`},
				{status: 429, errorType: "TooManyRequestsException", body: `{"Type":"User","message":"Rate exceeded"}`},
				{status: 429, errorType: "TooManyRequestsException", body: `{"Type":"User","message":"Rate exceeded"}`},
			},
			wantOp: opGetDurableExecutionState, wantCode: "TooManyRequestsException",
			wantMessage: "Rate exceeded", wantStatus: 429, wantRetry: true,
			wantSDKError: isSDKError[*lambdatypes.TooManyRequestsException],
		},
		{
			name: "server errors that outlast the retries are retryable",
			call: checkpoint,
			replies: []lambdaReply{
				{status: 500, errorType: "ServiceException", body: `{"Type":"Service","message":"internal"}`},
				{status: 500, errorType: "ServiceException", body: `{"Type":"Service","message":"internal"}`},
				{status: 500, errorType: "ServiceException", body: `{"Type":"Service","message":"internal"}`},
			},
			wantOp: opCheckpointDurableExecution, wantCode: "ServiceException",
			wantMessage: "internal", wantStatus: 500, wantRetry: true,
			wantSDKError: isSDKError[*lambdatypes.ServiceException],
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFakeLambda(t, tt.replies...)
			err := tt.call(fake.service())
			var apiErr *protocol.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if apiErr.Operation != tt.wantOp || apiErr.Code != tt.wantCode || apiErr.Message != tt.wantMessage || apiErr.StatusCode != tt.wantStatus {
				t.Errorf("APIError = {%s %s %q %d}, want {%s %s %q %d}",
					apiErr.Operation, apiErr.Code, apiErr.Message, apiErr.StatusCode,
					tt.wantOp, tt.wantCode, tt.wantMessage, tt.wantStatus)
			}
			if got := protocol.IsRetryable(err); got != tt.wantRetry {
				t.Errorf("IsRetryable = %v, want %v", got, tt.wantRetry)
			}
			if !tt.wantSDKError(err) {
				t.Errorf("errors.As cannot reach the SDK's typed exception in %v", err)
			}
			if got := len(fake.requests()); got != len(tt.replies) {
				t.Errorf("got %d attempts, want %d", got, len(tt.replies))
			}
		})
	}
}

func isSDKError[E error](err error) bool {
	var target E
	return errors.As(err, &target)
}

func TestLambdaErrorsWithoutResponse(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	live := newFakeLambda(t)

	tests := []struct {
		name     string
		ctx      context.Context
		endpoint string
		wantIs   error
	}{
		{name: "unreachable endpoint", ctx: context.Background(), endpoint: closed.URL},
		{name: "canceled context", ctx: canceled, endpoint: live.srv.URL, wantIs: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newLambdaService(newTestLambdaClient(tt.endpoint))
			_, err := svc.Checkpoint(tt.ctx, protocol.CheckpointRequest{DurableExecutionArn: testExecutionArn, CheckpointToken: "token-1"})
			var apiErr *protocol.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if apiErr.StatusCode != 0 || apiErr.Code != "" {
				t.Errorf("APIError = {code %q, status %d}, want no code and status 0", apiErr.Code, apiErr.StatusCode)
			}
			if !protocol.IsRetryable(err) {
				t.Errorf("IsRetryable = false, want true for %v", err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
		})
	}
}

func TestLambdaServiceWithoutClient(t *testing.T) {
	svc := newLambdaService(nil)
	tests := []struct {
		name string
		call func() error
	}{
		{name: "checkpoint", call: func() error {
			_, err := svc.Checkpoint(context.Background(), protocol.CheckpointRequest{DurableExecutionArn: testExecutionArn})
			return err
		}},
		{name: "get state", call: func() error {
			_, err := svc.GetExecutionState(context.Background(), protocol.StateRequest{DurableExecutionArn: testExecutionArn})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("error = %v, want ErrInvalidArgument", err)
			}
		})
	}
}

func TestDefaultLambdaServiceUsesEnvironment(t *testing.T) {
	tests := []struct {
		name         string
		maxAttempts  string // AWS_MAX_ATTEMPTS; empty leaves it unset
		wantAttempts int
	}{
		{name: "durable default of five attempts", wantAttempts: defaultLambdaMaxAttempts},
		{name: "AWS_MAX_ATTEMPTS wins", maxAttempts: "2", wantAttempts: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeLambda(t, lambdaReply{body: `{"CheckpointToken":"next","NewExecutionState":{"Operations":[]}}`})
			isolateAWSEnv(t)
			t.Setenv("AWS_ENDPOINT_URL_LAMBDA", fake.srv.URL)
			t.Setenv("AWS_MAX_ATTEMPTS", tt.maxAttempts)

			svc, err := newDefaultLambdaService(context.Background())
			if err != nil {
				t.Fatalf("newDefaultLambdaService: %v", err)
			}
			opts := svc.(*lambdaService).client.Options()
			if got := opts.Retryer.MaxAttempts(); got != tt.wantAttempts {
				t.Errorf("max attempts = %d, want %d", got, tt.wantAttempts)
			}
			if opts.ClientLogMode != 0 {
				t.Errorf("ClientLogMode = %v, want SDK logging off", opts.ClientLogMode)
			}
			if _, ok := opts.Logger.(smithylogging.Nop); !ok {
				t.Errorf("Logger = %T, want smithy logging.Nop", opts.Logger)
			}

			if _, err := svc.Checkpoint(context.Background(), protocol.CheckpointRequest{DurableExecutionArn: testExecutionArn, CheckpointToken: "token-1"}); err != nil {
				t.Fatalf("Checkpoint through AWS_ENDPOINT_URL_LAMBDA: %v", err)
			}
			reqs := fake.requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			auth := reqs[0].header.Get("Authorization")
			if !strings.Contains(auth, "Credential=AKIDFROMENV/") || !strings.Contains(auth, "/eu-west-1/lambda/") {
				t.Errorf("Authorization = %q, want it signed with the environment's key for eu-west-1 lambda", auth)
			}
		})
	}
}

// isolateAWSEnv makes config.LoadDefaultConfig see only fake credentials
// and nothing from the machine running the test.
func isolateAWSEnv(t *testing.T) {
	t.Helper()
	missing := filepath.Join(t.TempDir(), "missing")
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":                        missing,
		"AWS_SHARED_CREDENTIALS_FILE":            missing,
		"AWS_EC2_METADATA_DISABLED":              "true",
		"AWS_ACCESS_KEY_ID":                      "AKIDFROMENV",
		"AWS_SECRET_ACCESS_KEY":                  "fake-secret",
		"AWS_SESSION_TOKEN":                      "",
		"AWS_REGION":                             "eu-west-1",
		"AWS_PROFILE":                            "",
		"AWS_ENDPOINT_URL":                       "",
		"AWS_RETRY_MODE":                         "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     "",
		"AWS_WEB_IDENTITY_TOKEN_FILE":            "",
	} {
		t.Setenv(k, v)
	}
}

// A client built by hand keeps its own settings, here SDK request logging
// and a longer retry budget; WithLambdaClient only adds the durable
// protocol's error handling.
func ExampleWithLambdaClient() {
	ctx := context.Background()
	cfg, err := awsconfig.LoadDefaultConfig(ctx,
		awsconfig.WithClientLogMode(aws.LogRetries|aws.LogRequest),
		awsconfig.WithRetryMaxAttempts(8),
	)
	if err != nil {
		log.Fatal(err)
	}
	_ = WithLambdaClient(lambda.NewFromConfig(cfg)) // give this option to the handler
}
