package analyzer

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/types"
	"maps"
	"path/filepath"
	"slices"
	"strings"
)

// Function-valued struct fields across packages.
//
// A field that the package sets to a clock or a generator and its durable
// code calls is reported at the call (varReaches). Facts travel from a
// package to the packages importing it, so the two cases that cross
// packages go two ways:
//
//   - the package declaring the struct sets the field (a constructor
//     returning Clock{Now: time.Now}) and a package importing it calls it
//     in durable code: the declaring package exports an effectsFact on the
//     field, which the caller's varReaches imports, and the finding is at
//     the call, as within a package;
//   - the package declaring the struct calls the field in durable code and
//     a package importing it, typically main, sets it (orders.Deps{Now:
//     time.Now}, or through an exported constructor or setter storing its
//     parameter in the field, orders.NewDeps(time.Now)): the declaring
//     package cannot know what the field will hold, so it exports a
//     fieldCallFact on the field, and on the constructor or setter, saying
//     where its durable code calls the field; the importing package reports
//     the function it sets there, at the place it sets it.

// fieldCallFact marks an exported function-valued struct field of the
// package that its durable code calls outside step code (directly, or
// through the package's functions), or an exported function or method
// that stores parameters in such fields, for the packages importing it
// that set them.
type fieldCallFact struct {
	Module string
	Calls  []fieldCall
}

// A fieldCall is where durable code calls a function-valued field. Its
// fields are exported for the gob encoding of facts.
type fieldCall struct {
	Param   int      // on a function: the parameter it stores in the field; -1 on the field
	Field   string   // the field, as messages print it: orders.Deps.Now
	Caller  string   // the function declaring the durable code that calls it ("" for a literal in a package variable)
	At      string   // the call in durable code: file:line
	Chain   []string // the package's functions that durable call goes through to the field's call
	Ignored []string // rules a //durable:ignore silences at those calls
}

// AFact marks fieldCallFact as an analysis fact.
func (*fieldCallFact) AFact() {}

func (f *fieldCallFact) String() string {
	var parts []string
	for _, fc := range f.Calls {
		part := fc.Field + " called in durable code (" + fc.where() + ")"
		if fc.Param >= 0 {
			part = fmt.Sprintf("parameter %d stored in %s", fc.Param, part)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "; ")
}

// where renders where durable code calls the field.
func (fc fieldCall) where() string {
	s := "durable code"
	if fc.Caller != "" {
		s = fc.Caller
	}
	s += " at " + fc.At
	if len(fc.Chain) > 0 {
		s += " through " + strings.Join(fc.Chain, " → ")
	}
	return s
}

// A fieldUse is a call of a function-valued field found in a function of
// the package (fieldCallsOf).
type fieldUse struct {
	field   *types.Var
	name    string
	chain   []string // the functions called to reach it, after the first
	ignored []string
}

// calledField returns the function-valued field call calls (d.Now()),
// with its name as messages print it, or nil.
func (c *checker) calledField(call *ast.CallExpr) (*types.Var, string) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	s := c.pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil, ""
	}
	v, ok := s.Obj().(*types.Var)
	if !ok || v.Pkg() == nil || !isFuncType(v.Type()) {
		return nil, ""
	}
	v = v.Origin() // the field of a generic struct, not of one instance
	return v, v.Pkg().Name() + "." + recvTypeName(s.Recv()) + "." + v.Name()
}

// ignoredAt returns the rules a suppression silences at pos.
func (c *checker) ignoredAt(pos ast.Node) []string {
	var out []string
	for _, rule := range Rules {
		if c.sup.covers(c.pass.Fset, rule, pos.Pos()) {
			out = append(out, rule)
		}
	}
	return out
}

