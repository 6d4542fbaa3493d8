// Package analyzer is durablecheck's analysis pass: it finds code that
// breaks, or prints again, when the durable-go runtime replays a durable
// function.
//
// Durable code is code the runtime re-runs on every invocation: a
// function that takes a *durable.Context (a handler, a RunInChildContext
// function, a Map item function, a Parallel branch, handed to them
// directly or through a wrapper of the module: see childParam) and the
// functions it calls, followed transitively through the analysed module (across its
// packages through facts) up to a depth limit. Step bodies,
// wait-for-condition checks, callback submitters and retry or wait
// strategies (functions taking a *durable.StepContext or returning a
// RetryDecision or WaitDecision) run once per attempt and are not durable
// code; rules stepctx and stepcapture check them instead. Neither is step
// code that is not a step body: a closure in a local variable called only
// from step bodies, or a function literal handed to a wrapper of
// durable.Step that calls it only from step bodies (see stepcode.go).
//
// The rules, by the name a suppression comment uses:
//
//	nondeterminism  clock, timers, randomness, UUIDs, environment, files, network in durable code;
//	                durable operations run only while the context is (not) replaying
//	maprange        range over a map (or a slice collected from one, unsorted) whose body runs
//	                durable operations, sync.Map.Range running them; durable.Map or Parallel
//	                over such a slice
//	chanrange       the same for a channel whose senders (goroutines) decide the order
//	concurrency     goroutines, select, sync.WaitGroup.Go, errgroup, sync.Once around durable operations
//	outerctx        a child, map item or branch function using a captured outer *durable.Context
//	                (or awaiting an outer callback in a map item or branch)
//	logging         a logger that is not replay-aware in durable code (with a suggested fix);
//	                a replay-aware line printed by a deferred call
//	stepctx         a step body running durable operations on the enclosing *durable.Context,
//	                or awaiting a callback
//	stepcapture     a step body (or check, submitter) assigning a variable captured from durable
//	                code, or a field of its receiver
//
// A finding is suppressed by a comment on its line or the line above, or
// in the doc comment of the enclosing function declaration:
//
//	//durable:ignore <rule> <reason>
//
// The reason is required: a suppression without one is reported.
//
// Rule logging knows the durable Logger's slog view: a *slog.Logger or
// slog.Handler obtained from (durable.Logger).Slog or Handler, directly, through
// a local variable assigned once, through slog.New, With or WithGroup, or
// handed to a helper's parameter, is replay-aware and not reported; so is
// logging under if !ctx.IsReplaying() { ... } or after an early
// if ctx.IsReplaying() { ...; return } (or continue, break).
package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Rule names, as findings print them and suppressions name them.
const (
	ruleNondeterminism = "nondeterminism"
	ruleMapRange       = "maprange"
	ruleChanRange      = "chanrange"
	ruleConcurrency    = "concurrency"
	ruleOuterCtx       = "outerctx"
	ruleLogging        = "logging"
	ruleStepCtx        = "stepctx"
	ruleStepCapture    = "stepcapture"
)

// Rules lists every rule name.
var Rules = []string{ruleNondeterminism, ruleMapRange, ruleChanRange, ruleConcurrency, ruleOuterCtx, ruleLogging, ruleStepCtx, ruleStepCapture}

// Analyzer is the durablecheck analysis pass.
var Analyzer = &analysis.Analyzer{
	Name:      "durablecheck",
	Doc:       "report code that breaks or logs again when a durable-go function replays\n\nSee https://pkg.go.dev/github.com/durable-go/durable-go/cmd/durablecheck/analyzer for the rules and the //durable:ignore <rule> <reason> suppression.",
	URL:       "https://pkg.go.dev/github.com/durable-go/durable-go/cmd/durablecheck/analyzer",
	Run:       run,
	FactTypes: []analysis.Fact{new(effectsFact), new(noOpsFact), new(stepParamsFact), new(heldOpsFact), new(fieldCallFact)},
}

// maxDepth bounds how many calls deep durable code is followed.
var maxDepth = 8

func init() {
	Analyzer.Flags.IntVar(&maxDepth, "depth", maxDepth, "how many calls deep to follow durable code into helper functions")
}

// A reach is an effect reached through a chain of calls. Its fields are
// exported for the gob encoding of facts.
type reach struct {
	Rule, What, Hint string   // as in effect
	Chain            []string // the functions called, outermost first
	// Param, when positive, says the effect logs through the *slog.Logger
	// or slog.Handler its outermost function takes as parameter Param-1:
	// it happens only where the caller passes a logger that is not the
	// durable Logger's slog view.
	Param int
}

// via returns e reached through chain.
func (e effect) via(chain []string) reach {
	return reach{Rule: e.Rule, What: e.What, Hint: e.Hint, Chain: chain}
}

// effectsFact records what an exported function does that durable code
// calling it must not do, for callers in other packages of its module.
type effectsFact struct {
	Module  string
	Reaches []reach
	// Returned are the effects of the functions it returns, where they
	// are called (see resultReaches).
	Returned []reach
}

// AFact marks effectsFact as an analysis fact.
func (*effectsFact) AFact() {}

func (f *effectsFact) String() string {
	var parts []string
	for _, r := range f.Reaches {
		part := r.Rule + ": " + r.trail()
		if r.Param > 0 {
			part += fmt.Sprintf(" (through parameter %d)", r.Param)
		}
		parts = append(parts, part)
	}
	for _, r := range f.Returned {
		parts = append(parts, "returns a function: "+r.Rule+": "+r.trail())
	}
	return strings.Join(parts, "; ")
}

// trail renders the call chain ending in the effect.
func (r reach) trail() string {
	return strings.Join(append(append([]string(nil), r.Chain...), r.What), " → ")
}

// checker holds the state of one pass.
type checker struct {
	pass         *analysis.Pass
	module       string
	decls        map[*types.Func]*ast.FuncDecl
	summaries    map[*types.Func][]reach
	scc          sccState // see summarize
	sup          *suppressions
	reported     map[string]bool
	stmtCalls    map[*ast.CallExpr]bool       // calls that are a whole statement, deferred or started with go
	assigns      map[*types.Var][]ast.Expr    // see assignments
	closures     map[*ast.FuncLit]*types.Var  // see closureVars
	closureOf    map[*types.Var]*ast.FuncLit  // see closureVars
	litArgs      map[*ast.FuncLit]litArg      // see closureVars
	stepArgs     map[stepArgKey]bool          // see stepParam
	childArgs    map[paramKey]string          // see childParam
	parents      map[ast.Node]ast.Node        // see parentOf
	stepFields   map[*types.Var]bool          // see stepOnlyField
	retSummaries map[*types.Func][]reach      // see returnedSummary
	methodVals   map[*types.Func]bool         // see methodValues
	deferred     map[*ast.CallExpr]bool       // see checkDeferredLog
	children     map[*types.Func]string       // see childMethods
	impls        map[*types.Func][]reach      // see implReaches
	held         map[*types.Func][]heldCtx    // see heldOps
	funcVars     map[*types.Var]*types.Func   // see packageFuncVars
	fields       map[*types.Var][]*types.Func // see fieldFuncs
	fieldSites   map[*types.Var][]fieldSite   // see fieldFuncs
	fieldNames   map[*types.Var]string        // see fieldFuncs
	paramFields  map[paramKey][]*types.Var    // see fieldFuncs
	durableField map[*types.Var]*fieldCall    // see noteFieldCalls
	fieldUses    map[*types.Func][]fieldUse   // see fieldCallsOf
	collecting   map[*types.Var]bool          // being looked into by collectedFrom or filledInPlace
}

