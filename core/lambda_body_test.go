package durable

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/durable-go/durable-go/core/protocol"
)

// TestCheckpointSurvivesBodyClosedBeforeItsEnd checks that a checkpoint is
// sent once when the SDK closes its request body before net/http has read
// past its end. smithy-go closes the body as soon as the response
// arrives, which over a fast link (or on a throttled CPU) can come before
// net/http's read past Content-Length, the check that no bytes follow; a
// client that closes the body the moment its last byte is read makes
// that order certain. Had net/http been handed smithy-go's WriteTo, which
// answers io.EOF once the body is closed, it would have failed the write,
// closed the connection and the SDK would have sent the checkpoint again,
// until it gave up.
func TestCheckpointSurvivesBodyClosedBeforeItsEnd(t *testing.T) {
	f := newFakeLambda(t, lambdaReply{body: `{"CheckpointToken":"t2"}`})
	var closed atomic.Int32
	client := newTestLambdaClient(f.srv.URL)
	client = lambda.New(client.Options(), func(o *lambda.Options) {
		o.HTTPClient = closeAtEndClient{inner: o.HTTPClient, closed: &closed}
	})

	payload := `"` + strings.Repeat("x", 32<<10) + `"`
	resp, err := newLambdaService(client).Checkpoint(context.Background(), protocol.CheckpointRequest{
		DurableExecutionArn: testExecutionArn, CheckpointToken: "t1", ClientToken: "c1",
		Updates: []protocol.OperationUpdate{{ID: "s1", Type: protocol.OperationTypeStep, SubType: "Step",
			Action: protocol.ActionSucceed, Payload: &payload}},
	})
	if n := len(f.requests()); n != 1 {
		t.Errorf("the service received %d checkpoint requests, want 1", n)
	}
	if err != nil {
		t.Fatalf("Checkpoint: %v", err)
	}
	if resp.CheckpointToken != "t2" {
		t.Errorf("CheckpointToken = %q, want t2", resp.CheckpointToken)
	}
	if n := closed.Load(); n != 1 {
		t.Errorf("the body was closed at its end %d times, want once: the test tested nothing", n)
	}
}

// closeAtEndClient gives the transport each request's body wrapped so
// that it closes itself once its last byte, by Content-Length, has been
// read, as smithy-go does when the response wins the race. The wrapper
// has WriteTo exactly when the body it wraps has.
type closeAtEndClient struct {
	inner  lambda.HTTPClient
	closed *atomic.Int32
}

func (c closeAtEndClient) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.ContentLength > 0 {
		b := &closeAtEnd{ReadCloser: r.Body, left: r.ContentLength, closed: c.closed}
		r.Body = b
		if _, ok := b.ReadCloser.(io.WriterTo); ok {
			r.Body = closeAtEndWriterTo{b}
		}
	}
	return c.inner.Do(r)
}

type closeAtEnd struct {
	io.ReadCloser
	left   int64
	closed *atomic.Int32
}

func (b *closeAtEnd) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if b.left -= int64(n); b.left == 0 && n > 0 {
		b.closed.Add(1)
		_ = b.ReadCloser.Close()
	}
	return n, err
}

type closeAtEndWriterTo struct{ *closeAtEnd }

func (b closeAtEndWriterTo) WriteTo(w io.Writer) (int64, error) {
	return b.ReadCloser.(io.WriterTo).WriteTo(w)
}
