// Package website is the district's own feedback form: a server-rendered
// page (Vietnamese first, English on request) that works without
// JavaScript, takes a report with up to three photos, publishes it through
// the intake and tells the citizen a tracking code; and the page where
// anyone holding a code follows its status and reads the public answers.
//
// It imports the domain, internal/web and internal/metrics, and reaches
// NATS and MongoDB only through the small interfaces below.
package website

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
)

// Defaults for Config.
const (
	DefaultRateLimit = 5              // submissions per minute per client address
	DefaultTokenTTL  = 24 * time.Hour // how long a rendered form may wait before it is sent
	MinSecretBytes   = 32
)

// ErrInvalidConfig is returned, wrapped, for a Config that cannot work.
var ErrInvalidConfig = errors.New("website: invalid config")

// Config is what the website needs from the environment.
type Config struct {
	// PublicURL is PAKN_PUBLIC_URL; photo links in items are PublicURL + "/files/<id>".
	PublicURL string
	// Secret keys the form tokens (HMAC-SHA256) and photo ids; at least
	// MinSecretBytes. Every website process of one deployment shares it.
	Secret []byte
	// RateLimit is how many submissions one client address may make per
	// minute (a token bucket that also allows that many at once). 0: DefaultRateLimit.
	RateLimit int
	// TokenTTL is how long a form stays valid after it was rendered. 0: DefaultTokenTTL.
	TokenTTL time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed. Empty: the TCP peer is the client.
	TrustedProxies []*net.IPNet
	// Now is the clock; nil: time.Now. Tests move it to expire tokens.
	Now func() time.Time
}

// ConfigFromEnv reads the website's settings through getenv:
// PAKN_PUBLIC_URL, PAKN_WEBSITE_SECRET (at least 32 bytes; empty: a random
// one for this process only, so forms do not survive a restart and several
// website processes would reject each other's forms), PAKN_WEBSITE_RATE_LIMIT
// (submissions per minute per address) and PAKN_TRUSTED_PROXIES (comma
// separated CIDRs). generated reports whether the secret was made up here,
// so that the caller can warn.
func ConfigFromEnv(getenv func(string) string) (cfg Config, generated bool, err error) {
	cfg.PublicURL = getenv("PAKN_PUBLIC_URL")
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://localhost:8080"
	}
	if s := getenv("PAKN_WEBSITE_SECRET"); s != "" {
		cfg.Secret = []byte(s)
	} else {
		cfg.Secret = randomBytes(MinSecretBytes)
		generated = true
	}
	if s := getenv("PAKN_WEBSITE_RATE_LIMIT"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return cfg, generated, fmt.Errorf("%w: PAKN_WEBSITE_RATE_LIMIT=%q: want a positive integer", ErrInvalidConfig, s)
		}
		cfg.RateLimit = n
	}
	for _, s := range strings.Split(getenv("PAKN_TRUSTED_PROXIES"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return cfg, generated, fmt.Errorf("%w: PAKN_TRUSTED_PROXIES: %v", ErrInvalidConfig, err)
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, n)
	}
	return cfg, generated, cfg.validate()
}

func (c *Config) validate() error {
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: PublicURL %q must be an absolute http(s) URL", ErrInvalidConfig, c.PublicURL)
	}
	if len(c.Secret) < MinSecretBytes {
		return fmt.Errorf("%w: Secret must be at least %d bytes", ErrInvalidConfig, MinSecretBytes)
	}
	if c.RateLimit < 0 || c.TokenTTL < 0 {
		return fmt.Errorf("%w: negative RateLimit or TokenTTL", ErrInvalidConfig)
	}
	return nil
}

func (c Config) withDefaults() Config {
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.RateLimit == 0 {
		c.RateLimit = DefaultRateLimit
	}
	if c.TokenTTL == 0 {
		c.TokenTTL = DefaultTokenTTL
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Intake takes items and hands out tracking codes. *natsbus.Intake implements it.
type Intake interface {
	// Submit publishes an item and returns its code once JetStream has it.
	Submit(ctx context.Context, it *feedback.Item) (feedback.TrackingCode, error)
	// Known reports whether a code was handed out, routed or not.
	Known(ctx context.Context, code feedback.TrackingCode) (bool, error)
}

// OrgReader is the part of the organisation the pages show. The lead's
// store implements it; reads are on every page view, so it should answer
// from memory (the organisation is a few hundred small documents).
type OrgReader interface {
	Categories(ctx context.Context) ([]feedback.Category, error)
	Wards(ctx context.Context) ([]feedback.Ward, error)
	Units(ctx context.Context) ([]feedback.Unit, error) // for the unit's name on the status page
}

// TicketReader finds a routed ticket. *mongostore.Store implements it; a
// missing ticket is an error with code feedback.ENOTFOUND.
type TicketReader interface {
	Ticket(ctx context.Context, code feedback.TrackingCode) (*feedback.Ticket, error)
}

// Files keeps the photos. *Uploads (a JetStream object store) implements it.
type Files interface {
	Put(ctx context.Context, id, contentType string, data []byte) error
	// Open returns the photo and its content type; feedback.ENOTFOUND if absent.
	Open(ctx context.Context, id string) (body io.ReadCloser, contentType string, size int64, err error)
}

// server holds what the handlers share; each handler maker takes only the
// parts it uses.
type server struct {
	cfg     Config
	log     *slog.Logger
	m       *metrics.Metrics
	intake  Intake
	files   Files
	org     OrgReader
	tickets TicketReader
	views   *views
	tokens  *tokens
	limiter *limiter
	origins *http.CrossOriginProtection
}

// NewServer returns the website's handler: the form at "/", the status pages
// under "/track", photos under "/files" and the style sheet under "/static".
// It is meant to be mounted at the root of the public host.
func NewServer(cfg Config, log *slog.Logger, m *metrics.Metrics, intake Intake, files Files, org OrgReader, tickets TicketReader) (http.Handler, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if intake == nil || files == nil || org == nil || tickets == nil {
		return nil, fmt.Errorf("%w: intake, files, org and tickets are all required", ErrInvalidConfig)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	v, err := newViews()
	if err != nil {
		return nil, err
	}
	origins := http.NewCrossOriginProtection()
	if err := origins.AddTrustedOrigin(publicOrigin(cfg.PublicURL)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidConfig, err)
	}
	s := &server{
		cfg: cfg, log: log, m: m, intake: intake, files: files, org: org, tickets: tickets,
		views:   v,
		tokens:  &tokens{secret: cfg.Secret, ttl: cfg.TokenTTL},
		limiter: newLimiter(cfg.RateLimit, time.Minute),
		origins: origins,
	}
	return s.routes(), nil
}

func publicOrigin(publicURL string) string {
	u, _ := url.Parse(publicURL) // validated
	return u.Scheme + "://" + u.Host
}
