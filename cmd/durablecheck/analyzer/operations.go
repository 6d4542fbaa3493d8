package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// startsOperations reports whether n runs a durable operation: an SDK
// operation, a call to a closure (stored in a local variable) that runs
// one, or a call handing a *durable.Context to a function that may run
// one. A function of this package is looked into, one of another package
// of the module has a noOpsFact when it runs none; any other function
// handed the context (a function value, an interface method, another
// module's) is assumed to run operations.
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
		if isOperationCall(info, call) || len(c.heldOps(calleeFunc(info, call))) > 0 {
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

// funcRunsOps reports whether calling the function value e runs durable
// operations: a function literal, a closure in a local variable, a
// function or method of the package named by value (p.poll) that runs
// operations on a context it keeps (heldOps).
func (c *checker) funcRunsOps(e ast.Expr) bool {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok {
			c.closureVars()
			if lit := c.closureOf[v]; lit != nil {
				return c.startsOperations(lit.Body)
			}
		}
	}
	if fn := funcRef(c.pass.TypesInfo, e); fn != nil && len(c.heldOps(fn)) > 0 {
		return true
	}
	return c.startsOperations(e)
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
	c.closureVars()
	return c.closureOf[v]
}

// mayRunOps reports whether call, which hands a *durable.Context to its
// callee, may run durable operations with it: a function of this package,
// or a closure in a local variable, is looked into, transitively; one
// that keeps or hands on the context other than as an argument (a struct
// field, a variable, a result) may.
// For a function of another package, its noOpsFact says it does not.
func (c *checker) mayRunOps(call *ast.CallExpr, seen map[ast.Node]bool) bool {
	fn := calleeFunc(c.pass.TypesInfo, call)
	if fn != nil && fn.Pkg() != nil && isSDKPackage(fn.Pkg().Path()) {
		return false // not an operation (isOperationCall)
	}
	if fn == nil {
		if lit := c.calledClosure(call); lit != nil {
			// a local closure, looked into like a function of the package
			if c.contextEscapes(lit.Body) {
				return true
			}
			if seen[lit] {
				return false // being looked into, or looked into without finding one
			}
			seen[lit] = true
			return c.runsOps(lit.Body, seen)
		}
		return true
	}
	if decl := c.decls[fn]; decl != nil {
		return c.declRunsOps(decl, seen)
	}
	var f noOpsFact
	return fn.Pkg() == c.pass.Pkg || !c.pass.ImportObjectFact(fn, &f)
}

// declRunsOps reports whether the function declared by decl, handed a
// *durable.Context, may run durable operations with it.
func (c *checker) declRunsOps(decl *ast.FuncDecl, seen map[ast.Node]bool) bool {
	if seen[decl] {
		return false // being looked into, or looked into without finding one
	}
	seen[decl] = true
	return c.contextEscapes(decl.Body) || c.runsOps(decl.Body, seen)
}

// noOpsFact marks an exported function that takes a *durable.Context and
// runs no durable operation with it (it logs through it, say), for the
// packages that hand it their context.
type noOpsFact struct{}

// AFact marks noOpsFact as an analysis fact.
func (*noOpsFact) AFact() {}

func (*noOpsFact) String() string { return "runs no durable operation" }

// contextEscapes reports whether body uses a *durable.Context other than
// by calling one of its methods, passing it as a call argument or
// comparing it with nil.
func (c *checker) contextEscapes(body ast.Node) bool {
	info := c.pass.TypesInfo
	escapes := false
	inspectIdents(body, func(id *ast.Ident, stack []ast.Node) bool {
		if v, ok := info.Uses[id].(*types.Var); !ok || !isContext(v.Type()) {
			return true
		}
		switch parent := stack[len(stack)-2].(type) {
		case *ast.CallExpr:
			if slices.Contains(parent.Args, ast.Expr(id)) {
				return true
			}
		case *ast.BinaryExpr:
			// ctx == nil, ctx != nil
			if (parent.Op == token.EQL || parent.Op == token.NEQ) && (isNil(info, parent.X) || isNil(info, parent.Y)) {
				return true
			}
		case *ast.SelectorExpr:
			if call, ok := stack[len(stack)-3].(*ast.CallExpr); ok && call.Fun == parent {
				if s := info.Selections[parent]; s != nil && s.Kind() == types.MethodVal {
					return true
				}
			}
		}
		escapes = true
		return false
	})
	return escapes
}

// isNil reports whether e is the predeclared nil.
func isNil(info *types.Info, e ast.Expr) bool {
	_, ok := info.Uses[nameIdent(e)].(*types.Nil)
	return ok
}

// cancellableWait reports whether sel waits for one thing unless a
// context is cancelled: every case but one receives from a context's
// Done() and returns without running operations (case
// <-ctx.Context().Done(): return ctx.Context().Err()), and that one is
// default, a send or a receive from a channel whose values do not come
// in arrival order (arrivalOrder: in a loop, such a case is a range
// over the channel, which rule chanrange leaves to this one). The other case's
// operations then run unless the invocation ends, as they would without
// the select: there is no choice between operations for timing to make.
func (c *checker) cancellableWait(sel *ast.SelectStmt) bool {
	others := 0
	for _, s := range sel.Body.List {
		cc, ok := s.(*ast.CommClause)
		if !ok {
			return false
		}
		switch {
		case c.cancelled(cc):
		case c.arrivalOrder(commReceive(cc.Comm)):
			return false // values in arrival order: a range over the channel in disguise
		default:
			others++
		}
	}
	return others <= 1
}

// cancelled reports whether cc receives from a context's Done() (a
// method Done taking nothing and returning <-chan struct{}) and ends in
// a return without running operations.
func (c *checker) cancelled(cc *ast.CommClause) bool {
	call, ok := ast.Unparen(commReceive(cc.Comm)).(*ast.CallExpr)
	if !ok || len(cc.Body) == 0 {
		return false
	}
	if _, ok := cc.Body[len(cc.Body)-1].(*ast.ReturnStmt); !ok {
		return false
	}
	fn := calleeFunc(c.pass.TypesInfo, call)
	if fn == nil || fn.Name() != "Done" || fn.Signature().Params().Len() != 0 || fn.Signature().Results().Len() != 1 {
		return false
	}
	ch, ok := fn.Signature().Results().At(0).Type().(*types.Chan)
	if !ok || ch.Dir() != types.RecvOnly {
		return false
	}
	if st, ok := ch.Elem().Underlying().(*types.Struct); !ok || st.NumFields() != 0 {
		return false
	}
	return !c.startsOperations(cc)
}
