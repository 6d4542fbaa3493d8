package logtest

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logsink"
)

// testCase is one behaviour of the contract. log writes the lines under
// test and reports false (with the missing interface's name) when the case
// exercises an optional extension the logger does not implement.
type testCase struct {
	name  string
	log   logFunc
	check func(o *output)
}

// always adapts a log function that needs only the five methods.
func always(f func(l durable.LoggerInterface)) logFunc {
	return func(_ *testing.T, l durable.LoggerInterface) (bool, string) { f(l); return true, "" }
}

type logFunc = func(t *testing.T, l durable.LoggerInterface) (ok bool, missing string)

// oneLine checks a case that writes a single line at level with message.
func oneLine(level, message string, fields func(l *line)) func(*output) {
	return func(o *output) {
		o.t.Helper()
		o.wantLines(1)
		l := o.line(0)
		l.level(level)
		l.message(message)
		if fields != nil {
			fields(l)
		}
	}
}

// paymentError is the error Exception cases log; errorType must name its
// Go type, "*logtest.paymentError".
type paymentError struct{ code string }

func (e *paymentError) Error() string { return "card declined: " + e.code }

// user is a slog.LogValuer; only its resolved value may reach the output.
type user struct{ name string }

func (u user) LogValue() slog.Value { return slog.StringValue("user:" + u.name) }

// request resolves to a group, which must become a nested object.
type request struct{}

func (request) LogValue() slog.Value {
	return slog.GroupValue(slog.String("method", "GET"), slog.Int("status", 200))
}

// someInstant is far from the time tests run, so it cannot be mistaken
// for a line's own timestamp.
var someInstant = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

func cases() []testCase {
	var all []testCase
	all = append(all, levelCases()...)
	all = append(all, argCases()...)
	all = append(all, overrideCases()...)
	all = append(all, exceptionCases()...)
	all = append(all, extensionCases()...)
	all = append(all, outputCases()...)
	return all
}

func levelCases() []testCase {
	return []testCase{
		{name: "Level/Debug", log: always(func(l durable.LoggerInterface) { l.Debug("debug message") }),
			check: oneLine("DEBUG", "debug message", nil)},
		{name: "Level/Info", log: always(func(l durable.LoggerInterface) { l.Info("info message") }),
			check: oneLine("INFO", "info message", nil)},
		{name: "Level/Warning", log: always(func(l durable.LoggerInterface) { l.Warning("warning message") }),
			check: oneLine("WARN", "warning message", nil)},
		{name: "Level/Error", log: always(func(l durable.LoggerInterface) { l.Error("error message") }),
			check: oneLine("ERROR", "error message", nil)},
	}
}