func run(pass *analysis.Pass) (any, error) {
	path := pass.Pkg.Path()
	if isSDKPackage(path) {
		return nil, nil
	}
	var module, version string
	if pass.Module != nil {
		module, version = pass.Module.Path, pass.Module.Version
	}
	if module == "" && isStdPath(path) || module == "std" || version != "" {
		return nil, nil // the standard library and dependencies from other modules
	}
	c := &checker{
		pass:      pass,
		module:    module,
		decls:     map[*types.Func]*ast.FuncDecl{},
		summaries: map[*types.Func][]reach{},
		reported:  map[string]bool{},
		stmtCalls: map[*ast.CallExpr]bool{},
	}
	c.sup = parseSuppressions(pass)
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					c.decls[fn] = fd
				}
			}
		}
	}
	for v := range c.packageFuncVars() {
		if v.Exported() {
			// A call is needed only for fmt.Fprint's stream, which a
			// variable holding fmt.Fprintln cannot show: none.
			if rs := c.funcVarReaches(v, &ast.CallExpr{}); len(rs) > 0 {
				pass.ExportObjectFact(v, &effectsFact{Module: c.module, Reaches: rs})
			}
		}
	}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if fn == nil {
				continue
			}
			if fn.Exported() {
				always, returned := c.stepParams(fn)
				if children := c.childParams(fn); len(always)+len(returned)+len(children) > 0 {
					pass.ExportObjectFact(fn, &stepParamsFact{Params: always, Returned: returned, Children: children})
				}
			}
			fr := &frame{}
			switch roleOf(fn.Signature()) {
			case roleDurable:
				fr = &frame{mode: roleDurable, root: fd, top: fd, ctx: contextParam(fn.Signature())}
				if what := c.childMethods()[fn]; what != "" {
					c.checkOuterCtx(fd, fd.Body, fn.Signature())
					fr.child, fr.childWhat = fd, what
				}
				if fn.Exported() && !c.declRunsOps(fd, map[ast.Node]bool{}) {
					pass.ExportObjectFact(fn, new(noOpsFact))
				}
			case roleOnce:
				fr = &frame{mode: roleOnce, once: fd, sig: fn.Signature()}
			default:
				if fn.Exported() {
					if rs, ret := c.summarize(fn), c.returnedSummary(fn); len(rs)+len(ret) > 0 {
						pass.ExportObjectFact(fn, &effectsFact{Module: c.module, Reaches: rs, Returned: ret})
					}
					if hs := c.heldOps(fn); len(hs) > 0 {
						f := &heldOpsFact{}
						for _, h := range hs {
							f.Exprs = append(f.Exprs, h.expr)
						}
						pass.ExportObjectFact(fn, f)
					}
				}
			}
			c.walk(fd.Body, fr)
		}
	}
	// Function literals in package variables' values, such as a handler
	// written in place: var Function = durable.Handler(func(ctx ...) ...).
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				for _, spec := range gd.Specs {
					for _, v := range spec.(*ast.ValueSpec).Values {
						c.walk(v, &frame{})
					}
				}
			}
		}
	}
	c.exportFieldFacts()
	c.checkFieldSets()
	return nil, nil
}

// isStdPath reports whether path looks like a standard library package.
func isStdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// A frame is where the walk is: in durable code, in a function run once
// per attempt, or in other code.
type frame struct {
	mode funcRole
	root ast.Node   // innermost enclosing durable function, nil outside any
	top  ast.Node   // outermost enclosing durable function
	ctx  *types.Var // its *durable.Context parameter
	once ast.Node   // in roleOnce: the step body (or check, submitter, strategy)
	sig  *types.Signature
	// notReplaying is set in durable code that runs only while ctx is not
	// replaying (if !ctx.IsReplaying() { ... }): what it logs prints once.
	notReplaying bool
	// child, in durable code, is the child, map item or branch function
	// being walked, and childWhat names its kind: a completed one is not
	// run again on replay, so what it assigns outside itself is lost.
	child     ast.Node
	childWhat string
}

// walk checks the code under n as fr says.
func (c *checker) walk(n ast.Node, fr *frame) {
	info := c.pass.TypesInfo
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			sig, _ := info.TypeOf(n).(*types.Signature)
			switch roleOf(sig) {
			case roleDurable:
				if !c.inlineHelper(n) {
					c.checkOuterCtx(n, n.Body, sig)
				}
				c.checkOuterCallbacks(n)
				top := fr.top
				if top == nil {
					top = n
				}
				inner := &frame{mode: roleDurable, root: n, top: top, ctx: contextParam(sig)}
				if what := c.childKind(n); what != "" && top != n {
					inner.child, inner.childWhat = n, what
				}
				c.walk(n.Body, inner)
				return false
			case roleOnce:
				c.walk(n.Body, &frame{mode: roleOnce, root: fr.root, top: fr.top, ctx: fr.ctx, once: n, sig: sig})
				return false
			}
			if fr.mode == roleDurable && c.stepOnly(n, fr.root, nil, nil) {
				// step code, checked as a step body
				c.walk(n.Body, &frame{mode: roleOnce, root: fr.root, top: fr.top, ctx: fr.ctx, once: n})
				return false
			}
			return true // an inline closure runs as the code around it
		case *ast.CallExpr:
			switch fr.mode {
			case roleDurable:
				c.checkDurableCall(n, fr)
			case roleOnce:
				c.checkStepCall(n, fr)
			}
		case *ast.BlockStmt:
			return !c.gateList(nil, n.List, fr)
		case *ast.CaseClause:
			var head []ast.Node
			for _, e := range n.List {
				head = append(head, e)
			}
			return !c.gateList(head, n.Body, fr)
		case *ast.CommClause:
			var head []ast.Node
			if n.Comm != nil {
				head = append(head, n.Comm)
			}
			return !c.gateList(head, n.Body, fr)
		case *ast.IfStmt:
			if fr.mode != roleDurable || fr.notReplaying {
				return true
			}
			gated := *fr
			gated.notReplaying = true
			then, els := fr, fr
			switch c.replayTest(n.Cond, fr.ctx) {
			case 1:
				then = &gated
			case -1:
				els = &gated
			default:
				return true
			}
			if c.startsOperations(n.Body) || n.Else != nil && c.startsOperations(n.Else) {
				c.reportReplayGate(n, fr)
			}
			if n.Init != nil {
				c.walk(n.Init, fr)
			}
			c.walk(n.Cond, fr)
			c.walk(n.Body, then)
			if n.Else != nil {
				c.walk(n.Else, els)
			}
			return false
		case *ast.ExprStmt:
			if call, ok := n.X.(*ast.CallExpr); ok {
				c.stmtCalls[call] = true
			}
		case *ast.DeferStmt:
			c.stmtCalls[n.Call] = true
			if fr.mode == roleDurable {
				c.checkDeferredLog(n)
			}
		case *ast.RangeStmt:
			if fr.mode == roleDurable {
				c.checkMapRange(n)
			}
		case *ast.GoStmt:
			c.stmtCalls[n.Call] = true
			if fr.mode == roleDurable && c.startsOperations(n.Call) {
				c.report(ruleConcurrency, n, "a goroutine runs durable operations: an operation called from a goroutine other than its Context's own fails the execution with ErrWrongGoroutine; use durable.Map, durable.Parallel or durable.RunInChildContext", nil)
			}
		case *ast.SelectStmt:
			if fr.mode == roleDurable && c.startsOperations(n.Body) && !c.cancellableWait(n) {
				c.report(ruleConcurrency, n, "select picks its case by timing, so the durable operations in its cases run in another order on replay; use durable.Parallel with a completion option (e.g. durable.WithMinSuccessful(1))", nil)
			}
		case *ast.AssignStmt:
			if fr.mode == roleOnce && n.Tok != token.DEFINE {
				for _, lhs := range n.Lhs {
					c.checkCapturedAssign(lhs, fr)
				}
			}
			if fr.child != nil && n.Tok != token.DEFINE {
				for _, lhs := range n.Lhs {
					c.checkChildAssign(lhs, fr)
				}
			}
		case *ast.IncDecStmt:
			if fr.mode == roleOnce {
				c.checkCapturedAssign(n.X, fr)
			}
			if fr.child != nil {
				c.checkChildAssign(n.X, fr)
			}
		}
		return true
	})
}

// gateList walks a block's statements (after head, the case
// expressions or communication of a case clause) when one of them is
// if ctx.IsReplaying() { ...; return }: the statements after it run only
// while ctx is not replaying. It reports whether it walked them.
func (c *checker) gateList(head []ast.Node, list []ast.Stmt, fr *frame) bool {
	if fr.mode != roleDurable || fr.notReplaying {
		return false
	}
	for i, st := range list {
		if c.returnsWhileReplaying(st, fr.ctx) {
			if c.startsOperations(st.(*ast.IfStmt).Body) || slices.ContainsFunc(list[i+1:], func(after ast.Stmt) bool { return c.startsOperations(after) }) {
				c.reportReplayGate(st, fr)
			}
			gated := *fr
			gated.notReplaying = true
			for _, h := range head {
				c.walk(h, fr)
			}
			for _, before := range list[:i+1] {
				c.walk(before, fr)
			}
			for _, after := range list[i+1:] {
				c.walk(after, &gated)
			}
			return true
		}
	}
	return false
}

// report emits a finding unless a suppression covers it.
func (c *checker) report(rule string, n ast.Node, msg string, fixes []analysis.SuggestedFix) {
	key := fmt.Sprint(n.Pos(), rule, msg)
	if c.reported[key] || c.sup.covers(c.pass.Fset, rule, n.Pos()) {
		return
	}
	c.reported[key] = true
	c.pass.Report(analysis.Diagnostic{
		Pos: n.Pos(), End: n.End(), Category: rule,
		Message:        rule + ": " + msg,
		SuggestedFixes: fixes,
	})
}

