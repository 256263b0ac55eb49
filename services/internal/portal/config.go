package portal

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"time"
)

// ErrInvalidConfig is returned, wrapped, for a configuration value that the
// portal adapter cannot work with.
var ErrInvalidConfig = errors.New("portal: invalid configuration")

// DefaultPollInterval is how often the poller asks the feed for new events
// when PAKN_PORTAL_POLL_INTERVAL is not set.
const DefaultPollInterval = 30 * time.Second

// Config is the portal adapter's configuration. Its zero value is a portal
// surface that refuses every push and has no poller.
type Config struct {
	// Secret is PAKN_PORTAL_SECRET, the HMAC key shared with the city portal.
	// Empty: every push is refused with 503 not_configured.
	Secret []byte
	// FeedURL is PAKN_PORTAL_FEED_URL, the portal's event feed. Empty: no
	// poller. https, or http to a loopback host (a stand-in on this machine);
	// user:password in it is sent as HTTP Basic authentication.
	FeedURL string
	// PollInterval is PAKN_PORTAL_POLL_INTERVAL (a Go duration, "30s").
	PollInterval time.Duration
	// Replicas of the poller's cursor bucket: 1 on the embedded server, 3 on a
	// cluster. Set by whoever knows the NATS deployment; 0 means 1.
	Replicas int
}

// ConfigFromEnv reads the portal's variables through getenv and validates them.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		Secret:       []byte(getenv("PAKN_PORTAL_SECRET")),
		FeedURL:      getenv("PAKN_PORTAL_FEED_URL"),
		PollInterval: DefaultPollInterval,
	}
	if s := getenv("PAKN_PORTAL_POLL_INTERVAL"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			return Config{}, fmt.Errorf("%w: PAKN_PORTAL_POLL_INTERVAL %q: %v", ErrInvalidConfig, s, err)
		}
		cfg.PollInterval = d
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// Validate checks the values that are set; an empty secret or feed URL is
// valid and switches that half of the adapter off.
func (c Config) Validate() error {
	if c.PollInterval != 0 && (c.PollInterval < 100*time.Millisecond || c.PollInterval > 24*time.Hour) {
		return fmt.Errorf("%w: poll interval %s is not between 100ms and 24h", ErrInvalidConfig, c.PollInterval)
	}
	if c.Replicas < 0 || c.Replicas > 5 {
		return fmt.Errorf("%w: replicas %d", ErrInvalidConfig, c.Replicas)
	}
	if c.FeedURL != "" {
		if _, err := parseFeedURL(c.FeedURL); err != nil {
			return err
		}
	}
	return nil
}

// LogValue shows whether the secret is set, never the secret, and the feed
// URL without its password.
func (c Config) LogValue() slog.Value {
	secret := "unset"
	if len(c.Secret) > 0 {
		secret = "set"
	}
	feed := "unset"
	if u, err := url.Parse(c.FeedURL); err == nil && c.FeedURL != "" {
		feed = u.Redacted()
	} else if c.FeedURL != "" {
		feed = "invalid"
	}
	return slog.GroupValue(
		slog.String("secret", secret),
		slog.String("feed_url", feed),
		slog.Duration("poll_interval", c.pollInterval()),
	)
}

func (c Config) pollInterval() time.Duration {
	if c.PollInterval == 0 {
		return DefaultPollInterval
	}
	return c.PollInterval
}

func (c Config) replicas() int { return max(c.Replicas, 1) }

// parseFeedURL insists on https: the feed is not signed, so the transport
// is what vouches for it. Plain http is allowed only to this machine.
func parseFeedURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: PAKN_PORTAL_FEED_URL is not an absolute URL", ErrInvalidConfig)
	}
	switch u.Scheme {
	case "https":
	case "http":
		host := u.Hostname()
		ip := net.ParseIP(host)
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("%w: PAKN_PORTAL_FEED_URL must be https (http only to a loopback host)", ErrInvalidConfig)
		}
	default:
		return nil, fmt.Errorf("%w: PAKN_PORTAL_FEED_URL must be https", ErrInvalidConfig)
	}
	if u.Fragment != "" {
		return nil, fmt.Errorf("%w: PAKN_PORTAL_FEED_URL has a fragment", ErrInvalidConfig)
	}
	return u, nil
}