func argCases() []testCase {
	return []testCase{
		{name: "Args/KeyValueKinds", log: always(func(l durable.LoggerInterface) {
			l.Info("kinds", "str", "v", "int", 42, "int64", int64(-7), "uint8", uint8(8),
				"float", 3.5, "bool", true, "duration", 1500*time.Millisecond, "at", someInstant)
		}), check: oneLine("INFO", "kinds", func(l *line) {
			l.has("str", "v")
			l.has("int", 42)
			l.has("int64", -7)
			l.has("uint8", 8)
			l.has("float", 3.5)
			l.has("bool", true)
			l.has("duration", aNumberOrString)
			l.has("at", theInstant(someInstant))
		})},
		// slog-based loggers see a user's top-level "time" under the same
		// key as the built-in time; renaming both to "timestamp" would
		// replace the line's timestamp with the user's value.
		{name: "Args/KeyNamedTime", log: always(func(l durable.LoggerInterface) {
			l.Info("time key", "time", someInstant)
		}), check: oneLine("INFO", "time key", func(l *line) {
			l.has("time", theInstant(someInstant))
			l.has("timestamp", notTheInstant(someInstant))
		})},
		// Likewise a user's top-level "msg": renaming it to "message" with
		// the built-in message would put two "message" keys in one object,
		// and JSON readers (CloudWatch among them) keep the user's.
		{name: "Args/KeyNamedMsg", log: always(func(l durable.LoggerInterface) {
			l.Info("msg key", "msg", "mine")
		}), check: oneLine("INFO", "msg key", func(l *line) {
			l.uniqueKeys()
			l.has("msg", "mine")
		})},
		// A user's fields named like the line's own keys (timestamp,
		// level, message) are written as fields.<key>: a second "level"
		// key would be the one Lambda's level filter and JSON readers
		// keep, and a second "message" would replace the message.
		{name: "Args/KeysNamedLikeTheShape", log: always(func(l durable.LoggerInterface) {
			l.Error("shape keys", "level", "debug", "timestamp", "t", "message", "mine")
		}), check: oneLine("ERROR", "shape keys", func(l *line) {
			l.uniqueKeys()
			l.has("fields.level", "debug")
			l.has("fields.timestamp", "t")
			l.has("fields.message", "mine")
		})},
		// Every Lambda-shaped line has a message, empty or not.
		{name: "Shape/EmptyMessage", log: always(func(l durable.LoggerInterface) {
			l.Info("", "k", "v")
		}), check: oneLine("INFO", "", func(l *line) {
			l.has("k", "v")
		})},
		{name: "Args/SlogAttr", log: always(func(l durable.LoggerInterface) {
			l.Info("attrs", slog.String("s", "v"), slog.Int("n", 7), slog.Bool("b", false),
				slog.Float64("f", 0.25), slog.Duration("d", time.Second), slog.Time("t", someInstant))
		}), check: oneLine("INFO", "attrs", func(l *line) {
			l.has("s", "v")
			l.has("n", 7)
			l.has("b", false)
			l.has("f", 0.25)
			l.has("d", aNumberOrString)
			l.has("t", theInstant(someInstant))
		})},
		{name: "Args/Extra", log: always(func(l durable.LoggerInterface) {
			l.Info("extra", durable.Extra{"order_id": "o-1", "items": 3})
		}), check: oneLine("INFO", "extra", func(l *line) {
			l.has("order_id", "o-1")
			l.has("items", 3)
		})},
		{name: "Args/Mixed", log: always(func(l durable.LoggerInterface) {
			l.Info("mixed", "k", "v", slog.Int("n", 1), durable.Extra{"e": true}, "last", "x")
		}), check: oneLine("INFO", "mixed", func(l *line) {
			l.has("k", "v")
			l.has("n", 1)
			l.has("e", true)
			l.has("last", "x")
		})},
		{name: "Args/Group", log: always(func(l durable.LoggerInterface) {
			l.Info("group", slog.Group("req", slog.String("method", "GET"), slog.Int("status", 200),
				slog.Group("client", slog.String("ip", "10.0.0.1"))))
		}), check: oneLine("INFO", "group", func(l *line) {
			l.has("req", map[string]any{"method": "GET", "status": 200,
				"client": map[string]any{"ip": "10.0.0.1"}})
		})},
		{name: "Args/LogValuer", log: always(func(l durable.LoggerInterface) {
			l.Info("valuer", "user", user{"ada"}, slog.Any("owner", user{"bob"}), "req", request{})
		}), check: oneLine("INFO", "valuer", func(l *line) {
			l.has("user", "user:ada")
			l.has("owner", "user:bob")
			l.has("req", map[string]any{"method": "GET", "status": 200})
		})},
		{name: "Args/ErrorValue", log: always(func(l durable.LoggerInterface) {
			l.Warning("error value", "err", errors.New("boom"))
		}), check: oneLine("WARN", "error value", func(l *line) {
			l.has("err", "boom")
		})},
		{name: "Args/DanglingKey", log: always(func(l durable.LoggerInterface) {
			l.Info("dangling", "k", "v", "dangling")
		}), check: oneLine("INFO", "dangling", func(l *line) {
			l.has("k", "v")
			l.has("!BADKEY", "dangling")
		})},
	}
}

func overrideCases() []testCase {
	return []testCase{
		{name: "Override/RepeatedKey", log: always(func(l durable.LoggerInterface) {
			l.Info("override", "k", "first", "k", "second")
		}), check: oneLine("INFO", "override", func(l *line) { l.has("k", "second") })},
		{name: "Override/ExtraAfterPair", log: always(func(l durable.LoggerInterface) {
			l.Info("override", "k", "pair", durable.Extra{"k": "extra"})
		}), check: oneLine("INFO", "override", func(l *line) { l.has("k", "extra") })},
		{name: "Override/AttrAfterPair", log: always(func(l durable.LoggerInterface) {
			l.Info("override", "k", "pair", slog.String("k", "attr"))
		}), check: oneLine("INFO", "override", func(l *line) { l.has("k", "attr") })},
	}
}

func exceptionCases() []testCase {
	return []testCase{
		{name: "Exception/WithError", log: always(func(l durable.LoggerInterface) {
			l.Exception("charge failed", &paymentError{code: "E42"})
		}), check: oneLine("ERROR", "charge failed", func(l *line) {
			l.has("errorType", logsink.ErrorType(&paymentError{}))
			l.has("errorMessage", "card declined: E42")
		})},
		{name: "Exception/WithArgs", log: always(func(l durable.LoggerInterface) {
			l.Exception("charge failed", &paymentError{code: "E7"}, "order_id", "o-9", durable.Extra{"amount": 12.5})
		}), check: oneLine("ERROR", "charge failed", func(l *line) {
			l.has("errorType", logsink.ErrorType(&paymentError{}))
			l.has("errorMessage", "card declined: E7")
			l.has("order_id", "o-9")
			l.has("amount", 12.5)
		})},
		{name: "Exception/NilError", log: always(func(l durable.LoggerInterface) {
			l.Exception("no error at hand", nil, "k", "v")
		}), check: oneLine("ERROR", "no error at hand", func(l *line) {
			l.has("k", "v")
			l.lacks("errorType")
			l.lacks("errorMessage")
		})},
		// A typed nil error whose methods dereference their receiver, as
		// most wrappers' do, is still an error to log, not a panic.
		{name: "Exception/TypedNilWrapper", log: always(func(l durable.LoggerInterface) {
			var err *wrapperError
			l.Exception("typed nil", err)
		}), check: oneLine("ERROR", "typed nil", func(l *line) {
			l.has("errorType", "*logtest.wrapperError")
			l.has("errorMessage", "<nil>")
		})},
	}
}

