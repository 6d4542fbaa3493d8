package logfix

import (
	"log/slog"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logsink"
)

// zapLike is an adapter, as the adapters modules write them.
type zapLike struct{ logsink.EmitterMethods }

var direct = &zapLike{}

// Adapter: an adapter called directly, not through the context, has no
// replay gate.
func Adapter(ctx *durable.Context, id string, l logsink.Logger) { // want Adapter:"runs no durable operation"
	direct.Info("direct", "id", id)                            // want `logging: logsink.EmitterMethods.Info in durable code`
	direct.LogAttrs(slog.LevelWarn, "typed", slog.Int("n", 1)) // want `logging: logsink.EmitterMethods.LogAttrs in durable code`
	l.Warning("through the interface")                         // want `logging: logsink.Logger.Warning in durable code`
}
