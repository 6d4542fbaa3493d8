// Package logfix: rule logging's suggested fixes, where the rewrite to
// the durable context's Logger() is mechanical.
package logfix

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"

	durable "github.com/durable-go/durable-go/core"
	"github.com/rs/zerolog"
	zlog "github.com/rs/zerolog/log"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
)

var (
	sl  = slog.Default()
	zl  = zap.NewNop()
	zs  = zl.Sugar()
	lr  = logrus.New()
	zer zerolog.Logger
)

func Handler(ctx *durable.Context, id string) (string, error) { // want Handler:"runs no durable operation"
	err := errors.New("boom")
	args := []any{"id", id}

	// log/slog: message plus key/value pairs, as they are.
	slog.Info("order received", "id", id, "n", 3)                                  // want `logging: slog.Info in durable code prints again on every replay; log with ctx.Logger\(\), which drops lines while replaying`
	slog.Warn("slow", args...)                                                     // want `logging: slog.Warn in durable code`
	slog.ErrorContext(context.Background(), "failed", "err", err)                  // want `logging: slog.ErrorContext in durable code`
	sl.Debug("detail", slog.String("id", id))                                      // want `logging: slog.Logger.Debug in durable code`
	slog.LogAttrs(context.Background(), slog.LevelInfo, "attrs", slog.Int("n", 1)) // want `logging: slog.LogAttrs in durable code`
	slog.Log(context.Background(), slog.LevelWarn, "leveled", "id", id)            // want `logging: slog.Log in durable code`

	// log and fmt: formats and single messages.
	log.Printf("order %s received\n", id) // want `logging: log.Printf in durable code`
	log.Println("received")               // want `logging: log.Println in durable code`
	fmt.Printf("id=%s\n", id)             // want `logging: fmt.Printf in durable code`
	fmt.Println("done")                   // want `logging: fmt.Println in durable code`
	fmt.Fprintf(os.Stderr, "warn %d", 1)  // want `logging: fmt.Fprintf in durable code`

	// zap: fields become key/value pairs; the sugared logger maps as is.
	zap.L().Info("order", zap.String("id", id), zap.Int("n", 3), zap.Error(err)) // want `logging: zap.Logger.Info in durable code`
	zl.Warn("plain")                                                             // want `logging: zap.Logger.Warn in durable code`
	zs.Infow("order", "id", id)                                                  // want `logging: zap.SugaredLogger.Infow in durable code`
	zap.S().Warnw("slow", "id", id)                                              // want `logging: zap.SugaredLogger.Warnw in durable code`
	zs.Errorf("failed: %v", err)                                                 // want `logging: zap.SugaredLogger.Errorf in durable code`
	zs.Info("single message")                                                    // want `logging: zap.SugaredLogger.Info in durable code`

	// zerolog: the event's fields become key/value pairs.
	zlog.Info().Str("id", id).Int("n", 3).Msg("order") // want `logging: zerolog.Event.Msg in durable code`
	zer.Error().Err(err).Msg("failed")                 // want `logging: zerolog.Event.Msg in durable code`
	zlog.Warn().Msgf("slow %s", id)                    // want `logging: zerolog.Event.Msgf in durable code`
	zlog.Debug().Str("id", id).Send()                  // want `logging: zerolog.Event.Send in durable code`

	// logrus: WithField(s) and WithError become key/value pairs.
	logrus.WithField("id", id).Info("order")                                          // want `logging: logrus.Entry.Info in durable code`
	logrus.WithFields(logrus.Fields{"id": id, "n": 3}).WithError(err).Error("failed") // want `logging: logrus.Entry.Error in durable code`
	lr.WithField("id", id).Warning("slow")                                            // want `logging: logrus.Entry.Warning in durable code`
	logrus.Infof("order %s", id)                                                      // want `logging: logrus.Infof in durable code`
	lr.Info("plain")                                                                  // want `logging: logrus.Logger.Info in durable code`

	// Fields and groups bound in the same expression are kept.
	slog.With("req", id).Info("chained", "n", 1)                // want `logging: slog.Logger.Info in durable code`
	sl.With("req", id).WithGroup("g").Warn("grouped")           // want `logging: slog.Logger.Warn in durable code`
	zl.With(zap.String("req", id)).Info("zap", zap.Int("n", 1)) // want `logging: zap.Logger.Info in durable code`
	zs.With("req", id).Infow("sugar", "n", 1)                   // want `logging: zap.SugaredLogger.Infow in durable code`
	zl.Sugar().Infow("sugared", "id", id)                       // want `logging: zap.SugaredLogger.Infow in durable code`

	// A call started with go is a statement too; a deferred one gets no
	// fix (a deferred line prints once per invocation, ctx.Logger() or not).
	defer log.Printf("handled %s", id)  // want `logging: log.Printf in durable code`
	go fmt.Println("in the background") // want `logging: fmt.Println in durable code`

	// The logger underneath the context's: same methods, no replay gate.
	ctx.GetLogger().Exception("failed", err, "id", id) // want `logging: durable.LoggerInterface.Exception in durable code`
	return id, nil
}
