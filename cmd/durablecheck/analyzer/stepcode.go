package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// Step code is code that runs only inside step bodies: besides the step
// bodies themselves, a closure stored in a local variable whose every use
// is a call from a step body, and a function literal handed to a function
// (a wrapper of durable.Step, say) that calls that parameter only from
// step bodies. Step code is not durable code.

// A litArg is a function literal passed directly as argument index of a
// call.
type litArg struct {
	call  *ast.CallExpr
	index int
}

// closureVars maps each function literal stored in a local variable by
// its declaration (f := func...; var f = func...), or by the one
// assignment of a variable declared without a value (var f func(...);
// f = func...), to the variable (and back, closureOf), and records the
// function literals passed directly as call arguments (litArgs).
func (c *checker) closureVars() map[*ast.FuncLit]*types.Var {
	if c.closures != nil {
		return c.closures
	}
	c.closures = map[*ast.FuncLit]*types.Var{}
	c.closureOf = map[*types.Var]*ast.FuncLit{}
	c.litArgs = map[*ast.FuncLit]litArg{}
	info := c.pass.TypesInfo
	record := func(v *types.Var, value ast.Expr) {
		if lit, ok := ast.Unparen(value).(*ast.FuncLit); ok {
			c.closures[lit] = v
			c.closureOf[v] = lit
		}
	}
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if (n.Tok != token.DEFINE && n.Tok != token.ASSIGN) || len(n.Lhs) != len(n.Rhs) {
					break
				}
				for i, lhs := range n.Lhs {
					id, ok := lhs.(*ast.Ident)
					if !ok {
						continue
					}
					if v, ok := info.Defs[id].(*types.Var); ok {
						record(v, n.Rhs[i])
					} else if v, ok := info.Uses[id].(*types.Var); ok && c.assignedOnce(v, n.Rhs[i]) {
						record(v, n.Rhs[i])
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i, id := range n.Names {
						if v, ok := info.Defs[id].(*types.Var); ok {
							record(v, n.Values[i])
						}
					}
				}
			case *ast.CallExpr:
				for i, arg := range n.Args {
					if lit, ok := ast.Unparen(arg).(*ast.FuncLit); ok {
						c.litArgs[lit] = litArg{n, i}
					}
				}
			}
			return true
		})
	}
	return c.closures
}

// assignedOnce reports whether value is the only value ever assigned to
// v, a local variable of function type declared without one (var f
// func(...)) and whose address is not taken.
func (c *checker) assignedOnce(v *types.Var, value ast.Expr) bool {
	if v.Pkg() == nil || v.Parent() == v.Pkg().Scope() || v.IsField() {
		return false
	}
	as := c.assignments()[v]
	return len(as) == 1 && as[0] == value
}

// stepOnly reports whether lit, a function literal under root (the
// durable function around it), is step code: stored in a local variable
// whose every use is a call from step code, or handed to a function that
// calls it only from step bodies.
func (c *checker) stepOnly(lit *ast.FuncLit, root ast.Node, seen map[*types.Var]bool) bool {
	if v := c.closureVars()[lit]; v != nil {
		return c.stepOnlyVar(v, root, seen)
	}
	if a, ok := c.litArgs[lit]; ok {
		return c.stepParam(c.argParam(a.call, a.index), seen)
	}
	return false
}

// A paramKey names parameter index of fn.
type paramKey struct {
	fn    *types.Func
	index int
}

// argParam returns the parameter of its callee that call's argument i is
// passed for; fn is nil when it is not known.
func (c *checker) argParam(call *ast.CallExpr, i int) paramKey {
	fn := calleeFunc(c.pass.TypesInfo, call)
	if fn == nil {
		return paramKey{}
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := c.pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
			i-- // the receiver comes first
		}
	}
	if last := fn.Signature().Params().Len() - 1; fn.Signature().Variadic() && i >= last {
		return paramKey{fn, last} // the variadic parameter or one of its elements
	}
	if callArg(c.pass.TypesInfo, call, fn, i) == nil {
		return paramKey{}
	}
	return paramKey{fn, i}
}

// stepParam reports whether p.fn calls its function parameter p.index
// only from step code: a function of this package is looked into, one of
// another package says so in its stepParamsFact.
func (c *checker) stepParam(p paramKey, seen map[*types.Var]bool) bool {
	if p.fn == nil {
		return false
	}
	if decl := c.decls[p.fn]; decl != nil {
		if ok, done := c.stepArgs[p]; done {
			return ok
		}
		ok := c.stepOnlyVar(p.fn.Signature().Params().At(p.index), decl.Body, seen)
		if c.stepArgs == nil {
			c.stepArgs = map[paramKey]bool{}
		}
		// A no holds whatever was assumed of the functions being looked
		// into (stepOnlyVar); a yes only once none is.
		if !ok || len(seen) == 0 {
			c.stepArgs[p] = ok
		}
		return ok
	}
	var f stepParamsFact
	return p.fn.Pkg() != c.pass.Pkg && c.pass.ImportObjectFact(p.fn, &f) && slices.Contains(f.Params, p.index)
}

// stepParams lists fn's function parameters that it calls only from step
// code, for its stepParamsFact.
func (c *checker) stepParams(fn *types.Func) []int {
	var out []int
	params := fn.Signature().Params()
	for i := 0; i < params.Len(); i++ {
		if isFuncOrFuncs(params.At(i).Type()) && c.stepParam(paramKey{fn, i}, nil) {
			out = append(out, i)
		}
	}
	return out
}

