package durable

import (
	"context"
	"log/slog"
	"math"
	"time"

	"github.com/durable-go/durable-go/core/internal/logattr"
	"github.com/durable-go/durable-go/core/logsink"
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
	hooks                                                                   *hooks // LogAttrsHooks' fields (plugin_trace.go); nil without plugins
}

// fieldKeys are the enrichment keys in one naming style.
type fieldKeys struct {
	executionArn, requestID, tenantID, parentID, operationID, operationName, attempt string
}

var (
	camelKeys = fieldKeys{"executionArn", "requestId", "tenantId", "parentId", "operationId", "operationName", "attempt"}
	snakeKeys = fieldKeys{"execution_arn", "request_id", "tenant_id", "parent_id", "operation_id", "name", "attempt"}
)

// enrichmentAttrs builds the fields core adds to every line of a context
// or step scope, in a fixed order, under names. goctx is the Go context of
// that scope (the invocation's, or the step attempt's, as ContextHooks
// derived it): the plugins' fields drawn from it (a trace id, say) join
// the enrichment here, last, bound once per scope like the rest.
func enrichmentAttrs(goctx context.Context, e enrichment, names FieldNames) []slog.Attr {
	k := &camelKeys
	if names == SnakeCase {
		k = &snakeKeys
	}
	a := make([]slog.Attr, 0, 7)
	for _, f := range [...]struct{ key, value string }{
		{k.executionArn, e.executionArn},
		{k.requestID, e.requestID},
		{k.tenantID, e.tenantID},
		{k.parentID, e.parentID},
		{k.operationID, e.operationID},
		{k.operationName, e.operationName},
	} {
		if f.value != "" {
			a = append(a, slog.String(f.key, f.value))
		}
	}
	if e.attempt > 0 {
		a = append(a, slog.Int(k.attempt, e.attempt))
	}
	a = append(a, e.hooks.logAttrs(goctx)...)
	return a
}

// logScope is the logging state of one durable context or step, or of a
// Logger derived from one with With or WithGroup: the sink with the
// scope's fields bound, and where to ask about replay. It is immutable;
// SetLogger, child contexts and With make new scopes.
type logScope struct {
	cfg   *logConfig
	min   slog.Level   // the AWS_LAMBDA_LOG_LEVEL level; lowest when unset or overridden
	lv    slog.Leveler // WithLogLevel, read at every call; nil when not set
	mode  ReplayMode   // from cfg
	root  LoggerInterface
	e     enrichment
	goctx context.Context
	rs    replaySource
	obs   logObserver

	// bound holds the top-level fields of every line: the enrichment,
	// then fields bound with With (which replace enrichment of the same
	// key). keyMask has a bit set per bound key (see keyBit), so a call
	// tells cheaply that none of its keys is bound.
	bound   []slog.Attr
	keyMask uint64
	// groups and groupAttrs hold WithGroup names, outermost first, and the
	// fields With bound inside each.
	groups     []string
	groupAttrs [][]slog.Attr

	sink    LoggerInterface             // root, bound with bound when it is a Binder
	isBound bool                        // sink carries bound
	emitter logsink.Emitter             // sink's, if it is one
	enabler logsink.LevelEnabler        // sink's, if it has one
	ctxEnab logsink.ContextLevelEnabler // sink's, if it has one: asked instead of enabler
	unbound logsink.Emitter             // root's Emitter, for calls that override a bound key
	wantPC  bool                        // the sink reports callers
}

// newLogScope makes the scope of a context or step: the root context's at
// the invocation's start, the others' on their first log call
// (Context.scope, StepContext.Logger). The enrichment, built by
// enrichmentAttrs from goctx, is bound once here, so calls pay nothing for
// it when base is a Binder.
func newLogScope(goctx context.Context, cfg *logConfig, base LoggerInterface, e enrichment, rs replaySource, obs logObserver) *logScope {
	if cfg == nil {
		cfg = &logConfig{env: coldStartEnv()}
	}
	if base == nil {
		base = cfg.baseLogger()
	}
	if goctx == nil {
		goctx = context.Background()
	}
	s := &logScope{cfg: cfg, mode: cfg.replay, root: base, e: e, goctx: goctx, rs: rs, obs: obs}
	s.min, s.lv = cfg.levels()
	s.bound = enrichmentAttrs(goctx, e, cfg.names)
	s.bind()
	return s
}

