package durable

import (
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
)

// Logger is the replay-aware logger of a durable context or step, returned
// by Context.Logger and StepContext.Logger. It is a small value: pass it
// around or call Context.Logger again, whichever reads better.
//
// Each call goes through three gates before anything is built: the level
// set by Lambda's Advanced Logging Controls (AWS_LAMBDA_LOG_LEVEL, read
// once per cold start, applied whatever the logger), replay, and the
// logger's own level when it implements LevelEnabler. A line logged while
// the context replays completed work is dropped (see WithReplayLogs);
// replay is checked when the call is made, not when the Logger was
// obtained.
//
// Args follow log/slog conventions (key/value pairs, slog.Attr, Extra).
// Every line carries the context's enrichment (executionArn, requestId,
// parentId, operationId, operationName, attempt; see WithFieldNames); a
// call field with the same key comes later in the line and wins, as JSON
// readers keep the last of duplicate keys. slog.LogValuer values are
// resolved only for lines that are emitted.
//
// The zero Logger discards everything.
type Logger struct{ s *logScope }

// Debug logs at debug level.
func (l Logger) Debug(msg string, args ...any) { l.s.log(LevelDebug, msg, args) }

// Info logs at info level.
func (l Logger) Info(msg string, args ...any) { l.s.log(LevelInfo, msg, args) }

// Warning logs at warning level.
func (l Logger) Warning(msg string, args ...any) { l.s.log(LevelWarning, msg, args) }

// Error logs at error level.
func (l Logger) Error(msg string, args ...any) { l.s.log(LevelError, msg, args) }

// Exception logs at error level with err's type (errorType), message
// (errorMessage) and, when it carries one, stack trace. err may be nil.
func (l Logger) Exception(msg string, err error, args ...any) { l.s.exception(msg, err, args) }

// Debugf logs fmt.Sprintf(format, args...) at debug level. The message is
// formatted only when the line is emitted.
func (l Logger) Debugf(format string, args ...any) { l.s.logf(LevelDebug, format, args) }

// Infof logs fmt.Sprintf(format, args...) at info level, formatting only
// when the line is emitted.
func (l Logger) Infof(format string, args ...any) { l.s.logf(LevelInfo, format, args) }

// Warningf logs fmt.Sprintf(format, args...) at warning level, formatting
// only when the line is emitted.
func (l Logger) Warningf(format string, args ...any) { l.s.logf(LevelWarning, format, args) }

// Errorf logs fmt.Sprintf(format, args...) at error level, formatting only
// when the line is emitted.
func (l Logger) Errorf(format string, args ...any) { l.s.logf(LevelError, format, args) }

// LogAttrs logs attrs at level: the typed path. slog.Attr values carry
// strings and numbers without boxing, so a dropped call allocates nothing,
// and loggers implementing AttrLogger receive the attrs as they are.
func (l Logger) LogAttrs(level Level, msg string, attrs ...slog.Attr) {
	l.s.logAttrs(level, msg, attrs)
}

// Enabled reports whether a call at level would be emitted now: the level
// is enabled and, unless replayed lines are kept, the context is not
// replaying. Use it to skip expensive argument building.
func (l Logger) Enabled(level Level) bool {
	if l.s == nil {
		return false
	}
	_, _, emit := l.s.gate(level)
	return emit
}

// The methods below are the call path. They never retain or re-slice the
// caller's args, so the variadic slice stays on the caller's stack: what
// reaches the sink is a pooled copy.

func (s *logScope) log(level Level, msg string, args []any) {
	if s == nil {
		return
	}
	out, replay, emit := s.gate(level)
	if emit {
		s.emitArgs(out, msg, replay, args)
	}
	if s.obs != nil {
		s.observe(level, msg, nil, args, nil, emit)
	}
}

func (s *logScope) exception(msg string, err error, args []any) {
	if s == nil {
		return
	}
	out, replay, emit := s.gate(LevelError)
	if emit {
		s.emitException(out, msg, err, replay, args)
	}
	if s.obs != nil {
		s.observe(LevelError, msg, errorFields(err), args, nil, emit)
	}
}

