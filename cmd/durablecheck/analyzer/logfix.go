package analyzer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// reportLogging reports a call to a logger that is not replay-aware and,
// where the mapping is mechanical, suggests the ctx.Logger() call.
func (c *checker) reportLogging(call *ast.CallExpr, fr *frame, e effect) {
	ctx := usableName(c.pass.Pkg, fr.ctx, call.Pos())
	target := "the durable context's Logger()"
	if ctx != "" {
		target = ctx + ".Logger()"
	}
	msg := fmt.Sprintf("%s in durable code prints again on every replay; log with %s, which drops lines while replaying", e.What, target)
	r := &rewriter{c: c}
	method, args := r.rewrite(call)
	switch {
	case method == "":
		msg += " (no automatic fix: " + r.why + ")"
	case ctx == "":
		msg += " (no automatic fix: no *durable.Context parameter is in scope here)"
	case c.deferred[call]:
		msg += " (no automatic fix: the call is deferred, and a deferred line prints each time an invocation suspends, through ctx.Logger() too; log before the function returns)"
	case !c.stmtCalls[call]:
		msg += " (no automatic fix: the call's results are used)"
	default:
		text := ctx + ".Logger()" + r.with + "." + method + "(" + strings.Join(args, ", ") + ")"
		c.report(ruleLogging, call, msg, []analysis.SuggestedFix{{
			Message:   "rewrite to " + ctx + ".Logger()." + method,
			TextEdits: []analysis.TextEdit{{Pos: call.Pos(), End: call.End(), NewText: []byte(text)}},
		}})
		return
	}
	c.report(ruleLogging, call, msg, nil)
}

// A rewriter maps one logging call onto the durable Logger: a method name
// and its arguments, or why it cannot.
type rewriter struct {
	c    *checker
	why  string
	with string // the With and WithGroup calls to keep, e.g. `.With("k", v)`
}

func (r *rewriter) fail(format string, args ...any) (string, []string) {
	r.why = fmt.Sprintf(format, args...)
	return "", nil
}

// src prints an expression as source.
func (r *rewriter) src(e ast.Expr) string {
	var b bytes.Buffer
	printer.Fprint(&b, r.c.pass.Fset, e)
	return b.String()
}

// srcs prints args, keeping a final "..." when call has one.
func (r *rewriter) srcs(call *ast.CallExpr, args []ast.Expr) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = r.src(a)
	}
	if call.Ellipsis.IsValid() && len(out) > 0 {
		out[len(out)-1] += "..."
	}
	return out
}

// levels maps the level words of the supported loggers to the durable
// Logger's methods.
var levels = map[string]string{"Debug": "Debug", "Info": "Info", "Print": "Info", "Warn": "Warning", "Warning": "Warning", "Error": "Error"}

// level maps a level word, or explains why it has no counterpart.
func (r *rewriter) level(word, what string) string {
	if l := levels[word]; l != "" {
		return l
	}
	switch word {
	case "Fatal":
		r.why = what + " exits the process; return an error instead"
	case "Panic", "DPanic":
		r.why = what + " panics; return an error instead"
	case "Trace":
		r.why = "the durable Logger has no trace level; pick Debug"
	default:
		r.why = what + " takes a level value; pick the durable Logger method for it"
	}
	return ""
}

// splitLevel splits a sugared or logrus method name into its level word
// and suffix (f, w, ln or none).
func splitLevel(name string) (word, suffix string) {
	for _, l := range logLevels {
		if rest, ok := strings.CutPrefix(name, l); ok && (rest == "" || rest == "f" || rest == "w" || rest == "ln") {
			if len(l) > len(word) {
				word, suffix = l, rest
			}
		}
	}
	return word, suffix
}

