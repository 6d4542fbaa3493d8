package durable

import (
	"encoding/hex"
	"strconv"

	"golang.org/x/crypto/blake2b"
)

// operationID derives the deterministic id of the counter-th operation of
// the context whose own operation id is prefix ("" at the root), as the
// protocol defines it (§5.1): the first 64 hex characters of BLAKE2b-512
// over "<prefix>-<counter>", or over "<counter>" at the root.
func operationID(prefix string, counter int) string {
	var buf [96]byte
	key := buf[:0]
	if prefix != "" {
		key = append(key, prefix...)
		key = append(key, '-')
	}
	key = strconv.AppendInt(key, int64(counter), 10)
	return hashKey(key)
}

func hashKey(key []byte) string {
	sum := blake2b.Sum512(key)
	return hex.EncodeToString(sum[:32])
}
