// Package slogview: rule logging and the durable Logger's slog view
// (Logger.Slog, slog.New over Logger.Handler), which is replay-aware.
package slogview

import (
	"log/slog"
	"os"

	durable "github.com/durable-go/durable-go/core"
)

// View logs through the slog view: nothing to report.
func View(ctx *durable.Context, id string) (int, error) {
	ctx.Logger().Slog().Info("direct", "id", id)
	ctx.Logger().Slog().With("id", id).WithGroup("g").Warn("derived")
	ctx.Logger().With("id", id).WithGroup("g").Slog().Error("from a derived durable Logger")
	slog.New(ctx.Logger().Handler()).Debug("handler")
	slog.New(ctx.Logger().Handler().WithAttrs(nil).WithGroup("g")).Info("derived handler")
	ctx.Logger().Slog().InfoContext(ctx.Context(), "with a context")
	ctx.Logger().Slog().LogAttrs(ctx.Context(), slog.LevelInfo, "attrs")
	slog.New(ctx.Logger().Slog().Handler()).Info("the view's own handler")

	log := ctx.Logger().Slog()
	log.Info("local", "id", id)
	req := log.With("id", id)
	req.WithGroup("req").Info("local, derived")
	h := ctx.Logger().Handler()
	hl := slog.New(h)
	hl.Info("local handler")
	var late *slog.Logger
	late = ctx.Logger().Slog()
	late.Info("declared, then assigned once")
	func() { log.Info("in an inline closure") }()

	library(log, "local")
	library(ctx.Logger().Slog().With("phase", 2), "chained")
	handlerLibrary(ctx.Logger().Handler())
	wrapper(ctx.Logger().Slog())
	reorder(id, ctx.Logger().Slog())
	viaDurable(ctx.Logger().With("id", id))
	slog.New(slog.NewTextHandler(os.Stderr, nil)).With("unused", true) // builds a logger, logs nothing

	return durable.Step(ctx, "step", func(sc *durable.StepContext) (int, error) {
		sc.Logger().Slog().Info("step") // a step body is not durable code
		return 0, nil
	})
}

// library is code that knows nothing of durable-go and logs through the
// *slog.Logger it is handed.
func library(log *slog.Logger, step string) { log.Info("library working", "step", step) }

// handlerLibrary takes a slog.Handler.
func handlerLibrary(h slog.Handler) { slog.New(h).With("lib", true).Info("handler library") }

// wrapper hands its logger on, derived.
func wrapper(log *slog.Logger) { library(log.With("wrapped", true), "wrapper") }

// reorder takes the logger as its second parameter.
func reorder(step string, log *slog.Logger) { log.WithGroup("r").Info(step) }

// viaDurable takes a durable Logger: its slog view is replay-aware
// whatever Logger it is handed.
func viaDurable(l durable.Logger) { l.Slog().Info("from a durable Logger parameter") }

// mixed logs through its parameter and through the default logger.
func mixed(log *slog.Logger) {
	log.Info("parameter")
	slog.Info("default")
}

// reassigned replaces the logger it is handed.
func reassigned(log *slog.Logger) {
	log = slog.Default()
	log.Info("reassigned")
}

// ignores logs through a logger of its own.
func ignores(_ *slog.Logger) { slog.Default().Info("own") }

type service struct{ log *slog.Logger }

// Other loggers in durable code are reported.
func Other(ctx *durable.Context, s *service) (int, error) { // want Other:"runs no durable operation"
	slog.Default().Info("default")                            // want `logging: slog.Logger.Info in durable code prints again on every replay; log with ctx.Logger\(\)`
	s.log.Info("field")                                       // want `logging: slog.Logger.Info in durable code`
	slog.New(slog.NewJSONHandler(os.Stdout, nil)).Info("x")   // want `logging: slog.Logger.Info in durable code`
	slog.New(slog.Default().Handler()).With("k", 1).Warn("x") // want `logging: slog.Logger.Warn in durable code`

	twice := ctx.Logger().Slog()
	twice = slog.Default()
	twice.Info("assigned twice") // want `logging: slog.Logger.Info in durable code`
	pointed := ctx.Logger().Slog()
	p := &pointed
	*p = slog.Default()
	pointed.Info("address taken") // want `logging: slog.Logger.Info in durable code`
	var fromFunc = pick(ctx)
	fromFunc.Info("from a function") // want `logging: slog.Logger.Info in durable code`

	library(slog.Default(), "default")                  // want `logging: slog.Logger.Info in durable code \(via slogview.library\) prints again`
	library(s.log, "field")                             // want `logging: slog.Logger.Info in durable code \(via slogview.library\)`
	handlerLibrary(slog.NewTextHandler(os.Stderr, nil)) // want `logging: slog.Logger.Info in durable code \(via slogview.handlerLibrary\)`
	wrapper(slog.Default())                             // want `logging: slog.Logger.Info in durable code \(via slogview.wrapper → slogview.library\)`
	mixed(ctx.Logger().Slog())                          // want `logging: slog.Info in durable code \(via slogview.mixed\)`
	reassigned(ctx.Logger().Slog())                     // want `logging: slog.Logger.Info in durable code \(via slogview.reassigned\)`
	ignores(ctx.Logger().Slog())                        // want `logging: slog.Logger.Info in durable code \(via slogview.ignores\)`
	return 0, nil
}

func pick(ctx *durable.Context) *slog.Logger { return ctx.Logger().Slog() }

// Param: a durable function's own *slog.Logger parameter is of unknown
// origin.
func Param(ctx *durable.Context, log *slog.Logger) (int, error) { // want Param:"runs no durable operation"
	log.Info("parameter") // want `logging: slog.Logger.Info in durable code`
	return 0, nil
}
