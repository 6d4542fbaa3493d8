package main

import (
	"io"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/examples/internal/local"
)

func TestChildContextLinesCarryTheirParentOnce(t *testing.T) {
	output = io.Discard
	exec, err := local.Run(durable.Handler(Process), "p-9")
	if err != nil || exec.Status() != "SUCCEEDED" {
		t.Fatalf("run: %v, status %s %+v", err, exec.Status(), exec.Error())
	}
	pack, _ := exec.FindOperation("pack")
	label, _ := exec.FindOperation("label")
	box, _ := exec.FindOperation("box")
	wantParent := map[string]string{"shipping": "", "packing": pack.ID, "choosing a box": pack.ID, "labelling": label.ID, "shipped": ""}
	seen := map[string]int{}
	for _, r := range exec.EmittedLogs() {
		seen[r.Message]++
		want, ok := wantParent[r.Message]
		if !ok {
			t.Errorf("unexpected line %q", r.Message)
			continue
		}
		if got, _ := r.Fields["parentId"].(string); got != want {
			t.Errorf("%q parentId = %q, want %q", r.Message, got, want)
		}
		if r.Message == "choosing a box" && (r.Fields["operationId"] != box.ID || r.Fields["attempt"] != 1) {
			t.Errorf("step line fields = %v", r.Fields)
		}
	}
	for msg := range wantParent {
		if seen[msg] != 1 {
			t.Errorf("%q printed %d times across %d invocations, want 1", msg, seen[msg], len(exec.Invocations()))
		}
	}
}