// fieldCallsOf returns the calls of function-valued fields that calling
// fn, a function of the package, makes: in its body (not in the step
// bodies or function literals it returns) and in the functions of the
// package it calls, up to maxDepth calls deep; one per field, through the
// shortest chain. A function met again while it is being looked into (a
// cycle) adds nothing.
func (c *checker) fieldCallsOf(fn *types.Func) []fieldUse {
	if uses, ok := c.fieldUses[fn]; ok {
		return uses
	}
	if c.fieldUses == nil {
		c.fieldUses = map[*types.Func][]fieldUse{}
	}
	c.fieldUses[fn] = nil
	decl := c.decls[fn]
	if decl == nil {
		return nil
	}
	info := c.pass.TypesInfo
	var out []fieldUse
	add := func(u fieldUse) {
		for i, o := range out {
			if o.field == u.field {
				if len(u.chain) < len(o.chain) {
					out[i] = u
				}
				return
			}
		}
		out = append(out, u)
	}
	c.inspectCalls(decl.Body, func(n *ast.CallExpr) {
		callee := calleeFunc(info, n)
		if callee == nil {
			if v, name := c.calledField(n); v != nil {
				add(fieldUse{field: v, name: name, ignored: c.ignoredAt(n)})
			}
			return
		}
		if c.decls[callee] != nil && roleOf(callee.Signature()) == roleOther {
			for _, u := range c.fieldCallsOf(callee) {
				if len(u.chain)+1 < maxDepth {
					chain := append([]string{funcName(callee)}, u.chain...)
					add(fieldUse{field: u.field, name: u.name, chain: chain, ignored: union(u.ignored, c.ignoredAt(n))})
				}
			}
		}
	})
	c.fieldUses[fn] = out
	return out
}

// union returns the rules in a or b.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, r := range b {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// noteFieldCalls records, for fieldCallFact, the function-valued fields
// a call in durable code calls: itself (d.Now()) or through the package's
// functions (d.deadline() calling d.Now()). What a suppression there
// silences, a value read only for a line of the replay-aware logger, and
// logging while the context is not replaying, are not reported where the
// field is set either.
func (c *checker) noteFieldCalls(call *ast.CallExpr, fn *types.Func, fr *frame) {
	var uses []fieldUse
	if fn == nil {
		if v, name := c.calledField(call); v != nil {
			uses = []fieldUse{{field: v, name: name}}
		}
	} else if c.decls[fn] != nil && roleOf(fn.Signature()) == roleOther {
		for _, u := range c.fieldCallsOf(fn) {
			u.chain = append([]string{funcName(fn)}, u.chain...)
			uses = append(uses, u)
		}
	}
	if len(uses) == 0 {
		return
	}
	ignored := c.ignoredAt(call)
	if c.onlyLogged(call) {
		ignored = union(ignored, []string{ruleNondeterminism})
	}
	if fr.notReplaying {
		ignored = union(ignored, []string{ruleLogging})
	}
	caller := ""
	for n := c.parentOf(call); n != nil; n = c.parentOf(n) {
		if decl, ok := n.(*ast.FuncDecl); ok {
			if f, ok := c.pass.TypesInfo.Defs[decl.Name].(*types.Func); ok {
				caller = funcName(f)
			}
			break
		}
	}
	p := c.pass.Fset.Position(call.Pos())
	at := fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
	if c.durableField == nil {
		c.durableField = map[*types.Var]*fieldCall{}
	}
	for _, u := range uses {
		if o := c.durableField[u.field]; o != nil && len(o.Chain) <= len(u.chain) {
			continue
		}
		c.durableField[u.field] = &fieldCall{Param: -1, Field: u.name, Caller: caller, At: at, Chain: u.chain, Ignored: union(ignored, u.ignored)}
	}
}

