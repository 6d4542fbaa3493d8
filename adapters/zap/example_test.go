package zapadapter_test

import (
	"errors"
	"log/slog"
	"os"
	"time"

	zapadapter "github.com/durable-go/durable-go/adapters/zap"
	durable "github.com/durable-go/durable-go/core"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// exampleClock pins the timestamp so the output below stays the same.
type exampleClock struct{}

func (exampleClock) Now() time.Time {
	return time.Date(2026, 1, 2, 15, 4, 5, 123_000_000, time.UTC)
}

func (exampleClock) NewTicker(d time.Duration) *time.Ticker { return time.NewTicker(d) }

// Wrap a zap logger and log through the durable logger contract. In a
// handler, pass the adapter to durable.WithLogger or ctx.SetLogger and log
// through ctx.Logger() so that replayed lines are dropped.
func Example() {
	z := zapadapter.NewLambdaLogger(zapcore.Lock(os.Stdout), zapcore.DebugLevel,
		zap.WithClock(exampleClock{}))
	log := zapadapter.New(z)

	log.Info("order received", "orderId", "o-42", "items", 3)
	log.LogAttrs(slog.LevelDebug, "priced", slog.Float64("total", 99.5), slog.Duration("took", 1500*time.Millisecond))
	log.Exception("reserve failed", errors.New("out of stock"), durable.Extra{"sku": "A-7", "qty": 2})

	// Output:
	// {"level":"INFO","timestamp":"2026-01-02T15:04:05.123Z","message":"order received","orderId":"o-42","items":3}
	// {"level":"DEBUG","timestamp":"2026-01-02T15:04:05.123Z","message":"priced","total":99.5,"took":"1.5s"}
	// {"level":"ERROR","timestamp":"2026-01-02T15:04:05.123Z","message":"reserve failed","errorType":"*errors.errorString","errorMessage":"out of stock","qty":2,"sku":"A-7"}
}

// With binds fields once; core uses it for a context's enrichment.
func ExampleLogger_With() {
	z := zapadapter.NewLambdaLogger(zapcore.Lock(os.Stdout), zapcore.InfoLevel,
		zap.WithClock(exampleClock{}))
	step := zapadapter.New(z).With("operationId", "3f1c", "attempt", 2)

	step.Debug("not printed: below the logger's level")
	step.Warning("inventory slow", slog.Group("call", slog.String("host", "inv"), slog.Int("status", 503)))

	// Output:
	// {"level":"WARN","timestamp":"2026-01-02T15:04:05.123Z","message":"inventory slow","operationId":"3f1c","attempt":2,"call":{"host":"inv","status":503}}
}

// A team's own zap configuration is kept as it is: keys, encoders, level.
func ExampleNew() {
	cfg := zap.NewProductionEncoderConfig()
	cfg.TimeKey = zapcore.OmitKey // keep the output stable
	z := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(cfg), zapcore.Lock(os.Stdout), zapcore.InfoLevel))

	log := zapadapter.New(z)
	log.Warning("retrying", "attempt", 2)
	_ = log.Zap().Sync() // the native logger stays reachable

	// Output:
	// {"level":"warn","msg":"retrying","attempt":2}
}

// A zap logger of your own configuration, with UniqueKeys for it, writes a
// field named like one of the encoder's keys (here "level" and "logger")
// as "fields.<key>", so each key appears once.
func ExampleUniqueKeys() {
	cfg := zap.NewProductionEncoderConfig() // level, ts, logger, caller, msg, stacktrace
	cfg.EncodeTime = zapcore.ISO8601TimeEncoder
	core := zapcore.NewCore(zapcore.NewJSONEncoder(cfg), zapcore.Lock(os.Stdout), zapcore.InfoLevel)
	z := zap.New(core, zapadapter.UniqueKeys(cfg), zap.WithClock(exampleClock{})).Named("checkout")

	log := zapadapter.New(z).With("logger", "payments")
	log.Info("order received", "orderId", "o-42", "level", "gold")

	// Output:
	// {"level":"info","ts":"2026-01-02T15:04:05.123Z","logger":"checkout","msg":"order received","fields.logger":"payments","orderId":"o-42","fields.level":"gold"}
}