// checkDurableCall applies rules nondeterminism, logging and concurrency
// to a call in durable code, following calls into helpers.
func (c *checker) checkDurableCall(call *ast.CallExpr, fr *frame) {
	info := c.pass.TypesInfo
	fn := calleeFunc(info, call)
	c.noteFieldCalls(call, fn, fr)
	if fn == nil {
		if e, ok := builtinPrint(info, call); ok && !fr.notReplaying {
			c.report(ruleLogging, call, e.What+" in durable code "+e.Hint, nil)
		}
		for _, r := range append(c.varReaches(call), c.resultReaches(call)...) {
			if r.Rule != ruleLogging || !fr.notReplaying {
				c.report(r.Rule, call, fmt.Sprintf("%s in durable code (via %s) %s", r.What, strings.Join(r.Chain, " → "), r.Hint), nil)
			}
		}
		return
	}
	if isOperationCall(info, call) && len(call.Args) > 0 {
		c.checkDoneCtx(call.Args[0])
	}
	if e, ok := directEffect(info, call, fn); ok {
		if e.Rule == ruleLogging {
			if fr.notReplaying || c.logOrigin(call, fn, nil) == originAware {
				return // the durable Logger's slog view
			}
			c.reportLogging(call, fr, e)
			return
		}
		if !c.onlyLogged(call) {
			c.report(e.Rule, call, e.What+" in durable code "+e.Hint, nil)
		}
		return
	}
	if c.checkConcurrentCall(call, fn) {
		return
	}
	c.checkMapItems(call, fn)
	c.checkSyncMapRange(call)
	for _, r := range c.reachesOf(fn) {
		if r.Param > 0 && c.argOrigin(call, fn, r.Param-1, nil) == originAware {
			continue // the helper logs through the slog view it is handed
		}
		if r.Rule == ruleLogging && fr.notReplaying {
			continue
		}
		c.report(r.Rule, call, fmt.Sprintf("%s in durable code (via %s) %s", r.What, strings.Join(r.Chain, " → "), r.Hint), nil)
	}
}

// slogAttrs are log/slog's attribute constructors.
var slogAttrs = names("Any", "Bool", "Duration", "Float64", "Int", "Int64", "String", "Time", "Uint64", "Group")

// onlyLogged reports whether the value call returns serves only as an
// argument of a line of a replay-aware logger (the durable Logger, its
// slog view), directly or through methods of the value and slog's
// attribute constructors (log.Info("done", "at", time.Now().UTC())): it
// is read when the line prints, and dropped with the line on replay.
func (c *checker) onlyLogged(call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	var e ast.Expr = call
	for {
		var parent ast.Node
		e, parent = c.unparenParent(e)
		switch p := parent.(type) {
		case *ast.SelectorExpr:
			// a method of the value: time.Now().UTC()
			outer, ok := c.parentOf(p).(*ast.CallExpr)
			if s := info.Selections[p]; !ok || outer.Fun != p || s == nil || s.Kind() != types.MethodVal {
				return false
			}
			e = outer
		case *ast.CallExpr:
			fn := calleeFunc(info, p)
			if fn == nil || !slices.Contains(p.Args, e) {
				return false
			}
			if c.awareLogCall(p, fn) {
				return true
			}
			if fn.Pkg() == nil || fn.Pkg().Path() != "log/slog" || fn.Signature().Recv() != nil || !slogAttrs[fn.Name()] {
				return false
			}
			e = p
		default:
			return false
		}
	}
}

// awareLogCall reports whether call, to fn, prints a line through a
// replay-aware logger: the durable Logger or its slog view.
func (c *checker) awareLogCall(call *ast.CallExpr, fn *types.Func) bool {
	if isSDKNamed(recvType(fn), "Logger", false) && durableLogMethods[fn.Name()] {
		return true
	}
	_, ok := loggingCall(c.pass.TypesInfo, call, fn)
	return ok && c.logOrigin(call, fn, nil) == originAware
}

// durableLogMethods are the durable Logger's methods that print a line.
var durableLogMethods = names("Debug", "Info", "Warning", "Error", "Exception", "Debugf", "Infof", "Warningf", "Errorf", "LogAttrs")

// checkDeferredLog applies rule logging to a defer statement of durable
// code: the runtime suspends an invocation with runtime.Goexit, which
// runs deferred calls, so a line a deferred call prints through a
// replay-aware logger (the durable Logger, its slog view) prints again
// on every invocation that suspends, replaying or not. Reported are the
// deferred call itself and, for a deferred function literal, the calls
// its body makes unconditionally (a line under if err != nil prints
// when the function fails).
func (c *checker) checkDeferredLog(d *ast.DeferStmt) {
	info := c.pass.TypesInfo
	calls := []*ast.CallExpr{d.Call}
	if lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
		for _, st := range lit.Body.List {
			if es, ok := st.(*ast.ExprStmt); ok {
				if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
					calls = append(calls, call)
				}
			}
		}
	}
	if c.deferred == nil {
		c.deferred = map[*ast.CallExpr]bool{}
	}
	for _, call := range calls {
		c.deferred[call] = true
	}
	for _, call := range calls {
		fn := calleeFunc(info, call)
		if fn == nil {
			continue
		}
		if c.awareLogCall(call, fn) {
			c.report(ruleLogging, call, funcName(fn)+" in a deferred call of durable code runs each time an invocation suspends (the runtime suspends with runtime.Goexit, which runs deferred calls), so the line prints once per invocation; log before the function returns instead", nil)
		}
	}
}

// checkConcurrentCall reports sync.WaitGroup.Go, errgroup.Group.Go and
// sync.Once.Do running durable operations.
func (c *checker) checkConcurrentCall(call *ast.CallExpr, fn *types.Func) bool {
	if fn.Pkg() == nil || len(call.Args) == 0 {
		return false
	}
	recv := recvTypeName(recvType(fn))
	var msg string
	switch {
	case fn.Pkg().Path() == "sync" && recv == "WaitGroup" && fn.Name() == "Go",
		fn.Pkg().Path() == "golang.org/x/sync/errgroup" && recv == "Group" && (fn.Name() == "Go" || fn.Name() == "TryGo"):
		msg = funcName(fn) + " runs durable operations on another goroutine, where they fail the execution with ErrWrongGoroutine; use durable.Map or durable.Parallel"
	case fn.Pkg().Path() == "sync" && recv == "Once" && fn.Name() == "Do":
		msg = "sync.Once.Do runs durable operations once per process, not once per invocation: a warm Lambda skips them on the next invocation and replay diverges; run them unconditionally"
	default:
		return false
	}
	if !c.funcRunsOps(call.Args[len(call.Args)-1]) {
		return false
	}
	c.report(ruleConcurrency, call, msg, nil)
	return true
}

// reachesOf returns the effects a call to fn reaches: from this package's
// summaries or, for another package of the module, from its facts.
func (c *checker) reachesOf(fn *types.Func) []reach {
	if fn.Pkg() == nil || isSDKPackage(fn.Pkg().Path()) || roleOf(fn.Signature()) != roleOther {
		return nil
	}
	if recv := recvType(fn); recv != nil && types.IsInterface(recv) {
		return c.implReaches(fn)
	}
	if fn.Pkg() == c.pass.Pkg {
		return c.summarize(fn)
	}
	var f effectsFact
	if !c.pass.ImportObjectFact(fn, &f) || f.Module != c.module {
		return nil
	}
	return f.Reaches
}

// summarizeBody computes the effects fn, declared by decl, reaches (one
// per rule and logger parameter, through the shortest call chain), with
// call chains no longer than maxDepth, from the summaries of the
// functions it calls (see summarize). An unconditional effect and one
// through a parameter may both be there (see uncovered).
func (c *checker) summarizeBody(fn *types.Func, decl *ast.FuncDecl) []reach {
	return c.summarizeNode(funcName(fn), fn.Signature().Params(), decl.Body)
}

// summarizeNode computes the effects body reaches, as summarizeBody does
// for a function named name with parameters params (nil for a function
// literal, whose callers hand it no logger).
func (c *checker) summarizeNode(name string, params *types.Tuple, body ast.Node) []reach {
	info := c.pass.TypesInfo
	var out []reach
	add := func(r reach, origin int) {
		switch {
		case len(r.Chain) > maxDepth || origin == originAware:
			return
		case origin > 0:
			r.Param = origin
		default:
			r.Param = 0
		}
		for i, o := range out {
			if o.Rule == r.Rule && o.Param == r.Param {
				if len(r.Chain) < len(o.Chain) {
					out[i] = r
				}
				return
			}
		}
		out = append(out, r)
	}
	c.inspectCalls(body, func(n *ast.CallExpr) {
		callee := calleeFunc(info, n)
		if callee == nil {
			if e, ok := builtinPrint(info, n); ok && !c.sup.covers(c.pass.Fset, e.Rule, n.Pos()) {
				add(e.via([]string{name}), originUnknown)
			}
			for _, r := range append(c.varReaches(n), c.resultReaches(n)...) {
				if !c.sup.covers(c.pass.Fset, r.Rule, n.Pos()) {
					add(reach{Rule: r.Rule, What: r.What, Hint: r.Hint, Chain: append([]string{name}, r.Chain...)}, originUnknown)
				}
			}
			return
		}
		if e, ok := directEffect(info, n, callee); ok {
			if !c.sup.covers(c.pass.Fset, e.Rule, n.Pos()) && (e.Rule != ruleNondeterminism || !c.onlyLogged(n)) {
				add(e.via([]string{name}), c.logOrigin(n, callee, params))
			}
			return
		}
		for _, r := range c.reachesOf(callee) {
			if !c.sup.covers(c.pass.Fset, r.Rule, n.Pos()) {
				origin := originUnknown
				if r.Param > 0 {
					origin = c.argOrigin(n, callee, r.Param-1, params)
				}
				add(reach{Rule: r.Rule, What: r.What, Hint: r.Hint, Chain: append([]string{name}, r.Chain...)}, origin)
			}
		}
	})
	return out
}