// exportFieldFacts exports, once durable code is walked, the facts of
// fields: an effectsFact on each exported function-valued field of the
// package that the package sets to functions; a fieldCallFact on each
// such field its durable code calls, and on each exported function
// storing a parameter in a field its durable code calls.
func (c *checker) exportFieldFacts() {
	for field, fns := range c.fieldFuncs() {
		if field.Pkg() != c.pass.Pkg || !field.Exported() {
			continue
		}
		var rs []reach
		for _, fn := range fns {
			for _, r := range c.funcReaches(fn, &ast.CallExpr{}, c.fieldNames[field]) {
				rs = shortest(rs, r)
			}
		}
		if len(rs) > 0 {
			c.pass.ExportObjectFact(field.Origin(), &effectsFact{Module: c.module, Reaches: rs})
		}
	}
	for field, fc := range c.durableField {
		if field.Pkg() == c.pass.Pkg && field.Exported() {
			c.pass.ExportObjectFact(field, &fieldCallFact{Module: c.module, Calls: []fieldCall{*fc}})
		}
	}
	for p, fields := range c.paramFields {
		if !p.fn.Exported() || p.fn.Pkg() != c.pass.Pkg {
			continue
		}
		f := &fieldCallFact{Module: c.module}
		c.pass.ImportObjectFact(p.fn, f) // the other parameters' calls, exported already
		for _, field := range fields {
			if fc := c.durableField[field.Origin()]; fc != nil {
				stored := *fc
				stored.Param = p.index
				f.Calls = append(f.Calls, stored)
			}
		}
		if len(f.Calls) > 0 {
			slices.SortFunc(f.Calls, func(a, b fieldCall) int {
				if a.Param != b.Param {
					return a.Param - b.Param
				}
				return strings.Compare(a.Field, b.Field)
			})
			c.pass.ExportObjectFact(p.fn, f)
		}
	}
}

// checkFieldSets reports the functions the package sets a field of
// another package to, where that package's durable code calls the field
// (its fieldCallFact): in a composite literal or an assignment
// (orders.Deps{Now: time.Now}), through a function of this package
// storing its parameter there, or through the other package's
// constructor or setter (orders.NewDeps(time.Now)).
func (c *checker) checkFieldSets() {
	c.fieldFuncs()
	fields := slices.Collect(maps.Keys(c.fieldSites))
	slices.SortFunc(fields, func(a, b *types.Var) int { // findings in a stable order
		return cmp.Or(cmp.Compare(a.Pos(), b.Pos()), strings.Compare(c.fieldNames[a], c.fieldNames[b]))
	})
	for _, field := range fields {
		sites := c.fieldSites[field]
		if field.Pkg() == c.pass.Pkg {
			continue
		}
		var f fieldCallFact
		if !c.pass.ImportObjectFact(field.Origin(), &f) || f.Module != c.module || len(f.Calls) != 1 {
			continue
		}
		for _, site := range sites {
			c.reportFieldSet(site.at, site.fn, f.Calls[0])
		}
	}
	info := c.pass.TypesInfo
	for _, file := range c.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := calleeFunc(info, call)
			if fn == nil || fn.Pkg() == nil || fn.Pkg() == c.pass.Pkg {
				return true
			}
			var f fieldCallFact
			if !c.pass.ImportObjectFact(fn, &f) || f.Module != c.module {
				return true
			}
			for _, fc := range f.Calls {
				arg := callArg(info, call, fn, fc.Param)
				if set := funcRef(info, arg); set != nil {
					c.reportFieldSet(arg, set, fc)
				}
			}
			return true
		})
	}
}

// reportFieldSet reports, at at, what fn does: it is set as the field
// that durable code calls where fc says.
func (c *checker) reportFieldSet(at ast.Expr, fn *types.Func, fc fieldCall) {
	for _, r := range c.funcReaches(fn, &ast.CallExpr{}, "") {
		if slices.Contains(fc.Ignored, r.Rule) {
			continue
		}
		via := ""
		if len(r.Chain) > 1 {
			via = "via " + strings.Join(r.Chain[1:], " → ") + ", "
		}
		c.report(r.Rule, at, fmt.Sprintf("%s in durable code (%sset here as %s, which %s calls outside a step) %s", r.What, via, fc.Field, fc.where(), r.Hint), nil)
	}
}