// bind binds s.bound to the root logger and caches its extensions.
func (s *logScope) bind() {
	s.keyMask = 0
	for _, a := range s.bound {
		s.keyMask |= logattr.KeyBit(a.Key)
	}
	s.sink, s.isBound = s.root, false
	if b, ok := s.root.(logsink.Binder); ok && len(s.bound) > 0 {
		if bound := b.With(s.bindArgs()...); bound != nil {
			s.sink, s.isBound = bound, true
		}
	}
	s.emitter, _ = s.sink.(logsink.Emitter)
	s.unbound, _ = s.root.(logsink.Emitter)
	s.enabler, _ = s.sink.(logsink.LevelEnabler)
	s.ctxEnab, _ = s.sink.(logsink.ContextLevelEnabler)
	s.wantPC = s.emitter != nil && reportsCaller(s.sink)
}

// bindArgs returns s.bound as Binder.With args: attributes for an
// Emitter, which maps them to typed fields, flat pairs for the others.
func (s *logScope) bindArgs() []any {
	if _, ok := s.root.(logsink.Emitter); ok {
		args := make([]any, len(s.bound))
		for i, a := range s.bound {
			args[i] = a
		}
		return args
	}
	return logattr.FlatArgs(s.bound)
}

// logger returns the replay-aware logger of the scope.
func (s *logScope) logger() Logger { return Logger{s: s} }

// base returns the logger that was set, without enrichment (GetLogger).
func (s *logScope) base() LoggerInterface { return s.root }

// withBase is SetLogger: same enrichment and replay source, new sink.
func (s *logScope) withBase(base LoggerInterface) *logScope {
	return newLogScope(s.goctx, s.cfg, base, s.e, s.rs, s.obs)
}

// derive makes the scope of a child context or step: the same logger with
// e replacing (not adding to) the enrichment, asking rs about replay
// (protocol.md §10.2), goctx being the Go context of the new scope.
func (s *logScope) derive(goctx context.Context, e enrichment, rs replaySource) *logScope {
	return newLogScope(goctx, s.cfg, s.root, e, rs, s.obs)
}

// with is Logger.With: attrs join the bound fields, or the innermost
// group's.
func (s *logScope) with(attrs []slog.Attr) *logScope {
	c := *s
	if n := len(s.groups); n > 0 {
		c.groupAttrs = append([][]slog.Attr(nil), s.groupAttrs...)
		c.groupAttrs[n-1] = logattr.AppendAttrs(append([]slog.Attr(nil), s.groupAttrs[n-1]...), attrs)
		return &c
	}
	c.bound = logattr.AppendAttrs(append([]slog.Attr(nil), s.bound...), attrs)
	c.bind()
	return &c
}

// withGroup is Logger.WithGroup.
func (s *logScope) withGroup(name string) *logScope {
	c := *s
	c.groups = append(append([]string(nil), s.groups...), name)
	c.groupAttrs = append(append([][]slog.Attr(nil), s.groupAttrs...), nil)
	return &c
}

// levels returns the level gates of c: the AWS_LAMBDA_LOG_LEVEL level
// when Lambda set it, and the WithLogLevel leveler, which overrides it.
func (c *logConfig) levels() (slog.Level, slog.Leveler) {
	switch {
	case c.level != nil:
		return math.MinInt, c.level
	case c.env.levelSet:
		return c.env.level, nil
	}
	return math.MinInt, nil
}

// below reports whether level is below the scope's level gate.
func (s *logScope) below(level slog.Level) bool {
	return level < s.min || s.lv != nil && level < s.lv.Level()
}

