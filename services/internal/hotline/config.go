package hotline

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// ErrInvalidConfig is returned, wrapped, by Config.Validate for a bad setting.
var ErrInvalidConfig = errors.New("hotline: invalid config")

// DefaultPublicURL is PAKN_PUBLIC_URL when it is not set (CONTRACT.md).
const DefaultPublicURL = "http://localhost:8080"

// DefaultSubmitTimeout bounds how long a webhook waits for NATS before it
// spools the item: Twilio gives a webhook 15 s, and the caller is waiting.
const DefaultSubmitTimeout = 4 * time.Second

// Config is the hotline's part of PAKN's environment.
type Config struct {
	AccountSID string // TWILIO_ACCOUNT_SID: only webhooks of this account are taken
	AuthToken  string // TWILIO_AUTH_TOKEN: signs webhooks, authenticates REST calls
	From       string // TWILIO_FROM: the hotline's number, sender of outgoing SMS
	PublicURL  string // PAKN_PUBLIC_URL: the base URL Twilio calls (and signs)
	APIURL     string // TWILIO_API_URL: empty for Twilio's own REST API
	// SubmitTimeout bounds one Submit in a webhook; 0 means DefaultSubmitTimeout.
	SubmitTimeout time.Duration
}

// ConfigFromEnv reads the hotline's variables through getenv.
func ConfigFromEnv(getenv func(string) string) Config {
	c := Config{
		AccountSID: strings.TrimSpace(getenv("TWILIO_ACCOUNT_SID")),
		AuthToken:  strings.TrimSpace(getenv("TWILIO_AUTH_TOKEN")),
		From:       strings.TrimSpace(getenv("TWILIO_FROM")),
		PublicURL:  strings.TrimSpace(getenv("PAKN_PUBLIC_URL")),
		APIURL:     strings.TrimSpace(getenv("TWILIO_API_URL")),
	}
	if c.PublicURL == "" {
		c.PublicURL = DefaultPublicURL
	}
	return c
}

// SpoolDir is where the hotline keeps items that NATS could not take yet.
func SpoolDir(dataDir string) string { return filepath.Join(dataDir, "hotline-spool") }

var (
	accountSIDRe = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	// The REST client refuses credentials that are not alphanumeric.
	alnumRe = regexp.MustCompile(`^[A-Za-z0-9]+$`)
)

// Configured reports whether the Twilio account is set. Without it every
// Twilio route answers 503 "not configured"; the operators' route still works.
func (c Config) Configured() bool {
	return c.AccountSID != "" && c.AuthToken != "" && c.From != ""
}

// Validate checks the settings. An unconfigured Twilio account is valid (the
// hotline is then switched off); a half-configured one is not.
func (c Config) Validate() error {
	if _, err := parseBaseURL(c.PublicURL); err != nil {
		return fmt.Errorf("%w: PAKN_PUBLIC_URL: %v", ErrInvalidConfig, err)
	}
	if c.APIURL != "" {
		if _, err := parseBaseURL(c.APIURL); err != nil {
			return fmt.Errorf("%w: TWILIO_API_URL: %v", ErrInvalidConfig, err)
		}
	}
	set := 0
	for _, v := range []string{c.AccountSID, c.AuthToken, c.From} {
		if v != "" {
			set++
		}
	}
	switch {
	case set == 0:
		return nil
	case set < 3:
		return fmt.Errorf("%w: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM go together", ErrInvalidConfig)
	case !accountSIDRe.MatchString(c.AccountSID):
		return fmt.Errorf("%w: TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits", ErrInvalidConfig)
	case !alnumRe.MatchString(c.AuthToken):
		return fmt.Errorf("%w: TWILIO_AUTH_TOKEN must be letters and digits", ErrInvalidConfig)
	case toPhone(c.From) == "":
		return fmt.Errorf("%w: TWILIO_FROM must be a phone number in E.164 form", ErrInvalidConfig)
	}
	return nil
}

// LogValue shows the settings with the token masked.
func (c Config) LogValue() slog.Value {
	token := ""
	if c.AuthToken != "" {
		token = "****"
	}
	return slog.GroupValue(
		slog.String("account_sid", c.AccountSID),
		slog.String("auth_token", token),
		slog.String("from", c.From),
		slog.String("public_url", c.PublicURL),
		slog.String("api_url", c.APIURL),
	)
}

func (c Config) submitTimeout() time.Duration {
	if c.SubmitTimeout > 0 {
		return c.SubmitTimeout
	}
	return DefaultSubmitTimeout
}

// publicBase is the public URL without a trailing slash, so that base+path
// is exactly the URL Twilio requested.
func (c Config) publicBase() string { return strings.TrimRight(c.PublicURL, "/") }

func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q is not an http(s) base URL", s)
	}
	return u, nil
}
