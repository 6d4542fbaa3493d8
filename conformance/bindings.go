package conformance

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
)

var (
	// placeholderRE is a whole-value placeholder such as ${ID1}.
	placeholderRE = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$`)
	// referenceRE finds embedded references such as "Hello, ${INPUT_1}!".
	referenceRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
	// genStrRE is the Variables generator ${GEN_STR:N}.
	genStrRE = regexp.MustCompile(`^\$\{GEN_STR:([0-9]+)\}$`)
)

// maxGenStr bounds ${GEN_STR:N} so a typo cannot allocate gigabytes.
const maxGenStr = 1 << 16

const genStrAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// Bindings is the table of names bound during one validation: first the
// requirement's Variables, then every placeholder bound while matching the
// history. Result, log and callback checks read it afterwards.
type Bindings struct {
	vals map[string]any
}

// NewBindings returns an empty table.
func NewBindings() *Bindings { return &Bindings{vals: map[string]any{}} }

// Lookup returns the value bound to name.
func (b *Bindings) Lookup(name string) (any, bool) {
	v, ok := b.vals[name]
	return v, ok
}

// Bind binds name to value, replacing any earlier binding.
func (b *Bindings) Bind(name string, value any) { b.vals[name] = value }

// Substitute replaces every ${NAME} in s whose NAME is bound with the bound
// value's string form and leaves references to unbound names untouched.
func (b *Bindings) Substitute(s string) string {
	return referenceRE.ReplaceAllStringFunc(s, func(ref string) string {
		v, ok := b.vals[ref[2:len(ref)-1]]
		if !ok {
			return ref
		}
		return stringForm(v)
	})
}

// substituteDeep applies Substitute to every string inside v (mapping
// values and list elements, not mapping keys) and returns a copy.
func (b *Bindings) substituteDeep(v any) any {
	switch x := v.(type) {
	case string:
		return b.Substitute(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = b.substituteDeep(e)
		}
		return out
	case *Map:
		out := NewMap()
		for _, k := range x.keys {
			out.Set(k, b.substituteDeep(x.vals[k]))
		}
		return out
	}
	return v
}

// Variable is one entry of a requirement's Variables, in file order.
type Variable struct {
	Name  string
	Value any
}

// bindVariables binds each variable in order: ${GEN_STR:N} becomes N fresh
// random lower-case letters and digits, any other value its string form.
func bindVariables(vars []Variable, b *Bindings, rnd *rand.Rand) error {
	for _, v := range vars {
		s, isString := v.Value.(string)
		if !isString {
			b.Bind(v.Name, stringForm(v.Value))
			continue
		}
		m := genStrRE.FindStringSubmatch(s)
		if m == nil {
			b.Bind(v.Name, s)
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n > maxGenStr {
			return fmt.Errorf("variable %s: %s is too long", v.Name, s)
		}
		b.Bind(v.Name, genString(rnd, n))
	}
	return nil
}

func genString(rnd *rand.Rand, n int) string {
	out := make([]byte, n)
	for i := range out {
		out[i] = genStrAlphabet[rnd.IntN(len(genStrAlphabet))]
	}
	return string(out)
}
