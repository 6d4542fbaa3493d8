package durable

import (
	"errors"
	"log/slog"
	"runtime"
	"testing"
)

// callerSink reports, like zap's AddCaller, the function skip frames above
// its own method.
type callerSink struct {
	skip   int
	attrs  bool
	caller *string
}

func (s callerSink) record() {
	pc, _, _, _ := runtime.Caller(2 + s.skip)
	*s.caller = runtime.FuncForPC(pc).Name()
}

func (s callerSink) Debug(string, ...any)            { s.record() }
func (s callerSink) Info(string, ...any)             { s.record() }
func (s callerSink) Warning(string, ...any)          { s.record() }
func (s callerSink) Error(string, ...any)            { s.record() }
func (s callerSink) Exception(string, error, ...any) { s.record() }
func (s callerSink) With(...any) LoggerInterface     { return s }
func (s callerSink) AddCallerSkip(n int) LoggerInterface {
	s.skip += n
	if s.attrs {
		return attrCallerSink{s}
	}
	return s
}

type attrCallerSink struct{ callerSink }

func (s attrCallerSink) LogAttrs(Level, string, ...slog.Attr) { s.record() }
func (s attrCallerSink) With(...any) LoggerInterface          { return s }

type replaying bool

func (r replaying) isReplaying() bool { return bool(r) }

// here returns the name of the function calling it.
func here() string {
	pc, _, _, _ := runtime.Caller(1)
	return runtime.FuncForPC(pc).Name()
}

func TestCallerSkipPointsAtUserCode(t *testing.T) {
	tests := []struct {
		name  string
		attrs bool
		mode  ReplayMode
		rs    replaySource
		call  func(l Logger) string
	}{
		{"Info", false, ReplayDrop, nil, func(l Logger) string { l.Info("m", "k", 1); return here() }},
		{"Warningf", false, ReplayDrop, nil, func(l Logger) string { l.Warningf("m %d", 1); return here() }},
		{"Exception", false, ReplayDrop, nil, func(l Logger) string { l.Exception("m", errors.New("e")); return here() }},
		{"Exception replayed at debug", false, ReplayDebug, replaying(true), func(l Logger) string { l.Exception("m", errors.New("e")); return here() }},
		{"LogAttrs on an AttrLogger", true, ReplayDrop, nil, func(l Logger) string { l.LogAttrs(LevelInfo, "m", slog.Int("k", 1)); return here() }},
		{"LogAttrs on a plain logger", false, ReplayDrop, nil, func(l Logger) string { l.LogAttrs(LevelError, "m", slog.Int("k", 1)); return here() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			cfg := &logConfig{}
			cfg.initFrom(lambdaEnv{level: LevelDebug, json: true})
			cfg.replay = tt.mode
			s := newLogScope(cfg, callerSink{attrs: tt.attrs, caller: &got}, enrichment{executionArn: "arn"}, tt.rs, nil)
			want := tt.call(s.logger())
			if got != want {
				t.Errorf("the logger saw caller %q, want the user's function %q", got, want)
			}
		})
	}
}
