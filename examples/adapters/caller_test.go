package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	logrusadapter "github.com/durable-go/durable-go/adapters/logrus"
	zapadapter "github.com/durable-go/durable-go/adapters/zap"
	zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/examples/internal/local"
)

// logsHere logs through the context logger, a step logger and Exception.
func logsHere(ctx *durable.Context, _ any) (int, error) {
	ctx.Logger().Info("context line")
	ctx.Logger().Exception("exception line", nil)
	return durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
		sc.Logger().Info("step line")
		return 1, nil
	})
}

// With caller reporting on, every line names this file, not core's.
func TestAdaptersReportTheUsersCodeAsCaller(t *testing.T) {
	loggers := map[string]func(w *bytes.Buffer) (durable.LoggerInterface, string){
		"zap": func(w *bytes.Buffer) (durable.LoggerInterface, string) {
			enc := zapadapter.LambdaEncoderConfig()
			enc.CallerKey = "caller"
			core := zapcore.NewCore(zapcore.NewJSONEncoder(enc), zapcore.AddSync(w), zap.InfoLevel)
			return zapadapter.New(zap.New(core, zap.AddCaller())), "caller"
		},
		"zerolog": func(w *bytes.Buffer) (durable.LoggerInterface, string) {
			return zerologadapter.New(zerolog.New(w).With().Caller().Logger()), zerolog.CallerFieldName
		},
		"logrus": func(w *bytes.Buffer) (durable.LoggerInterface, string) {
			l := logrus.New()
			l.SetOutput(w)
			l.SetFormatter(&logrus.JSONFormatter{})
			l.SetReportCaller(true)
			return logrusadapter.New(l), "file"
		},
	}
	for name, build := range loggers {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			logger, key := build(&out)
			exec, err := local.Run(durable.Handler(logsHere, durable.WithLogger(logger)), nil)
			if err != nil || exec.Status() != "SUCCEEDED" {
				t.Fatalf("run: %v, status %s", err, exec.Status())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != 3 {
				t.Fatalf("%d lines, want 3:\n%s", len(lines), out.String())
			}
			for _, line := range lines {
				var rec map[string]any
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("not JSON: %s", line)
				}
				if caller, _ := rec[key].(string); !strings.Contains(caller, "caller_test.go") {
					t.Errorf("%s reports caller %q, want this test file", rec["message"], caller)
				}
			}
		})
	}
}
