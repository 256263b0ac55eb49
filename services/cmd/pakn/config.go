package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"pakn.local/services/internal/hotline"
	"pakn.local/services/internal/portal"
	"pakn.local/services/internal/website"
)

// targets a process can run; "all" runs every service with embedded servers.
var targets = []string{"all", "hotline", "website", "citizenapp", "portal", "router", "desk", "notifier"}

// config is everything run reads from the environment (CONTRACT.md).
type config struct {
	Target            string
	Addr              string
	DataDir           string
	PublicURL         string
	NATSURL           string
	NATSReplicas      int
	MongoURI          string
	MongoDB           string
	TwilioAccountSID  string
	TwilioAuthToken   string
	TwilioFrom        string
	TwilioAPIURL      string
	AppTokens         []string
	AppCallbackURL    string
	AppCallbackSecret string
	PortalSecret      string
	PortalCallbackURL string
	Portal            portal.Config
	Hotline           hotline.Config
	Website           website.Config
	WebsiteSecretMade bool // no PAKN_WEBSITE_SECRET: one was made for this process
	DemoPassword      string
	LogLevel          slog.Level
}

func loadConfig(target string, getenv func(string) string) (config, error) {
	env := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := config{
		Target:            target,
		Addr:              env("PAKN_ADDR", ":8080"),
		DataDir:           env("PAKN_DATA_DIR", "./data"),
		PublicURL:         strings.TrimRight(env("PAKN_PUBLIC_URL", "http://localhost:8080"), "/"),
		NATSURL:           env("NATS_URL", ""),
		NATSReplicas:      1,
		MongoURI:          env("MONGO_URI", ""),
		MongoDB:           env("MONGO_DB", "pakn"),
		TwilioAccountSID:  env("TWILIO_ACCOUNT_SID", ""),
		TwilioAuthToken:   env("TWILIO_AUTH_TOKEN", ""),
		TwilioFrom:        env("TWILIO_FROM", ""),
		TwilioAPIURL:      env("TWILIO_API_URL", ""),
		AppCallbackURL:    env("PAKN_APP_CALLBACK_URL", ""),
		AppCallbackSecret: env("PAKN_APP_CALLBACK_SECRET", ""),
		PortalSecret:      env("PAKN_PORTAL_SECRET", ""),
		PortalCallbackURL: env("PAKN_PORTAL_CALLBACK_URL", ""),
		DemoPassword:      env("PAKN_DEMO_PASSWORD", ""),
	}
	for _, t := range strings.Split(getenv("PAKN_APP_TOKENS"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			c.AppTokens = append(c.AppTokens, t)
		}
	}
	if c.AppCallbackSecret == "" && len(c.AppTokens) > 0 {
		// The app backend already shares its token with PAKN; unless told
		// otherwise, callbacks are signed with the first one.
		c.AppCallbackSecret = c.AppTokens[0]
	}
	if r := env("PAKN_NATS_REPLICAS", ""); r != "" {
		if _, err := fmt.Sscan(r, &c.NATSReplicas); err != nil || c.NATSReplicas < 1 || c.NATSReplicas > 5 {
			return c, fmt.Errorf("PAKN_NATS_REPLICAS must be 1..5, got %q", r)
		}
	}
	var err error
	if c.Portal, err = portal.ConfigFromEnv(getenv); err != nil {
		return c, err
	}
	c.Portal.Replicas = c.NATSReplicas
	if c.Website, c.WebsiteSecretMade, err = website.ConfigFromEnv(getenv); err != nil {
		return c, err
	}
	c.Hotline = hotline.ConfigFromEnv(getenv)
	c.Hotline.PublicURL = c.PublicURL
	if err := c.LogLevel.UnmarshalText([]byte(env("PAKN_LOG_LEVEL", "info"))); err != nil {
		return c, fmt.Errorf("PAKN_LOG_LEVEL: %w", err)
	}
	return c, c.validate()
}

func (c config) validate() error {
	var errs []error
	known := false
	for _, t := range targets {
		known = known || t == c.Target
	}
	if !known {
		errs = append(errs, fmt.Errorf("-target %q: want one of %s", c.Target, strings.Join(targets, ", ")))
	}
	if err := c.Hotline.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.AppCallbackURL != "" && c.AppCallbackSecret == "" {
		errs = append(errs, errors.New("PAKN_APP_CALLBACK_URL needs PAKN_APP_CALLBACK_SECRET or PAKN_APP_TOKENS to sign with"))
	}
	if c.PortalCallbackURL != "" && c.PortalSecret == "" {
		errs = append(errs, errors.New("PAKN_PORTAL_CALLBACK_URL needs PAKN_PORTAL_SECRET to sign with"))
	}
	if known && c.Target != "all" && (c.NATSURL == "" || c.MongoURI == "") {
		// A lone service shares NATS and MongoDB with the others; embedded
		// servers would be private to it.
		errs = append(errs, fmt.Errorf("-target %s needs NATS_URL and MONGO_URI", c.Target))
	}
	for k, v := range map[string]string{"PAKN_PUBLIC_URL": c.PublicURL, "TWILIO_API_URL": c.TwilioAPIURL,
		"PAKN_APP_CALLBACK_URL": c.AppCallbackURL, "PAKN_PORTAL_CALLBACK_URL": c.PortalCallbackURL} {
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("%s must be an http(s) URL, got %q", k, v))
		}
	}
	return errors.Join(errs...)
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "***"
}

// logValue lists the configuration with every secret masked.
func (c config) logAttrs() []any {
	return []any{
		"target", c.Target, "addr", c.Addr, "data_dir", c.DataDir, "public_url", c.PublicURL,
		"nats", orEmbedded(c.NATSURL), "mongo", orEmbedded(redactURI(c.MongoURI)), "mongo_db", c.MongoDB,
		"twilio_account", c.TwilioAccountSID, "twilio_token", mask(c.TwilioAuthToken), "twilio_from", c.TwilioFrom,
		"twilio_api", c.TwilioAPIURL, "app_tokens", len(c.AppTokens), "app_callback", c.AppCallbackURL, "app_callback_secret", mask(c.AppCallbackSecret),
		"portal", c.Portal, "portal_callback", c.PortalCallbackURL,
		"demo_password", mask(c.DemoPassword),
	}
}

func orEmbedded(s string) string {
	if s == "" {
		return "embedded"
	}
	return s
}

// redactURI hides a password in a connection string.
func redactURI(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxx")
	}
	return u.String()
}
