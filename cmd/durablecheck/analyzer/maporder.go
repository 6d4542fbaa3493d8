package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/astutil"
)

// A slice filled in an unspecified order (slices.Collect(maps.Keys(m)),
// appended to in a range over a map or a channel, or in the function a
// sync.Map's Range calls) and never sorted hands durable code its
// elements in another order on every run: rule maprange (chanrange for a
// channel) reports a range over it that runs durable operations, and
// durable.Map over it.

// Where an unspecified order comes from.
const (
	fromMap     = "a map"
	fromSyncMap = "a sync.Map"
	fromChannel = "a channel"
)

// collectedFrom says, when e names a local slice variable filled in an
// unspecified order and never sorted, what filled it (fromMap,
// fromSyncMap, fromChannel); "" otherwise. Filled in such an order means:
// every value assigned to it is such a collection, an append to it (in a
// range over a map, or not), make(...), nil or an empty literal, at least
// one of them in such an order, or written by index with values received
// from a channel of unknown order (got[i] = <-results); and it is never
// handed to a function (sort.Strings, slices.Sort, a sorting helper of
// the package: any function may sort it) but durable operations, nor
// written by index otherwise.
func (c *checker) collectedFrom(e ast.Expr) string {
	info := c.pass.TypesInfo
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return ""
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() != c.pass.Pkg || v.Parent() == c.pass.Pkg.Scope() {
		return ""
	}
	if _, ok := v.Type().Underlying().(*types.Slice); !ok || c.collecting[v] {
		return "" // a slice filled in a range over itself, or over one filled from it
	}
	if c.collecting == nil {
		c.collecting = map[*types.Var]bool{}
	}
	c.collecting[v] = true
	defer delete(c.collecting, v)
	from := ""
	for _, value := range c.assignments()[v] {
		switch fill, src := c.fillOrder(value, v); fill {
		case fillUnordered:
			if from == "" {
				from = src
			}
		case fillUnknown:
			return ""
		}
	}
	file := c.fileOf(v.Pos())
	if file == nil {
		return ""
	}
	sorted := false
	received := false // written by index with values received in arrival order
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
				if c.receivedUnordered(gp, parent) {
					received = true // got[i] = <-results: in arrival order
				} else {
					sorted = true // written by index: sorted by hand, say
				}
			}
		case *ast.UnaryExpr:
			sorted = parent.Op == token.AND
		case *ast.SelectorExpr:
			sorted = true // a method of its type (keys.Sort()) may sort it
		}
		return !sorted
	})
	if sorted {
		return ""
	}
	if from == "" && received {
		from = fromChannel
	}
	return from
}

// receivedUnordered reports whether assign stores in lhs, one of its
// left-hand sides, a value received from a channel of unknown order
// (got[i] = <-results), which fills the slice in arrival order whatever
// the index.
func (c *checker) receivedUnordered(assign *ast.AssignStmt, lhs ast.Expr) bool {
	if len(assign.Lhs) != len(assign.Rhs) {
		return false
	}
	return c.arrivalOrder(receivedFrom(assign.Rhs[slices.Index(assign.Lhs, lhs)]))
}

// arrivalOrder reports whether values received from the channel ch (nil
// for none) come in an order the goroutines sending them decide: not a
// channel filled in place (filledInPlace), nor a future (isFuture).
func (c *checker) arrivalOrder(ch ast.Expr) bool {
	return ch != nil && !c.filledInPlace(ch) && !c.isFuture(ch)
}

// collectedBy says, when call calls a function of the package whose
// every return statement returns a local slice it collects in an
// unspecified order and does not sort (collectedFrom: the keys helper
// ranging over a map, or one draining a channel), whose order that is;
// "" otherwise. A helper draining a channel is taken to drain the one it
// is handed: handed one filled in order (filledInPlace, such as a
// generator's), it returns the values in that order.
func (c *checker) collectedBy(call *ast.CallExpr) string {
	info := c.pass.TypesInfo
	from := ""
	for _, r := range c.returnedValues(call) {
		f := c.collectedFrom(r)
		if f == "" || from != "" && f != from {
			return ""
		}
		from = f
	}
	if from == fromChannel {
		for _, arg := range call.Args {
			if t := info.TypeOf(arg); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok && c.filledInPlace(arg) {
					return ""
				}
			}
		}
	}
	return from
}

// How a value assigned to a slice fills it.
const (
	fillUnknown   = iota // another value: the slice's order is not known
	fillNeutral          // make, nil, an empty literal, an append outside an unordered range
	fillUnordered        // in an unspecified order: a map's, a sync.Map's, a channel's
)

