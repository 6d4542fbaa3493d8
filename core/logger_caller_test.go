package durable

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"testing"

	"github.com/durable-go/durable-go/core/logsink"
)

// pcSink is an Emitter reporting callers: it records the function at
// Record.PC, as an adapter would print it.
type pcSink struct {
	plainSink
	caller *string
}

func (s pcSink) ReportsCaller() bool { return true }
func (s pcSink) Emit(_ context.Context, r logsink.Record) {
	f, _ := runtime.CallersFrames([]uintptr{r.PC}).Next()
	*s.caller = f.Function
}

type replaying bool

func (r replaying) isReplaying() bool { return bool(r) }

// here returns the name of the function calling it.
func here() string {
	pc, _, _, _ := runtime.Caller(1)
	return runtime.FuncForPC(pc).Name()
}

// TestCallerIsTheUsersCall checks that the PC core captures once, for
// loggers that report callers, names the user's call whatever the method.
func TestCallerIsTheUsersCall(t *testing.T) {
	tests := []struct {
		name string
		mode ReplayMode
		rs   replaySource
		call func(l Logger) string
	}{
		{"Debug", ReplayDrop, nil, func(l Logger) string { l.Debug("m", "k", 1); return here() }},
		{"Info", ReplayDrop, nil, func(l Logger) string { l.Info("m", "k", 1); return here() }},
		{"Warning", ReplayDrop, nil, func(l Logger) string { l.Warning("m"); return here() }},
		{"Error", ReplayDrop, nil, func(l Logger) string { l.Error("m"); return here() }},
		{"Exception", ReplayDrop, nil, func(l Logger) string { l.Exception("m", errors.New("e")); return here() }},
		{"Debugf", ReplayDrop, nil, func(l Logger) string { l.Debugf("m %d", 1); return here() }},
		{"Infof", ReplayDrop, nil, func(l Logger) string { l.Infof("m %d", 1); return here() }},
		{"Warningf", ReplayDrop, nil, func(l Logger) string { l.Warningf("m %d", 1); return here() }},
		{"Errorf", ReplayDrop, nil, func(l Logger) string { l.Errorf("m %d", 1); return here() }},
		{"LogAttrs", ReplayDrop, nil, func(l Logger) string { l.LogAttrs(slog.LevelInfo, "m", slog.Int("k", 1)); return here() }},
		{"Exception replayed at debug", ReplayDebug, replaying(true), func(l Logger) string { l.Exception("m", errors.New("e")); return here() }},
		{"With", ReplayDrop, nil, func(l Logger) string { l.With("a", 1).Info("m"); return here() }},
		{"WithGroup", ReplayDrop, nil, func(l Logger) string { l.WithGroup("g").Info("m", "k", 1); return here() }},
		{"slog view Info", ReplayDrop, nil, func(l Logger) string { l.Slog().Info("m", "k", 1); return here() }},
		{"slog view LogAttrs", ReplayDrop, nil, func(l Logger) string {
			l.Slog().LogAttrs(context.Background(), slog.LevelWarn, "m", slog.Int("k", 1))
			return here()
		}},
		{"slog view With", ReplayDrop, nil, func(l Logger) string { l.Slog().With("a", 1).Error("m"); return here() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			cfg := newTestConfig(testEnv(slog.LevelDebug), WithReplayLogs(tt.mode))
			s := newLogScope(context.Background(), cfg, pcSink{caller: &got}, enrichment{executionArn: "arn"}, tt.rs, nil)
			want := tt.call(s.logger())
			if got != want {
				t.Errorf("the logger saw caller %q, want the user's function %q", got, want)
			}
		})
	}
}

// A logger that reports no caller costs no caller capture.
func TestNoCallerCaptureUnlessReported(t *testing.T) {
	var pc uintptr
	sink := recordSink{pc: &pc}
	newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelDebug)), sink, enrichment{}, nil, nil).logger().Info("m")
	if pc != 0 {
		t.Errorf("logsink.Record.PC = %#x for a logger that does not report callers, want 0", pc)
	}
}

type recordSink struct {
	plainSink
	pc *uintptr
}

func (s recordSink) Emit(_ context.Context, r logsink.Record) { *s.pc = r.PC }
