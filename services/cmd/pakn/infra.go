package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pakn.local/services/internal/embedded"
	"pakn.local/services/internal/embedded/ferret"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/natsbus"
)

// infra is the connections every service shares, and the embedded servers
// behind them when no external ones are configured.
type infra struct {
	nats   *embedded.NATS
	ferret *ferret.Server
	nc     *nats.Conn
	js     jetstream.JetStream
	store  *mongostore.Store
}

func startInfra(ctx context.Context, cfg config, log *slog.Logger) (_ *infra, err error) {
	inf := &infra{}
	defer func() {
		if err != nil {
			inf.close(log)
		}
	}()
	natsURL, mongoURI := cfg.NATSURL, cfg.MongoURI
	if natsURL == "" {
		if inf.nats, err = embedded.StartNATS(filepath.Join(cfg.DataDir, "nats")); err != nil {
			return nil, err
		}
		natsURL = inf.nats.URL()
		log.Info("embedded NATS started", "url", natsURL)
	}
	if mongoURI == "" {
		if inf.ferret, err = ferret.Start(filepath.Join(cfg.DataDir, "ferretdb"), nil); err != nil {
			return nil, err
		}
		mongoURI = inf.ferret.URI()
		log.Info("embedded FerretDB started", "uri", mongoURI)
	}
	if inf.nc, err = natsbus.Connect(natsURL, "pakn-"+cfg.Target); err != nil {
		return nil, err
	}
	if inf.js, err = jetstream.New(inf.nc); err != nil {
		return nil, err
	}
	if err = retry(ctx, 30*time.Second, func(ctx context.Context) error {
		return natsbus.EnsureStreams(ctx, inf.js, cfg.NATSReplicas)
	}); err != nil {
		return nil, fmt.Errorf("NATS streams: %w", err)
	}
	if inf.store, err = mongostore.Connect(mongoURI, cfg.MongoDB); err != nil {
		return nil, err
	}
	if err = retry(ctx, 30*time.Second, inf.store.Ping); err != nil {
		return nil, fmt.Errorf("MongoDB: %w", err)
	}
	if err = retry(ctx, 30*time.Second, inf.store.Prepare); err != nil {
		return nil, fmt.Errorf("MongoDB: %w", err)
	}
	return inf, nil
}

// retry calls fn until it succeeds, ctx ends or the time is up: at start
// the servers of a fresh deployment may still be coming up.
func retry(ctx context.Context, within time.Duration, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	for {
		actx, acancel := context.WithTimeout(ctx, 5*time.Second)
		err := fn(actx)
		acancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// close drains the NATS connection (pending publishes go out), disconnects
// MongoDB, then stops the embedded servers.
func (inf *infra) close(log *slog.Logger) {
	if inf.nc != nil {
		closed := make(chan struct{})
		inf.nc.SetClosedHandler(func(*nats.Conn) { close(closed) })
		if err := inf.nc.Drain(); err != nil {
			inf.nc.Close()
		} else {
			select {
			case <-closed:
			case <-time.After(10 * time.Second):
				inf.nc.Close()
			}
		}
	}
	if inf.store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := inf.store.Close(ctx); err != nil {
			log.Warn("mongo disconnect", "err", err)
		}
		cancel()
	}
	if inf.ferret != nil {
		inf.ferret.Shutdown()
	}
	if inf.nats != nil {
		inf.nats.Shutdown()
	}
}
