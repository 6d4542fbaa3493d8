package logattr

import "testing"

// A Lambda function is package main, often in a module named without a
// dot ("hello-world", as sam init names it): its error types are the
// user's, not the standard library's, so errorType prefers them to a
// standard error joined or wrapped with them.
func TestUserPackagesWithoutADot(t *testing.T) {
	modules := []string{"hello-world", "github.com/acme/orders"}
	tests := []struct {
		path   string
		stdlib bool
	}{
		{"fmt", true},
		{"net/url", true},
		{"", true}, // an unnamed type
		{"main", false},
		{"hello-world", false},
		{"hello-world/payments", false},
		{"hello-worldwide/x", true},
		{"github.com/acme/orders/payments", false},
		{"example.com/x", false},
	}
	for _, tt := range tests {
		if got := stdlibPath(tt.path, modules); got != tt.stdlib {
			t.Errorf("stdlibPath(%q) = %v, want %v", tt.path, got, tt.stdlib)
		}
	}
}