func (s *logScope) logf(level Level, format string, args []any) {
	if s == nil {
		return
	}
	out, replay, emit := s.gate(level)
	if !emit && s.obs == nil {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if emit {
		s.emitArgs(out, msg, replay, nil)
	}
	if s.obs != nil {
		s.observe(level, msg, nil, nil, nil, emit)
	}
}

func (s *logScope) logAttrs(level Level, msg string, attrs []slog.Attr) {
	if s == nil {
		return
	}
	out, replay, emit := s.gate(level)
	if emit {
		s.emitAttrs(out, msg, replay, attrs)
	}
	if s.obs != nil {
		s.observe(level, msg, nil, nil, attrs, emit)
	}
}

// argBuffers and attrBuffers hold the copies handed to sinks; a sink, like
// an io.Writer, must not retain its args after returning.
var (
	argBuffers  = sync.Pool{New: func() any { b := make([]any, 0, 32); return &b }}
	attrBuffers = sync.Pool{New: func() any { b := make([]slog.Attr, 0, 16); return &b }}
)

// maxPooled keeps one huge call from pinning a large buffer in the pool.
const maxPooled = 256

func putArgs(b *[]any) {
	if cap(*b) > maxPooled {
		return
	}
	clear(*b)
	*b = (*b)[:0]
	argBuffers.Put(b)
}

// replayArgs marks lines emitted under ReplayDebug.
var replayArgs = []any{"replay", true}

// callArgs copies the enrichment prefix and args into a pooled buffer;
// release it with putArgs.
func (s *logScope) callArgs(args []any, replay bool) *[]any {
	b := argBuffers.Get().(*[]any)
	a := append((*b)[:0], s.prefix...)
	a = append(a, args...)
	if replay && s.mode == ReplayDebug {
		a = append(a, replayArgs...)
	}
	*b = a
	return b
}

func (s *logScope) emitArgs(level Level, msg string, replay bool, args []any) {
	b := s.callArgs(args, replay)
	forward(s.sink, level, msg, *b)
	putArgs(b)
}

func (s *logScope) emitException(level Level, msg string, err error, replay bool, args []any) {
	if level != LevelError { // ReplayDebug: Exception has no debug form
		b := s.callArgs(append(errorFields(err), args...), replay)
		forward(s.sink, level, msg, *b)
		putArgs(b)
		return
	}
	b := s.callArgs(args, replay)
	exceptionTo(s.sink, msg, err, *b)
	putArgs(b)
}

// exceptionTo and attrsTo give the sink calls that need no level dispatch
// the same depth as forward, so CallerSkipper loggers report user code
// whatever the method (see callerFrames).
func exceptionTo(sink LoggerInterface, msg string, err error, args []any) {
	sink.Exception(msg, err, args...)
}

func attrsTo(sink AttrLogger, level Level, msg string, attrs []slog.Attr) {
	sink.LogAttrs(level, msg, attrs...)
}

func (s *logScope) emitAttrs(level Level, msg string, replay bool, attrs []slog.Attr) {
	if s.attrs == nil {
		b := argBuffers.Get().(*[]any)
		a := append((*b)[:0], s.prefix...)
		for _, at := range attrs {
			a = append(a, at)
		}
		if replay && s.mode == ReplayDebug {
			a = append(a, replayArgs...)
		}
		*b = a
		forward(s.sink, level, msg, a)
		putArgs(b)
		return
	}
	b := attrBuffers.Get().(*[]slog.Attr)
	a := append((*b)[:0], s.prefixAttrs...)
	a = append(a, attrs...)
	if replay && s.mode == ReplayDebug {
		a = append(a, slog.Bool("replay", true))
	}
	attrsTo(s.attrs, level, msg, a)
	if cap(a) <= maxPooled {
		clear(a)
		*b = a[:0]
		attrBuffers.Put(b)
	}
}

// forward calls the sink method of level's band: levels between two named
// ones take the lower.
func forward(sink LoggerInterface, level Level, msg string, args []any) {
	switch {
	case level < LevelInfo:
		sink.Debug(msg, args...)
	case level < LevelWarning:
		sink.Info(msg, args...)
	case level < LevelError:
		sink.Warning(msg, args...)
	default:
		sink.Error(msg, args...)
	}
}

// Keys of the error fields Exception adds.
const (
	keyErrorType    = "errorType"
	keyErrorMessage = "errorMessage"
	keyStackTrace   = "stackTrace"
)

// StackTracer is implemented by errors that carry their own stack trace.
// Exception adds it to the line as stackTrace, when err or an error it
// wraps implements it.
type StackTracer interface {
	StackTrace() []string
}

// ErrorType returns the errorType Exception logs for err: its Go type as
// fmt's %T prints it, e.g. "*fs.PathError" or "*errors.errorString"; ""
// for nil. Adapters use it so errorType reads the same whatever the
// logger. (The ErrorObject checkpointed for a failed operation names
// errors differently; see ErrorObjectOf.)
func ErrorType(err error) string {
	if err == nil {
		return ""
	}
	return reflect.TypeOf(err).String()
}

// ErrorStackTrace returns the stack trace of err or of the first error it
// wraps that implements StackTracer, or nil.
func ErrorStackTrace(err error) []string {
	var st StackTracer
	if errors.As(err, &st) {
		return st.StackTrace()
	}
	return nil
}

// errorFields returns Exception's error fields for err as key/value
// pairs: none for a nil err.
func errorFields(err error) []any {
	if err == nil {
		return nil
	}
	// fmt, unlike err.Error(), survives a nil pointer inside err.
	f := []any{keyErrorType, ErrorType(err), keyErrorMessage, fmt.Sprint(err)}
	if st := ErrorStackTrace(err); st != nil {
		f = append(f, keyStackTrace, st)
	}
	return f
}
