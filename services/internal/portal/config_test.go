package portal_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"pakn.local/services/internal/portal"
)

func TestConfigFromEnv(t *testing.T) {
	cases := []struct {
		name     string
		env      map[string]string
		interval time.Duration
		err      error
	}{
		{"nothing set", nil, portal.DefaultPollInterval, nil},
		{"all set", map[string]string{
			"PAKN_PORTAL_SECRET":        "s3cr3t",
			"PAKN_PORTAL_FEED_URL":      "https://dichvucong.hochiminhcity.gov.vn/api/pakn/events?district=binh-tan",
			"PAKN_PORTAL_POLL_INTERVAL": "2m",
		}, 2 * time.Minute, nil},
		{"loopback http", map[string]string{"PAKN_PORTAL_FEED_URL": "http://127.0.0.1:9000/feed"}, portal.DefaultPollInterval, nil},
		{"plain http elsewhere", map[string]string{"PAKN_PORTAL_FEED_URL": "http://dichvucong.hochiminhcity.gov.vn/feed"}, 0, portal.ErrInvalidConfig},
		{"relative URL", map[string]string{"PAKN_PORTAL_FEED_URL": "api/feed"}, 0, portal.ErrInvalidConfig},
		{"interval without unit", map[string]string{"PAKN_PORTAL_POLL_INTERVAL": "30"}, 0, portal.ErrInvalidConfig},
		{"interval too short", map[string]string{"PAKN_PORTAL_POLL_INTERVAL": "1ms"}, 0, portal.ErrInvalidConfig},
		{"interval negative", map[string]string{"PAKN_PORTAL_POLL_INTERVAL": "-30s"}, 0, portal.ErrInvalidConfig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := portal.ConfigFromEnv(func(k string) string { return tc.env[k] })
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if err == nil && cfg.PollInterval != tc.interval {
				t.Fatalf("interval %s, want %s", cfg.PollInterval, tc.interval)
			}
		})
	}
}

func TestConfigLogsNoSecret(t *testing.T) {
	cfg := portal.Config{
		Secret:  []byte("whsec_do_not_log"),
		FeedURL: "https://pakn:feedpassword@dichvucong.hochiminhcity.gov.vn/feed",
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("portal", "config", cfg)
	out := buf.String()
	if strings.Contains(out, "whsec_do_not_log") || strings.Contains(out, "feedpassword") {
		t.Fatalf("secret in log: %s", out)
	}
	if !strings.Contains(out, "secret=set") {
		t.Fatalf("log does not say the secret is set: %s", out)
	}
}