// wrapperError wraps an error; its methods dereference the receiver.
type wrapperError struct{ inner error }

func (e *wrapperError) Error() string { return "wrapped: " + e.inner.Error() }
func (e *wrapperError) Unwrap() error { return e.inner }

func extensionCases() []testCase {
	return []testCase{
		{name: "Binder/BoundOnEveryLine", log: withBinder(func(_ *testing.T, l durable.LoggerInterface, b logsink.Binder) {
			bound := b.With("executionArn", "arn:test", "attempt", 2)
			bound.Info("first")
			bound.Error("second", "k", "v")
			l.Info("parent")
		}), check: func(o *output) {
			o.wantLines(3)
			for i := range 2 {
				o.line(i).has("executionArn", "arn:test")
				o.line(i).has("attempt", 2)
			}
			o.line(1).has("k", "v")
			o.line(2).message("parent")
			o.line(2).lacks("executionArn")
		}},
		{name: "Binder/CallFieldOverridesBound", log: withBinder(func(_ *testing.T, _ durable.LoggerInterface, b logsink.Binder) {
			b.With("operationName", "bound").Info("override", "operationName", "call")
		}), check: oneLine("INFO", "override", func(l *line) { l.has("operationName", "call") })},
		{name: "Binder/Chained", log: withBinder(func(t *testing.T, _ durable.LoggerInterface, b logsink.Binder) {
			bound := b.With("executionArn", "arn:test")
			inner, ok := bound.(logsink.Binder)
			if !ok {
				t.Fatalf("With returned a %T, which does not implement logsink.Binder; a bound logger must bind again", bound)
			}
			inner.With("parentId", "p-1").Warning("chained")
		}), check: oneLine("WARN", "chained", func(l *line) {
			l.has("executionArn", "arn:test")
			l.has("parentId", "p-1")
		})},
		{name: "Binder/ArgKinds", log: withBinder(func(_ *testing.T, _ durable.LoggerInterface, b logsink.Binder) {
			b.With(slog.String("s", "v"), durable.Extra{"e": 1}, slog.Group("g", slog.Int("n", 2))).Info("kinds")
		}), check: oneLine("INFO", "kinds", func(l *line) {
			l.has("s", "v")
			l.has("e", 1)
			l.has("g", map[string]any{"n": 2})
		})},
		{name: "AttrLogger/Fields", log: withAttrLogger(func(a logsink.AttrLogger) {
			a.LogAttrs(slog.LevelInfo, "typed", slog.String("s", "v"), slog.Int64("n", 9),
				slog.Group("g", slog.Bool("b", true)), slog.Any("user", user{"ada"}))
		}), check: oneLine("INFO", "typed", func(l *line) {
			l.has("s", "v")
			l.has("n", 9)
			l.has("g", map[string]any{"b": true})
			l.has("user", "user:ada")
		})},
		{name: "AttrLogger/Levels", log: withAttrLogger(func(a logsink.AttrLogger) {
			a.LogAttrs(slog.LevelDebug, "d")
			a.LogAttrs(slog.LevelInfo, "i")
			a.LogAttrs(slog.LevelWarn, "w")
			a.LogAttrs(slog.LevelError, "e")
		}), check: func(o *output) {
			o.wantLines(4)
			for i, want := range []string{"DEBUG", "INFO", "WARN", "ERROR"} {
				o.line(i).level(want)
			}
		}},
		{name: "LevelEnabler/DebugLoggerEnablesAll", log: withEnabler(func(t *testing.T, e logsink.LevelEnabler) {
			for _, lvl := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
				if !e.Enabled(lvl) {
					t.Errorf("Enabled(%v) = false on a logger built at debug level", lvl)
				}
			}
		}), check: func(o *output) { o.wantLines(0) }},
	}
}

func withBinder(f func(*testing.T, durable.LoggerInterface, logsink.Binder)) logFunc {
	return func(t *testing.T, l durable.LoggerInterface) (bool, string) {
		b, ok := l.(logsink.Binder)
		if ok {
			f(t, l, b)
		}
		return ok, "logsink.Binder"
	}
}

func withAttrLogger(f func(logsink.AttrLogger)) logFunc {
	return func(_ *testing.T, l durable.LoggerInterface) (bool, string) {
		a, ok := l.(logsink.AttrLogger)
		if ok {
			f(a)
		}
		return ok, "logsink.AttrLogger"
	}
}

func withEnabler(f func(*testing.T, logsink.LevelEnabler)) logFunc {
	return func(t *testing.T, l durable.LoggerInterface) (bool, string) {
		e, ok := l.(logsink.LevelEnabler)
		if ok {
			f(t, e)
		}
		return ok, "logsink.LevelEnabler"
	}
}
