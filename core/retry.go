package durable

import (
	"errors"
	"math"
	"math/rand/v2"
	"regexp"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// RetryDecision is a retry strategy's answer for a failed attempt.
type RetryDecision struct {
	ShouldRetry bool
	Delay       time.Duration // rounded up to whole seconds, at least 1 s
}

// RetryStrategy decides whether a failed step attempt is retried.
// attempt is the 1-based number of the attempt that just failed.
type RetryStrategy func(err error, attempt int) RetryDecision

// Jitter spreads retry delays (protocol §7.2).
type Jitter int

// Jitter modes.
const (
	JitterFull Jitter = iota // random in [0, delay)
	JitterNone               // exactly delay
	JitterHalf               // delay/2 + random in [0, delay/2)
)

// RetryConfig configures ExponentialRetry. Zero fields take the defaults of
// the exponential helper: 3 attempts, 5 s initial delay, 300 s max delay,
// backoff 2, full jitter.
type RetryConfig struct {
	MaxAttempts  int
	InitialDelay time.Duration
	MaxDelay     time.Duration
	BackoffRate  float64
	Jitter       Jitter
	// RetryableErrors, when set with RetryableErrorTypes, limits retries to
	// errors whose message matches one of these patterns.
	RetryableErrors []*regexp.Regexp
	// RetryableErrorTypes limits retries to errors matching one of these
	// (errors.Is against each).
	RetryableErrorTypes []error
	// RetryableTypeNames limits retries to errors whose ErrorType (see
	// ErrorObjectOf) is one of these names.
	RetryableTypeNames []string
}

// ExponentialRetry returns a strategy with exponential backoff:
// delay = min(initial * backoff^(attempt-1), max), jittered, at least 1 s.
// Without retryable errors in cfg it retries every error but
// ErrPayloadTooLarge (a step result too large to store: the body succeeded,
// and running it again would repeat its effects for a result as large).
func ExponentialRetry(cfg RetryConfig) RetryStrategy {
	b := newBackoff(cfg.MaxAttempts, cfg.InitialDelay, cfg.MaxDelay, cfg.BackoffRate, cfg.Jitter, backoff{
		maxAttempts: 3, initial: 5 * time.Second, max: 300 * time.Second, rate: 2,
	})
	return func(err error, attempt int) RetryDecision {
		if attempt >= b.maxAttempts || !cfg.retryable(err) {
			return RetryDecision{}
		}
		return RetryDecision{ShouldRetry: true, Delay: b.delay(attempt)}
	}
}

// backoff is the exponential schedule shared by retry and wait strategies.
type backoff struct {
	maxAttempts  int
	initial, max time.Duration
	rate         float64
	jitter       Jitter
}

// newBackoff takes the configured values, zero ones from defaults.
func newBackoff(maxAttempts int, initial, max time.Duration, rate float64, j Jitter, defaults backoff) backoff {
	b := defaults
	b.jitter = j
	if maxAttempts != 0 {
		b.maxAttempts = maxAttempts
	}
	if initial != 0 {
		b.initial = initial
	}
	if max != 0 {
		b.max = max
	}
	if rate != 0 {
		b.rate = rate
	}
	return b
}

// delay is min(initial * rate^(attempt-1), max), jittered, at least 1 s.
func (b backoff) delay(attempt int) time.Duration {
	base := math.Min(b.initial.Seconds()*math.Pow(b.rate, float64(attempt-1)), b.max.Seconds())
	return wholeSeconds(jitter(b.jitter, base))
}

func (cfg *RetryConfig) retryable(err error) bool {
	if len(cfg.RetryableErrors) == 0 && len(cfg.RetryableErrorTypes) == 0 && len(cfg.RetryableTypeNames) == 0 {
		return retriedByDefault(err)
	}
	for _, re := range cfg.RetryableErrors {
		if re.MatchString(err.Error()) {
			return true
		}
	}
	for _, target := range cfg.RetryableErrorTypes {
		if errors.Is(err, target) {
			return true
		}
	}
	name := protocol.ErrorObjectOf(err).ErrorType
	for _, n := range cfg.RetryableTypeNames {
		if n == name {
			return true
		}
	}
	return false
}

func jitter(j Jitter, base float64) float64 {
	switch j {
	case JitterNone:
		return base
	case JitterHalf:
		return base/2 + rand.Float64()*base/2
	default:
		return rand.Float64() * base
	}
}

func wholeSeconds(s float64) time.Duration {
	return time.Duration(math.Max(1, math.Ceil(s))) * time.Second
}

// Retry presets of protocol §7.2.
var (
	// DefaultRetry is used by steps without a strategy: 6 attempts, 5 s
	// initial delay, 60 s max, backoff 2, full jitter.
	DefaultRetry = ExponentialRetry(RetryConfig{MaxAttempts: 6, InitialDelay: 5 * time.Second, MaxDelay: 60 * time.Second, BackoffRate: 2})
	// NoRetry never retries.
	NoRetry RetryStrategy = func(error, int) RetryDecision { return RetryDecision{} }
	// TransientRetry: 3 attempts, 5 s, 300 s max, backoff 2, half jitter.
	TransientRetry = ExponentialRetry(RetryConfig{MaxAttempts: 3, Jitter: JitterHalf})
	// ResourceAvailabilityRetry: 5 attempts, 5 s, 300 s max, backoff 2, full jitter.
	ResourceAvailabilityRetry = ExponentialRetry(RetryConfig{MaxAttempts: 5})
	// CriticalRetry: 10 attempts, 1 s, 60 s max, backoff 1.5, no jitter.
	CriticalRetry = ExponentialRetry(RetryConfig{MaxAttempts: 10, InitialDelay: time.Second, MaxDelay: 60 * time.Second, BackoffRate: 1.5, Jitter: JitterNone})
	// FixedRetry: 5 attempts, 5 s apart.
	FixedRetry = ExponentialRetry(RetryConfig{MaxAttempts: 5, InitialDelay: 5 * time.Second, MaxDelay: 5 * time.Second, BackoffRate: 1, Jitter: JitterNone})
	// LinearRetry: 6 attempts, delays 1 s, 2 s, 3 s, ... up to 300 s.
	LinearRetry RetryStrategy = func(err error, attempt int) RetryDecision {
		if attempt >= 6 || !retriedByDefault(err) {
			return RetryDecision{}
		}
		return RetryDecision{ShouldRetry: true, Delay: min(time.Duration(attempt)*time.Second, 300*time.Second)}
	}
)

// retriedByDefault reports whether a strategy of this package retries err
// when its configuration names no retryable errors: every error but a
// result too large to store (ErrPayloadTooLarge), whose body succeeded:
// running it again would repeat its effects for a result as large. A
// configuration that names ErrPayloadTooLarge retries it.
func retriedByDefault(err error) bool { return !errors.Is(err, ErrPayloadTooLarge) }
