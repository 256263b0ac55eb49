package website

import (
	"net/netip"
	"sync"
	"time"
)

// limiter is a token bucket per client address, in memory: each address may
// send `burst` submissions at once and then one every per/burst. Several
// website processes each keep their own buckets, which is good enough
// against a flood from one address; it is not a quota.
type limiter struct {
	mu        sync.Mutex
	burst     float64
	rate      float64 // tokens per second
	buckets   map[netip.Addr]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds memory under a flood from many addresses; past it, full
// buckets are dropped first (they hold nothing a fresh bucket would not).
const maxBuckets = 100_000

func newLimiter(burst int, per time.Duration) *limiter {
	return &limiter{
		burst:   float64(burst),
		rate:    float64(burst) / per.Seconds(),
		buckets: make(map[netip.Addr]*bucket),
	}
}

// allow takes a token for addr if one is left, and otherwise says how long
// until the next one.
func (l *limiter) allow(addr netip.Addr, now time.Time) (bool, time.Duration) {
	addr = clientKey(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute || len(l.buckets) >= maxBuckets {
		l.sweep(now)
	}
	b, ok := l.buckets[addr]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[addr] = b
	}
	if el := now.Sub(b.at).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
	}
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// sweep drops the buckets that have refilled: forgetting them changes nothing.
func (l *limiter) sweep(now time.Time) {
	l.lastSweep = now
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		// Still full of active addresses: start over rather than grow
		// without bound. A flood that large is not stopped here anyway.
		clear(l.buckets)
	}
}

// clientKey groups IPv6 addresses by /64, the block one subscriber gets, so
// that one household cannot dodge the limit by changing its host bits.
func clientKey(a netip.Addr) netip.Addr {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.Addr()
	}
	return a
}