// fillOrder tells how value, assigned to the slice variable v, fills it
// and, for fillUnordered, in whose order.
func (c *checker) fillOrder(value ast.Expr, v *types.Var) (int, string) {
	info := c.pass.TypesInfo
	switch e := ast.Unparen(value).(type) {
	case nil:
		return fillUnknown, ""
	case *ast.Ident:
		if _, ok := info.Uses[e].(*types.Nil); ok {
			return fillNeutral, ""
		}
	case *ast.CompositeLit:
		if len(e.Elts) == 0 {
			return fillNeutral, ""
		}
	case *ast.CallExpr:
		if isBuiltin(info, e, "make") {
			return fillNeutral, ""
		}
		if isBuiltin(info, e, "append") && len(e.Args) > 0 {
			if first, ok := ast.Unparen(e.Args[0]).(*ast.Ident); ok && info.Uses[first] == v {
				if from := c.inUnorderedRange(e); from != "" {
					return fillUnordered, from
				}
				for _, arg := range e.Args[1:] {
					if c.arrivalOrder(receivedFrom(arg)) {
						return fillUnordered, fromChannel // append(got, <-results)
					}
				}
				return fillNeutral, ""
			}
			return fillUnknown, ""
		}
		if from := c.collectedBy(e); from != "" {
			return fillUnordered, from
		}
		fn := calleeFunc(info, e)
		if fn == nil || fn.Pkg() == nil || len(e.Args) != 1 {
			return fillUnknown, ""
		}
		switch path := fn.Pkg().Path(); {
		case path == "slices" && fn.Name() == "Collect":
			if inner, ok := ast.Unparen(e.Args[0]).(*ast.CallExpr); ok {
				if f := calleeFunc(info, inner); f != nil && f.Pkg() != nil && f.Pkg().Path() == "maps" && (f.Name() == "Keys" || f.Name() == "Values") {
					return fillUnordered, fromMap
				}
			}
		case path == "golang.org/x/exp/maps" && (fn.Name() == "Keys" || fn.Name() == "Values"):
			return fillUnordered, fromMap
		}
	}
	return fillUnknown, ""
}

// inUnorderedRange says, when n is in the body of a range over a map or a
// channel, or of a select's case receiving from a channel (in the same
// function), or in the function literal a sync.Map's Range calls, whose
// order that is; "" otherwise.
func (c *checker) inUnorderedRange(n ast.Node) string {
	for p := c.parentOf(n); p != nil; p = c.parentOf(p) {
		switch p := p.(type) {
		case *ast.FuncLit:
			if call, ok := c.parentOf(p).(*ast.CallExpr); ok && isSyncMapRange(c.pass.TypesInfo, call) {
				return fromSyncMap
			}
			return ""
		case *ast.FuncDecl:
			return ""
		case *ast.RangeStmt:
			if u := c.rangeOrder(p); u.from != "" {
				return u.from
			}
		case *ast.CommClause:
			// a select's case receiving from a channel: timing picks it
			if c.arrivalOrder(commReceive(p.Comm)) {
				return fromChannel
			}
		}
	}
	return ""
}

// receivedFrom returns the channel e receives from (<-ch), or nil.
func receivedFrom(e ast.Expr) ast.Expr {
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u.X
	}
	return nil
}

// commReceive returns the channel a select case's communication receives
// from (case <-ch, case v := <-ch, case v, ok = <-ch), or nil.
func commReceive(comm ast.Stmt) ast.Expr {
	switch s := comm.(type) {
	case *ast.ExprStmt:
		return receivedFrom(s.X)
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			return receivedFrom(s.Rhs[0])
		}
	}
	return nil
}

// isFuture reports whether e, a channel received from, is one element
// of a slice or array of channels (futures[i], or f in a range over
// futures): one channel per value, each awaited in the order the program
// picks, so values received from them keep that order whatever the
// goroutines sending them do.
func (c *checker) isFuture(e ast.Expr) bool {
	info := c.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.IndexExpr:
		return isChanSeq(info.TypeOf(e.X))
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok || v.IsField() {
			return false
		}
		file := c.fileOf(v.Pos())
		if file == nil {
			return false
		}
		path, _ := astutil.PathEnclosingInterval(file, v.Pos(), v.Pos())
		if len(path) < 2 {
			return false
		}
		rs, ok := path[1].(*ast.RangeStmt)
		return ok && rs.Value == path[0] && isChanSeq(info.TypeOf(rs.X))
	}
	return false
}

