package protocol

import (
	"reflect"
	"testing"
)

// nilDerefError's methods read its fields, so on a nil pointer they panic,
// as most Error methods do.
type nilDerefError struct {
	msg, typ, data string
	frames         []string
}

func (e *nilDerefError) Error() string        { return e.msg }
func (e *nilDerefError) ErrorType() string    { return e.typ }
func (e *nilDerefError) ErrorData() string    { return e.data }
func (e *nilDerefError) StackTrace() []string { return e.frames }
func typedNil() error                         { var e *nilDerefError; return e }

type wrapper struct{ err error }

func (w *wrapper) Error() string { return "wrapped: " + w.err.Error() }
func (w *wrapper) Unwrap() error { return w.err }

// A function returning a nil *T as an error (the typed-nil mistake) hands
// the runtime a non-nil error whose methods panic. ErrorObjectOf must
// still describe it, as fmt does, instead of panicking.
func TestErrorObjectOfTypedNilError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want ErrorObject
	}{
		{"typed nil", typedNil(), ErrorObject{ErrorType: "nilDerefError", ErrorMessage: "<nil>"}},
		{"typed nil in a chain", &wrapper{&wrapper{typedNil()}}, ErrorObject{ErrorType: "wrapper", ErrorMessage: "%!v(PANIC=Error method: runtime error: invalid memory address or nil pointer dereference)"}},
		{"working error", &nilDerefError{msg: "m", typ: "T", data: "d", frames: []string{"f"}}, ErrorObject{ErrorType: "T", ErrorMessage: "m", ErrorData: "d", StackTrace: []string{"f"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got ErrorObject
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("ErrorObjectOf panicked: %v", r)
					}
				}()
				got = ErrorObjectOf(tt.err)
			}()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ErrorObjectOf = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// The Lambda API carries error members as JSON strings, and the AWS client
// replaces each byte that is not UTF-8 with U+FFFD. ErrorObjectOf makes
// the same replacement, so that the error a first run raises (rebuilt from
// this ErrorObject) reads exactly as the one a replay rebuilds from the
// stored record.
func TestErrorObjectOfIsWhatTheServiceStores(t *testing.T) {
	err := &nilDerefError{msg: "bad \xff\xfe byte \xe2\x82", typ: "T\xc3", data: "{\"raw\":\"\x80\"}", frames: []string{"ok", "f\xff"}}
	want := ErrorObject{ErrorType: "T\uFFFD", ErrorMessage: "bad \uFFFD\uFFFD byte \uFFFD\uFFFD", ErrorData: "{\"raw\":\"\uFFFD\"}", StackTrace: []string{"ok", "f\uFFFD"}}
	if got := ErrorObjectOf(err); !reflect.DeepEqual(got, want) {
		t.Errorf("ErrorObjectOf = %+q\nwant %+q", got, want)
	}
}
