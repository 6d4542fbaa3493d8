package logattr

import (
	"log/slog"
	"testing"
	"time"
)

var benchExtra = Extra{"id": "order-1234", "count": 42, "ok": true, "ratio": 0.75, "wait": 1500 * time.Millisecond}

// BenchmarkSetExtra is the expansion of a five-entry Extra into a
// line's attributes.
func BenchmarkSetExtra(b *testing.B) {
	var n int
	for b.Loop() {
		var buf [8]slog.Attr
		s := NewSet(buf[:0])
		s.Extra(benchExtra)
		n += len(s.A)
	}
	if n == 0 {
		b.Fatal("no attributes")
	}
}

// BenchmarkMapRange is the floor under BenchmarkSetExtra: ranging over
// the same map, copying each entry out.
func BenchmarkMapRange(b *testing.B) {
	var ks [8]string
	var vs [8]any
	for b.Loop() {
		i := 0
		for k, v := range benchExtra {
			ks[i], vs[i] = k, v
			i++
		}
	}
	if ks[0] == "" || vs[0] == nil {
		b.Fatal("nothing read")
	}
}
