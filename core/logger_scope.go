package durable

import (
	"log/slog"
	"time"
)

// replaySource tells a logger whether its context is replaying; it is asked
// at call time, never cached. *Context implements it; nil means never
// replaying.
type replaySource interface{ isReplaying() bool }

// enrichment is the set of fields core adds to every line of a scope
// (logging.md §3). Empty strings and a zero attempt are left out.
type enrichment struct {
	executionArn, requestID, tenantID, parentID, operationID, operationName string
	attempt                                                                 int
	plugin                                                                  []any // LogAttrsHook fields (plugin_trace.go)
}

// fieldKeys are the enrichment keys in one naming style.
type fieldKeys struct {
	executionArn, requestID, tenantID, parentID, operationID, operationName, attempt string
}

var (
	camelKeys = fieldKeys{"executionArn", "requestId", "tenantId", "parentId", "operationId", "operationName", "attempt"}
	snakeKeys = fieldKeys{"execution_arn", "request_id", "tenant_id", "parent_id", "operation_id", "name", "attempt"}
)

// args returns e as key/value pairs, in a fixed order, under names.
func (e enrichment) args(names FieldNames) []any {
	k := &camelKeys
	if names == SnakeCase {
		k = &snakeKeys
	}
	a := make([]any, 0, 14+len(e.plugin))
	for _, f := range [...]struct{ key, value string }{
		{k.executionArn, e.executionArn},
		{k.requestID, e.requestID},
		{k.tenantID, e.tenantID},
		{k.parentID, e.parentID},
		{k.operationID, e.operationID},
		{k.operationName, e.operationName},
	} {
		if f.value != "" {
			a = append(a, f.key, f.value)
		}
	}
	if e.attempt > 0 {
		a = append(a, k.attempt, e.attempt)
	}
	a = append(a, e.plugin...)
	return a
}

// logScope is the logging state of one durable context or step: the sink
// with the scope's enrichment bound, and where to ask about replay. It is
// immutable; SetLogger and child contexts make new scopes.
type logScope struct {
	cfg  *logConfig
	min  Level           // the Advanced Logging Controls level, from cfg
	mode ReplayMode      // from cfg
	root LoggerInterface // what was set (GetLogger)
	e    enrichment
	rs   replaySource
	obs  LogObserver

	sink    LoggerInterface // root, bound with the enrichment when it is a Binder
	enabler LevelEnabler    // sink's, if it has one
	attrs   AttrLogger      // sink's, if it has one
	// fields is the enrichment as key/value pairs (observer records).
	fields []any
	// prefix and prefixAttrs carry the enrichment on each call when the
	// sink could not bind it (not a Binder); nil otherwise.
	prefix      []any
	prefixAttrs []slog.Attr
}

// callerFrames is how many frames of core stand between a user's call on a
// Logger and the sink's method, on every path: the Logger method, the
// scope's log method, its emit method, and forward, exceptionTo or
// attrsTo. TestCallerSkipPointsAtUserCode holds it to that.
const callerFrames = 4

// newLogScope makes the scope of a context or step. The enrichment is
// bound once here, so calls pay nothing for it when base is a Binder.
func newLogScope(cfg *logConfig, base LoggerInterface, e enrichment, rs replaySource, obs LogObserver) *logScope {
	if cfg == nil {
		cfg = &logConfig{env: coldStartEnv()}
	}
	if base == nil {
		base = cfg.baseLogger()
	}
	s := &logScope{cfg: cfg, min: cfg.env.level, mode: cfg.replay, root: base, e: e, rs: rs, obs: obs, sink: base}
	if cs, ok := base.(CallerSkipper); ok {
		s.sink = cs.AddCallerSkip(callerFrames)
	}
	s.fields = e.args(cfg.names)
	if b, ok := s.sink.(Binder); ok {
		if len(s.fields) > 0 {
			s.sink = b.With(s.fields...)
		}
	} else {
		s.prefix = s.fields
	}
	s.enabler, _ = s.sink.(LevelEnabler)
	s.attrs, _ = s.sink.(AttrLogger)
	if s.attrs != nil && len(s.prefix) > 0 {
		s.prefixAttrs = argsToAttrs(s.prefix)
	}
	return s
}

// logger returns the replay-aware logger of the scope.
func (s *logScope) logger() Logger { return Logger{s: s} }

// base returns the logger that was set, without enrichment (GetLogger).
func (s *logScope) base() LoggerInterface { return s.root }

// withBase is SetLogger: same enrichment and replay source, new sink.
func (s *logScope) withBase(base LoggerInterface) *logScope {
	return newLogScope(s.cfg, base, s.e, s.rs, s.obs)
}

// derive makes the scope of a child context or step: the same logger with
// e replacing (not adding to) the enrichment, asking rs about replay
// (protocol.md §10.2).
func (s *logScope) derive(e enrichment, rs replaySource) *logScope {
	return newLogScope(s.cfg, s.root, e, rs, s.obs)
}

// gate decides a call at level: the level gate, then the replay check at
// call time. It returns the level to emit at (ReplayDebug lowers replayed
// lines to debug), whether the context was found replaying, and whether
// to emit. The Advanced Logging Controls level is checked first and the
// sink's own level last, after the replay check, because asking the sink
// is the most expensive of the three and a dropped replay line need not.
func (s *logScope) gate(level Level) (out Level, replay, emit bool) {
	if level < s.min {
		return level, false, false
	}
	if s.rs != nil && s.rs.isReplaying() {
		switch s.mode {
		case ReplayKeep:
		case ReplayDebug:
			if level = LevelDebug; level < s.min {
				return level, true, false
			}
		default:
			return level, true, false
		}
		replay = true
	}
	return level, replay, s.enabler == nil || s.enabler.Enabled(level)
}

func (s *logScope) replaying() bool { return s.rs != nil && s.rs.isReplaying() }

// observe reports a call to the scope's LogObserver. Fields holds the
// enrichment, Exception's error fields, then the call's fields; later keys
// override earlier ones. LogValuer values are kept as they are: resolving
// them is left to lines that are emitted.
func (s *logScope) observe(level Level, msg string, errFields, args []any, attrs []slog.Attr, emitted bool) {
	fields := make(map[string]any, len(s.fields)/2+len(errFields)/2+len(args)/2+len(attrs))
	addFields(fields, s.fields)
	addFields(fields, errFields)
	addFields(fields, args)
	for _, a := range attrs {
		fields[a.Key] = fieldValue(a.Value)
	}
	s.obs(LogRecord{
		Time: time.Now(), Level: level, Message: msg, Fields: fields,
		Replay: s.replaying(), Emitted: emitted,
	})
}

// addFields adds args to fields by log/slog's rules, Extra included.
func addFields(fields map[string]any, args []any) {
	for len(args) > 0 {
		switch x := args[0].(type) {
		case string:
			if len(args) == 1 {
				fields[badKey] = x
				return
			}
			fields[x] = args[1]
			args = args[2:]
			continue
		case slog.Attr:
			fields[x.Key] = fieldValue(x.Value)
		case Extra:
			for k, v := range x {
				fields[k] = v
			}
		default:
			fields[badKey] = x
		}
		args = args[1:]
	}
}

// fieldValue turns an attribute value into a plain Go value: a group
// becomes a map, anything else what Value.Any returns.
func fieldValue(v slog.Value) any {
	if v.Kind() != slog.KindGroup {
		return v.Any()
	}
	m := make(map[string]any, len(v.Group()))
	for _, a := range v.Group() {
		m[a.Key] = fieldValue(a.Value)
	}
	return m
}