// gate decides a call at level, to be emitted with ctx: the level gate,
// then the replay check at call time. It returns the level to emit at
// (ReplayDebug lowers replayed lines to debug), whether the context was
// found replaying, and whether to emit. The sink's own level is asked
// last, with ctx when it may depend on it, after the replay check,
// because asking the sink is the most expensive of the three and a
// dropped replay line need not.
func (s *logScope) gate(ctx context.Context, level slog.Level) (out slog.Level, replay, emit bool) {
	if s.below(level) {
		return level, false, false
	}
	if s.rs != nil && s.rs.isReplaying() {
		switch s.mode {
		case ReplayKeep:
		case ReplayDebug:
			if level = slog.LevelDebug; s.below(level) {
				return level, true, false
			}
		default:
			return level, true, false
		}
		replay = true
	}
	if s.ctxEnab != nil {
		return level, replay, s.ctxEnab.EnabledContext(ctx, level)
	}
	return level, replay, s.enabler == nil || s.enabler.Enabled(level)
}

func (s *logScope) replaying() bool { return s.rs != nil && s.rs.isReplaying() }

// emit builds the line of a call the gate let through and hands it to the
// sink. args and attrs are the caller's, read and never kept. The line is
// built on the stack: a buffer for its attributes, and for an Emitter a
// logsink.Record passed by value.
func (s *logScope) emit(ctx context.Context, level slog.Level, msg string, replay, exception bool, err error, args []any, attrs []slog.Attr, pc uintptr) {
	if err == nil && len(args) == 0 && s.emitter != nil && s.plain(replay, attrs) {
		// The common typed call: attrs go to the Record as they are.
		var r logsink.Record
		r.Level, r.Message, r.PC = level, msg, pc
		r.AddAttrs(attrs...)
		s.emitter.Emit(ctx, r)
		return
	}
	var buf [8]slog.Attr
	grouped := len(s.groups) > 0
	lineErr := err
	if grouped {
		lineErr = nil // the error's fields go to the top level, below
	}
	set := logattr.NewLine(buf[:0], lineErr, args, attrs)
	flag := replay && s.mode == ReplayDebug
	if flag && !grouped {
		set.Set(slog.Bool("replay", true))
	}
	a := set.A
	if grouped {
		a = s.nest(a)
		// Exception's error fields and core's replay marker, like the
		// enrichment, stay at the top level, where queries look for them.
		if err != nil {
			a = append(logattr.AppendErrorAttrs(make([]slog.Attr, 0, len(a)+4), err), a...)
		}
		if flag {
			a = append(a, slog.Bool("replay", true))
		}
	}
	sink, em := s.sink, s.emitter
	switch {
	case !s.isBound && len(s.bound) > 0:
		a = s.withBound(a)
	case s.isBound && (s.keyMask&set.Mask != 0 || len(s.groups) > 0) && s.overrides(a):
		// A call key replaces a bound one: the line goes to the logger
		// without the bound fields, which the call's replace where they
		// stand.
		a = s.withBound(a)
		sink, em = s.root, s.unbound
	}
	if em != nil {
		var r logsink.Record
		r.Level, r.Message, r.Err, r.PC = level, msg, err, pc
		r.AddAttrs(a...)
		em.Emit(ctx, r)
		return
	}
	sendPlain(sink, level, msg, err, a, exception)
}

// plain reports whether attrs are the whole line as they are: the scope
// has no groups and every bound field is bound to the sink, no replay
// field is due, and attrs need no normalizing (see logattr.Plain) and
// replace no bound field.
func (s *logScope) plain(replay bool, attrs []slog.Attr) bool {
	if len(s.groups) > 0 || !s.isBound && len(s.bound) > 0 || replay && s.mode == ReplayDebug {
		return false
	}
	mask, ok := logattr.Plain(0, attrs)
	return ok && (s.keyMask&mask == 0 || !s.overrides(attrs))
}

// overrides reports whether a key of attrs is bound to the sink.
func (s *logScope) overrides(attrs []slog.Attr) bool {
	for _, a := range attrs {
		if s.keyMask&logattr.KeyBit(a.Key) == 0 {
			continue
		}
		for _, b := range s.bound {
			if b.Key == a.Key {
				return true
			}
		}
	}
	return false
}

