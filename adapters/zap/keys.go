package zapadapter

import (
	"slices"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// UniqueKeys returns a zap option that keeps one key per name on the lines
// of a logger whose encoder has the configuration cfg: a top-level field
// named like a key the encoder writes itself (cfg's TimeKey, LevelKey,
// NameKey, CallerKey, FunctionKey, MessageKey and StacktraceKey, those not
// omitted) is written as "fields.<key>", on every line, whether or not the
// line has a logger name, caller or stack. The encoder's value keeps the
// key and the field's sits beside it: with zap.NewProductionEncoderConfig,
// a field "caller" is written as "fields.caller" next to zap's "caller".
// Without the option zap's JSON encoder writes the key twice, and JSON
// readers keep one of the two. The logger's core still decides which
// lines it writes (sampling, zap.Hooks, a tee's levels): the renaming runs
// as the line's pre-write hook (zapcore.CheckedEntry.Before).
//
// Fields inside a group or an object keep their names, as do a
// zap.Namespace and every field after it (they are no longer top level).
// Exception's stackTrace, the stack of the error logged, keeps its key: it
// replaces the stack zap would add.
//
// zap cannot tell a core's encoder configuration, so pass the one the
// encoder was made from, where the logger is built:
//
//	zap.New(core, zapadapter.UniqueKeys(cfg))
//	zap.NewProduction(zapadapter.UniqueKeys(zap.NewProductionEncoderConfig()))
//	zapConfig.Build(zapadapter.UniqueKeys(zapConfig.EncoderConfig))
//
// or later, logger.WithOptions(zapadapter.UniqueKeys(cfg)); fields bound by
// With before then are encoded already and keep their names. Given more
// than once, for a logger that tees to encoders of different
// configurations for example, the option renames the keys of every
// configuration given, each field once. NewLambdaLogger's loggers have it
// for LambdaEncoderConfig.
func UniqueKeys(cfg zapcore.EncoderConfig) zap.Option {
	return newEntryKeys(entryKeysOf(cfg)).option()
}

// entryKeysOf returns the top-level keys an encoder of configuration cfg
// writes itself, for the entry (time, level, logger name, caller,
// function, message, stack), omitted ones included.
func entryKeysOf(cfg zapcore.EncoderConfig) []string {
	return []string{cfg.TimeKey, cfg.LevelKey, cfg.NameKey, cfg.CallerKey, cfg.FunctionKey, cfg.MessageKey, cfg.StacktraceKey}
}

// entryKeys are the keys of UniqueKeys, each with the key a field of that
// name is written under instead: "fields.<key>", as
// logsink.LambdaFieldKey names the Lambda shape's own three.
type entryKeys struct {
	lens    uint64 // bit min(len(key), 63) set for each key
	own     []string
	renamed []string
	// rename renames a line's fields before zap's cores write them; made
	// once, so that a core's Check does not allocate it per line.
	rename zapcore.CheckPreWriteHook
}

// newEntryKeys returns the entryKeys of keys, leaving out omitted and
// repeated ones.
func newEntryKeys(keys []string) *entryKeys {
	k := &entryKeys{}
	for _, key := range keys {
		if key == zapcore.OmitKey || slices.Contains(k.own, key) {
			continue
		}
		k.lens |= lenBit(key)
		k.own = append(k.own, key)
		k.renamed = append(k.renamed, "fields."+key)
	}
	k.rename = func(e zapcore.Entry, fields []zapcore.Field) (zapcore.Entry, []zapcore.Field) {
		fields, _ = k.renameClashes(fields)
		return e, fields
	}
	return k
}

// lenBit is the bit of entryKeys.lens for key's length.
func lenBit(key string) uint64 { return 1 << min(len(key), 63) }

// field returns the key a field named key is written under.
func (k *entryKeys) field(key string) string {
	if k.lens&lenBit(key) == 0 {
		return key // the common case: no entry key is as long
	}
	for i, own := range k.own {
		if key == own {
			return k.renamed[i]
		}
	}
	return key
}

// option returns the zap option that wraps a logger's core in a
// uniqueCore for k.
func (k *entryKeys) option() zap.Option { return zap.WrapCore(k.wrap) }

// wrap returns c renaming the fields named like k's keys. A c that renames
// already (the option given twice) gets k's keys added instead of a second
// wrapper, so that each field is looked at, and renamed, once.
func (k *entryKeys) wrap(c zapcore.Core) zapcore.Core {
	u, ok := c.(*uniqueCore)
	if !ok {
		return &uniqueCore{Core: c, keys: k}
	}
	if !slices.ContainsFunc(k.own, func(key string) bool { return !slices.Contains(u.keys.own, key) }) {
		return u // no key of k is new
	}
	keys := newEntryKeys(append(slices.Clip(u.keys.own), k.own...))
	return &uniqueCore{Core: u.Core, keys: keys, nested: u.nested}
}

// uniqueCore renames the top-level fields whose keys are the entry keys
// of its encoder, so that a line holds each key once. Its Check lets the
// core it wraps decide and register itself (a sampler samples, zap.Hooks
// run, a tee writes to each of its cores) and adds the renaming as the
// line's pre-write hook, so every core that writes the line gets the
// renamed fields.
type uniqueCore struct {
	zapcore.Core
	keys   *entryKeys
	nested bool // a zap.Namespace was bound: later fields are not top level
}

// Level reports the wrapped core's minimum level (zap.Logger.Level).
func (c *uniqueCore) Level() zapcore.Level { return zapcore.LevelOf(c.Core) }

func (c *uniqueCore) With(fields []zapcore.Field) zapcore.Core {
	nested := c.nested
	if !nested {
		fields, nested = c.keys.renameClashes(fields)
	}
	return &uniqueCore{Core: c.Core.With(fields), keys: c.keys, nested: nested}
}

func (c *uniqueCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	out := c.Core.Check(e, ce)
	// A ce given (by a tee around c) comes back as it is whether or not
	// the wrapped core took the line.
	if out == nil || c.nested || (out == ce && !c.Core.Enabled(e.Level)) {
		return out
	}
	return out.Before(e, c.keys.rename)
}

// Write renames and writes, for a core around c that calls it directly
// rather than through Check.
func (c *uniqueCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	if !c.nested {
		fields, _ = c.keys.renameClashes(fields)
	}
	return c.Core.Write(e, fields)
}

// renameClashes returns fields with the top-level keys that are entry
// keys renamed (Exception's error stack excepted), copying fields only
// when one needs it, and whether a zap.Namespace among them nests the
// fields after it.
func (k *entryKeys) renameClashes(fields []zapcore.Field) ([]zapcore.Field, bool) {
	copied := false
	for i, f := range fields {
		if f.Type == zapcore.NamespaceType {
			return fields, true
		}
		if key := k.field(f.Key); key != f.Key && !isErrorStack(f) {
			if !copied {
				fields, copied = append([]zapcore.Field(nil), fields...), true
			}
			fields[i].Key = key
		}
	}
	return fields, false
}
