// Package embedded runs nats-server with JetStream on a file store inside
// PAKN's own process; its sub-package ferret does the same for FerretDB.
// They make the default run one command on a fresh machine, and they are the
// servers every test runs against. They are two packages so that a test
// needing only NATS does not link FerretDB and SQLite.
package embedded

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// NATS is an embedded nats-server with JetStream.
type NATS struct {
	srv *server.Server
}

// StartNATS starts nats-server on a random loopback port with JetStream
// storing under dir. A restart on the same dir keeps streams, consumer
// positions and the dedupe window.
func StartNATS(dir string) (*NATS, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("nats store: %w", err)
	}
	return startNATS(&server.Options{
		ServerName: "pakn-embedded",
		Host:       "127.0.0.1",
		Port:       -1,
		JetStream:  true,
		StoreDir:   dir,
		NoSigs:     true,
		NoLog:      true,
	})
}

// RestartNATS starts a server on the same store and the same port as an
// earlier one, so that clients reconnect to it. Tests use it after Shutdown.
func RestartNATS(dir string, port int) (*NATS, error) {
	return startNATS(&server.Options{
		ServerName: "pakn-embedded", Host: "127.0.0.1", Port: port,
		JetStream: true, StoreDir: dir, NoSigs: true, NoLog: true,
	})
}

func startNATS(opts *server.Options) (*NATS, error) {
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("nats: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("nats: not ready after 30s")
	}
	return &NATS{srv: srv}, nil
}

// URL is the client URL (nats://127.0.0.1:port).
func (n *NATS) URL() string { return n.srv.ClientURL() }

// Port is the client port.
func (n *NATS) Port() int {
	if a, ok := n.srv.Addr().(*net.TCPAddr); ok {
		return a.Port
	}
	return 0
}

// Shutdown stops the server and waits until it has stopped.
func (n *NATS) Shutdown() {
	n.srv.Shutdown()
	n.srv.WaitForShutdown()
}