// inspectCalls calls visit for each call a helper's body makes when the
// helper runs: not in the function literals it returns or stores in a
// field only step code calls, which run where they are called, nor in
// step bodies and functions taking a *durable.Context, which are checked
// on their own.
func (c *checker) inspectCalls(body ast.Node, visit func(*ast.CallExpr)) {
	info := c.pass.TypesInfo
	returned := c.returnedLits(body)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			sig, _ := info.TypeOf(n).(*types.Signature)
			if f := c.fieldOfLit(n); f != nil && c.stepOnlyField(f, nil) {
				return false
			}
			return roleOf(sig) == roleOther && !returned[n]
		case *ast.CallExpr:
			visit(n)
		}
		return true
	})
}

// uncovered drops from a summary the effects through a logger parameter
// that an unconditional effect of the same rule covers.
func uncovered(out []reach) []reach {
	uncond := map[string]bool{}
	for _, r := range out {
		if r.Param == 0 {
			uncond[r.Rule] = true
		}
	}
	var kept []reach
	for _, r := range out {
		if r.Param == 0 || !uncond[r.Rule] {
			kept = append(kept, r)
		}
	}
	return kept
}

// checkMapRange applies rules maprange and chanrange to a range statement.
func (c *checker) checkMapRange(rs *ast.RangeStmt) {
	u := c.rangeOrder(rs)
	if u.from == "" || !c.startsOperations(rs.Body) {
		return
	}
	rule := ruleMapRange
	if u.from == fromChannel {
		rule = ruleChanRange
	}
	switch {
	case u.collected && u.from == fromChannel:
		c.report(rule, rs, "range over "+u.what+", collected from a channel in the order its values arrived, runs durable operations in another order on replay; "+chanHint, nil)
	case u.collected:
		c.report(rule, rs, "range over "+u.what+", collected from "+u.from+" in its random order, runs durable operations in another order on replay; sort it first (slices.Sort, sort.Strings) or collect it with slices.Sorted(maps.Keys(m))", nil)
	case u.from == fromChannel:
		c.report(rule, rs, "range over "+u.what+" runs durable operations in the order its values arrive, which the goroutines sending them decide, so a replay meets them in another order; "+chanHint, nil)
	default:
		c.report(rule, rs, "range over "+u.what+" runs durable operations in random order, so a replay meets them in another order; range over sorted keys, e.g. slices.Sorted(maps.Keys(m))", nil)
	}
}

// chanHint says what to do instead of running durable operations in a
// channel's order.
const chanHint = "compute the values with durable.Map or durable.Parallel, whose results keep their items' order, or sort them before running operations"

// An unordered says what a range statement ranges over in an unspecified
// order.
type unordered struct {
	what      string // for messages: "a map", "maps.Keys", "a channel", a collected slice's name
	from      string // fromMap, fromChannel (fromSyncMap for a collected slice); "" for an ordered range
	collected bool   // a slice collected in from's order (collectedFrom)
}

// rangeOrder says what rs ranges over in an unspecified order: a map,
// maps.Keys (Values, All), a channel whose order the program does not
// decide (filledInPlace), a slice collected in one of these orders and not
// sorted (collectedFrom); from is empty otherwise.
func (c *checker) rangeOrder(rs *ast.RangeStmt) unordered {
	info := c.pass.TypesInfo
	if t := info.TypeOf(rs.X); t != nil {
		switch t.Underlying().(type) {
		case *types.Map:
			return unordered{what: fromMap, from: fromMap}
		case *types.Chan:
			if c.filledInPlace(rs.X) {
				return unordered{}
			}
			return unordered{what: fromChannel, from: fromChannel}
		}
	}
	if call, ok := ast.Unparen(rs.X).(*ast.CallExpr); ok {
		if fn := calleeFunc(info, call); fn != nil && fn.Pkg() != nil &&
			(fn.Pkg().Path() == "maps" || fn.Pkg().Path() == "golang.org/x/exp/maps") &&
			(fn.Name() == "Keys" || fn.Name() == "Values" || fn.Name() == "All") {
			return unordered{what: funcName(fn), from: fromMap}
		}
	}
	if from := c.collectedFrom(rs.X); from != "" {
		return unordered{what: ast.Unparen(rs.X).(*ast.Ident).Name, from: from, collected: true}
	}
	if call, ok := ast.Unparen(rs.X).(*ast.CallExpr); ok {
		if from := c.collectedBy(call); from != "" {
			return unordered{what: types.ExprString(call.Fun) + "(...)", from: from, collected: true}
		}
	}
	return unordered{}
}

// checkMapItems applies rule maprange (chanrange) to durable.Map over
// items, or durable.Parallel over branches, collected in an unspecified
// order and not sorted.
func (c *checker) checkMapItems(call *ast.CallExpr, fn *types.Func) {
	if fn.Pkg() == nil || fn.Pkg().Path() != SDKPath || (fn.Name() != "Map" && fn.Name() != "Parallel") || fn.Signature().Recv() != nil || len(call.Args) < 3 {
		return
	}
	from, name := c.collectedFrom(call.Args[2]), ""
	if from != "" {
		name = ast.Unparen(call.Args[2]).(*ast.Ident).Name
	} else if items, ok := ast.Unparen(call.Args[2]).(*ast.CallExpr); ok {
		from, name = c.collectedBy(items), types.ExprString(items.Fun)+"(...)"
	}
	if from == "" {
		return
	}
	if from == fromChannel {
		c.report(ruleChanRange, call, "durable."+fn.Name()+" over "+name+", collected from a channel in the order its values arrived: on replay an index holds another element, and a completed one's recorded result goes to it; "+chanHint, nil)
		return
	}
	c.report(ruleMapRange, call, "durable."+fn.Name()+" over "+name+", collected from "+from+" in its random order: on replay an index holds another element, and a completed one's recorded result goes to it; sort it first (slices.Sort, sort.Strings) or collect it with slices.Sorted(maps.Keys(m))", nil)
}

// checkSyncMapRange applies rule maprange to sync.Map's Range calling a
// function that runs durable operations: it visits the entries in random
// order.
func (c *checker) checkSyncMapRange(call *ast.CallExpr) {
	if !isSyncMapRange(c.pass.TypesInfo, call) || len(call.Args) != 1 || !c.funcRunsOps(call.Args[0]) {
		return
	}
	c.report(ruleMapRange, call, "sync.Map.Range visits the entries in random order, so the durable operations its function runs meet a replay in another order; collect the keys, sort them, and run the operations over the sorted keys", nil)
}

// checkOuterCtx applies rule outerctx to lit, a function literal that
// has its own *durable.Context parameter or a function declared to run as
// a child, map item or branch (childMethods), with body body: it reports
// each use there of an outer context (a field holding one counts, unless
// the function keeps its own context in it), captured directly or through a local variable the function
// assigns it to (c := ctx, then durable.Wait(c, ...)). Storing the outer
// context (c := ctx, h.ctx = ctx, job{parent: ctx}) is not a use: what
// the function does with it afterwards is, and the field or variable may
// serve after the function returns, where the outer context is its own.
func (c *checker) checkOuterCtx(lit ast.Node, body *ast.BlockStmt, sig *types.Signature) {
	info := c.pass.TypesInfo
	own := contextParam(sig)
	kept := keptFields(info, lit, body)
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if inner, ok := n.(*ast.FuncLit); ok {
			s, _ := info.TypeOf(inner).(*types.Signature)
			if roleOf(s) == roleDurable {
				return false // checked on its own
			}
		}
		stack = append(stack, n)
		if call, ok := n.(*ast.CallExpr); ok && !c.inStepBody(stack) {
			fn := calleeFunc(info, call)
			for _, h := range c.heldOps(fn) {
				if h.v == nil || !kept[h.v] && !within(h.v.Pos(), lit) {
					c.report(ruleOuterCtx, call, fmt.Sprintf("%s runs durable operations on %s, a durable context from outside this child, map item or branch function: they fail the execution (ErrContextInUse in a child, ErrWrongGoroutine in a map item or branch); hand the function its context as a parameter", funcName(fn), h.expr), nil)
					break
				}
			}
		}
		id, ok := n.(*ast.Ident)
		if !ok || len(stack) < 2 {
			return true
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || !isContext(v.Type()) || kept[v] || stored(id, stack[:len(stack)-1]) {
			return true
		}
		root := c.outerCtx(id, v, lit, nil)
		if root == nil {
			return true
		}
		what := id.Name + " is a captured outer durable context"
		if root != id {
			what = fmt.Sprintf("%s holds %s, a captured outer durable context", id.Name, root.Name)
		}
		msg := what + ": an operation on it from this child, map item or branch function fails the execution (ErrContextInUse in a child, ErrWrongGoroutine in a map item or branch), its IsReplaying() answers for the outer context, not this function, and the lines its Logger() prints lack this function's parentId; use the function's own context parameter"
		var fixes []analysis.SuggestedFix
		rootVar, _ := info.Uses[root].(*types.Var)
		if name := usableName(c.pass.Pkg, own, root.Pos()); name != "" && rootVar != nil && !rootVar.IsField() {
			msg += " " + name
			fixes = []analysis.SuggestedFix{{
				Message:   "use " + name,
				TextEdits: []analysis.TextEdit{{Pos: root.Pos(), End: root.End(), NewText: []byte(name)}},
			}}
		}
		c.report(ruleOuterCtx, id, msg, fixes)
		return true
	})
}