// rewrite maps call, a logging call, onto the durable Logger.
func (r *rewriter) rewrite(call *ast.CallExpr) (string, []string) {
	info := r.c.pass.TypesInfo
	fn := calleeFunc(info, call)
	what := funcName(fn)
	name, recv := fn.Name(), recvTypeName(recvType(fn))
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
			return r.fail("the logger is passed as an argument (a method expression)")
		}
	}
	switch fn.Pkg().Path() {
	case "log/slog", zapPath:
		if !r.bound(call) {
			return "", nil
		}
	}
	switch fn.Pkg().Path() {
	case "log/slog":
		args := call.Args
		if strings.HasSuffix(name, "Context") || name == "Log" || name == "LogAttrs" {
			args = args[1:] // the context.Context
			name = strings.TrimSuffix(name, "Context")
		}
		switch name {
		case "LogAttrs":
			return "LogAttrs", r.srcs(call, args)
		case "Log":
			if l := slogLevelMethod(r.c.pass.TypesInfo, args[0]); l != "" {
				return l, r.srcs(call, args[1:])
			}
			return r.fail("the level is not one of slog's level constants; pick the durable Logger method for it")
		}
		l := r.level(name, what)
		if l == "" {
			return "", nil
		}
		return l, r.srcs(call, args)
	case "log":
		word := strings.TrimSuffix(strings.TrimSuffix(name, "f"), "ln")
		if l := r.level(word, what); l != "" {
			return r.printLike(call, call.Args, l, strings.TrimPrefix(name, word))
		}
		return "", nil
	case "fmt":
		args := call.Args
		if strings.HasPrefix(name, "F") {
			args = args[1:] // os.Stdout or os.Stderr
		}
		_, suffix, _ := strings.Cut(name, "rint")
		return r.printLike(call, args, "Info", suffix)
	case zapPath:
		if recv == "SugaredLogger" {
			word, suffix := splitLevel(name)
			l := r.level(word, what)
			if l == "" {
				return "", nil
			}
			if suffix == "w" {
				return l, r.srcs(call, call.Args)
			}
			return r.printLike(call, call.Args, l, suffix)
		}
		l := r.level(name, what)
		if l == "" {
			return "", nil
		}
		return r.zapFields(call, l)
	case zerologPath, zerologPath + "/log":
		if recv == "Event" {
			return r.zerolog(call)
		}
		return r.printLike(call, call.Args, "Debug", strings.TrimPrefix(name, "Print")) // zerolog's Print logs at debug level
	case logrusPath:
		return r.logrus(call, fn)
	case SDKPath, SDKPath + "/logsink": // LoggerInterface and the adapters have the durable Logger's method set
		return name, r.srcs(call, call.Args)
	}
	return r.fail("%s is not a logger call durablecheck can rewrite", what)
}

// printLike maps a Print-style call: suffix "f" formats, "" and "ln" take
// one string operand.
func (r *rewriter) printLike(call *ast.CallExpr, args []ast.Expr, level, suffix string) (string, []string) {
	if suffix == "f" {
		if len(args) == 0 {
			return r.fail("no format string")
		}
		out := r.srcs(call, args)
		if lit, ok := args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && strings.HasSuffix(s, "\n") {
				out[0] = strconv.Quote(strings.TrimSuffix(s, "\n"))
			}
		}
		return level + "f", out
	}
	if len(args) == 1 && !call.Ellipsis.IsValid() && isString(r.c.pass.TypesInfo.TypeOf(args[0])) {
		return level, r.srcs(call, args)
	}
	return r.fail("it prints its operands rather than a message with key/value pairs; write ctx.Logger().%s(message, key, value, ...)", level)
}

