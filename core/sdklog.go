package durable

import (
	"cmp"
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
)

// sdkArea is an area of the SDK's own logs (logging.md §6). Each record
// carries its name in the "logger" attribute.
type sdkArea uint8

const (
	areaRoot sdkArea = iota
	areaState
	areaCheckpoint
	areaExecution
	areaContext
	areaSerdes
	areaConcurrency
	areaStep
	areaWait
	areaInvoke
	areaChild
	areaParallel
	areaMap
	numAreas
)

// rootArea is the name of areaRoot; every other area is "durable.<x>".
const rootArea = "durable"

var areaNames = [numAreas]string{
	rootArea, "durable.state", "durable.checkpoint", "durable.execution", "durable.context",
	"durable.serdes", "durable.concurrency", "durable.step", "durable.wait", "durable.invoke",
	"durable.child", "durable.parallel", "durable.map",
}

func (a sdkArea) String() string { return areaNames[a] }

// fullAreaName accepts an area with or without the "durable." prefix, in
// any case; "" is the root.
func fullAreaName(area string) string {
	area = strings.ToLower(strings.TrimSpace(area))
	if area == "" || area == rootArea || strings.HasPrefix(area, rootArea+".") {
		return cmp.Or(area, rootArea)
	}
	return rootArea + "." + area
}

// sdkLog returns the logger of an area of the SDK's own logs configured
// from the environment alone, for code that has no handler configuration
// at hand; logConfig.sdkLog also honours WithSDKLogLevel and
// WithSDKLogHandler. A disabled level costs one comparison.
func sdkLog(a sdkArea) *slog.Logger { return envSDKLoggers().get(a) }

var envSDKLoggers = sync.OnceValue(func() *sdkLoggers {
	return newSDKLoggers(coldStartEnv(), nil, nil)
})

// sdkLoggers holds one *slog.Logger per area, built once.
type sdkLoggers struct{ byArea [numAreas]*slog.Logger }

func (s *sdkLoggers) get(a sdkArea) *slog.Logger {
	if a >= numAreas {
		a = areaRoot
	}
	return s.byArea[a]
}

// newSDKLoggers builds the loggers of every area over h (stderr JSON when
// nil), each with its level resolved from env and the option levels.
func newSDKLoggers(env lambdaEnv, optLevels map[string]slog.Level, h slog.Handler) *sdkLoggers {
	if h == nil {
		h = slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: lambdaReplaceAttr})
	}
	envLevels := parseSDKLevels(env.sdkLevels)
	s := &sdkLoggers{}
	for a := range numAreas {
		name := areaNames[a]
		s.byArea[a] = slog.New(&areaHandler{
			min: sdkLevel(name, env, envLevels, optLevels),
			h:   h.WithAttrs([]slog.Attr{slog.String("logger", name)}),
		})
	}
	return s
}

// sdkLevel resolves an area's level: DURABLE_LOG_LEVEL for the area, then
// for the root, then the options likewise, then the default: silent below
// WARN, DEBUG when AWS_LAMBDA_LOG_LEVEL is DEBUG (or TRACE), never below
// the Advanced Logging Controls level.
func sdkLevel(area string, env lambdaEnv, envLevels, optLevels map[string]slog.Level) slog.Level {
	for _, m := range [...]map[string]slog.Level{envLevels, optLevels} {
		if l, ok := m[area]; ok {
			return l
		}
		if l, ok := m[rootArea]; ok {
			return l
		}
	}
	if env.level > slog.LevelDebug && env.level < slog.LevelWarn {
		return slog.LevelWarn
	}
	return env.level
}

// parseSDKLevels reads DURABLE_LOG_LEVEL: comma-separated "area=level"
// items ("checkpoint=debug,state=warn") and a bare level for every area
// ("debug"). Items it cannot read are ignored: a typo in an environment
// variable must not stop the function.
func parseSDKLevels(s string) map[string]slog.Level {
	levels := make(map[string]slog.Level)
	for item := range strings.SplitSeq(s, ",") {
		area, level, found := strings.Cut(item, "=")
		if !found {
			area, level = rootArea, item
		}
		if l, ok := parseLevel(level); ok && strings.TrimSpace(area) != "" {
			levels[fullAreaName(area)] = l
		}
	}
	return levels
}

// areaHandler applies an area's level before the shared handler sees a
// record.
type areaHandler struct {
	min slog.Level
	h   slog.Handler
}

func (h *areaHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.h.Enabled(ctx, l)
}

func (h *areaHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.h.Handle(ctx, r)
}

func (h *areaHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &areaHandler{min: h.min, h: h.h.WithAttrs(attrs)}
}

func (h *areaHandler) WithGroup(name string) slog.Handler {
	return &areaHandler{min: h.min, h: h.h.WithGroup(name)}
}