// callbackResult returns the identifier of the callback variable call
// awaits (cb in cb.Result()), or nil.
func callbackResult(info *types.Info, call *ast.CallExpr) *ast.Ident {
	if !isOperationCall(info, call) || calleeFunc(info, call).Signature().Recv() == nil {
		return nil
	}
	id, _ := ast.Unparen(callRecv(info, call)).(*ast.Ident)
	return id
}

// concurrentItem reports whether lit is a durable.Map item function or a
// durable.Branch's Func, which the runtime runs on a goroutine of its own.
func (c *checker) concurrentItem(lit *ast.FuncLit) bool {
	what := c.childKind(lit)
	return what == "the map item function" || what == "the branch function"
}

// checkOuterCallbacks reports the callbacks of an outer context that lit,
// a map item or branch function, awaits: Callback.Result checks the
// goroutine of the context that created the callback.
func (c *checker) checkOuterCallbacks(lit *ast.FuncLit) {
	if !c.concurrentItem(lit) {
		return
	}
	info := c.pass.TypesInfo
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if inner, ok := n.(*ast.FuncLit); ok {
			s, _ := info.TypeOf(inner).(*types.Signature)
			return roleOf(s) == roleOther // checked on its own, or not durable code
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if id := callbackResult(info, call); id != nil {
			if v, ok := info.Uses[id].(*types.Var); ok && !within(v.Pos(), lit) {
				c.report(ruleOuterCtx, call, fmt.Sprintf("%s is a callback of an outer durable context: awaiting it from this map item or branch function fails the execution with ErrWrongGoroutine; await it outside durable.Map or durable.Parallel and hand its result in, or create the callback in this function", id.Name), nil)
			}
		}
		return true
	})
}

// inlineHelper reports whether lit, a function literal taking a
// *durable.Context, is a helper that the durable function declaring it
// only calls in place (charge := func(c *durable.Context, ...); then
// charge(ctx, ...)): it runs on that function's context, so the contexts
// it captures from there are its own.
func (c *checker) inlineHelper(lit *ast.FuncLit) bool {
	v := c.closureVars()[lit]
	if v == nil {
		return false
	}
	owner := c.durableOwner(lit)
	calls := 0
	for id, obj := range c.pass.TypesInfo.Uses {
		if obj != v {
			continue
		}
		if as, ok := c.parentOf(id).(*ast.AssignStmt); ok && slices.Contains(as.Lhs, ast.Expr(id)) {
			continue // its one assignment: var f func(...); f = func...
		}
		call, ok := c.parentOf(id).(*ast.CallExpr)
		if !ok || call.Fun != id || c.durableOwner(call) != owner {
			return false
		}
		calls++
	}
	return calls > 0
}

// durableOwner returns the innermost function around n that takes a
// *durable.Context (a declaration or a literal), or nil.
func (c *checker) durableOwner(n ast.Node) ast.Node {
	for n = c.parentOf(n); n != nil; n = c.parentOf(n) {
		switch f := n.(type) {
		case *ast.FuncLit:
			if sig, _ := c.pass.TypesInfo.TypeOf(f).(*types.Signature); roleOf(sig) == roleDurable {
				return f
			}
		case *ast.FuncDecl:
			if fn, ok := c.pass.TypesInfo.Defs[f.Name].(*types.Func); ok && roleOf(fn.Signature()) == roleDurable {
				return f
			}
		}
	}
	return nil
}

// inStepBody reports whether a function literal on stack runs once per
// attempt (a step body there is rule stepctx's).
func (c *checker) inStepBody(stack []ast.Node) bool {
	for _, n := range stack {
		if lit, ok := n.(*ast.FuncLit); ok {
			if sig, _ := c.pass.TypesInfo.TypeOf(lit).(*types.Signature); roleOf(sig) == roleOnce {
				return true
			}
		}
	}
	return false
}

// keptFields returns the fields of *durable.Context type that the body
// of fn assigns a context of its own (s.child = c, or &saga{ctx: c}, c
// its parameter or a local variable): the function keeps its own context
// there.
func keptFields(info *types.Info, fn ast.Node, body ast.Node) map[*types.Var]bool {
	kept := map[*types.Var]bool{}
	own := func(e ast.Expr) bool {
		from, ok := info.Uses[nameIdent(e)].(*types.Var)
		return ok && !from.IsField() && within(from.Pos(), fn)
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if kv, ok := n.(*ast.KeyValueExpr); ok {
			// &workflow{ctx: ctx}
			if v, ok := info.Uses[nameIdent(kv.Key)].(*types.Var); ok && v.IsField() && isContext(v.Type()) && own(kv.Value) {
				kept[v] = true
			}
			return true
		}
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, lhs := range as.Lhs {
			sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
			if !ok {
				continue
			}
			v, ok := info.Uses[sel.Sel].(*types.Var)
			if ok && v.IsField() && isContext(v.Type()) && own(as.Rhs[i]) {
				kept[v] = true
			}
		}
		return true
	})
	return kept
}

// childMethods returns the methods (and functions) of the package handed
// as values to durable.RunInChildContext or durable.Map, or set as a
// durable.Branch's Func, with what they run as there (childUse): they run
// as a child, map item or branch function, inside their caller's
// operation.
func (c *checker) childMethods() map[*types.Func]string {
	if c.children != nil {
		return c.children
	}
	c.children = map[*types.Func]string{}
	info := c.pass.TypesInfo
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch e := n.(type) {
			case *ast.Ident, *ast.SelectorExpr:
				if g := funcRef(info, e.(ast.Expr)); g != nil {
					if what := c.childUse(e.(ast.Expr)); what != "" {
						c.children[g] = what
					}
				}
			}
			return true
		})
	}
	return c.children
}

// outerCtx returns, when use (an identifier in lit of v, a
// *durable.Context variable) holds a context from outside lit, the
// identifier that brings that context in: use itself when v is declared
// outside lit or, for a local variable of lit assigned once (c := ctx),
// the one its value brings in.
func (c *checker) outerCtx(use *ast.Ident, v *types.Var, lit ast.Node, seen map[*types.Var]bool) *ast.Ident {
	if !within(v.Pos(), lit) {
		return use
	}
	as := c.assignments()[v]
	if len(as) != 1 || as[0] == nil || !within(as[0].Pos(), lit) || seen[v] {
		return nil
	}
	id := nameIdent(as[0])
	from, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || !isContext(from.Type()) {
		return nil
	}
	if seen == nil {
		seen = map[*types.Var]bool{}
	}
	seen[v] = true
	return c.outerCtx(id, from, lit, seen)
}

// stored reports whether id, with the nodes enclosing it, is a value
// being stored or the place it is stored into: the left or right side
// of an assignment, a declaration's value, a composite literal's key or
// value.
func stored(id *ast.Ident, stack []ast.Node) bool {
	var e ast.Node = id
	parent := stack[len(stack)-1]
	if sel, ok := parent.(*ast.SelectorExpr); ok && sel.Sel == id && len(stack) > 1 {
		// x.f = ...: the field written
		if as, ok := stack[len(stack)-2].(*ast.AssignStmt); ok && slices.Contains(as.Lhs, ast.Expr(sel)) {
			return true
		}
		e, parent = sel, stack[len(stack)-2]
	}
	switch p := parent.(type) {
	case *ast.AssignStmt:
		return (p.Tok == token.ASSIGN || p.Tok == token.DEFINE) && len(p.Lhs) == len(p.Rhs) &&
			(slices.Contains(p.Lhs, e.(ast.Expr)) || slices.Contains(p.Rhs, e.(ast.Expr)))
	case *ast.ValueSpec:
		return len(p.Names) == len(p.Values) && slices.Contains(p.Values, e.(ast.Expr))
	case *ast.KeyValueExpr:
		return p.Key == e || p.Value == e
	}
	return false
}

