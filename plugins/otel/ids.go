package durableotel

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// IDGenerator makes trace and span ids. It has the method set of the OTel
// SDK's sdktrace.IDGenerator, so NewIDGenerator's result goes straight
// into sdktrace.WithIDGenerator.
type IDGenerator interface {
	NewIDs(ctx context.Context) (trace.TraceID, trace.SpanID)
	NewSpanID(ctx context.Context, traceID trace.TraceID) trace.SpanID
}

// NewIDGenerator returns the id generator the tracer provider needs for
// the plugin's spans to nest across invocations: it gives the plugin's
// spans the ids derived from the execution and its operations, and asks
// fallback for every other span (nil: random ids, like the SDK's default;
// pass e.g. an X-Ray id generator to keep its trace ids).
func NewIDGenerator(fallback IDGenerator) IDGenerator {
	return idGenerator{fallback: fallback}
}

type idGenerator struct{ fallback IDGenerator }

// requestKey carries the ids the plugin asks for the span it is starting
// (a *requestContext).
type requestKey struct{}

func (g idGenerator) NewIDs(ctx context.Context) (trace.TraceID, trace.SpanID) {
	if r, ok := ctx.Value(requestKey{}).(*requestContext); ok {
		return r.ids()
	}
	if g.fallback != nil {
		return g.fallback.NewIDs(ctx)
	}
	var t trace.TraceID
	binary.BigEndian.PutUint64(t[:8], rand.Uint64())
	binary.BigEndian.PutUint64(t[8:], nonZero(rand.Uint64()))
	return t, randomSpanID()
}

func (g idGenerator) NewSpanID(ctx context.Context, traceID trace.TraceID) trace.SpanID {
	if r, ok := ctx.Value(requestKey{}).(*requestContext); ok {
		if t, s := r.ids(); t == traceID {
			return s
		}
	}
	if g.fallback != nil {
		return g.fallback.NewSpanID(ctx, traceID)
	}
	return randomSpanID()
}

func randomSpanID() trace.SpanID {
	var s trace.SpanID
	binary.BigEndian.PutUint64(s[:], nonZero(rand.Uint64()))
	return s
}

func nonZero(v uint64) uint64 {
	if v == 0 {
		return 1
	}
	return v
}

// executionTraceID derives an execution's trace id: its start time in Unix
// seconds (X-Ray's trace id form), then 12 bytes of the ARN's SHA-256; the
// hash alone when the start time is unknown.
func executionTraceID(arn string, start time.Time) trace.TraceID {
	sum := sha256.Sum256([]byte(arn))
	var t trace.TraceID
	copy(t[:], sum[:])
	if !start.IsZero() {
		binary.BigEndian.PutUint32(t[:4], uint32(start.Unix()))
	}
	return t
}

// Kinds of derived span ids.
const (
	kindExecution byte = 'e'
	kindOperation byte = 'o'
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// idSeed is the FNV-1a state after the trace id and the ARN: span ids of
// different executions differ even when they share a (joined) trace.
func idSeed(traceID trace.TraceID, arn string) uint64 {
	h := uint64(fnvOffset)
	for _, b := range traceID {
		h = (h ^ uint64(b)) * fnvPrime
	}
	for i := 0; i < len(arn); i++ {
		h = (h ^ uint64(arn[i])) * fnvPrime
	}
	return h
}

// derivedSpanID is the span id of the execution (kindExecution) or of the
// operation id (kindOperation), from the seed. Operation ids are 64 hex
// digits: they are hashed eight bytes at a time.
func derivedSpanID(seed uint64, kind byte, id string) trace.SpanID {
	h := (seed ^ uint64(kind)) * fnvPrime
	for len(id) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64([]byte(id[:8]))) * fnvPrime
		h ^= h >> 32
		id = id[8:]
	}
	for i := 0; i < len(id); i++ {
		h = (h ^ uint64(id[i])) * fnvPrime
	}
	// splitmix64's finalizer spreads the last bytes over the whole id.
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	var s trace.SpanID
	binary.BigEndian.PutUint64(s[:], nonZero(h))
	return s
}
