package durabletest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
)

// idSource makes the identifiers the service hands out: execution names
// and invocation ids, request ids, checkpoint tokens and callback ids.
// They are derived from a counter rather than randomness so that two runs
// of the same test produce the same identifiers, unless random is set
// (Host): then they are unguessable. Guarded by Service.mu.
type idSource struct {
	n      uint64
	random bool
}

func (s *idSource) digest(kind string) [32]byte {
	s.n++
	if s.random {
		var b [32]byte
		rand.Read(b[:]) // never fails (crypto/rand, Go 1.24)
		return b
	}
	return sha256.Sum256([]byte(kind + "/" + strconv.FormatUint(s.n, 10)))
}

// uuid returns a version-4-shaped UUID.
func (s *idSource) uuid(kind string) string {
	b := s.digest(kind)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// opaque returns an opaque string in the URL-safe base64 alphabet, the
// shape of checkpoint tokens and callback ids.
func (s *idSource) opaque(kind string) string {
	b := s.digest(kind)
	return base64.RawURLEncoding.EncodeToString(b[:24])
}