// usableName returns v's name if it can be written at pos to mean v.
func usableName(pkg *types.Package, v *types.Var, pos token.Pos) string {
	if v == nil || v.Name() == "" || v.Name() == "_" {
		return ""
	}
	scope := pkg.Scope().Innermost(pos)
	if scope == nil {
		return ""
	}
	if _, obj := scope.LookupParent(v.Name(), pos); obj != v {
		return ""
	}
	return v.Name()
}

// within reports whether pos lies inside n.
func within(pos token.Pos, n ast.Node) bool { return pos >= n.Pos() && pos < n.End() }

// onceWhat names the kind of once-per-attempt function sig is.
func onceWhat(sig *types.Signature) string {
	if sig == nil {
		return "the step body"
	}
	if sig.Results().Len() > 0 {
		switch t := sig.Results().At(0).Type(); {
		case isSDKNamed(t, "RetryDecision", false):
			return "the retry strategy"
		case isSDKNamed(t, "WaitDecision", false):
			return "the wait strategy"
		}
	}
	if sig.Params().Len() == 2 {
		if b, ok := sig.Params().At(1).Type().Underlying().(*types.Basic); ok && b.Kind() == types.String && sig.Results().Len() == 1 {
			return "the callback submitter"
		}
		return "the wait-for-condition check"
	}
	return "the step body"
}

// stepCtxHint says what rule stepctx's findings lead to and what to do.
const stepCtxHint = "a durable operation started while a step runs fails the execution with ErrContextInUse; run the operations in durable code, before or after the step (group them with durable.RunInChildContext)"

