// Package ferret runs FerretDB (the MongoDB wire protocol on SQLite files)
// inside PAKN's process: the embedded default database and the database of
// every test.
package ferret

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Server is an embedded FerretDB on SQLite files.
type Server struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
}

// Start starts FerretDB on a random loopback port, keeping one
// SQLite file per database under dir. Its logger is quieted to errors: at
// lower levels it dumps every failed command, and a duplicate-key insert is
// an expected outcome here.
func Start(dir string, log *slog.Logger) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("ferretdb store: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
		Logger:    log,
	})
	if err != nil {
		return nil, fmt.Errorf("ferretdb: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx) // returns only when ctx is cancelled
	}()
	return &Server{uri: f.MongoDBURI(), cancel: cancel, done: done}, nil
}

// URI is the mongodb:// URI to connect to.
func (f *Server) URI() string { return f.uri }

// Shutdown stops FerretDB and waits for its SQLite files to be closed.
func (f *Server) Shutdown() {
	f.cancel()
	<-f.done
}

// StartTemp starts a server in a new temporary folder (a test binary's
// TestMain shares one among its tests); stop shuts it down and removes the
// folder.
func StartTemp(prefix string) (s *Server, stop func(), err error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, nil, err
	}
	if s, err = Start(dir, nil); err != nil {
		_ = os.RemoveAll(dir)
		return nil, nil, err
	}
	return s, func() { s.Shutdown(); _ = os.RemoveAll(dir) }, nil
}