// isChanSeq reports whether t is a slice or array of channels (or a
// pointer to such an array).
func isChanSeq(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	var elem types.Type
	switch t := t.Underlying().(type) {
	case *types.Slice:
		elem = t.Elem()
	case *types.Array:
		elem = t.Elem()
	default:
		return false
	}
	_, ok := elem.Underlying().(*types.Chan)
	return ok
}

// isSyncMapRange reports whether call is sync.Map's Range.
func isSyncMapRange(info *types.Info, call *ast.CallExpr) bool {
	fn := calleeFunc(info, call)
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "sync" && fn.Name() == "Range" && recvTypeName(recvType(fn)) == "Map"
}

// filledInPlace reports whether e names a local channel variable whose
// values arrive in an order the program decides: the function declaring
// it makes it (ch := make(chan T, n)) and uses it only itself (sends to
// it, receives from it, ranges over it, closes it, in that function's own
// body, never handing it to a function, storing it or assigning it
// again), or one goroutine it starts once (go func() { ... }(), not in a
// loop) is the only one to send to it, in its own program order: not in a
// range over a map or over another channel whose order is not known, nor
// in a select. A call of a function of the package returning such a
// channel, which it makes and fills (or has its one goroutine fill) in
// order, is one too (the pipeline generator: for v := range gen(ids)),
// and so is a local variable assigned one (in := gen(ids)) that nothing
// else sends to.
func (c *checker) filledInPlace(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return c.orderedChan(e, false)
	case *ast.CallExpr:
		return c.orderedGenerator(e)
	}
	return false
}

// orderedGenerator reports whether call calls a function of the package
// whose every return statement returns one local channel filled in order
// (orderedChan, the function returning it).
func (c *checker) orderedGenerator(call *ast.CallExpr) bool {
	values := c.returnedValues(call)
	for _, r := range values {
		id, ok := ast.Unparen(r).(*ast.Ident)
		if !ok || !c.orderedChan(id, true) {
			return false
		}
	}
	return len(values) > 0
}

// returnedValues returns, when call calls a function of the package with
// one result, the value each of its return statements returns (not those
// of the function literals in it); nil when it is not such a function or
// a return statement does not name its value.
func (c *checker) returnedValues(call *ast.CallExpr) []ast.Expr {
	fn := calleeFunc(c.pass.TypesInfo, call)
	if fn == nil || fn.Signature().Results().Len() != 1 {
		return nil
	}
	decl := c.decls[fn.Origin()]
	if decl == nil || decl.Body == nil {
		return nil
	}
	var values []ast.Expr
	complete := true
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != 1 {
				complete = false
			} else {
				values = append(values, n.Results[0])
			}
		}
		return complete
	})
	if !complete {
		return nil
	}
	return values
}

// orderedChan is filledInPlace for the channel variable id names; with
// returned, the function declaring it may return it (return out).
func (c *checker) orderedChan(id *ast.Ident, returned bool) bool {
	info := c.pass.TypesInfo
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() != c.pass.Pkg || v.Parent() == c.pass.Pkg.Scope() || c.collecting[v] {
		return false // c.collecting: fed from a range over itself, through other channels
	}
	file := c.fileOf(v.Pos())
	if file == nil {
		return false
	}
	if c.collecting == nil {
		c.collecting = map[*types.Var]bool{}
	}
	c.collecting[v] = true
	defer delete(c.collecting, v)
	var home ast.Node         // the body of the function declaring v
	var producer *ast.FuncLit // the one goroutine sending to v
	sends := false            // whether the function itself sends to v
	generated := false        // made by a generator (orderedGenerator), whose goroutine sends to it
	inPlace := true
	inspectIdents(file, func(use *ast.Ident, stack []ast.Node) bool {
		if info.Defs[use] == v {
			home = c.funcBodyOf(use)
			call, _ := ast.Unparen(declaredValue(use, stack[len(stack)-2])).(*ast.CallExpr)
			switch {
			case call != nil && isBuiltin(info, call, "make"):
			case call != nil && !returned && c.orderedGenerator(call):
				generated = true
			default:
				inPlace = false
			}
			return inPlace
		}
		if info.Uses[use] != v {
			return true
		}
		body := c.funcBodyOf(use)
		if body != home {
			lit, _ := c.parentOf(body).(*ast.FuncLit)
			if lit == nil || producer != nil && producer != lit || !c.startedOnce(lit, home) {
				inPlace = false // another goroutine, or a function literal run who knows where
				return false
			}
			producer = lit
			switch parent := stack[len(stack)-2].(type) {
			case *ast.SendStmt:
				inPlace = parent.Chan == use && !c.sentUnordered(parent, body)
			case *ast.CallExpr:
				inPlace = isBuiltin(info, parent, "close") || isBuiltin(info, parent, "len") || isBuiltin(info, parent, "cap")
			default:
				inPlace = false
			}
			return inPlace
		}
		switch parent := stack[len(stack)-2].(type) {
		case *ast.SendStmt:
			inPlace, sends = parent.Chan == use, true
		case *ast.UnaryExpr:
			inPlace = parent.Op == token.ARROW
		case *ast.RangeStmt:
			inPlace = parent.X == use
		case *ast.CallExpr:
			inPlace = isBuiltin(info, parent, "close") || isBuiltin(info, parent, "len") || isBuiltin(info, parent, "cap")
		case *ast.ReturnStmt:
			inPlace = returned && len(parent.Results) == 1
		default:
			inPlace = false // stored, handed on, assigned again
		}
		return inPlace
	})
	return inPlace && home != nil && !(sends && producer != nil) && !(generated && (sends || producer != nil))
}

