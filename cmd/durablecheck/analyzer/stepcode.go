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
// calls it only from step bodies (or only from the closures it returns,
// where what the call returns is step code). ret, when set, is the body
// of the function whose results are step code (see stepParamIf).
func (c *checker) stepOnly(lit *ast.FuncLit, root, ret ast.Node, seen map[*types.Var]bool) bool {
	if v := c.closureVars()[lit]; v != nil {
		return c.stepOnlyVar(v, root, ret, seen)
	}
	if a, ok := c.litArgs[lit]; ok {
		if fn := calleeFunc(c.pass.TypesInfo, a.call); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == SDKPath && fn.Name() == "WithResultSummary" {
			return true // run once, when the child completes with a large result
		}
		return c.handedAsStep(a.call, a.index, root, ret, seen)
	}
	if f := c.fieldOfLit(lit); f != nil {
		if f.Pkg() != nil && f.Pkg().Path() == SDKPath && f.Name() == "ShouldContinue" {
			return true // run by the wait strategy, after a check
		}
		return c.stepOnlyField(f, seen)
	}
	return false
}

// fieldOfLit returns the struct field lit is stored in by a composite
// literal (T{f: lit}, T{lit}) or an assignment (x.f = lit), or nil.
func (c *checker) fieldOfLit(lit *ast.FuncLit) *types.Var {
	info := c.pass.TypesInfo
	e, parent := c.unparenParent(lit)
	switch p := parent.(type) {
	case *ast.KeyValueExpr:
		if v, ok := info.Uses[nameIdent(p.Key)].(*types.Var); ok && p.Value == e && v.IsField() {
			return v
		}
	case *ast.CompositeLit:
		t := info.TypeOf(p)
		if ptr, ok := t.(*types.Pointer); ok {
			t = ptr.Elem() // an element of []*T{{...}}
		}
		if t == nil {
			return nil
		}
		st, ok := t.Underlying().(*types.Struct)
		if i := slices.Index(p.Elts, e); ok && i >= 0 && i < st.NumFields() {
			return st.Field(i)
		}
	case *ast.AssignStmt:
		if i := slices.Index(p.Rhs, e); i >= 0 && len(p.Lhs) == len(p.Rhs) && p.Tok == token.ASSIGN {
			if sel, ok := ast.Unparen(p.Lhs[i]).(*ast.SelectorExpr); ok {
				if s := info.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
					return s.Obj().(*types.Var)
				}
			}
		}
	}
	return nil
}

// stepOnlyField reports whether f, an unexported struct field of this
// package holding a function, is only ever called from step code: its
// every use in the package is such a call (x.f(...)) or stores a value in
// it. Another package cannot use it, so the package's uses are all.
func (c *checker) stepOnlyField(f *types.Var, seen map[*types.Var]bool) bool {
	if f.Pkg() != c.pass.Pkg || f.Exported() || !isFuncType(f.Type()) {
		return false
	}
	if ok, done := c.stepFields[f]; done {
		return ok
	}
	if seen[f] {
		return true // see stepOnlyVar
	}
	if seen == nil {
		seen = map[*types.Var]bool{}
	}
	seen[f] = true
	defer delete(seen, f)
	info := c.pass.TypesInfo
	uses, ok := 0, true
	for _, file := range c.pass.Files {
		inspectIdents(file, func(id *ast.Ident, stack []ast.Node) bool {
			if info.Uses[id] != f {
				return true
			}
			switch parent := stack[len(stack)-2].(type) {
			case *ast.KeyValueExpr:
				ok = parent.Key == id // T{f: value}
			case *ast.SelectorExpr:
				switch gp := stack[len(stack)-3].(type) {
				case *ast.AssignStmt:
					ok = slices.Contains(gp.Lhs, ast.Expr(parent)) && gp.Tok == token.ASSIGN // x.f = value
				case *ast.CallExpr:
					uses++
					ok = gp.Fun == parent && c.inStepCode(stack, file, nil, seen)
				default:
					ok = false
				}
			default:
				ok = false
			}
			return ok
		})
		if !ok {
			break
		}
	}
	ok = ok && uses > 0
	if !ok || len(seen) == 1 {
		if c.stepFields == nil {
			c.stepFields = map[*types.Var]bool{}
		}
		c.stepFields[f] = ok
	}
	return ok
}

