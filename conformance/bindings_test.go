package conformance

import (
	"encoding/json"
	"math/rand/v2"
	"regexp"
	"testing"
)

func TestSubstitute(t *testing.T) {
	b := NewBindings()
	b.Bind("INPUT_1", "abc")
	b.Bind("N", json.Number("5"))
	b.Bind("FLAG", true)
	b.Bind("NOTHING", nil)
	tests := []struct{ in, want string }{
		{"Hello, ${INPUT_1}!", "Hello, abc!"},
		{`"${INPUT_1}"`, `"abc"`},
		{"${INPUT_1}${INPUT_1}", "abcabc"},
		{"${UNBOUND} stays", "${UNBOUND} stays"},
		{"n=${N} flag=${FLAG} none=${NOTHING}", "n=5 flag=True none=None"},
		{"${/regex/} untouched", "${/regex/} untouched"},
		{"${GEN_STR:8} untouched", "${GEN_STR:8} untouched"},
		{"$INPUT_1 {INPUT_1}", "$INPUT_1 {INPUT_1}"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := b.Substitute(tt.in); got != tt.want {
				t.Errorf("Substitute(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSubstituteDeepLeavesKeysAndNonStrings(t *testing.T) {
	b := bindingsOf("X", "1")
	in := yamlValue(t, "'${X}': ['${X}', 2, {k: 'a${X}'}]")
	got := b.substituteDeep(in)
	want := yamlValue(t, "'${X}': ['1', 2, {k: a1}]")
	if !deepEqual(got, want) {
		t.Errorf("got %s, want %s", show(got), show(want))
	}
	if !deepEqual(in, yamlValue(t, "'${X}': ['${X}', 2, {k: 'a${X}'}]")) {
		t.Error("substituteDeep changed its input")
	}
}

func TestBindVariables(t *testing.T) {
	vars := []Variable{
		{"CB_NAME", "${GEN_STR:10}"},
		{"CB_PAYLOAD", "${GEN_STR:12}"},
		{"FIXED", "approval"},
		{"NUM", json.Number("3")},
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	b := NewBindings()
	if err := bindVariables(vars, b, rnd); err != nil {
		t.Fatal(err)
	}
	alnum := regexp.MustCompile(`^[a-z0-9]+$`)
	name, _ := b.Lookup("CB_NAME")
	payload, _ := b.Lookup("CB_PAYLOAD")
	t.Run("generated strings have the asked length and alphabet", func(t *testing.T) {
		if s := name.(string); len(s) != 10 || !alnum.MatchString(s) {
			t.Errorf("CB_NAME = %q", s)
		}
		if s := payload.(string); len(s) != 12 || !alnum.MatchString(s) {
			t.Errorf("CB_PAYLOAD = %q", s)
		}
	})
	t.Run("literal values bound as written", func(t *testing.T) {
		if v, _ := b.Lookup("FIXED"); v != "approval" {
			t.Errorf("FIXED = %v", v)
		}
		if v, _ := b.Lookup("NUM"); v != "3" {
			t.Errorf("NUM = %#v, want the string form \"3\"", v)
		}
	})
	t.Run("fresh values per validation", func(t *testing.T) {
		again := NewBindings()
		if err := bindVariables(vars, again, rnd); err != nil {
			t.Fatal(err)
		}
		if v, _ := again.Lookup("CB_NAME"); v == name {
			t.Errorf("CB_NAME repeated %q across validations", v)
		}
	})
	t.Run("absurd length rejected", func(t *testing.T) {
		err := bindVariables([]Variable{{"X", "${GEN_STR:999999999}"}}, NewBindings(), rnd)
		if err == nil {
			t.Error("no error for a huge GEN_STR")
		}
	})
}
