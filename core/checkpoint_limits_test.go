package durable_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/protocol"
)

// maxErrorObjectBytes is the service's limit on an update's error: "the
// combined size of all error fields is limited to 1 MB" (API reference,
// OperationUpdate.Error).
const maxErrorObjectBytes = 1 << 20

// hugeError fails with a message, data and stack trace far over the
// service's limit on an update's error object.
type hugeError struct{}

func (hugeError) Error() string        { return "huge: " + strings.Repeat("é", 1<<20) }
func (hugeError) ErrorData() string    { return strings.Repeat("d", 1<<20) }
func (hugeError) StackTrace() []string { return strings.Split(strings.Repeat("frame\n", 1<<17), "\n") }

func errorObjectBytes(e *protocol.ErrorObject) int {
	n := len(e.ErrorType) + len(e.ErrorMessage) + len(e.ErrorData)
	for _, f := range e.StackTrace {
		n += len(f)
	}
	return n
}

// An error too large for the service is trimmed to fit before it is
// checkpointed: the service never refuses the update, a retry still
// happens, and the error the code sees is the one a replay rebuilds.
func TestErrorsOverTheServiceLimitAreTrimmed(t *testing.T) {
	t.Run("retried", func(t *testing.T) {
		h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
			return durable.Step(ctx, "s", func(sc *durable.StepContext) (string, error) {
				if sc.Attempt() == 1 {
					return "", hugeError{}
				}
				return "ok", nil
			})
		})
		wantResult(t, run(t, h, nil), `"ok"`)
	})
	t.Run("not retried", func(t *testing.T) {
		var seen []string
		h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
			_, err := durable.Step(ctx, "s", func(*durable.StepContext) (string, error) { return "", hugeError{} },
				durable.WithRetryStrategy(durable.NoRetry))
			seen = append(seen, err.Error())
			if err := durable.Wait(ctx, "", time.Second); err != nil {
				return "", err
			}
			return "", err
		})
		exec := run(t, h, nil)
		e := exec.Error()
		if exec.Status() != "FAILED" || e == nil || e.ErrorType != "StepError" || !strings.HasPrefix(e.ErrorMessage, "huge: éé") {
			t.Fatalf("status %s, error %.200v; want FAILED with the step's error", exec.Status(), e)
		}
		if n := errorObjectBytes(e); n > maxErrorObjectBytes {
			t.Errorf("the execution's error holds %d bytes, over the limit %d", n, maxErrorObjectBytes)
		}
		if !utf8.ValidString(e.ErrorMessage) {
			t.Error("the trimmed message is not UTF-8")
		}
		if len(seen) != 2 || seen[0] != seen[1] {
			t.Errorf("the first run and the replay saw different errors (%d calls)", len(seen))
		}
		step, ok := exec.FindOperation("s")
		if !ok || step.StepDetails == nil || step.StepDetails.Error == nil {
			t.Fatalf("step record %+v", step)
		}
		if got := step.StepDetails.Error; got.ErrorData == "" || errorObjectBytes(got) > maxErrorObjectBytes {
			t.Errorf("the step's stored error: %d bytes, ErrorData kept: %v", errorObjectBytes(got), got.ErrorData != "")
		}
	})
}