// handedAsStep reports whether the function call hands its callee as
// argument i runs only in step code there: the callee calls it only from
// step bodies, or only from the closures it returns and what call
// returns is step code.
func (c *checker) handedAsStep(call *ast.CallExpr, i int, root, ret ast.Node, seen map[*types.Var]bool) bool {
	p := c.argParam(call, i)
	return c.stepParam(p, seen) || c.stepParamIf(p, seen) && c.resultStepOnly(call, root, ret, seen)
}

// resultStepOnly reports whether the function value call returns (a call
// under root) runs only as step code: it is a step body by its type, or
// it is called from step code, handed where it runs only as step code,
// stored in a local variable used only that way, or, with ret set,
// returned by the function whose body ret is.
func (c *checker) resultStepOnly(call *ast.CallExpr, root, ret ast.Node, seen map[*types.Var]bool) bool {
	info := c.pass.TypesInfo
	if sig, ok := info.TypeOf(call).(*types.Signature); ok && roleOf(sig) == roleOnce {
		return true
	}
	e, parent := c.unparenParent(call)
	stack := c.pathTo(call, root)
	if stack == nil {
		return false
	}
	switch p := parent.(type) {
	case *ast.CallExpr:
		if p.Fun == e {
			return c.inStepCode(stack, root, ret, seen)
		}
		i := slices.Index(p.Args, e)
		return i >= 0 && (c.inStepCode(stack, root, ret, seen) || c.handedAsStep(p, i, root, ret, seen))
	case *ast.AssignStmt:
		if i := slices.Index(p.Rhs, e); i >= 0 && len(p.Lhs) == len(p.Rhs) {
			return c.stepOnlyLocal(p.Lhs[i], root, ret, seen)
		}
	case *ast.ValueSpec:
		if i := slices.Index(p.Values, e); i >= 0 && len(p.Names) == len(p.Values) {
			return c.stepOnlyLocal(p.Names[i], root, ret, seen)
		}
	case *ast.ReturnStmt:
		return ret != nil && c.funcBodyOf(p) == ret
	}
	return false
}

