package durable

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// A refresh with nothing queued makes one checkpoint call without
// updates (protocol §3.2); with updates queued, the call carrying them is
// the refresh. A flush with nothing queued calls nothing.
func TestRefreshSendsAnEmptyCheckpointOnlyWhenNothingIsQueued(t *testing.T) {
	svc := &recordingService{}
	cp := newCheckpointer(context.Background(), svc, "arn", "t0", newExecutionState(), sdkLog(areaCheckpoint), defaultMaxCheckpointDelay)
	defer cp.close()
	cp.enter()
	if err := cp.flush(); err != nil {
		t.Fatal(err)
	}
	if err := cp.refresh(); err != nil {
		t.Fatal(err)
	}
	if err := cp.enqueue(stepUpdate(0, "1")); err != nil {
		t.Fatal(err)
	}
	if err := cp.refresh(); err != nil {
		t.Fatal(err)
	}
	svc.mu.Lock()
	defer svc.mu.Unlock()
	if want := []int{0, 1}; !slices.Equal(svc.batches, want) {
		t.Errorf("checkpoint calls with %v updates, want %v", svc.batches, want)
	}
}

// An answer without a token to a checkpoint without updates is malformed:
// only updates can end an execution.
func TestRefreshAnsweredWithoutTokenFails(t *testing.T) {
	svc := &recordingService{terminal: true}
	cp := newCheckpointer(context.Background(), svc, "arn", "t0", newExecutionState(), sdkLog(areaCheckpoint), defaultMaxCheckpointDelay)
	defer cp.close()
	cp.enter()
	if err := cp.refresh(); !errors.Is(err, errRefreshWithoutToken) {
		t.Fatalf("refresh = %v, want errRefreshWithoutToken", err)
	}
}
