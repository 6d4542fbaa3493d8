package durabletest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// TestCheckpointClientToken checks the API's idempotency: a checkpoint
// repeated with the ClientToken of one the service applied gets that one's
// answer and is not applied again; a ClientToken is not a pass for another
// checkpoint token, and the service forgets it after 15 minutes of its
// clock or 64 newer answers.
func TestCheckpointClientToken(t *testing.T) {
	tests := []struct {
		name    string
		latency time.Duration
		// between runs after the first checkpoint, before its repeat.
		between func(inv *rawInvocation) error
		// other makes the repeat carry a checkpoint token other than the spent one.
		other  bool
		repeat bool // the repeat gets the first answer
	}{
		{name: "repeat", repeat: true},
		{name: "repeat after the token moved on", repeat: true, between: func(inv *rawInvocation) error {
			_, err := inv.try()
			return err
		}},
		{name: "same ClientToken, current checkpoint token", other: true},
		{name: "after 15 minutes", latency: time.Minute, between: func(inv *rawInvocation) error {
			for range 15 {
				if _, err := inv.try(); err != nil {
					return err
				}
			}
			return nil
		}},
		{name: "after 64 newer answers", between: func(inv *rawInvocation) error {
			for i := range 64 {
				resp, err := inv.svc.Checkpoint(inv.ctx, protocol.CheckpointRequest{
					DurableExecutionArn: inv.event.DurableExecutionArn, CheckpointToken: inv.token,
					ClientToken: "newer-" + strconv.Itoa(i)})
				if err != nil {
					return err
				}
				inv.token = resp.CheckpointToken
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var first, again *protocol.CheckpointResponse
			var againErr error
			h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
				req := protocol.CheckpointRequest{DurableExecutionArn: inv.event.DurableExecutionArn,
					CheckpointToken: inv.token, ClientToken: "client-1",
					Updates: []protocol.OperationUpdate{stepUpd(id1, "s", protocol.ActionStart)}}
				var err error
				if first, err = inv.svc.Checkpoint(inv.ctx, req); err != nil {
					t.Errorf("first checkpoint: %v", err)
					return succeeded("null")
				}
				inv.token = first.CheckpointToken
				if tt.between != nil {
					if err := tt.between(inv); err != nil {
						t.Errorf("checkpoints in between: %v", err)
						return succeeded("null")
					}
				}
				if tt.other {
					req.CheckpointToken = inv.token
				}
				again, againErr = inv.svc.Checkpoint(inv.ctx, req)
				return succeeded("null")
			})
			ex, err := NewRunner(h, WithServiceLatency(tt.latency)).Start(context.Background(), nil)
			if err != nil || t.Failed() {
				t.Fatal(err)
			}
			stats := ex.Stats()
			if !tt.repeat {
				if tt.other {
					// Judged as a new call: the step exists already.
					if againErr == nil || !strings.Contains(againErr.Error(), "already exists") {
						t.Fatalf("repeat with the current token: %v, want the step's START refused", againErr)
					}
				} else if againErr == nil || !strings.Contains(againErr.Error(), "Invalid checkpoint token") {
					t.Fatalf("forgotten repeat: %v, want Invalid checkpoint token", againErr)
				}
				if stats.RepeatedCheckpoints != 0 {
					t.Errorf("RepeatedCheckpoints = %d, want 0", stats.RepeatedCheckpoints)
				}
				return
			}
			if againErr != nil {
				t.Fatalf("repeat: %v, want the first answer", againErr)
			}
			if again.CheckpointToken != first.CheckpointToken || len(again.NewExecutionState.Operations) != len(first.NewExecutionState.Operations) {
				t.Errorf("repeat answered token %q and %d operations, want the first answer's %q and %d",
					again.CheckpointToken, len(again.NewExecutionState.Operations), first.CheckpointToken, len(first.NewExecutionState.Operations))
			}
			if stats.RepeatedCheckpoints != 1 || stats.OperationUpdates != 1 {
				t.Errorf("stats %+v, want 1 repeated checkpoint and the START applied once", stats)
			}
		})
	}
}