// checkStepCall applies rule stepctx: durable operations on a context
// captured by a function that runs once per attempt.
func (c *checker) checkStepCall(call *ast.CallExpr, fr *frame) {
	info := c.pass.TypesInfo
	if cb := callbackResult(info, call); cb != nil {
		what := onceWhat(fr.sig)
		c.report(ruleStepCtx, call, fmt.Sprintf("%s awaits callback %s: a step body cannot await a callback (ErrContextInUse); await it in durable code, before or after the step", what, cb.Name), nil)
		return
	}
	if fn := calleeFunc(info, call); fn != nil {
		if hs := c.heldOps(fn); len(hs) > 0 {
			what := onceWhat(fr.sig)
			c.report(ruleStepCtx, call, fmt.Sprintf("%s calls %s, which runs durable operations on %s, a durable context from outside %s: %s", what, funcName(fn), hs[0].expr, what, stepCtxHint), nil)
			return
		}
	}
	if lit := c.calledClosure(call); lit != nil && !within(lit.Pos(), fr.once) && !c.stepOnly(lit, fr.root, nil, nil) && c.startsOperations(lit.Body) {
		what := onceWhat(fr.sig)
		c.report(ruleStepCtx, call, fmt.Sprintf("%s calls %s, a closure that runs durable operations on a durable context from outside %s: %s", what, ast.Unparen(call.Fun).(*ast.Ident).Name, what, stepCtxHint), nil)
		return
	}
	for _, arg := range call.Args {
		id := nameIdent(arg) // ctx, or a field holding one: s.ctx
		if id == nil {
			continue
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || !isContext(v.Type()) || within(v.Pos(), fr.once) {
			continue
		}
		if !isOperationCall(info, call) && !c.mayRunOps(call, map[ast.Node]bool{}) {
			return // a helper of the package that only logs through it, say
		}
		what := "a function that takes it"
		if fn := calleeFunc(info, call); fn != nil {
			what = funcName(fn)
		}
		c.report(ruleStepCtx, call, fmt.Sprintf("%s passes %s, a durable context from outside it, to %s: %s", onceWhat(fr.sig), types.ExprString(ast.Unparen(arg)), what, stepCtxHint), nil)
		return
	}
}

// checkCapturedAssign applies rule stepcapture to one assigned
// expression: a variable captured from durable code or, in a method
// declared as a step body, state of its pointer receiver (f.x = ...).
// A lazy initialisation (if x == nil { x = ... }) is not reported: code
// that runs again after the step finds x nil again and makes it again.
func (c *checker) checkCapturedAssign(lhs ast.Expr, fr *frame) {
	id := rootIdent(lhs)
	if id == nil || c.lazyInit(lhs) {
		return
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() || within(v.Pos(), fr.once) && !c.isPointerRecv(v, fr.once) {
		return
	}
	what := onceWhat(fr.sig)
	if fr.top == nil {
		if _, bare := ast.Unparen(lhs).(*ast.Ident); bare || !c.isPointerRecv(v, fr.once) {
			return
		}
		name := types.ExprString(lhs)
		c.report(ruleStepCapture, lhs, fmt.Sprintf("%s assigns %s, a field of its receiver: %s is skipped on replay, so the code after it sees another value of %s; return the value from %s and use its result", what, name, what, name, what), nil)
		return
	}
	if !within(v.Pos(), fr.top) {
		return
	}
	c.report(ruleStepCapture, lhs, fmt.Sprintf("%s assigns %s, captured from durable code: %s is skipped on replay, so the code after it sees another value of %s; return the value from %s and use its result", what, id.Name, what, id.Name, what), nil)
}

// checkDoneCtx applies rule outerctx to the context an operation in
// durable code is given: a variable assigned once, inside a child, map
// item or branch function, that function's own context, used after it:
// the function has returned, and the operation fails the execution with
// ErrContextDone.
func (c *checker) checkDoneCtx(arg ast.Expr) {
	info := c.pass.TypesInfo
	id, ok := ast.Unparen(arg).(*ast.Ident)
	if !ok {
		return
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return
	}
	as := c.assignments()[v]
	if len(as) != 1 || as[0] == nil {
		return
	}
	from, ok := info.Uses[nameIdent(as[0])].(*types.Var)
	if !ok || !isContext(from.Type()) {
		return
	}
	for n := c.parentOf(as[0]); n != nil; n = c.parentOf(n) {
		lit, ok := n.(*ast.FuncLit)
		if !ok {
			continue
		}
		if !within(from.Pos(), lit.Type) {
			continue // not this literal's parameter
		}
		if !within(id.Pos(), lit) && c.childKind(lit) != "" {
			c.report(ruleOuterCtx, id, fmt.Sprintf("%s holds the context of %s, which has returned: an operation on it fails the execution with ErrContextDone; run the operation in that function, or on this function's own context", id.Name, c.childKind(lit)), nil)
		}
		return
	}
}

// checkChildAssign applies rule stepcapture to an assignment in a child,
// map item or branch function (fr.child) to a variable of the durable
// code around it.
func (c *checker) checkChildAssign(lhs ast.Expr, fr *frame) {
	id := rootIdent(lhs)
	if id == nil || c.lazyInit(lhs) {
		return
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() || c.keepsOwnCtx(lhs, fr.child) {
		return // a context of its own kept for later is reported where it is used (checkDoneCtx)
	}
	what := fr.childWhat
	if _, bare := ast.Unparen(lhs).(*ast.Ident); !bare && c.isRecv(v, fr.child) {
		name := types.ExprString(lhs)
		c.report(ruleStepCapture, lhs, fmt.Sprintf("%s assigns %s, a field of its receiver: a completed %s is not run again on replay, so the code after it sees another value of %s; return the value from %s and use its result", what, name, strings.TrimPrefix(what, "the "), name, what), nil)
		return
	}
	if _, bare := ast.Unparen(lhs).(*ast.Ident); !bare && c.sharedParam(v, fr.child) {
		name := types.ExprString(lhs)
		c.report(ruleStepCapture, lhs, fmt.Sprintf("%s assigns %s, through its parameter %s, which shares it with the durable code around: a completed %s is not run again on replay, so the code after it sees another value of %s; return the value from %s and use its result", what, name, v.Name(), strings.TrimPrefix(what, "the "), name, what), nil)
		return
	}
	if within(v.Pos(), fr.child) || !within(v.Pos(), fr.top) {
		return
	}
	c.report(ruleStepCapture, lhs, fmt.Sprintf("%s assigns %s, captured from durable code: a completed %s is not run again on replay, so the code after it sees another value of %s; return the value from %s and use its result", what, id.Name, strings.TrimPrefix(what, "the "), id.Name, what), nil)
}

// sharedParam reports whether v is a parameter of fn (a map item
// function's item or items) through which fn writes what its caller
// holds too: a pointer, a slice or a map.
func (c *checker) sharedParam(v *types.Var, fn ast.Node) bool {
	var ft *ast.FuncType
	switch fn := fn.(type) {
	case *ast.FuncLit:
		ft = fn.Type
	case *ast.FuncDecl:
		ft = fn.Type
	default:
		return false
	}
	if !within(v.Pos(), ft.Params) {
		return false
	}
	switch v.Type().Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Map:
		return !isContext(v.Type())
	}
	return false
}

// keepsOwnCtx reports whether lhs is assigned, in fn, a *durable.Context
// of fn's own (its parameter, a local variable).
func (c *checker) keepsOwnCtx(lhs ast.Expr, fn ast.Node) bool {
	info := c.pass.TypesInfo
	as, ok := c.parentOf(lhs).(*ast.AssignStmt)
	if !ok || len(as.Lhs) != len(as.Rhs) {
		return false
	}
	i := slices.Index(as.Lhs, lhs)
	if i < 0 {
		return false
	}
	from, ok := info.Uses[nameIdent(as.Rhs[i])].(*types.Var)
	return ok && isContext(from.Type()) && !from.IsField() && within(from.Pos(), fn)
}

// childKind names what lit runs as when the runtime runs it inside an
// operation of its own, skipped on replay once completed: "the child
// function" (durable.RunInChildContext), "the map item function"
// (durable.Map), "the branch function" (a durable.Branch's Func); ""
// for a function literal called in place. A literal in a local variable
// counts when the variable is handed there.
func (c *checker) childKind(lit *ast.FuncLit) string {
	if v := c.closureVars()[lit]; v != nil {
		for id, obj := range c.pass.TypesInfo.Uses {
			if obj == v {
				if what := c.childUse(id); what != "" {
					return what
				}
			}
		}
		return ""
	}
	return c.childUse(lit)
}

// childUse names what e, a function value, runs as where it is used (see
// childKind).
func (c *checker) childUse(e ast.Expr) string {
	e, parent := c.unparenParent(e)
	switch p := parent.(type) {
	case *ast.CallExpr:
		fn := calleeFunc(c.pass.TypesInfo, p)
		if fn == nil || fn.Pkg() == nil {
			return ""
		}
		if fn.Pkg().Path() != SDKPath {
			// a wrapper of the module handing it on (childParam)
			if i := slices.Index(p.Args, e); i >= 0 && p.Fun != e {
				return c.childParam(c.argParam(p, i))
			}
			return ""
		}
		if fn.Signature().Recv() != nil {
			return ""
		}
		switch {
		case fn.Name() == "RunInChildContext" && len(p.Args) > 2 && p.Args[2] == e:
			return "the child function"
		case fn.Name() == "Map" && len(p.Args) > 3 && p.Args[3] == e:
			return "the map item function"
		}
	case *ast.KeyValueExpr, *ast.CompositeLit:
		var f *types.Var
		if lit, ok := e.(*ast.FuncLit); ok {
			f = c.fieldOfLit(lit)
		} else if kv, ok := p.(*ast.KeyValueExpr); ok && kv.Value == e {
			f, _ = c.pass.TypesInfo.Uses[nameIdent(kv.Key)].(*types.Var)
		}
		if f != nil && f.IsField() && f.Pkg() != nil && f.Pkg().Path() == SDKPath && f.Name() == "Func" {
			return "the branch function"
		}
	}
	return ""
}

// isPointerRecv reports whether v is the pointer receiver of the method
// declared by once, and the package hands that method on as a value
// (durable.Step(ctx, "reserve", f.reserve)): a step body, not a helper
// that step bodies call.
func (c *checker) isPointerRecv(v *types.Var, once ast.Node) bool {
	decl, ok := once.(*ast.FuncDecl)
	return ok && c.isRecv(v, decl) && c.methodValues()[c.pass.TypesInfo.Defs[decl.Name].(*types.Func)]
}

// isRecv reports whether v is the pointer receiver of the method fn
// declares.
func (c *checker) isRecv(v *types.Var, fn ast.Node) bool {
	decl, ok := fn.(*ast.FuncDecl)
	if !ok || decl.Recv == nil || len(decl.Recv.List) != 1 || len(decl.Recv.List[0].Names) != 1 {
		return false
	}
	if c.pass.TypesInfo.Defs[decl.Recv.List[0].Names[0]] != v {
		return false
	}
	_, ptr := v.Type().Underlying().(*types.Pointer)
	return ptr
}

// methodValues returns the methods of the package used as values
// (x.m not called), computed once.
func (c *checker) methodValues() map[*types.Func]bool {
	if c.methodVals != nil {
		return c.methodVals
	}
	c.methodVals = map[*types.Func]bool{}
	info := c.pass.TypesInfo
	for _, f := range c.pass.Files {
		inspectIdents(f, func(id *ast.Ident, stack []ast.Node) bool {
			sel, ok := stack[len(stack)-2].(*ast.SelectorExpr)
			if !ok || sel.Sel != id {
				return true
			}
			if s := info.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
				return true
			}
			if call, ok := stack[len(stack)-3].(*ast.CallExpr); ok && call.Fun == sel {
				return true
			}
			if fn, ok := info.Uses[id].(*types.Func); ok {
				c.methodVals[fn.Origin()] = true
			}
			return true
		})
	}
	return c.methodVals
}

// lazyInit reports whether lhs is assigned as the body of if lhs == nil.
func (c *checker) lazyInit(lhs ast.Expr) bool {
	as, ok := c.parentOf(lhs).(*ast.AssignStmt)
	if !ok {
		return false
	}
	block, ok := c.parentOf(as).(*ast.BlockStmt)
	if !ok {
		return false
	}
	is, ok := c.parentOf(block).(*ast.IfStmt)
	if !ok || is.Body != block {
		return false
	}
	cond, ok := ast.Unparen(is.Cond).(*ast.BinaryExpr)
	if !ok || cond.Op != token.EQL {
		return false
	}
	want := types.ExprString(ast.Unparen(lhs))
	info := c.pass.TypesInfo
	return isNil(info, cond.Y) && types.ExprString(ast.Unparen(cond.X)) == want ||
		isNil(info, cond.X) && types.ExprString(ast.Unparen(cond.Y)) == want
}

// rootIdent returns the variable an assigned expression writes into:
// x for x, x.f, x[i], *x and their combinations.
func rootIdent(e ast.Expr) *ast.Ident {
	switch e := e.(type) {
	case *ast.Ident:
		return e
	case *ast.ParenExpr:
		return rootIdent(e.X)
	case *ast.SelectorExpr:
		return rootIdent(e.X)
	case *ast.IndexExpr:
		return rootIdent(e.X)
	case *ast.IndexListExpr:
		return rootIdent(e.X)
	case *ast.StarExpr:
		return rootIdent(e.X)
	}
	return nil
}

// replayTest tells what cond says about ctx's replay state: 1 when it
// holds only while ctx is not replaying (!ctx.IsReplaying(), possibly
// and-ed with other conditions), -1 when it holds exactly while ctx is
// replaying (ctx.IsReplaying()), 0 otherwise.
func (c *checker) replayTest(cond ast.Expr, ctx *types.Var) int {
	switch e := ast.Unparen(cond).(type) {
	case *ast.UnaryExpr:
		if e.Op == token.NOT && c.isReplayingCall(e.X, ctx) {
			return 1
		}
	case *ast.BinaryExpr:
		if e.Op == token.LAND && (c.replayTest(e.X, ctx) == 1 || c.replayTest(e.Y, ctx) == 1) {
			return 1
		}
	case *ast.CallExpr, *ast.Ident:
		if c.isReplayingCall(e, ctx) {
			return -1
		}
	}
	return 0
}

// reportReplayGate reports durable operations that run only while the
// context is not replaying, or only while it is (under gate): on replay
// the operations after them take other ids, and the execution fails.
func (c *checker) reportReplayGate(gate ast.Node, fr *frame) {
	name := "the durable context"
	if fr.ctx != nil {
		name = fr.ctx.Name()
	}
	c.report(ruleNondeterminism, gate, fmt.Sprintf("durable operations that run only while %s is not replaying (or only while it is) change the sequence of operations on replay: the ones after them get other ids and the execution fails with a non-deterministic execution error; run them unconditionally (a completed operation returns its recorded result without running again)", name), nil)
}

// returnsWhileReplaying reports whether st leaves its block early while
// ctx is replaying: if ctx.IsReplaying() { ...; return ... }, without
// else, or ending in continue or break (not goto, which may jump forward
// into the block). A context that is not replaying never replays again,
// so what follows st in its block runs only while ctx is not replaying.
func (c *checker) returnsWhileReplaying(st ast.Stmt, ctx *types.Var) bool {
	n, ok := st.(*ast.IfStmt)
	if !ok || n.Init != nil || n.Else != nil || len(n.Body.List) == 0 || c.replayTest(n.Cond, ctx) != -1 {
		return false
	}
	switch last := n.Body.List[len(n.Body.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return last.Tok == token.CONTINUE || last.Tok == token.BREAK
	}
	return false
}

// isReplayingCall reports whether e is ctx.IsReplaying(), or a local
// variable assigned it once (replaying := ctx.IsReplaying()): a context
// that was not replaying then is not replaying afterwards either.
func (c *checker) isReplayingCall(e ast.Expr, ctx *types.Var) bool {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
		if !ok || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
			return false
		}
		as := c.assignments()[v]
		if len(as) != 1 {
			return false
		}
		e = as[0]
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || ctx == nil {
		return false
	}
	fn := calleeFunc(c.pass.TypesInfo, call)
	recv, ok := callRecv(c.pass.TypesInfo, call).(*ast.Ident)
	return ok && fn != nil && fn.Name() == "IsReplaying" && isContext(recvType(fn)) && c.pass.TypesInfo.Uses[recv] == ctx
}

// inspectIdents calls visit for each identifier under root, with the
// nodes enclosing it (outermost first, the identifier last), until visit
// returns false.
func inspectIdents(root ast.Node, visit func(id *ast.Ident, stack []ast.Node) bool) {
	var stack []ast.Node
	done := false
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if done {
			return false
		}
		stack = append(stack, n)
		if id, ok := n.(*ast.Ident); ok && !visit(id, stack) {
			done = true
		}
		return true
	})
}

