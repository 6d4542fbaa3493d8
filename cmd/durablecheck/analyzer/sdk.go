package analyzer

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// SDKPath is the import path of the durable-go SDK (package durable).
const SDKPath = "github.com/durable-go/durable-go/core"

// operations are the SDK functions that start or wait on a durable
// operation. Callback.Result waits on one too (see isOperationCall).
var operations = map[string]bool{
	"Step": true, "Wait": true, "RunInChildContext": true, "Map": true, "Parallel": true,
	"CreateCallback": true, "WaitForCallback": true, "WaitForCondition": true, "Invoke": true,
}

// isSDKNamed reports whether t (after one pointer indirection when ptr is
// set) is the SDK's named type name.
func isSDKNamed(t types.Type, name string, ptr bool) bool {
	if ptr {
		p, ok := types.Unalias(t).(*types.Pointer)
		if !ok {
			return false
		}
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	// A type the SDK re-exports from one of its packages (an alias) counts.
	obj := n.Obj()
	return obj.Pkg() != nil && isSDKPackage(obj.Pkg().Path()) && obj.Name() == name
}

// isContext reports whether t is *durable.Context.
func isContext(t types.Type) bool { return isSDKNamed(t, "Context", true) }

// funcRole says how the runtime runs a function, from its signature.
type funcRole int

const (
	// roleOther is ordinary code: durable only if durable code calls it.
	roleOther funcRole = iota
	// roleDurable takes a *durable.Context: a handler, child context, map
	// item or parallel branch. The runtime replays it.
	roleDurable
	// roleOnce takes a *durable.StepContext (a step body, a
	// wait-for-condition check, a callback submitter) or is a retry or
	// wait strategy: it runs once per attempt and is skipped on replay.
	roleOnce
)

// roleOf classifies a function by its signature.
func roleOf(sig *types.Signature) funcRole {
	if sig == nil {
		return roleOther
	}
	params := sig.Params()
	for i := 0; i < params.Len(); i++ {
		if isContext(params.At(i).Type()) {
			return roleDurable
		}
	}
	for i := 0; i < params.Len(); i++ {
		if isSDKNamed(params.At(i).Type(), "StepContext", true) {
			return roleOnce
		}
	}
	if res := sig.Results(); res.Len() > 0 {
		t := res.At(0).Type()
		if isSDKNamed(t, "RetryDecision", false) || isSDKNamed(t, "WaitDecision", false) {
			return roleOnce
		}
	}
	return roleOther
}

// contextParam returns the first *durable.Context parameter of sig.
func contextParam(sig *types.Signature) *types.Var {
	for i := 0; i < sig.Params().Len(); i++ {
		if p := sig.Params().At(i); isContext(p.Type()) {
			return p
		}
	}
	return nil
}

// calleeFunc returns the function or method a call statically calls (the
// generic origin for instantiations), or nil.
func calleeFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// isSDKPackage reports whether path is the SDK or one of its packages,
// which the analyzer neither checks nor follows.
func isSDKPackage(path string) bool {
	return path == SDKPath || strings.HasPrefix(path, SDKPath+"/")
}

// isOperationCall reports whether call starts or waits on a durable
// operation: an SDK operation or Callback.Result.
func isOperationCall(info *types.Info, call *ast.CallExpr) bool {
	fn := calleeFunc(info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != SDKPath {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return operations[fn.Name()]
	}
	return fn.Name() == "Result" && isSDKNamed(recv.Type(), "Callback", true)
}

// funcName renders fn for messages: pkg.Name or pkg.Type.Name.
func funcName(fn *types.Func) string {
	name := fn.Name()
	if recv := fn.Signature().Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			name = n.Obj().Name() + "." + name
		}
	}
	if fn.Pkg() != nil {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}
