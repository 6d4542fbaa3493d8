package durable

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"testing"
)

func TestSDKLogLevels(t *testing.T) {
	tests := []struct {
		name      string
		alc       slog.Level
		durable   string
		opts      map[string]slog.Level
		area      sdkArea
		wantLevel slog.Level // lowest enabled level
	}{
		{"silent below WARN by default", slog.LevelInfo, "", nil, areaCheckpoint, slog.LevelWarn},
		{"DEBUG with AWS_LAMBDA_LOG_LEVEL=DEBUG", slog.LevelDebug, "", nil, areaState, slog.LevelDebug},
		{"never below the ALC level", slog.LevelError, "", nil, areaStep, slog.LevelError},
		{"bare level for every area", slog.LevelInfo, "debug", nil, areaMap, slog.LevelDebug},
		{"named area", slog.LevelInfo, "checkpoint=debug,state=error", nil, areaCheckpoint, slog.LevelDebug},
		{"other named area", slog.LevelInfo, "checkpoint=debug,state=error", nil, areaState, slog.LevelError},
		{"unnamed area keeps default", slog.LevelInfo, "checkpoint=debug", nil, areaWait, slog.LevelWarn},
		{"full area name", slog.LevelInfo, "durable.wait=info", nil, areaWait, slog.LevelInfo},
		{"garbage ignored", slog.LevelInfo, "checkpoint=loud,=debug,,nonsense", nil, areaCheckpoint, slog.LevelWarn},
		{"option", slog.LevelInfo, "", map[string]slog.Level{"durable.step": slog.LevelDebug}, areaStep, slog.LevelDebug},
		{"option for root", slog.LevelInfo, "", map[string]slog.Level{"durable": slog.LevelInfo}, areaChild, slog.LevelInfo},
		{"env beats option", slog.LevelInfo, "step=error", map[string]slog.Level{"durable.step": slog.LevelDebug}, areaStep, slog.LevelError},
		{"env root beats option area", slog.LevelInfo, "info", map[string]slog.Level{"durable.step": slog.LevelDebug}, areaStep, slog.LevelInfo},
		{"option area beats default", slog.LevelDebug, "", map[string]slog.Level{"durable.serdes": slog.LevelError}, areaSerdes, slog.LevelError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			h := slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug - 8})
			l := newSDKLoggers(lambdaEnv{level: tt.alc, sdkLevels: tt.durable}, tt.opts, h).get(tt.area)
			for _, lvl := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
				if got, want := l.Enabled(t.Context(), lvl), lvl >= tt.wantLevel; got != want {
					t.Errorf("Enabled(%v) = %v, want %v", lvl, got, want)
				}
			}
		})
	}
}

func TestSDKLogRecordsNameTheirArea(t *testing.T) {
	var buf bytes.Buffer
	cfg := newTestConfig(lambdaEnv{level: slog.LevelInfo},
		WithSDKLogHandler(slog.NewJSONHandler(&buf, nil)), WithSDKLogLevel("checkpoint", slog.LevelDebug))
	cfg.sdkLog(areaCheckpoint).Info("batch sent", "updates", 3)
	cfg.sdkLog(areaState).Info("not shown")
	cfg.sdkLog(numAreas + 7).Warn("unknown areas log as the root")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), buf.String())
	}
	for i, want := range []string{"durable.checkpoint", "durable"} {
		var m map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &m); err != nil {
			t.Fatal(err)
		}
		if m["logger"] != want {
			t.Errorf("line %d logger = %v, want %s", i+1, m["logger"], want)
		}
	}
}

func TestSDKLogDefaultHandlerIsLambdaJSON(t *testing.T) {
	if sdkLog(areaCheckpoint) == nil || sdkLog(areaMap) == sdkLog(areaWait) {
		t.Fatal("sdkLog must return one logger per area")
	}
	var buf bytes.Buffer
	h := slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: lambdaReplaceAttr})
	newSDKLoggers(lambdaEnv{level: slog.LevelInfo}, nil, h).get(areaWait).Warn("slow", "time", "user value")
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["timestamp"].(string); !ok || m["level"] != "WARN" || m["message"] != "slow" || m["time"] != "user value" {
		t.Errorf("line = %v, want Lambda's keys and the user's time field", m)
	}
}

func TestFullAreaName(t *testing.T) {
	for in, want := range map[string]string{
		"": "durable", "durable": "durable", "checkpoint": "durable.checkpoint",
		"durable.checkpoint": "durable.checkpoint", " State ": "durable.state",
	} {
		if got := fullAreaName(in); got != want {
			t.Errorf("fullAreaName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDurableLogLevelFromEnvironment(t *testing.T) {
	t.Setenv("AWS_LAMBDA_LOG_LEVEL", "INFO")
	t.Setenv("DURABLE_LOG_LEVEL", "checkpoint=debug")
	cfg := newTestConfig(readLambdaEnv(os.Getenv))
	if !cfg.sdkLog(areaCheckpoint).Enabled(t.Context(), slog.LevelDebug) {
		t.Error("durable.checkpoint is not at debug with DURABLE_LOG_LEVEL=checkpoint=debug")
	}
	if cfg.sdkLog(areaState).Enabled(t.Context(), slog.LevelInfo) {
		t.Error("durable.state logs at info; want silent below WARN")
	}
}
