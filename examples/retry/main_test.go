package main

import (
	"log/slog"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/examples/internal/local"
)

func TestRetryingStepLogsEachAttempt(t *testing.T) {
	exec, err := local.Run(durable.Handler(Process), 3.0)
	if err != nil || exec.Status() != "SUCCEEDED" {
		t.Fatalf("run: %v, status %s %+v", err, exec.Status(), exec.Error())
	}
	var attempts []any
	charging, warnings := 0, 0
	for _, r := range exec.EmittedLogs() {
		switch r.Message {
		case "calling gateway":
			attempts = append(attempts, r.Fields["attempt"])
		case "gateway failed":
			warnings++
			if r.Level != slog.LevelWarn {
				t.Errorf("gateway failed level = %v, want WARN", r.Level)
			}
		case "charging":
			charging++
		}
	}
	if len(attempts) != 3 || attempts[0] != 1 || attempts[1] != 2 || attempts[2] != 3 {
		t.Errorf("attempts logged = %v, want [1 2 3]", attempts)
	}
	if warnings != 2 {
		t.Errorf("%d warnings, want 2", warnings)
	}
	if charging != 1 {
		t.Errorf("handler line printed %d times across 3 invocations, want 1", charging)
	}
}
