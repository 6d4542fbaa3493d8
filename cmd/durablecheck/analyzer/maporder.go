package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// A slice filled in a map's random order (slices.Collect(maps.Keys(m)),
// or appended to in a range over a map) and never sorted hands durable
// code its elements in another order on every run: rule maprange reports
// a range over it that runs durable operations, and durable.Map over it.

// mapOrdered reports whether e names a local slice variable filled in a
// map's order and never sorted: every value assigned to it is such a
// collection, an append to it (in a range over a map, or not), make(...),
// nil or an empty literal, at least one of them in a map's order; and it
// is never handed to a function (sort.Strings, slices.Sort, a sorting
// helper of the package: any function may sort it) but durable
// operations, nor written by index.
func (c *checker) mapOrdered(e ast.Expr) bool {
	info := c.pass.TypesInfo
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() != c.pass.Pkg || v.Parent() == c.pass.Pkg.Scope() {
		return false
	}
	if _, ok := v.Type().Underlying().(*types.Slice); !ok {
		return false
	}
	ordered := false
	for _, value := range c.assignments()[v] {
		switch c.fillOrder(value, v) {
		case fillMapOrder:
			ordered = true
		case fillUnknown:
			return false
		}
	}
	if !ordered {
		return false
	}
	file := c.fileOf(v.Pos())
	if file == nil {
		return false
	}
	sorted := false
	inspectIdents(file, func(use *ast.Ident, stack []ast.Node) bool {
		if info.Uses[use] != v {
			return true
		}
		switch parent := stack[len(stack)-2].(type) {
		case *ast.CallExpr:
			handed := slices.Contains(parent.Args, ast.Expr(use))
			switch {
			case !handed:
			case isBuiltin(info, parent, "len"), isBuiltin(info, parent, "cap"):
			case isBuiltin(info, parent, "append") && parent.Args[0] == use:
			case isOperationCall(info, parent):
			default:
				sorted = true // any function may sort it
			}
		case *ast.IndexExpr:
			if gp, ok := stack[len(stack)-3].(*ast.AssignStmt); ok && slices.Contains(gp.Lhs, ast.Expr(parent)) {
				sorted = true // written by index: sorted by hand, say
			}
		case *ast.UnaryExpr:
			sorted = parent.Op == token.AND
		case *ast.SelectorExpr:
			sorted = true // a method of its type (keys.Sort()) may sort it
		}
		return !sorted
	})
	return !sorted
}

// How a value assigned to a slice fills it.
const (
	fillUnknown  = iota // another value: the slice's order is not known
	fillNeutral         // make, nil, an empty literal, an append outside a range over a map
	fillMapOrder        // in a map's random order
)

// fillOrder tells how value, assigned to the slice variable v, fills it.
func (c *checker) fillOrder(value ast.Expr, v *types.Var) int {
	info := c.pass.TypesInfo
	switch e := ast.Unparen(value).(type) {
	case nil:
		return fillUnknown
	case *ast.Ident:
		if _, ok := info.Uses[e].(*types.Nil); ok {
			return fillNeutral
		}
	case *ast.CompositeLit:
		if len(e.Elts) == 0 {
			return fillNeutral
		}
	case *ast.CallExpr:
		if isBuiltin(info, e, "make") {
			return fillNeutral
		}
		if isBuiltin(info, e, "append") && len(e.Args) > 0 {
			if first, ok := ast.Unparen(e.Args[0]).(*ast.Ident); ok && info.Uses[first] == v {
				if c.inMapRange(e) {
					return fillMapOrder
				}
				return fillNeutral
			}
			return fillUnknown
		}
		fn := calleeFunc(info, e)
		if fn == nil || fn.Pkg() == nil || len(e.Args) != 1 {
			return fillUnknown
		}
		switch path := fn.Pkg().Path(); {
		case path == "slices" && fn.Name() == "Collect":
			if inner, ok := ast.Unparen(e.Args[0]).(*ast.CallExpr); ok {
				if f := calleeFunc(info, inner); f != nil && f.Pkg() != nil && f.Pkg().Path() == "maps" && (f.Name() == "Keys" || f.Name() == "Values") {
					return fillMapOrder
				}
			}
		case path == "golang.org/x/exp/maps" && (fn.Name() == "Keys" || fn.Name() == "Values"):
			return fillMapOrder
		}
	}
	return fillUnknown
}

// inMapRange reports whether n is in the body of a range over a map (in
// the same function).
func (c *checker) inMapRange(n ast.Node) bool {
	for p := c.parentOf(n); p != nil; p = c.parentOf(p) {
		switch p := p.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.RangeStmt:
			if c.rangesOverMap(p) != "" {
				return true
			}
		}
	}
	return false
}

// fileOf returns the file of the package that holds pos.
func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.pass.Files {
		if within(pos, f) {
			return f
		}
	}
	return nil
}
