package durabletest_test

import (
	"context"
	"strings"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// binarySerdes writes bytes that are not UTF-8, as a gob or protobuf
// Serdes would.
type binarySerdes struct{}

func (binarySerdes) Serialize(any) (string, error) { return "\x00\xff\xfe", nil }
func (binarySerdes) Deserialize(string, any) error { return nil }

// A payload that is not UTF-8 cannot reach the Lambda API unchanged (it
// carries payloads as JSON strings); the local service refuses it too, so
// a binary Serdes fails in tests as it would in Lambda, not only there.
func TestPayloadThatIsNotTextIsRefused(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "binary", func(*durable.StepContext) (int, error) { return 1, nil },
			durable.WithSerdes(binarySerdes{}))
	})
	exec, err := durabletest.NewRunner(h).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if exec.Status() != durabletest.ExecutionFailed {
		t.Fatalf("status %s, want FAILED", exec.Status())
	}
	if e := exec.Error(); e == nil || !strings.Contains(e.ErrorMessage, "UTF-8") {
		t.Errorf("execution error %+v, want the refusal of the payload that is not UTF-8", e)
	}
}