func isString(t types.Type) bool {
	b, ok := t.(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// zapFields maps a *zap.Logger call whose fields are zap field
// constructors onto key/value pairs.
func (r *rewriter) zapFields(call *ast.CallExpr, level string) (string, []string) {
	if len(call.Args) == 0 || call.Ellipsis.IsValid() {
		return r.fail("the fields are passed as a slice; write them as key/value pairs")
	}
	out := []string{r.src(call.Args[0])}
	for _, f := range call.Args[1:] {
		kv, ok := r.zapField(f)
		if !ok {
			return r.fail("%s is not a key/value zap field; write it as key/value pairs", r.src(f))
		}
		out = append(out, kv...)
	}
	return level, out
}

// zapField maps zap.String("k", v) and the like to "k", v and
// zap.Error(err) to "error", err.
func (r *rewriter) zapField(e ast.Expr) ([]string, bool) {
	call, ok := e.(*ast.CallExpr)
	if !ok || call.Ellipsis.IsValid() {
		return nil, false
	}
	fn := calleeFunc(r.c.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != zapPath || fn.Signature().Recv() != nil {
		return nil, false
	}
	switch {
	case fn.Name() == "Error" && len(call.Args) == 1:
		return []string{`"error"`, r.src(call.Args[0])}, true
	case len(call.Args) == 2 && isString(r.c.pass.TypesInfo.TypeOf(call.Args[0])) &&
		!slices.Contains([]string{"Object", "Array", "Inline", "Dict", "Objects", "ObjectValues", "Namespace"}, fn.Name()):
		return []string{r.src(call.Args[0]), r.src(call.Args[1])}, true
	}
	return nil, false
}

// zerologNonFields are *zerolog.Event methods that are not key/value
// fields.
var zerologNonFields = []string{"Dict", "Object", "Array", "EmbedObject", "Fields", "Func", "Caller", "Stack", "Timestamp", "Discard", "Ctx", "CallerSkipFrame", "Enabled"}

// zerolog maps log.Info().Str("k", v).Msg(m) onto Info(m, "k", v).
func (r *rewriter) zerolog(call *ast.CallExpr) (string, []string) {
	info := r.c.pass.TypesInfo
	send := calleeFunc(info, call).Name()
	var pairs [][]string // innermost last
	cur := call
	for {
		inner, fn := r.receiverCall(cur, "zerolog event")
		if inner == nil {
			return "", nil
		}
		recv := recvTypeName(recvType(fn))
		if recv == "Event" {
			switch {
			case fn.Name() == "Err" && len(inner.Args) == 1:
				pairs = append(pairs, []string{`"error"`, r.src(inner.Args[0])})
			case len(inner.Args) == 2 && !inner.Ellipsis.IsValid() && isString(info.TypeOf(inner.Args[0])) && !slices.Contains(zerologNonFields, fn.Name()):
				pairs = append(pairs, []string{r.src(inner.Args[0]), r.src(inner.Args[1])})
			default:
				return r.fail("zerolog's %s is not a key/value field", fn.Name())
			}
			cur = inner
			continue
		}
		if (recv == "Logger" || recv == "" && fn.Pkg().Path() == zerologPath+"/log") && len(inner.Args) == 0 {
			l := r.level(fn.Name(), "zerolog's "+fn.Name())
			if l == "" {
				return "", nil
			}
			kv := flatten(pairs)
			switch send {
			case "Msg":
				return l, append([]string{r.src(call.Args[0])}, kv...)
			case "Send":
				return l, append([]string{`""`}, kv...)
			case "Msgf":
				if len(kv) == 0 {
					return l + "f", r.srcs(call, call.Args)
				}
				return r.fail("Msgf with fields; write the message with Sprintf and keep the fields as key/value pairs")
			}
			return r.fail("zerolog's %s has no durable Logger counterpart", send)
		}
		return r.fail("the zerolog event starts with %s, not a level method", funcName(fn))
	}
}

// logrus maps logrus.WithField("k", v).Info(m) and the like.
func (r *rewriter) logrus(call *ast.CallExpr, fn *types.Func) (string, []string) {
	word, suffix := splitLevel(fn.Name())
	l := r.level(word, funcName(fn))
	if l == "" {
		return "", nil
	}
	var pairs [][]string
	if recvTypeName(recvType(fn)) == "Entry" {
		cur := call
		for {
			inner, ifn := r.receiverCall(cur, "logrus entry")
			if inner == nil {
				return "", nil
			}
			if ifn.Pkg().Path() != logrusPath {
				return r.fail("the logrus entry is not built from logrus here")
			}
			switch {
			case ifn.Name() == "WithField" && len(inner.Args) == 2:
				pairs = append(pairs, []string{r.src(inner.Args[0]), r.src(inner.Args[1])})
			case ifn.Name() == "WithError" && len(inner.Args) == 1:
				pairs = append(pairs, []string{`"error"`, r.src(inner.Args[0])})
			case ifn.Name() == "WithFields" && len(inner.Args) == 1:
				lit, ok := ast.Unparen(inner.Args[0]).(*ast.CompositeLit)
				if !ok {
					return r.fail("the logrus fields are built elsewhere")
				}
				var kv []string
				for _, elt := range lit.Elts {
					kve, ok := elt.(*ast.KeyValueExpr)
					if !ok {
						return r.fail("unexpected logrus.Fields element")
					}
					kv = append(kv, r.src(kve.Key), r.src(kve.Value))
				}
				pairs = append(pairs, kv)
			default:
				return r.fail("logrus's %s is not a field", ifn.Name())
			}
			if recvTypeName(recvType(ifn)) != "Entry" {
				break // the package function or *logrus.Logger method that starts the chain
			}
			cur = inner
		}
	}
	kv := flatten(pairs)
	if suffix == "f" && len(kv) > 0 {
		return r.fail("a formatted message with fields; write the message with Sprintf and keep the fields as key/value pairs")
	}
	m, args := r.printLike(call, call.Args, l, suffix)
	if m == "" {
		return "", nil
	}
	return m, append(args, kv...)
}

// receiverCall returns the call that built the receiver of a method call
// in a chain such as log.Info().Str(k, v).Msg(m), and its callee; nil,
// with the reason set, when the receiver is not a call.
func (r *rewriter) receiverCall(cur *ast.CallExpr, what string) (*ast.CallExpr, *types.Func) {
	sel, ok := cur.Fun.(*ast.SelectorExpr)
	if !ok {
		r.why = "the " + what + " is not built in this expression"
		return nil, nil
	}
	inner, ok := ast.Unparen(sel.X).(*ast.CallExpr)
	if !ok {
		r.why = "the " + what + " is built elsewhere; its fields are unknown here"
		return nil, nil
	}
	fn := calleeFunc(r.c.pass.TypesInfo, inner)
	if fn == nil || fn.Pkg() == nil {
		r.why = "the " + what + " is not built from a logger here"
		return nil, nil
	}
	return inner, fn
}

// flatten joins key/value pairs collected from the outermost call inward
// into source order.
func flatten(pairs [][]string) []string {
	var kv []string
	for i := len(pairs) - 1; i >= 0; i-- {
		kv = append(kv, pairs[i]...)
	}
	return kv
}

// slogLevelMethod maps slog.LevelDebug, LevelInfo, LevelWarn and LevelError
// to the durable Logger's method for that level.
func slogLevelMethod(info *types.Info, e ast.Expr) string {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	c, ok := info.Uses[sel.Sel].(*types.Const)
	if !ok || c.Pkg() == nil || c.Pkg().Path() != "log/slog" {
		return ""
	}
	return levels[strings.TrimPrefix(c.Name(), "Level")]
}

// bound maps the With and WithGroup calls that derive, in the same
// expression, the *slog.Logger or zap logger a call logs through onto the
// durable Logger's With and WithGroup (r.with). The logger they start
// from (slog.Default(), zap.L(), a variable, a field) is replaced by the
// durable Logger. It returns false, with the reason set, for a derivation
// that has no counterpart.
func (r *rewriter) bound(call *ast.CallExpr) bool {
	info := r.c.pass.TypesInfo
	var chain []string // innermost last
	for recv := callRecv(info, call); recv != nil; {
		inner, ok := ast.Unparen(recv).(*ast.CallExpr)
		if !ok {
			break
		}
		fn := calleeFunc(info, inner)
		if fn == nil || fn.Pkg() == nil {
			break
		}
		path, name, rt := fn.Pkg().Path(), fn.Name(), recvTypeName(recvType(fn))
		switch {
		case path == "log/slog" && (name == "With" || name == "WithGroup") && (rt == "" || rt == "Logger"):
			chain = append(chain, "."+name+"("+strings.Join(r.srcs(inner, inner.Args), ", ")+")")
		case path == zapPath && rt == "Logger" && name == "With":
			if inner.Ellipsis.IsValid() {
				r.why = "the fields bound with With are passed as a slice; write them as key/value pairs"
				return false
			}
			var kv []string
			for _, f := range inner.Args {
				pair, ok := r.zapField(f)
				if !ok {
					r.why = r.src(f) + " is not a key/value zap field; write it as key/value pairs"
					return false
				}
				kv = append(kv, pair...)
			}
			chain = append(chain, ".With("+strings.Join(kv, ", ")+")")
		case path == zapPath && rt == "SugaredLogger" && name == "With":
			for _, a := range inner.Args {
				if n, ok := types.Unalias(info.TypeOf(a)).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == zapPath && n.Obj().Name() == "Field" {
					r.why = r.src(a) + " is a zap.Field; write it as a key/value pair"
					return false
				}
			}
			chain = append(chain, ".With("+strings.Join(r.srcs(inner, inner.Args), ", ")+")")
		case path == zapPath && (name == "Sugar" || name == "Desugar"):
			// the same logger, fields and all
		case path == zapPath && (rt == "Logger" || rt == "SugaredLogger"):
			r.why = "the logger is derived with " + funcName(fn) + " here; rewrite the call by hand"
			return false
		default:
			rt = "" // the logger the chain starts from
		}
		if rt == "" {
			break
		}
		recv = callRecv(info, inner)
	}
	slices.Reverse(chain)
	r.with = strings.Join(chain, "")
	return true
}
