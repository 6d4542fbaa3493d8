package analyzer

import (
	"go/ast"
	"go/types"
	"strings"
)

// A function that takes no *durable.Context may still run durable
// operations, on one kept in a field or a package variable (a workflow
// struct's w.ctx): a step body calling it runs them from the step, a
// child calling it runs them on its parent's context, and a goroutine or
// a range over a map calling it runs them there.

// A heldCtx is a context a function runs operations on without taking it
// as a parameter: the field or package variable (nil for a function of
// another package, known through its heldOpsFact), and how it was
// written.
type heldCtx struct {
	v    *types.Var
	expr string
}

// heldOps returns the held contexts fn, a function of this package that
// takes no *durable.Context, runs durable operations on (or hands to a
// function that may), itself or through the functions of the package it
// calls; nil for any other function.
func (c *checker) heldOps(fn *types.Func) []heldCtx {
	if fn == nil || fn.Pkg() == nil || roleOf(fn.Signature()) != roleOther {
		return nil
	}
	if fn.Pkg() != c.pass.Pkg {
		var f heldOpsFact
		if isSDKPackage(fn.Pkg().Path()) || !c.pass.ImportObjectFact(fn, &f) {
			return nil
		}
		var out []heldCtx
		for _, e := range f.Exprs {
			out = append(out, heldCtx{expr: e})
		}
		return out
	}
	if hs, ok := c.held[fn]; ok {
		return hs
	}
	decl := c.decls[fn]
	if decl == nil {
		return nil
	}
	if c.held == nil {
		c.held = map[*types.Func][]heldCtx{}
	}
	c.held[fn] = nil // a cycle adds nothing more
	info := c.pass.TypesInfo
	var out []heldCtx
	add := func(h heldCtx) {
		for _, o := range out {
			if o.v == h.v && o.expr == h.expr || h.v != nil && o.v == h.v {
				return
			}
		}
		out = append(out, h)
	}
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok {
			sig, _ := info.TypeOf(lit).(*types.Signature)
			return roleOf(sig) == roleOther // a step body or durable function is checked on its own
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		for _, h := range c.heldOps(calleeFunc(info, call)) {
			add(h)
		}
		for _, arg := range call.Args {
			v, ok := info.Uses[nameIdent(arg)].(*types.Var)
			if !ok || !isContext(v.Type()) || !v.IsField() && v.Parent() != v.Pkg().Scope() {
				continue
			}
			if isOperationCall(info, call) || c.mayRunOps(call, map[ast.Node]bool{}) {
				add(heldCtx{v, types.ExprString(ast.Unparen(arg))})
			}
		}
		return true
	})
	c.held[fn] = out
	return out
}

// heldOpsFact marks an exported function that runs durable operations on
// a context it does not take as a parameter (heldOps), for the packages
// that call it: Exprs are the contexts, as written there.
type heldOpsFact struct{ Exprs []string }

// AFact marks heldOpsFact as an analysis fact.
func (*heldOpsFact) AFact() {}

func (f *heldOpsFact) String() string {
	return "runs durable operations on " + strings.Join(f.Exprs, ", ")
}
