// Package orgview keeps a recent copy of the organisation for surfaces that
// show it on every page (the website's form and status page): reading it
// from the database costs several collection scans, and a copy a minute
// old is good enough to name a ward or a unit.
package orgview

import (
	"context"
	"sync"
	"time"

	"pakn.local/services/internal/feedback"
)

// Source reads the whole organisation (mongostore.Store).
type Source interface {
	Organisation(ctx context.Context) (feedback.Organisation, error)
}

// Cache is a copy of the organisation refreshed when older than its TTL.
// If a refresh fails, the old copy serves on; only the first read fails.
type Cache struct {
	src Source
	ttl time.Duration

	mu  sync.Mutex
	at  time.Time
	org *feedback.Organisation
}

// New returns a cache over src.
func New(src Source, ttl time.Duration) *Cache { return &Cache{src: src, ttl: ttl} }

// Organisation returns the cached organisation.
func (c *Cache) Organisation(ctx context.Context) (feedback.Organisation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.org != nil && time.Since(c.at) < c.ttl {
		return *c.org, nil
	}
	org, err := c.src.Organisation(ctx)
	if err != nil {
		if c.org != nil {
			return *c.org, nil
		}
		return feedback.Organisation{}, err
	}
	c.org, c.at = &org, time.Now()
	return org, nil
}

// Categories lists the categories.
func (c *Cache) Categories(ctx context.Context) ([]feedback.Category, error) {
	org, err := c.Organisation(ctx)
	return org.Categories, err
}

// Wards lists the wards.
func (c *Cache) Wards(ctx context.Context) ([]feedback.Ward, error) {
	org, err := c.Organisation(ctx)
	return org.Wards, err
}

// Units lists the units.
func (c *Cache) Units(ctx context.Context) ([]feedback.Unit, error) {
	org, err := c.Organisation(ctx)
	return org.Units, err
}
