package analyzer

import (
	"go/types"
	"strings"
)

// A call through an interface method declared in the module (a Clock, a
// Store injected into a service) runs one of the module's types that
// implement the interface: it reaches what any of them reaches, through
// the shortest chain. The types looked at are those of this package and
// of the packages of the module it imports; a fake of a test, which does
// nothing durable code must not do, adds nothing.

// implReaches returns the effects of calling m, a method of an interface
// of the module, through the implementations the package can see.
func (c *checker) implReaches(m *types.Func) []reach {
	if !c.inModule(m.Pkg()) {
		return nil
	}
	iface, ok := recvType(m).Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	if rs, ok := c.impls[m]; ok {
		return rs
	}
	if c.impls == nil {
		c.impls = map[*types.Func][]reach{}
	}
	c.impls[m] = nil // an implementation calling the interface again: nothing more
	var out []reach
	for _, pkg := range append([]*types.Package{c.pass.Pkg}, c.pass.Pkg.Imports()...) {
		if !c.inModule(pkg) {
			continue
		}
		scope := pkg.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			named, ok := tn.Type().(*types.Named)
			if !ok || types.IsInterface(named) || named.TypeParams().Len() > 0 {
				continue
			}
			var t types.Type = named
			if !types.Implements(t, iface) {
				t = types.NewPointer(named)
				if !types.Implements(t, iface) {
					continue
				}
			}
			sel := types.NewMethodSet(t).Lookup(m.Pkg(), m.Name())
			if sel == nil {
				continue
			}
			impl, ok := sel.Obj().(*types.Func)
			if !ok {
				continue
			}
			for _, r := range c.reachesOf(impl) {
				out = shortest(out, r)
			}
		}
	}
	return c.settle(c.impls, m, out)
}

// inModule reports whether pkg belongs to the module being analysed.
func (c *checker) inModule(pkg *types.Package) bool {
	if pkg == nil || isSDKPackage(pkg.Path()) {
		return false
	}
	if c.module == "" {
		return !isStdPath(pkg.Path())
	}
	return pkg.Path() == c.module || strings.HasPrefix(pkg.Path(), c.module+"/")
}
