package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"pakn.local/services/internal/admin"
	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/callback"
	"pakn.local/services/internal/citizenapp"
	"pakn.local/services/internal/desk"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/hotline"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/natsbus"
	"pakn.local/services/internal/notifier"
	"pakn.local/services/internal/orgview"
	"pakn.local/services/internal/outbox"
	"pakn.local/services/internal/portal"
	"pakn.local/services/internal/router"
	"pakn.local/services/internal/web"
	"pakn.local/services/internal/website"
)

// app is what one process runs: its HTTP handler, its consumers and its
// background loops.
type app struct {
	handler http.Handler
	workers []*natsbus.Worker
	subs    []*nats.Subscription
	cancel  context.CancelFunc
	bg      sync.WaitGroup
}

// Consumers: how often a message is tried and how long to wait between tries.
var (
	// A routing decision takes milliseconds; AckWait bounds how long the
	// items in hand of a crashed router wait before another takes them.
	routerWorker = natsbus.WorkerConfig{
		Stream: natsbus.IntakeStream, Durable: "router", MaxAttempts: 8, Concurrency: 4, AckWait: 10 * time.Second,
		Backoff: []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 15 * time.Second, 30 * time.Second, time.Minute},
	}
	// Citizens' callbacks are retried for hours: an app or portal outage
	// must not lose an answer.
	notifierWorker = natsbus.WorkerConfig{
		Stream: natsbus.TicketStream, Durable: "notifier", MaxAttempts: 40, Concurrency: 4, AckWait: 30 * time.Second,
		Backoff: []time.Duration{2 * time.Second, 5 * time.Second, 15 * time.Second, time.Minute, 5 * time.Minute, 10 * time.Minute},
	}
)

func (a *app) goBackground(fn func()) {
	a.bg.Add(1)
	go func() { defer a.bg.Done(); fn() }()
}

// stop drains the consumers, then ends the background loops.
func (a *app) stop(log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, s := range a.subs {
		_ = s.Unsubscribe()
	}
	for _, w := range a.workers {
		w.Drain(ctx)
	}
	a.cancel()
	a.bg.Wait()
	log.Info("consumers drained")
}