// varReaches returns the effects of a call through a package variable
// initialised with a function (var timeNow = time.Now, so that tests can
// replace it), or through a struct field of this package that the
// package sets to functions (&svc{now: time.Now}, s.now = time.Now):
// those of the functions, reached via the variable or field. A variable
// of another package of the module carries them in its effectsFact.
func (c *checker) varReaches(call *ast.CallExpr) []reach {
	info := c.pass.TypesInfo
	name := ""
	if f, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := info.Selections[f]; s != nil && s.Kind() == types.FieldVal {
			name = s.Obj().Pkg().Name() + "." + recvTypeName(s.Recv()) + "." + f.Sel.Name
		}
	}
	v, ok := info.Uses[nameIdent(call.Fun)].(*types.Var) // v, pkg.V or x.field
	switch {
	case !ok || v.Pkg() == nil:
		return nil
	case v.IsField():
		if name == "" {
			return nil
		}
		var out []reach
		for _, fn := range c.fieldFuncs()[v] {
			out = append(out, c.funcReaches(fn, call, name)...)
		}
		var f effectsFact // the package declaring the field sets it (fieldfacts.go)
		if v.Pkg() != c.pass.Pkg && c.pass.ImportObjectFact(v.Origin(), &f) && f.Module == c.module {
			out = append(out, f.Reaches...)
		}
		return out
	case v.Parent() != v.Pkg().Scope():
		// a local variable assigned a function once: now := time.Now
		if as := c.assignments()[v]; len(as) == 1 && v.Pkg() == c.pass.Pkg {
			if fn := funcRef(info, as[0]); fn != nil {
				return c.funcReaches(fn, call, v.Name())
			}
		}
		return nil
	case v.Pkg() != c.pass.Pkg:
		var f effectsFact
		if !c.pass.ImportObjectFact(v, &f) || f.Module != c.module {
			return nil
		}
		return f.Reaches
	}
	return c.funcVarReaches(v, call)
}

// funcVarReaches returns the effects of calling v, a package variable of
// this package, when it is declared with a function as its value.
func (c *checker) funcVarReaches(v *types.Var, call *ast.CallExpr) []reach {
	fn := c.packageFuncVars()[v]
	if fn == nil {
		return nil
	}
	return c.funcReaches(fn, call, c.pass.Pkg.Name()+"."+v.Name())
}

// funcReaches returns the effects of a call that calls fn through name
// (a variable or a field).
func (c *checker) funcReaches(fn *types.Func, call *ast.CallExpr, name string) []reach {
	if e, ok := directEffect(c.pass.TypesInfo, call, fn); ok {
		return []reach{e.via([]string{name})}
	}
	var out []reach
	for _, r := range c.reachesOf(fn) {
		if r.Param == 0 { // a logger parameter's origin is not followed through a variable
			out = append(out, reach{Rule: r.Rule, What: r.What, Hint: r.Hint, Chain: append([]string{name}, r.Chain...)})
		}
	}
	return out
}

// fieldFuncs maps each struct field (of this package, or of another
// package of the module, set here) to the functions the package sets it
// to, in composite literals (&svc{now: time.Now}, svc{time.Now}) and
// assignments (s.now = time.Now), directly or through a parameter of the
// function doing so that the package's calls of it pass the functions for
// (NewSvc(time.Now) with &svc{now: now}, s.SetNow(time.Now)). Other values
// (a function literal a test fakes the field with, say) are not followed.
// It also records where each is set (fieldSites), the fields' names as
// messages print them (fieldNames) and the parameters stored in fields
// (paramFields), for the facts of fieldfacts.go.
func (c *checker) fieldFuncs() map[*types.Var][]*types.Func {
	if c.fields != nil {
		return c.fields
	}
	c.fields = map[*types.Var][]*types.Func{}
	info := c.pass.TypesInfo
	params := map[*types.Var]paramKey{} // the function parameters of the package's functions
	for fn := range c.decls {
		for i := 0; i < fn.Signature().Params().Len(); i++ {
			params[fn.Signature().Params().At(i)] = paramKey{fn, i}
		}
	}
	type fromParam struct {
		field *types.Var
		param paramKey
	}
	var pending []fromParam
	calls := map[*types.Func][]*ast.CallExpr{}
	c.fieldSites, c.fieldNames, c.paramFields = map[*types.Var][]fieldSite{}, map[*types.Var]string{}, map[paramKey][]*types.Var{}
	add := func(field *types.Var, fn *types.Func, at ast.Expr) {
		if !slices.Contains(c.fields[field], fn) {
			c.fields[field] = append(c.fields[field], fn)
		}
		c.fieldSites[field] = append(c.fieldSites[field], fieldSite{fn, at})
	}
	record := func(field *types.Var, owner types.Type, value ast.Expr) {
		if field == nil || !field.IsField() || !isFuncType(field.Type()) {
			return
		}
		if _, ok := c.fieldNames[field]; !ok && field.Pkg() != nil {
			c.fieldNames[field] = field.Pkg().Name() + "." + recvTypeName(owner) + "." + field.Name()
		}
		if fn := funcRef(info, value); fn != nil {
			add(field, fn, value)
		} else if v, ok := info.Uses[nameIdent(value)].(*types.Var); ok && nameIdent(value) == ast.Unparen(value) {
			if p, ok := params[v]; ok {
				pending = append(pending, fromParam{field, p})
				if !slices.Contains(c.paramFields[p], field) {
					c.paramFields[p] = append(c.paramFields[p], field)
				}
			}
		}
	}
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				st, ok := typeOf(info, n).Underlying().(*types.Struct)
				if !ok {
					return true
				}
				for i, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok {
						v, _ := info.Uses[nameIdent(kv.Key)].(*types.Var)
						record(v, typeOf(info, n), kv.Value)
					} else if i < st.NumFields() {
						record(st.Field(i), typeOf(info, n), elt)
					}
				}
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i, lhs := range n.Lhs {
						if sel, ok := lhs.(*ast.SelectorExpr); ok {
							v, _ := info.Uses[sel.Sel].(*types.Var)
							var owner types.Type
							if s := info.Selections[sel]; s != nil {
								owner = s.Recv()
							}
							record(v, owner, n.Rhs[i])
						}
					}
				}
			case *ast.CallExpr:
				if fn := calleeFunc(info, n); fn != nil && fn.Pkg() == c.pass.Pkg {
					calls[fn] = append(calls[fn], n)
				}
			}
			return true
		})
	}
	for _, p := range pending {
		for _, call := range calls[p.param.fn] {
			arg := callArg(info, call, p.param.fn, p.param.index)
			if fn := funcRef(info, arg); fn != nil {
				add(p.field, fn, arg)
			}
		}
	}
	return c.fields
}

// A fieldSite is where the package sets a function-valued field to a
// function (fieldFuncs): the value, or the argument of a call of the
// constructor or setter that stores it.
type fieldSite struct {
	fn *types.Func
	at ast.Expr
}

// typeOf returns the type of e, or an invalid type.
func typeOf(info *types.Info, e ast.Expr) types.Type {
	if t := info.TypeOf(e); t != nil {
		return t
	}
	return types.Typ[types.Invalid]
}

// funcRef returns the function e names (time.Now, helper, s.method), or nil.
func funcRef(info *types.Info, e ast.Expr) *types.Func {
	if fn, ok := info.Uses[nameIdent(e)].(*types.Func); ok {
		return fn.Origin()
	}
	return nil
}

// nameIdent returns the identifier e ends in: x for x, f for pkg.f or
// v.f; nil for any other expression.
func nameIdent(e ast.Expr) *ast.Ident {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	}
	return nil
}

// packageFuncVars maps the package variables declared with a function as
// their value (var timeNow = time.Now) to the function.
func (c *checker) packageFuncVars() map[*types.Var]*types.Func {
	if c.funcVars != nil {
		return c.funcVars
	}
	c.funcVars = map[*types.Var]*types.Func{}
	info := c.pass.TypesInfo
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if len(vs.Values) != len(vs.Names) {
					continue
				}
				for i, name := range vs.Names {
					v, isVar := info.Defs[name].(*types.Var)
					if fn := funcRef(info, vs.Values[i]); fn != nil && isVar {
						c.funcVars[v] = fn
					}
				}
			}
		}
	}
	return c.funcVars
}
