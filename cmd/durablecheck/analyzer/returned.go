package analyzer

import (
	"go/ast"
	"go/types"
)

// A function literal a helper returns is not part of what the helper
// reaches (summarizeBody): it runs where it is called. Durable code that
// calls it, directly (withRetry(ping)()) or through a local variable
// assigned the helper's result once (op := withRetry(ping); op()),
// reaches what the literal does.

// resultReaches returns the effects of a call of a function a helper
// returned: those of the function literals the helper returns, reached
// via "helper's result".
func (c *checker) resultReaches(call *ast.CallExpr) []reach {
	info := c.pass.TypesInfo
	var made *ast.CallExpr
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.CallExpr:
		made = fun
	case *ast.Ident:
		v, ok := info.Uses[fun].(*types.Var)
		if !ok || v.IsField() || v.Pkg() != c.pass.Pkg || v.Parent() == c.pass.Pkg.Scope() {
			return nil
		}
		if as := c.assignments()[v]; len(as) == 1 {
			made, _ = ast.Unparen(as[0]).(*ast.CallExpr)
		}
	}
	if made == nil {
		return nil
	}
	fn := calleeFunc(info, made)
	if fn == nil || fn.Pkg() == nil || roleOf(fn.Signature()) != roleOther {
		return nil
	}
	if fn.Pkg() == c.pass.Pkg {
		return c.returnedSummary(fn)
	}
	var f effectsFact
	if !c.pass.ImportObjectFact(fn, &f) || f.Module != c.module {
		return nil
	}
	return f.Returned
}

// returnedSummary returns the effects of the function literals fn, a
// function of this package, returns (itself, or through a local variable
// holding one), reached via "fn's result": one per rule, through the
// shortest chain.
func (c *checker) returnedSummary(fn *types.Func) []reach {
	if rs, ok := c.retSummaries[fn]; ok {
		return rs
	}
	decl := c.decls[fn]
	if decl == nil {
		return nil
	}
	if c.retSummaries == nil {
		c.retSummaries = map[*types.Func][]reach{}
	}
	c.retSummaries[fn] = nil // a function returning its own result: nothing more
	info := c.pass.TypesInfo
	name := funcName(fn) + "'s result"
	var out []reach
	for lit := range c.returnedLits(decl.Body) {
		if sig, _ := info.TypeOf(lit).(*types.Signature); roleOf(sig) != roleOther {
			continue
		}
		for _, r := range c.summarizeNode(name, nil, lit.Body) {
			out = shortest(out, r)
		}
	}
	return c.settle(c.retSummaries, fn, out)
}

// settle keeps out as fn's entry of cache, where a placeholder stands
// while it is computed, once no summary it is made of is still being
// computed (summarize); until then it drops the placeholder, and out is
// computed again when asked for.
func (c *checker) settle(cache map[*types.Func][]reach, fn *types.Func, out []reach) []reach {
	if len(c.scc.stack) == 0 {
		cache[fn] = out
	} else {
		delete(cache, fn)
	}
	return out
}

// returnedLits returns the function literals the function whose body is
// body returns: itself (return func...) or through a local variable
// holding one (run := func...; return run).
func (c *checker) returnedLits(body ast.Node) map[*ast.FuncLit]bool {
	info := c.pass.TypesInfo
	out := map[*ast.FuncLit]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		rs, ok := n.(*ast.ReturnStmt)
		if !ok || c.funcBodyOf(rs) != body {
			return true
		}
		for _, r := range rs.Results {
			lit, _ := ast.Unparen(r).(*ast.FuncLit)
			if id, ok := ast.Unparen(r).(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok {
					c.closureVars()
					lit = c.closureOf[v]
				}
			}
			if lit != nil {
				out[lit] = true
			}
		}
		return true
	})
	return out
}

// shortest adds r to rs, keeping one reach per rule and logger
// parameter, through the shortest chain.
func shortest(rs []reach, r reach) []reach {
	for i, o := range rs {
		if o.Rule == r.Rule && o.Param == r.Param {
			if len(r.Chain) < len(o.Chain) {
				rs[i] = r
			}
			return rs
		}
	}
	return append(rs, r)
}
