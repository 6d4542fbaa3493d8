package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
)

// The durable Logger's slog view (Logger.Slog, or slog.New over
// Logger.Handler) is a *slog.Logger whose records pass the replay gate:
// rule logging must not report it. An origin says where a *slog.Logger or
// slog.Handler value comes from, as far as the analyzer can tell.
//
// A logging call through a parameter of a helper is summarised with the
// parameter's index (reach.Param), and the call that hands the helper its
// logger decides: the slog view drops the effect, anything else reports it.
const (
	originUnknown = 0  // slog.Default(), a struct field, a computed value: not replay-aware
	originAware   = -1 // the durable Logger's slog view or a logger derived from it
	// k > 0: parameter k-1 of the function being summarised
)

// isSlogType reports whether t is *slog.Logger or slog.Handler, the types
// whose origin the analyzer tracks.
func isSlogType(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return isSlogNamed(p.Elem(), "Logger")
	}
	return isSlogNamed(t, "Handler")
}

func isSlogNamed(t types.Type, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "log/slog" && n.Obj().Name() == name
}

// callRecv returns the receiver expression of a method call (x in x.M()
// or in T.M(x)), or nil.
func callRecv(info *types.Info, call *ast.CallExpr) ast.Expr {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := info.Selections[sel]
	switch {
	case s == nil:
		return nil
	case s.Kind() == types.MethodVal:
		return sel.X
	case s.Kind() == types.MethodExpr && len(call.Args) > 0:
		return call.Args[0]
	}
	return nil
}

// callArg returns the argument a call passes for parameter i of callee,
// or nil when the arguments do not line up with the parameters.
func callArg(info *types.Info, call *ast.CallExpr, callee *types.Func, i int) ast.Expr {
	args := call.Args
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr && len(args) > 0 {
			args = args[1:]
		}
	}
	sig := callee.Signature()
	if i < 0 || i >= len(args) || sig.Variadic() && i >= sig.Params().Len()-1 || !sig.Variadic() && len(args) != sig.Params().Len() {
		return nil
	}
	return args[i]
}

// logOrigin returns the origin of the logger a logging call writes
// through: its receiver's for a *slog.Logger method, originUnknown for
// every other logger. params are the parameters of the function being
// summarised (nil in durable code, where a parameter's logger is of
// unknown origin).
func (c *checker) logOrigin(call *ast.CallExpr, fn *types.Func, params *types.Tuple) int {
	if fn.Pkg() == nil || fn.Pkg().Path() != "log/slog" || recvTypeName(recvType(fn)) != "Logger" {
		return originUnknown
	}
	recv := callRecv(c.pass.TypesInfo, call)
	if recv == nil {
		return originUnknown
	}
	return c.origin(recv, params, nil)
}

// argOrigin returns the origin of the argument call passes for parameter
// i of callee (originUnknown when there is none).
func (c *checker) argOrigin(call *ast.CallExpr, callee *types.Func, i int, params *types.Tuple) int {
	arg := callArg(c.pass.TypesInfo, call, callee, i)
	if arg == nil {
		return originUnknown
	}
	return c.origin(arg, params, nil)
}

// origin tells where the *slog.Logger or slog.Handler e comes from:
//
//   - (durable.Logger).Slog() and (durable.Logger).Handler() are aware;
//   - slog.New(h), l.With(...), l.WithGroup(...), l.Handler(),
//     h.WithAttrs(...) and h.WithGroup(...) have the origin of h or l;
//   - a local variable (or a parameter) assigned once, and never through a
//     pointer, has the origin of its value; a parameter never assigned is
//     that parameter when it is one of params;
//   - anything else (slog.Default(), a struct field, a package variable,
//     a function's result) is unknown.
func (c *checker) origin(e ast.Expr, params *types.Tuple, seen map[*types.Var]bool) int {
	info := c.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		fn := calleeFunc(info, e)
		if fn == nil || fn.Pkg() == nil {
			return originUnknown
		}
		recv := recvType(fn)
		switch path, name := fn.Pkg().Path(), fn.Name(); {
		case path == SDKPath && isSDKNamed(recv, "Logger", false) && (name == "Slog" || name == "Handler"):
			return originAware
		case path == "log/slog" && recv == nil && name == "New" && len(e.Args) == 1:
			return c.origin(e.Args[0], params, seen)
		case path == "log/slog" && isSlogType(recv) && (name == "With" || name == "WithGroup" || name == "Handler" || name == "WithAttrs"):
			if r := callRecv(info, e); r != nil {
				return c.origin(r, params, seen)
			}
		}
		return originUnknown
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok || v.IsField() || v.Pkg() != c.pass.Pkg || v.Parent() == c.pass.Pkg.Scope() || seen[v] {
			return originUnknown
		}
		as := c.assignments()[v]
		if len(as) == 1 && as[0] != nil {
			if seen == nil {
				seen = map[*types.Var]bool{}
			}
			seen[v] = true
			return c.origin(as[0], params, seen)
		}
		if len(as) == 0 && params != nil {
			for i := 0; i < params.Len(); i++ {
				if params.At(i) == v {
					return i + 1
				}
			}
		}
	}
	return originUnknown
}

// isFuncType reports whether t is a function type.
func isFuncType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

// isSliceType reports whether t is a slice type.
func isSliceType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Slice)
	return ok
}

// isBool reports whether t is a boolean type.
func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// assignments maps each variable of a tracked type (isSlogType, a
// function type for closureVars, a boolean for isReplayingCall, a
// *durable.Context for checkOuterCtx, a slice for collectedFrom) declared
// in the package's functions to the values assigned to it: the value
// expression, or nil where the value is not one expression (a tuple
// assignment, a range, an operator assignment) or the variable's address
// is taken. A declaration without a value assigns nothing (a nil logger
// logs nothing: it panics), but for a boolean (its false is a value).
func (c *checker) assignments() map[*types.Var][]ast.Expr {
	if c.assigns != nil {
		return c.assigns
	}
	info := c.pass.TypesInfo
	c.assigns = map[*types.Var][]ast.Expr{}
	record := func(id ast.Expr, value ast.Expr) {
		ident, ok := ast.Unparen(id).(*ast.Ident)
		if !ok {
			return
		}
		v, ok := info.ObjectOf(ident).(*types.Var)
		if ok && !v.IsField() && (isSlogType(v.Type()) || isFuncType(v.Type()) || isBool(v.Type()) || isContext(v.Type()) || isSliceType(v.Type())) {
			c.assigns[v] = append(c.assigns[v], value)
		}
	}
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					var value ast.Expr
					if len(n.Lhs) == len(n.Rhs) && (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) {
						value = n.Rhs[i]
					}
					record(lhs, value)
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					switch {
					case len(n.Values) == len(n.Names):
						record(name, n.Values[i])
					case len(n.Values) > 0:
						record(name, nil)
					case isBool(info.TypeOf(name)):
						record(name, nil) // false, which means "not replaying"
					}
				}
			case *ast.RangeStmt:
				if n.Key != nil {
					record(n.Key, nil)
				}
				if n.Value != nil {
					record(n.Value, nil)
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					record(n.X, nil)
				}
			}
			return true
		})
	}
	return c.assigns
}
