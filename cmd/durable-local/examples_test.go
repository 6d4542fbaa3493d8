package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// TestExamplesRunUnderDurableLocal runs every example binary under
// durable-local and checks that it succeeds and that no log line is
// printed twice (a replay printing again would repeat message, operation
// and attempt).
func TestExamplesRunUnderDurableLocal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example binaries")
	}
	for _, c := range []struct {
		dir, input string
		flags      []string
	}{
		{"order", `{"orderId":"42","items":["book"],"amount":5}`, nil},
		{"childcontexts", `"p-1"`, nil},
		{"adapters", `{"orderId":"7","items":["pen"],"amount":3}`, []string{"-e", "EXAMPLE_LOGGER=zerolog"}},
	} {
		t.Run(c.dir, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append(append([]string{"run", "-json", "-skip-time"}, c.flags...), "../../examples/"+c.dir, c.input)
			if code := run(args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stderr.String(), stdout.String())
			}
			var v View
			if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			lines := 0
			for _, iv := range v.Invocations {
				for _, l := range iv.Logs {
					var f map[string]any
					if json.Unmarshal([]byte(l), &f) != nil {
						continue
					}
					lines++
					key := fmt.Sprint(f["message"], f["msg"], f["operationId"], f["attempt"], f["parentId"])
					if seen[key] {
						t.Errorf("printed twice: %s", l)
					}
					seen[key] = true
				}
			}
			if v.Status != "SUCCEEDED" || lines == 0 || len(v.Invocations) < 2 {
				t.Errorf("status %s, %d JSON lines, %d invocations", v.Status, lines, len(v.Invocations))
			}
		})
	}
}
