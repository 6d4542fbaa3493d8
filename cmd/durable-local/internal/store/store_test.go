package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/durable-go/durable-go/cmd/durable-local/internal/store"
)

func TestSavedExecutionsAndLinesComeBack(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(dir); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second Open of a directory in use: %v, want ErrLocked", err)
	}
	// The snapshot function runs on the store's goroutine while the test
	// changes version: the service guards its state the same way.
	var mu sync.Mutex
	version := map[string]string{"arn:1": `{"v":1}`, "arn:2": `{"v":2}`}
	s.Start(func(arn string) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		return []byte(version[arn]), nil
	})
	s.Changed("arn:1")
	s.Changed("arn:2")
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, text := range []string{"first", "second"} {
		s.AddLine(store.Line{Arn: "arn:1", RequestID: "r1", Stream: "stdout", Text: text, Time: at})
	}
	mu.Lock()
	version["arn:1"] = `{"v":3}` // the snapshot taken last wins
	mu.Unlock()
	s.Changed("arn:1")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s.Changed("arn:2") // after Close: ignored, no panic

	s, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	execs, err := s.Executions()
	if err != nil || len(execs) != 2 {
		t.Fatalf("executions: %q, %v", execs, err)
	}
	got := map[string]bool{}
	for _, e := range execs {
		got[string(e)] = true
	}
	if !got[`{"v":3}`] || !got[`{"v":2}`] {
		t.Errorf("saved snapshots %q, want the latest of each", execs)
	}
	lines, err := s.Lines()
	if err != nil || len(lines) != 2 || lines[0].Text != "first" || lines[1].Text != "second" || !lines[0].Time.Equal(at) {
		t.Errorf("lines %+v, %v: want both, in order", lines, err)
	}
}
