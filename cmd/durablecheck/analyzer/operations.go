package analyzer

import (
	"go/ast"
	"go/types"
)

// startsOperations reports whether n runs a durable operation: an SDK
// operation, a call to a closure (stored in a local variable) that runs
// one, or a call handing a *durable.Context to a function that may run
// one.
func (c *checker) startsOperations(n ast.Node) bool {
	return c.runsOps(n, map[ast.Node]bool{})
}

// runsOps is startsOperations with the functions already looked into.
func (c *checker) runsOps(n ast.Node, seen map[ast.Node]bool) bool {
	info := c.pass.TypesInfo
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if isOperationCall(info, call) {
			found = true
			return false
		}
		if lit := c.calledClosure(call); lit != nil && !seen[lit] {
			seen[lit] = true
			if c.runsOps(lit.Body, seen) {
				found = true
				return false
			}
		}
		for _, arg := range call.Args {
			if t := info.TypeOf(arg); t != nil && isContext(t) {
				if c.mayRunOps(call, seen) {
					found = true
					return false
				}
				break
			}
		}
		return true
	})
	return found
}

// calledClosure returns the function literal a call to a local closure
// variable (f := func...) calls, or nil.
func (c *checker) calledClosure(call *ast.CallExpr) *ast.FuncLit {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return nil
	}
	for lit, lv := range c.closureVars() {
		if lv == v {
			return lit
		}
	}
	return nil
}

// mayRunOps reports whether call, which hands a *durable.Context to its
// callee, may run durable operations with it.
func (c *checker) mayRunOps(call *ast.CallExpr, seen map[ast.Node]bool) bool {
	fn := calleeFunc(c.pass.TypesInfo, call)
	if fn != nil && fn.Pkg() != nil && isSDKPackage(fn.Pkg().Path()) {
		return false // not an operation (isOperationCall)
	}
	return true
}
