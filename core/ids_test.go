package durable

import "testing"

// The worked examples of protocol §5.4.
func TestOperationIDMatchesSpecExamples(t *testing.T) {
	const (
		id1  = "1ced8f5be2db23a6513eba4d819c73806424748a7bc6fa0d792cc1c7d1775a97"
		id2  = "c5faca15ac2f93578b39ef4b6bbb871bdedce4ddd584fd31f0bb66fade3947e6"
		map0 = "604a8a71e7f4a225452b337e1a92cb84c18e15a7df93335ef291797ffd4bf543"
	)
	tests := []struct {
		name    string
		prefix  string
		counter int
		want    string
	}{
		{"root first", "", 1, id1},
		{"root second", "", 2, id2},
		{"root third", "", 3, "6f760b9e9eac89f07ab0223b0f4acb04d1e355d893a1b86a83f4d4b405adee99"},
		{"child first", id1, 1, "974bfc6321e227b0ff101342eaf19b336f002dc6cc99c18f0941a7755cc20fc4"},
		{"child second", id1, 2, "9d8bc609108ec7b3600d6cceec22d18553e3e1ec52a3568cb251464a3d39d24f"},
		{"map item 0", id2, 0, map0},
		{"map item 1", id2, 1, "9b9a566e6a3acb025bf1e7f9316f877f4def1a4320ddf2c8674e0fa6ceea6d64"},
		{"step in item 0", map0, 1, "0fc57e080e06ff515cc55e524f84788c2726fe245cd5465b99fd5e25ce998f23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := operationID(tt.prefix, tt.counter); got != tt.want {
				t.Errorf("operationID(%q, %d) = %s, want %s", tt.prefix, tt.counter, got, tt.want)
			}
		})
	}
}

func TestOperationIDIsNotBlake2b256(t *testing.T) {
	const blake2b256Of1 = "92cdf578c47085a5992256f0dcf97d0b19f1f1c9de4d5fe30c3ace6191b6e5db"
	if operationID("", 1) == blake2b256Of1 {
		t.Fatal("operation ids must use BLAKE2b-512 truncated, not BLAKE2b-256")
	}
}

func BenchmarkOperationID(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		_ = operationID("1ced8f5be2db23a6513eba4d819c73806424748a7bc6fa0d792cc1c7d1775a97", i)
	}
}
