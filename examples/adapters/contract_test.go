package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/examples/internal/local"
)

// nested logs in a child of a child, then waits so that the execution has
// three invocations; every line is logged before a checkpointed operation.
func nested(ctx *durable.Context, _ any) (string, error) {
	ctx.Logger().Info("root line", durable.Extra{"executionArn": "overridden", "order_id": "o-1"})
	return durable.RunInChildContext(ctx, "outer", func(outer *durable.Context) (string, error) {
		outer.Logger().Warning("outer line")
		if err := durable.Wait(outer, "", time.Minute); err != nil {
			return "", err
		}
		return durable.RunInChildContext(outer, "inner", func(inner *durable.Context) (string, error) {
			inner.Logger().Info("inner line", "order_id", "o-1")
			if err := durable.Wait(inner, "", time.Minute); err != nil {
				return "", err
			}
			return "done", nil
		})
	})
}

func linesOf(t *testing.T, out *bytes.Buffer) map[string][]map[string]any {
	t.Helper()
	lines := map[string][]map[string]any{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line is not JSON: %s", sc.Text())
		}
		msg, _ := rec["message"].(string)
		lines[msg] = append(lines[msg], rec)
	}
	return lines
}

// The logging contract, end to end, for every adapter: once across
// invocations, parentId of the innermost child, extra fields overriding
// enrichment.
func TestEveryAdapterKeepsTheLoggingContract(t *testing.T) {
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			exec, err := local.Run(durable.Handler(nested, durable.WithLogger(Loggers(&out)[name])), nil)
			if err != nil || exec.Status() != "SUCCEEDED" {
				t.Fatalf("run: %v, status %s", err, exec.Status())
			}
			if n := len(exec.Invocations()); n != 3 {
				t.Fatalf("%d invocations, want 3", n)
			}
			lines := linesOf(t, &out)
			for _, msg := range []string{"root line", "outer line", "inner line"} {
				if len(lines[msg]) != 1 {
					t.Fatalf("%q printed %d times across 3 invocations, want 1", msg, len(lines[msg]))
				}
			}
			outer, _ := exec.FindOperation("outer")
			inner, _ := exec.FindOperation("inner")
			if got := lines["outer line"][0]["parentId"]; got != outer.ID {
				t.Errorf("outer line parentId = %v, want %s", got, outer.ID)
			}
			if got := lines["inner line"][0]["parentId"]; got != inner.ID {
				t.Errorf("inner line parentId = %v, want the innermost child %s", got, inner.ID)
			}
			if got := lines["inner line"][0]["executionArn"]; got != exec.Arn() {
				t.Errorf("inner line executionArn = %v, want %s", got, exec.Arn())
			}
			if got := lines["root line"][0]["executionArn"]; got != "overridden" {
				t.Errorf("an extra field did not override enrichment: executionArn = %v", got)
			}
			if _, ok := lines["root line"][0]["parentId"]; ok {
				t.Errorf("root line carries a parentId: %v", lines["root line"][0])
			}
		})
	}
}

// AWS_LAMBDA_LOG_LEVEL is read once per cold start, so the check runs in a
// fresh process with the variable set, as Lambda would start one.
func TestEveryAdapterHonoursLambdaLogLevel(t *testing.T) {
	if os.Getenv("DURABLE_ALC_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestEveryAdapterHonoursLambdaLogLevel$", "-test.v")
		cmd.Env = append(os.Environ(), "DURABLE_ALC_CHILD=1", "AWS_LAMBDA_LOG_LEVEL=WARN")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child process with AWS_LAMBDA_LOG_LEVEL=WARN failed: %v\n%s", err, out)
		}
		return
	}
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			exec, err := local.Run(durable.Handler(nested, durable.WithLogger(Loggers(&out)[name])), nil)
			if err != nil || exec.Status() != "SUCCEEDED" {
				t.Fatalf("run: %v, status %s", err, exec.Status())
			}
			lines := linesOf(t, &out)
			if len(lines["root line"])+len(lines["inner line"]) != 0 {
				t.Errorf("INFO lines printed under AWS_LAMBDA_LOG_LEVEL=WARN: %v", lines)
			}
			if len(lines["outer line"]) != 1 || lines["outer line"][0]["level"] != "WARN" {
				t.Errorf("the WARN line = %v, want it once with level WARN", lines["outer line"])
			}
		})
	}
}