// stepParamsFact lists the function parameters (by index) that an
// exported function calls only from step bodies, for the packages that
// hand it function literals.
type stepParamsFact struct{ Params []int }

// AFact marks stepParamsFact as an analysis fact.
func (*stepParamsFact) AFact() {}

func (f *stepParamsFact) String() string {
	var ps []string
	for _, i := range f.Params {
		ps = append(ps, fmt.Sprint(i+1))
	}
	return "calls parameter " + strings.Join(ps, ", ") + " only in step bodies"
}

// stepOnlyVar reports whether every use of v under scope is a call from
// step code, hands v to a function from step code (retry(op), sort.Slice
// with a less function), or hands it to a parameter that is called only
// from step code. v must be used at least once.
//
// seen holds the variables being looked into further out: a use that
// leads back to one of them (functions handing a function parameter to
// each other, a closure calling itself) is taken to be step code, and the
// outer look decides. So the answer for a cycle is the same whichever
// variable of it is looked into first: step code unless some use outside
// the cycle is not.
func (c *checker) stepOnlyVar(v *types.Var, scope ast.Node, seen map[*types.Var]bool) bool {
	if v == nil || scope == nil {
		return false
	}
	if seen[v] {
		return true
	}
	if seen == nil {
		seen = map[*types.Var]bool{}
	}
	seen[v] = true
	defer delete(seen, v)
	info := c.pass.TypesInfo
	uses, ok := 0, true
	inspectIdents(scope, func(id *ast.Ident, stack []ast.Node) bool {
		if info.Uses[id] != v {
			return true
		}
		if as, ok := stack[len(stack)-2].(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
			if i := slices.Index(as.Lhs, ast.Expr(id)); i >= 0 && c.closureOf[v] != nil && ast.Unparen(as.Rhs[i]) == c.closureOf[v] {
				return true // its one assignment: var f func(); f = func...
			}
		}
		uses++
		parent := stack[len(stack)-2]
		if funcs(v.Type()) {
			// A slice of functions (a variadic parameter): its elements
			// are called, ranged over or measured.
			switch p := parent.(type) {
			case *ast.RangeStmt:
				ok = p.X == id && c.stepOnlyElem(p, seen)
			case *ast.IndexExpr:
				call, isCall := stack[len(stack)-3].(*ast.CallExpr)
				ok = p.X == id && isCall && call.Fun == p && c.inStepCode(stack, scope, seen)
			case *ast.CallExpr:
				// len(fns), or handed on whole: f(fns...)
				handed := p.Ellipsis.IsValid() && p.Args[len(p.Args)-1] == id
				ok = isBuiltin(info, p, "len") || handed && (c.inStepCode(stack, scope, seen) || c.stepParam(c.argParam(p, len(p.Args)-1), seen))
			default:
				ok = false
			}
			return ok
		}
		call, isCall := parent.(*ast.CallExpr)
		switch {
		case !isCall:
			ok = false
		case call.Fun == id:
			ok = c.inStepCode(stack, scope, seen)
		default:
			// Handed to a function: from step code, what the function does
			// with it happens while the step runs; from durable code, it
			// is step code if the function calls it only in step bodies.
			i := slices.Index(call.Args, ast.Expr(id))
			ok = i >= 0 && (c.inStepCode(stack, scope, seen) || c.stepParam(c.argParam(call, i), seen))
		}
		return ok
	})
	return ok && uses > 0
}

// stepOnlyElem reports whether the range over a slice of functions rs
// uses each element only as step code.
func (c *checker) stepOnlyElem(rs *ast.RangeStmt, seen map[*types.Var]bool) bool {
	id, ok := rs.Value.(*ast.Ident)
	if !ok {
		return rs.Value == nil // the elements are not used
	}
	if id.Name == "_" {
		return true
	}
	v, _ := c.pass.TypesInfo.ObjectOf(id).(*types.Var)
	if v == nil || (rs.Tok == token.ASSIGN && !within(v.Pos(), rs)) {
		return false // ranged into a variable declared before the loop
	}
	return c.stepOnlyVar(v, rs.Body, seen)
}

// funcs reports whether t is a slice of functions.
func funcs(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	return ok && isFuncType(s.Elem())
}

// isFuncOrFuncs reports whether t is a function type or a slice of them.
func isFuncOrFuncs(t types.Type) bool { return isFuncType(t) || funcs(t) }

// isBuiltin reports whether call calls the builtin name.
func isBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	b, ok := typeutil.Callee(info, call).(*types.Builtin)
	return ok && b.Name() == name
}

// inStepCode reports whether the innermost function around the top of
// stack that is not an inline closure is step code.
func (c *checker) inStepCode(stack []ast.Node, root ast.Node, seen map[*types.Var]bool) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		lit, ok := stack[i].(*ast.FuncLit)
		if !ok {
			continue
		}
		sig, _ := c.pass.TypesInfo.TypeOf(lit).(*types.Signature)
		switch roleOf(sig) {
		case roleOnce:
			return true
		case roleDurable:
			return false
		}
		if c.stepOnly(lit, root, seen) {
			return true
		}
		if c.closureVars()[lit] != nil {
			return false // a closure that durable code calls
		}
		// an inline closure, or one handed to a function that may run it
		// where it is called: it runs as the code around it
	}
	return false
}
