package durable

import (
	"fmt"
	"log/slog"

	"github.com/durable-go/durable-go/core/logsink"
)

// Logger is the replay-aware logger of a durable context or step, returned
// by Context.Logger and StepContext.Logger. It is a small value: pass it
// around or call Context.Logger again, whichever reads better.
//
// Each call goes through three gates before anything is built: the level
// (WithLogLevel, or else AWS_LAMBDA_LOG_LEVEL when Lambda sets it, applied
// whatever the logger), replay, and the logger's own level when it
// implements logsink.LevelEnabler. A line logged while the context replays
// completed work is dropped (see WithReplayLogs); replay is checked when
// the call is made, not when the Logger was obtained.
//
// Args follow log/slog conventions (key/value pairs, slog.Attr, Extra).
// Every line carries the context's enrichment (executionArn, requestId,
// parentId, operationId, operationName, attempt; see WithFieldNames). A
// line holds each key once: a key the call passes replaces the enrichment
// field (or a field bound with With) of the same name, and a key the call
// repeats keeps its last value. slog.LogValuer values are resolved only
// for lines that are emitted.
//
// Slog returns the same logger as a *slog.Logger, for libraries that take
// one.
//
// The zero Logger discards everything.
type Logger struct{ s *logScope }

// Debug logs at debug level.
func (l Logger) Debug(msg string, args ...any) { l.s.log(slog.LevelDebug, msg, args) }

// Info logs at info level.
func (l Logger) Info(msg string, args ...any) { l.s.log(slog.LevelInfo, msg, args) }

// Warning logs at warning level.
func (l Logger) Warning(msg string, args ...any) { l.s.log(slog.LevelWarn, msg, args) }

// Error logs at error level.
func (l Logger) Error(msg string, args ...any) { l.s.log(slog.LevelError, msg, args) }

// Exception logs at error level with err's type (errorType, see
// ErrorType), message (errorMessage) and, when it carries one, stack trace
// (stackTrace). err may be nil.
func (l Logger) Exception(msg string, err error, args ...any) { l.s.exception(msg, err, args) }

// Debugf logs fmt.Sprintf(format, args...) at debug level. The message is
// formatted only when the line is emitted.
func (l Logger) Debugf(format string, args ...any) { l.s.logf(slog.LevelDebug, format, args...) }

// Infof logs fmt.Sprintf(format, args...) at info level, formatting only
// when the line is emitted.
func (l Logger) Infof(format string, args ...any) { l.s.logf(slog.LevelInfo, format, args...) }

// Warningf logs fmt.Sprintf(format, args...) at warning level, formatting
// only when the line is emitted.
func (l Logger) Warningf(format string, args ...any) { l.s.logf(slog.LevelWarn, format, args...) }

// Errorf logs fmt.Sprintf(format, args...) at error level, formatting only
// when the line is emitted.
func (l Logger) Errorf(format string, args ...any) { l.s.logf(slog.LevelError, format, args...) }

// LogAttrs logs attrs at level: the typed path. slog.Attr values carry
// strings and numbers without boxing, so a dropped call allocates nothing,
// and loggers implementing logsink.AttrLogger receive the attrs as they are.
func (l Logger) LogAttrs(level slog.Level, msg string, attrs ...slog.Attr) {
	l.s.logAttrs(level, msg, attrs)
}

// Enabled reports whether a call at level would be emitted now: the level
// is enabled and, unless replayed lines are kept, the context is not
// replaying. Use it to skip expensive argument building.
func (l Logger) Enabled(level slog.Level) bool {
	if l.s == nil {
		return false
	}
	_, _, emit := l.s.gate(l.s.goctx, level)
	return emit
}

// With returns a Logger that adds args (by the rules of the logging
// methods) to every line, bound once rather than passed on every call. A
// key among args replaces the enrichment field of the same name. The
// Logger keeps its context's replay gate.
func (l Logger) With(args ...any) Logger {
	if l.s == nil || len(args) == 0 {
		return l
	}
	return Logger{s: l.s.with(logsink.ArgsToAttrs(args...))}
}

// WithGroup returns a Logger that nests the fields of every later call,
// and of later With calls, under name, as slog.Logger.WithGroup does. The
// enrichment stays at the top level. An empty name returns l.
func (l Logger) WithGroup(name string) Logger {
	if l.s == nil || name == "" {
		return l
	}
	return Logger{s: l.s.withGroup(name)}
}

// Slog returns the logger as a *slog.Logger, whose records pass the same
// replay gate, level gate and enrichment as l's own calls and reach the
// same logger: hand it to libraries that take a *slog.Logger, and their
// lines print once per execution too. Records logged with a
// context.Context other than context.Background (InfoContext and the
// like) reach the logger with that context; the others with the
// invocation's or step's.
func (l Logger) Slog() *slog.Logger { return slog.New(l.Handler()) }

// Handler returns the logger as a slog.Handler; see Slog.
func (l Logger) Handler() slog.Handler { return &slogView{s: l.s} }

// The methods below are the call path. They never retain or re-slice the
// caller's args, so the variadic slice stays on the caller's stack.

func (s *logScope) log(level slog.Level, msg string, args []any) {
	if s == nil {
		return
	}
	out, replay, emit := s.gate(s.goctx, level)
	if emit {
		s.emit(s.goctx, out, msg, replay, false, nil, args, nil, s.pc())
	}
	if s.obs != nil {
		s.observe(level, msg, nil, args, nil, emit)
	}
}

func (s *logScope) exception(msg string, err error, args []any) {
	if s == nil {
		return
	}
	out, replay, emit := s.gate(s.goctx, slog.LevelError)
	if emit {
		s.emit(s.goctx, out, msg, replay, true, err, args, nil, s.pc())
	}
	if s.obs != nil {
		s.observe(slog.LevelError, msg, err, args, nil, emit)
	}
}

func (s *logScope) logf(level slog.Level, format string, args ...any) {
	if s == nil {
		return
	}
	out, replay, emit := s.gate(s.goctx, level)
	if !emit && s.obs == nil {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if emit {
		s.emit(s.goctx, out, msg, replay, false, nil, nil, nil, s.pc())
	}
	if s.obs != nil {
		s.observe(level, msg, nil, nil, nil, emit)
	}
}

func (s *logScope) logAttrs(level slog.Level, msg string, attrs []slog.Attr) {
	if s == nil {
		return
	}
	out, replay, emit := s.gate(s.goctx, level)
	if emit {
		s.emit(s.goctx, out, msg, replay, false, nil, nil, attrs, s.pc())
	}
	if s.obs != nil {
		s.observe(level, msg, nil, nil, attrs, emit)
	}
}

// pc captures the program counter of the user's call on a Logger method,
// when the logger reports callers. Its callers are the scope's log
// methods, called from the Logger methods: the user's frame is three
// above pc.
func (s *logScope) pc() uintptr {
	if !s.wantPC {
		return 0
	}
	return callerPC(3)
}
