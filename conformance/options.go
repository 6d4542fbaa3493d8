package conformance

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
	"time"
)

// Option configures Run and RunRequirement.
type Option func(*config)

type config struct {
	only      map[string]bool
	timeout   time.Duration
	rand      *rand.Rand
	startTime time.Time
	maxPolls  int
}

// Defaults for the per-requirement limits.
const (
	// DefaultTimeout bounds the wall-clock time of one requirement.
	DefaultTimeout = 2 * time.Minute
	// DefaultMaxPolls bounds the async polling loop (about three hours of
	// virtual time at the default interval) for histories that never stop
	// growing.
	DefaultMaxPolls = 5000
)

func newConfig(opts []Option) *config {
	c := &config{timeout: DefaultTimeout, maxPolls: DefaultMaxPolls}
	for _, o := range opts {
		o(c)
	}
	if c.rand == nil {
		var seed [32]byte
		_, _ = crand.Read(seed[:]) // never fails on supported platforms
		c.rand = rand.New(rand.NewChaCha8(seed))
	}
	return c
}

// WithIDs restricts Run to the given requirement ids.
func WithIDs(ids ...string) Option {
	return func(c *config) {
		if c.only == nil {
			c.only = map[string]bool{}
		}
		for _, id := range ids {
			c.only[id] = true
		}
	}
}

// WithTimeout bounds the wall-clock time of each requirement
// (DefaultTimeout otherwise).
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithSeed makes ${GEN_STR:N} variables reproducible.
func WithSeed(seed uint64) Option {
	return func(c *config) {
		var s [32]byte
		binary.LittleEndian.PutUint64(s[:], seed)
		c.rand = rand.New(rand.NewChaCha8(s))
	}
}

// WithStartTime sets the virtual clock's start for every execution.
func WithStartTime(t time.Time) Option { return func(c *config) { c.startTime = t } }

// WithMaxPolls bounds the async polling loop (DefaultMaxPolls otherwise).
func WithMaxPolls(n int) Option { return func(c *config) { c.maxPolls = n } }