func assemble(ctx context.Context, cfg config, inf *infra, log *slog.Logger, loc *time.Location, stdout io.Writer) (_ *app, err error) {
	bgctx, cancel := context.WithCancel(context.Background())
	a := &app{cancel: cancel}
	defer func() {
		if err != nil {
			a.stop(log)
		}
	}()
	runs := func(services ...string) bool { return cfg.Target == "all" || slices.Contains(services, cfg.Target) }
	m := metrics.New()
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", web.Healthz())
	mux.Handle("GET /readyz", web.Readyz([]web.Check{
		{Name: "nats", Fn: func(ctx context.Context) error { return natsbus.Ready(ctx, inf.js) }},
		{Name: "mongodb", Fn: inf.store.Ping},
	}))
	mux.Handle("GET /metrics", m.Handler())

	if runs("router", "desk") {
		if err := ensureSeeded(ctx, inf.store, cfg.DemoPassword, stdout, log); err != nil {
			return nil, err
		}
	}
	relay := outbox.New(inf.store, natsbus.NewEvents(inf.js), log)

	var intake *natsbus.Intake
	if runs("hotline", "website", "citizenapp", "portal") {
		if intake, err = natsbus.NewIntake(ctx, inf.js); err != nil {
			return nil, err
		}
	}
	if runs("citizenapp") {
		mux.Handle("/app/", citizenapp.NewServer(citizenapp.Config{Tokens: cfg.AppTokens},
			citizenapp.Deps{Log: log, Metric: m, Intake: intake, Tickets: inf.store, Ratings: inf.store, Outbox: relay, Loc: loc}))
	}
	if runs("portal") {
		mux.Handle("/portal/", portal.NewServer(cfg.Portal, log, m, intake))
		if cfg.Portal.FeedURL != "" {
			p, err := portal.NewPoller(ctx, cfg.Portal, log, m, inf.js, intake, nil)
			if err != nil {
				return nil, err
			}
			a.goBackground(func() { _ = p.Run(bgctx) })
		}
	}
	fresh := make([]byte, 32)
	_, _ = rand.Read(fresh)
	key, err := inf.store.SigningKey(ctx, "desk-tokens", fresh)
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokens(key, nil)
	if err != nil {
		return nil, err
	}
	var sms *hotline.SMS
	if cfg.Hotline.Configured() {
		if sms, err = hotline.NewSMS(cfg.Hotline); err != nil {
			return nil, err
		}
	}
	if runs("hotline") {
		spool, err := hotline.NewSpool(hotline.SpoolConfig{Dir: hotline.SpoolDir(cfg.DataDir), PublicURL: cfg.PublicURL},
			intake, sms, log, m)
		if err != nil {
			return nil, err
		}
		a.goBackground(func() { _ = spool.Run(bgctx) })
		operators := desk.SignIn{Tokens: tokens, Store: inf.store,
			Roles: []feedback.Role{feedback.RoleOperator, feedback.RoleCoordinator}}
		mux.Handle("/hotline/", hotline.NewServer(cfg.Hotline, log, m, intake, spool, operators))
	}
	if runs("desk") {
		h := desk.NewServer(desk.Deps{Log: log, Metric: m, Store: inf.store, Outbox: relay, Tokens: tokens, Loc: loc})
		mux.Handle("/desk/", h)
		mux.Handle("/desk", h)
		mux.Handle("/admin/", admin.NewServer(admin.Deps{Log: log, Metric: m, Store: inf.store, Tokens: tokens,
			Notifier: admin.NewNATSNotifier(inf.nc), JS: inf.js, Loc: loc}))
	}
	if runs("website") {
		if cfg.WebsiteSecretMade {
			log.Warn("PAKN_WEBSITE_SECRET is not set: forms open before a restart, or served by another website process, will be refused")
		}
		uploads, err := website.OpenUploads(ctx, inf.js, cfg.NATSReplicas)
		if err != nil {
			return nil, err
		}
		h, err := website.NewServer(cfg.Website, log, m, intake, uploads, orgview.New(inf.store, time.Minute), inf.store)
		if err != nil {
			return nil, err
		}
		mux.Handle("/", h)
	}
	if runs("router") {
		r := router.New(inf.store, relay, log, m, loc, nil)
		if err := retry(ctx, 30*time.Second, r.Reload); err != nil {
			return nil, fmt.Errorf("router: loading the organisation: %w", err)
		}
		// Not fatal: the first item reads what this could not.
		wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		if err := r.Warm(wctx); err != nil {
			log.Warn("router: reading the staff and the open tickets ahead failed; the first item will", "err", err)
		}
		cancel()
		a.goBackground(func() { r.RunReload(bgctx, 30*time.Second) })
		// An edit of the organisation takes effect at once where announced.
		sub, err := inf.nc.Subscribe(natsbus.OrgChangedSubject, func(*nats.Msg) {
			if err := r.Reload(bgctx); err != nil {
				log.Warn("reloading the organisation after a change failed", "err", err)
			}
		})
		if err != nil {
			return nil, err
		}
		a.subs = append(a.subs, sub)
		a.goBackground(func() { relay.Run(bgctx, time.Minute) }) // a sweep scans the open tickets: leftovers of a stop only
		w, err := natsbus.StartWorker(ctx, inf.js, routerWorker, log, r.Handle,
			func(string) { m.ItemsFailed.WithLabelValues("dead_letter").Inc() })
		if err != nil {
			return nil, err
		}
		a.workers = append(a.workers, w)
	}
	if runs("notifier") {
		n := notifier.New(deliverers(cfg, sms, loc, log), log, m)
		w, err := natsbus.StartWorker(ctx, inf.js, notifierWorker, log, n.Handle,
			func(string) { m.ItemsFailed.WithLabelValues("notify").Inc() })
		if err != nil {
			return nil, err
		}
		a.workers = append(a.workers, w)
	}
	a.handler = mux
	return a, nil
}

// deliverers names how each channel's citizens hear back; a channel whose
// partner is not configured is left out (the website needs nothing sent).
func deliverers(cfg config, sms *hotline.SMS, loc *time.Location, log *slog.Logger) map[feedback.Channel]notifier.Deliverer {
	out := map[feedback.Channel]notifier.Deliverer{}
	if sms != nil {
		out[feedback.ChannelHotline] = notifier.NewSMS(sms, cfg.PublicURL, loc)
	}
	if cfg.AppCallbackURL != "" {
		out[feedback.ChannelCitizenApp] = notifier.NewCallbacks(
			callback.New(cfg.AppCallbackURL, []byte(cfg.AppCallbackSecret), "X-PAKN-Signature", nil), loc)
	}
	if cfg.PortalCallbackURL != "" {
		out[feedback.ChannelPortal] = notifier.NewPortalAnswers(
			callback.New(cfg.PortalCallbackURL, []byte(cfg.PortalSecret), "X-Portal-Signature", nil), loc)
	}
	for _, ch := range feedback.Channels {
		if _, ok := out[ch]; !ok && ch != feedback.ChannelWebsite {
			log.Info("no answers sent back on this channel: not configured", "channel", ch)
		}
	}
	return out
}