// withBound returns the bound fields followed by attrs, a field of attrs
// replacing the bound one of the same key where it stands.
func (s *logScope) withBound(attrs []slog.Attr) []slog.Attr {
	merged := make([]slog.Attr, 0, len(s.bound)+len(attrs))
	merged = append(merged, s.bound...)
	return logattr.AppendAttrs(merged, attrs)
}

// nest puts attrs under the scope's groups, with the fields With bound in
// each.
func (s *logScope) nest(attrs []slog.Attr) []slog.Attr {
	inner := append([]slog.Attr(nil), attrs...)
	for i := len(s.groups) - 1; i >= 0; i-- {
		members := logattr.AppendAttrs(append([]slog.Attr(nil), s.groupAttrs[i]...), inner)
		inner = []slog.Attr{{Key: s.groups[i], Value: slog.GroupValue(members...)}}
	}
	return append(attrs[:0], inner...)
}

// sendPlain hands a line to a sink that is not an Emitter: as attributes
// of its own to an AttrLogger, and as flat args to any other. exception
// marks a call of Exception, which a plain logger receives through its own
// Exception method, nil error included.
func sendPlain(sink LoggerInterface, level slog.Level, msg string, err error, attrs []slog.Attr, exception bool) {
	if exception && level >= slog.LevelError { // ReplayDebug lowers it: no debug form
		sink.Exception(msg, err, logattr.FlatArgs(attrs)...)
		return
	}
	if al, ok := sink.(logsink.AttrLogger); ok {
		al.LogAttrs(level, msg, append([]slog.Attr(nil), attrs...)...)
		return
	}
	forward(sink, level, msg, logattr.FlatArgs(attrs))
}

// forward calls the sink method of level's band: levels between two named
// ones take the lower.
func forward(sink LoggerInterface, level slog.Level, msg string, args []any) {
	switch {
	case level < slog.LevelInfo:
		sink.Debug(msg, args...)
	case level < slog.LevelWarn:
		sink.Info(msg, args...)
	case level < slog.LevelError:
		sink.Warning(msg, args...)
	default:
		sink.Error(msg, args...)
	}
}

// observe reports a call to the scope's logObserver. Fields holds the
// bound fields, Exception's error fields, then the call's fields, one per
// key, with the values the call passed (LogValuers unresolved: resolving
// them is left to lines that are emitted).
func (s *logScope) observe(level slog.Level, msg string, err error, args []any, attrs []slog.Attr, emitted bool) {
	fields := make(map[string]any, len(s.bound)+len(args)/2+len(attrs)+2)
	for _, a := range s.bound {
		v := fieldValue(a.Value)
		if n, ok := v.(int64); ok && a.Key == camelKeys.attempt {
			v = int(n) // the attempt number, an int like the one passed
		}
		fields[a.Key] = v
	}
	for _, a := range logattr.AppendErrorAttrs(nil, err) {
		fields[a.Key] = fieldValue(a.Value) // top level, as emit puts them
	}
	call := fields
	for i, g := range s.groups {
		m := make(map[string]any)
		for _, a := range s.groupAttrs[i] {
			m[a.Key] = fieldValue(a.Value)
		}
		call[g], call = m, m
	}
	addFields(call, args)
	for _, a := range attrs {
		call[a.Key] = fieldValue(a.Value)
	}
	s.obs(logRecord{
		Time: time.Now(), Level: level, Message: msg, Fields: fields,
		Replay: s.replaying(), Emitted: emitted,
	})
}

// addFields adds args to fields by log/slog's rules, Extra included,
// keeping the values as passed.
func addFields(fields map[string]any, args []any) {
	for len(args) > 0 {
		switch x := args[0].(type) {
		case string:
			if len(args) == 1 {
				fields[logattr.BadKey] = x
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
			fields[logattr.BadKey] = x
		}
		args = args[1:]
	}
}

// fieldValue turns an attribute value into a plain Go value for observer
// records: a group becomes a map, anything else what Value.Any returns
// (LogValuers unresolved).
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