// startedOnce reports whether lit is started once as a goroutine by the
// function whose body is home: go func() { ... }() directly in it, not
// in a loop.
func (c *checker) startedOnce(lit *ast.FuncLit, home ast.Node) bool {
	call, ok := c.parentOf(lit).(*ast.CallExpr)
	if !ok || call.Fun != lit {
		return false
	}
	if _, ok := c.parentOf(call).(*ast.GoStmt); !ok {
		return false
	}
	for n := c.parentOf(call); n != home; n = c.parentOf(n) {
		switch n.(type) {
		case nil, *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			return false
		}
	}
	return true
}

// sentUnordered reports whether send, in the function whose body is
// body, runs in an order the program does not decide: in a range over a
// map or a channel of unknown order (rangeOrder), or in a select's case
// body, or as a select's case beside another case sending to the same
// channel (case out <- a: case out <- b:). A select's one send to the
// channel beside cases that receive (case out <- v: case <-done:
// return, the cancellable pipeline stage) sends in program order: the
// select decides only whether it sends, not what comes next.
func (c *checker) sentUnordered(send *ast.SendStmt, body ast.Node) bool {
	var prev ast.Node = send
	for n := c.parentOf(send); n != nil && n != body; prev, n = n, c.parentOf(n) {
		switch n := n.(type) {
		case *ast.CommClause:
			if n.Comm != prev {
				return true
			}
			if c.otherSendCase(n, send) {
				return true
			}
		case *ast.RangeStmt:
			if c.rangeOrder(n).from != "" {
				return true
			}
		}
	}
	return false
}

// otherSendCase reports whether the select holding clause has another
// case sending to the channel send sends to, or a default case (which
// drops the value when no receiver is ready).
func (c *checker) otherSendCase(clause *ast.CommClause, send *ast.SendStmt) bool {
	info := c.pass.TypesInfo
	sel, _ := c.parentOf(c.parentOf(clause)).(*ast.SelectStmt)
	id, _ := ast.Unparen(send.Chan).(*ast.Ident)
	if sel == nil || id == nil {
		return true
	}
	for _, s := range sel.Body.List {
		other, _ := s.(*ast.CommClause)
		if other == nil || other == clause {
			continue
		}
		if other.Comm == nil {
			return true // default: a value the receiver is not ready for is dropped, as timing decides
		}
		if os, ok := other.Comm.(*ast.SendStmt); ok {
			if oid, ok := ast.Unparen(os.Chan).(*ast.Ident); !ok || info.Uses[oid] == info.Uses[id] {
				return true
			}
		}
	}
	return false
}

// declaredValue returns the value def, the identifier declaring a
// variable, with its parent node, is declared with (ch := make(chan T,
// n), var ch = gen(ids)), or nil.
func declaredValue(def *ast.Ident, parent ast.Node) ast.Expr {
	var values []ast.Expr
	i := -1
	switch p := parent.(type) {
	case *ast.AssignStmt:
		if p.Tok == token.DEFINE && len(p.Lhs) == len(p.Rhs) {
			values, i = p.Rhs, slices.Index(p.Lhs, ast.Expr(def))
		}
	case *ast.ValueSpec:
		if len(p.Names) == len(p.Values) {
			values, i = p.Values, slices.Index(p.Names, def)
		}
	}
	if i < 0 {
		return nil
	}
	return values[i]
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
