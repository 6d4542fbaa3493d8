//go:build !race

package durable

// raceDetector says whether the race detector is on: its sync.Pool drops
// a quarter of what is put back (plugin_alloc_test.go).
const raceDetector = false