// stepOnlyLocal reports whether id names a local variable declared
// under root whose every use is step code.
func (c *checker) stepOnlyLocal(id ast.Expr, root, ret ast.Node, seen map[*types.Var]bool) bool {
	ident, ok := id.(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := c.pass.TypesInfo.ObjectOf(ident).(*types.Var)
	return ok && !v.IsField() && within(v.Pos(), root) && c.stepOnlyVar(v, root, ret, seen)
}

// parentOf returns the node directly enclosing n in its file.
func (c *checker) parentOf(n ast.Node) ast.Node {
	if c.parents == nil {
		c.parents = map[ast.Node]ast.Node{}
		for _, f := range c.pass.Files {
			var stack []ast.Node
			ast.Inspect(f, func(n ast.Node) bool {
				if n == nil {
					stack = stack[:len(stack)-1]
					return true
				}
				if len(stack) > 0 {
					c.parents[n] = stack[len(stack)-1]
				}
				stack = append(stack, n)
				return true
			})
		}
	}
	return c.parents[n]
}

// unparenParent returns e wrapped in all its parentheses, and the node
// directly enclosing that.
func (c *checker) unparenParent(e ast.Expr) (ast.Expr, ast.Node) {
	parent := c.parentOf(e)
	for {
		p, ok := parent.(*ast.ParenExpr)
		if !ok {
			return e, parent
		}
		e, parent = p, c.parentOf(p)
	}
}

// pathTo returns the nodes from root down to n (both included), or nil
// when n is not under root.
func (c *checker) pathTo(n, root ast.Node) []ast.Node {
	var path []ast.Node
	for ; n != nil; n = c.parentOf(n) {
		path = append(path, n)
		if n == root {
			slices.Reverse(path)
			return path
		}
	}
	return nil
}

// funcBodyOf returns the body of the function (declared or literal) n is
// in.
func (c *checker) funcBodyOf(n ast.Node) ast.Node {
	for n = c.parentOf(n); n != nil; n = c.parentOf(n) {
		switch f := n.(type) {
		case *ast.FuncLit:
			return f.Body
		case *ast.FuncDecl:
			return f.Body
		}
	}
	return nil
}

// returnedFrom reports whether lit is one of the results of a return
// statement of the function whose body is ret.
func (c *checker) returnedFrom(lit *ast.FuncLit, ret ast.Node) bool {
	if ret == nil {
		return false
	}
	_, parent := c.unparenParent(lit)
	rs, ok := parent.(*ast.ReturnStmt)
	return ok && c.funcBodyOf(rs) == ret
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
	return c.stepParamMode(p, false, seen)
}

// stepParamIf reports whether p.fn calls its function parameter p.index
// only from step code, counting the closures p.fn returns (and the
// parameter itself, returned) as step code: a function literal handed to
// it is step code where what the call returns is (retry(f) returning a
// closure that calls f, handed to durable.Step or a wrapper of it).
func (c *checker) stepParamIf(p paramKey, seen map[*types.Var]bool) bool {
	return c.stepParamMode(p, true, seen)
}

// stepParamMode is stepParam, or stepParamIf when returned is set.
func (c *checker) stepParamMode(p paramKey, returned bool, seen map[*types.Var]bool) bool {
	if p.fn == nil {
		return false
	}
	key := stepArgKey{p, returned}
	if decl := c.decls[p.fn]; decl != nil {
		if ok, done := c.stepArgs[key]; done {
			return ok
		}
		var ret ast.Node
		if returned {
			ret = decl.Body
		}
		ok := c.stepOnlyVar(p.fn.Signature().Params().At(p.index), decl.Body, ret, seen)
		if c.stepArgs == nil {
			c.stepArgs = map[stepArgKey]bool{}
		}
		// A no holds whatever was assumed of the functions being looked
		// into (stepOnlyVar); a yes only once none is.
		if !ok || len(seen) == 0 {
			c.stepArgs[key] = ok
		}
		return ok
	}
	var f stepParamsFact
	if p.fn.Pkg() == c.pass.Pkg || !c.pass.ImportObjectFact(p.fn, &f) {
		return false
	}
	return slices.Contains(f.Params, p.index) || returned && slices.Contains(f.Returned, p.index)
}

// A stepArgKey is a parameter looked into by stepParam (returned unset)
// or stepParamIf.
type stepArgKey struct {
	paramKey
	returned bool
}

// stepParams lists fn's function parameters that it calls only from step
// code, and those it calls only from step code and the closures it
// returns, for its stepParamsFact.
func (c *checker) stepParams(fn *types.Func) (always, returned []int) {
	params := fn.Signature().Params()
	for i := 0; i < params.Len(); i++ {
		if !isFuncOrFuncs(params.At(i).Type()) {
			continue
		}
		if c.stepParam(paramKey{fn, i}, nil) {
			always = append(always, i)
		} else if c.stepParamIf(paramKey{fn, i}, nil) {
			returned = append(returned, i)
		}
	}
	return always, returned
}

// stepParamsFact lists the function parameters (by index) that an
// exported function calls only from step bodies (Params), or only from
// step bodies and the closures it returns (Returned), and those it hands
// only to the SDK to run as a child, map item or branch function
// (Children), for the packages that hand it function literals.
type stepParamsFact struct {
	Params, Returned []int
	Children         []childArg
}

// A childArg is a function parameter (by index) that a wrapper of
// durable.RunInChildContext, Map or Parallel runs as What (see childUse).
type childArg struct {
	Index int
	What  string
}

// AFact marks stepParamsFact as an analysis fact.
func (*stepParamsFact) AFact() {}

func (f *stepParamsFact) String() string {
	list := func(idx []int) string {
		var ps []string
		for _, i := range idx {
			ps = append(ps, fmt.Sprint(i+1))
		}
		return "parameter " + strings.Join(ps, ", ")
	}
	var parts []string
	if len(f.Params) > 0 {
		parts = append(parts, "calls "+list(f.Params)+" only in step bodies")
	}
	if len(f.Returned) > 0 {
		parts = append(parts, "calls "+list(f.Returned)+" only in the closures it returns")
	}
	for _, ch := range f.Children {
		parts = append(parts, "runs "+list([]int{ch.Index})+" as "+ch.What)
	}
	return strings.Join(parts, "; ")
}

// childParams lists fn's function parameters that it runs only as a
// child, map item or branch function (childParam), for its
// stepParamsFact.
func (c *checker) childParams(fn *types.Func) []childArg {
	var out []childArg
	params := fn.Signature().Params()
	for i := 0; i < params.Len(); i++ {
		if !isFuncOrFuncs(params.At(i).Type()) {
			continue
		}
		if what := c.childParam(paramKey{fn, i}); what != "" {
			out = append(out, childArg{i, what})
		}
	}
	return out
}

// childParam names what p.fn's function parameter p.index runs as when
// p.fn hands it only to durable.RunInChildContext ("the child
// function"), durable.Map ("the map item function") or a durable.Branch's
// Func ("the branch function"), directly, through another such wrapper
// (of another package of the module through its stepParamsFact) or, for
// a variadic parameter, ranging over it; "" for any other use. A wrapper
// calling itself is not followed round the cycle.
func (c *checker) childParam(p paramKey) string {
	if p.fn == nil {
		return ""
	}
	decl := c.decls[p.fn]
	if decl == nil {
		var f stepParamsFact
		if p.fn.Pkg() == c.pass.Pkg || !c.pass.ImportObjectFact(p.fn, &f) {
			return ""
		}
		for _, ch := range f.Children {
			if ch.Index == p.index {
				return ch.What
			}
		}
		return ""
	}
	if what, done := c.childArgs[p]; done {
		return what
	}
	if c.childArgs == nil {
		c.childArgs = map[paramKey]string{}
	}
	c.childArgs[p] = "" // while looked into
	what := c.childVar(p.fn.Signature().Params().At(p.index), decl.Body)
	c.childArgs[p] = what
	return what
}

// childVar names what every use of v under scope runs it as (childUse),
// or "" when some use is another or v is not used: ranged over, for a
// slice of functions, each element's uses.
func (c *checker) childVar(v *types.Var, scope ast.Node) string {
	info := c.pass.TypesInfo
	what, ok := "", true
	inspectIdents(scope, func(id *ast.Ident, stack []ast.Node) bool {
		if !ok || info.Uses[id] != v {
			return ok
		}
		use := c.childUse(id)
		if rs, isRange := stack[len(stack)-2].(*ast.RangeStmt); use == "" && funcs(v.Type()) && isRange && rs.X == id && rs.Tok == token.DEFINE {
			if elem, _ := info.Defs[nameIdent(rs.Value)].(*types.Var); elem != nil {
				use = c.childVar(elem, rs.Body)
			}
		}
		ok = use != "" && (what == "" || what == use)
		what = use
		return ok
	})
	if !ok {
		return ""
	}
	return what
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
func (c *checker) stepOnlyVar(v *types.Var, scope, ret ast.Node, seen map[*types.Var]bool) bool {
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
		parent := stack[len(stack)-2]
		if b, ok := parent.(*ast.BinaryExpr); ok && (b.Op == token.EQL || b.Op == token.NEQ) && (isNil(info, b.X) || isNil(info, b.Y)) {
			return true // compared with nil: not run
		}
		uses++
		if rs, isReturn := parent.(*ast.ReturnStmt); isReturn && ret != nil {
			ok = c.funcBodyOf(rs) == ret // returned: step code where the call's result is
			return ok
		}
		if funcs(v.Type()) {
			// A slice of functions (a variadic parameter): its elements
			// are called, ranged over or measured.
			switch p := parent.(type) {
			case *ast.RangeStmt:
				ok = p.X == id && c.stepOnlyElem(p, ret, seen)
			case *ast.IndexExpr:
				call, isCall := stack[len(stack)-3].(*ast.CallExpr)
				ok = p.X == id && isCall && call.Fun == p && c.inStepCode(stack, scope, ret, seen)
			case *ast.CallExpr:
				// len(fns), or handed on whole: f(fns...)
				handed := p.Ellipsis.IsValid() && p.Args[len(p.Args)-1] == id
				ok = isBuiltin(info, p, "len") || handed && (c.inStepCode(stack, scope, ret, seen) || c.stepParam(c.argParam(p, len(p.Args)-1), seen))
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
			ok = c.inStepCode(stack, scope, ret, seen)
		default:
			// Handed to a function: from step code, what the function does
			// with it happens while the step runs; from durable code, it
			// is step code if the function calls it only in step bodies
			// (or in the closures it returns, where those are step code).
			i := slices.Index(call.Args, ast.Expr(id))
			ok = i >= 0 && (c.inStepCode(stack, scope, ret, seen) || c.handedAsStep(call, i, scope, ret, seen))
		}
		return ok
	})
	return ok && uses > 0
}

// stepOnlyElem reports whether the range over a slice of functions rs
// uses each element only as step code.
func (c *checker) stepOnlyElem(rs *ast.RangeStmt, ret ast.Node, seen map[*types.Var]bool) bool {
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
	return c.stepOnlyVar(v, rs.Body, ret, seen)
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
func (c *checker) inStepCode(stack []ast.Node, root, ret ast.Node, seen map[*types.Var]bool) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		if decl, ok := stack[i].(*ast.FuncDecl); ok {
			// a declared step body, such as a method given to durable.Step
			fn, _ := c.pass.TypesInfo.Defs[decl.Name].(*types.Func)
			return fn != nil && roleOf(fn.Signature()) == roleOnce
		}
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
		if c.stepOnly(lit, root, ret, seen) || c.returnedFrom(lit, ret) {
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
