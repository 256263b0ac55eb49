package hotline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/metrics"
	"pakn.local/services/internal/natsbus"
)

// Republisher records a code handed out while NATS was away and publishes
// the item under it (*natsbus.Intake).
type Republisher interface {
	// Claim returns the code key finally has: code, or another one if
	// another key took code meanwhile.
	Claim(ctx context.Context, key, fingerprint string, code feedback.TrackingCode) (feedback.TrackingCode, error)
	// Publish returns once JetStream has stored the item.
	Publish(ctx context.Context, it *feedback.Item) error
}

// Notifier sends a citizen a text (*SMS).
type Notifier interface {
	Send(ctx context.Context, to feedback.Phone, body string) error
}

// DefaultSpoolInterval is how often a spool tries NATS again.
const DefaultSpoolInterval = 5 * time.Second

// SpoolConfig says where a spool keeps its files and how often it retries.
type SpoolConfig struct {
	Dir       string        // SpoolDir(PAKN_DATA_DIR)
	Interval  time.Duration // 0 means DefaultSpoolInterval
	PublicURL string        // PAKN_PUBLIC_URL, for the link in a new-code SMS
}

// Spool keeps, on disk, items the hotline acknowledged while NATS could not
// take them, and publishes them when NATS is back. One file per item, named
// by a hash of its key, holding the item (with the code the citizen was
// told) as protobuf. A file is written to a temporary name, fsynced and
// renamed, so a crash leaves a whole item or none; it is removed only after
// JetStream acknowledged the item.
type Spool struct {
	dir        string
	interval   time.Duration
	publicBase string
	in         Republisher
	sms        Notifier
	log        *slog.Logger
	m          *metrics.Metrics
	mu         sync.Mutex // one writer at a time, so that one key gets one code
}

// NewSpool opens (and makes) the spool directory. sms may be nil; a changed
// code is then only logged.
func NewSpool(cfg SpoolConfig, in Republisher, sms Notifier, log *slog.Logger, m *metrics.Metrics) (*Spool, error) {
	if cfg.Dir == "" || in == nil || log == nil {
		return nil, errors.New("hotline: spool needs a directory, a republisher and a logger")
	}
	if err := os.MkdirAll(filepath.Join(cfg.Dir, "bad"), 0o700); err != nil {
		return nil, fmt.Errorf("hotline: spool: %w", err)
	}
	s := &Spool{dir: cfg.Dir, interval: cfg.Interval, publicBase: strings.TrimRight(cfg.PublicURL, "/"),
		in: in, sms: sms, log: log, m: m}
	if s.interval <= 0 {
		s.interval = DefaultSpoolInterval
	}
	// Temporary files are writes that never completed: no citizen was told
	// their code, so they are dropped.
	tmps, _ := filepath.Glob(filepath.Join(cfg.Dir, ".tmp-*"))
	for _, t := range tmps {
		_ = os.Remove(t)
	}
	return s, nil
}

func (s *Spool) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(s.dir, hex.EncodeToString(sum[:16])+".pb")
}

// Put stores an item durably and returns its tracking code: the one it
// already had in the spool, or a new one. The code may be told to the
// citizen at once.
func (s *Spool) Put(it *feedback.Item) (feedback.TrackingCode, error) {
	if s == nil {
		return "", feedback.Unavailable(errors.New("hotline: no spool"))
	}
	if err := it.Validate(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path := s.path(it.Key)
	if old, err := readItem(path); err == nil {
		if old.Key != it.Key || natsbus.Fingerprint(&old) != natsbus.Fingerprint(it) {
			return "", feedback.Errorf(feedback.ECONFLICT, "Mã định danh yêu cầu đã được dùng cho một phản ánh khác.",
				"the idempotency key was already used for different content")
		}
		it.Code = old.Code
		return old.Code, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		// An unreadable file must not block the key for ever; keep it aside.
		s.quarantine(path, fmt.Errorf("unreadable spooled item: %w", err))
	}
	cp := *it
	if cp.Code == "" {
		cp.Code = feedback.NewTrackingCode()
	}
	data, err := natsbus.MarshalItem(&cp)
	if err != nil {
		return "", feedback.Unavailable(err)
	}
	if err := writeFileSync(s.dir, path, data); err != nil {
		return "", feedback.Unavailable(err)
	}
	it.Code = cp.Code
	return cp.Code, nil
}

// Pending returns the code of an item that waits in the spool, so that a
// repeated webhook gets the code the citizen was told the first time.
func (s *Spool) Pending(it *feedback.Item) (feedback.TrackingCode, bool) {
	if s == nil {
		return "", false
	}
	old, err := readItem(s.path(it.Key))
	if err != nil || old.Key != it.Key || natsbus.Fingerprint(&old) != natsbus.Fingerprint(it) {
		return "", false
	}
	return old.Code, true
}

// Len counts the items waiting.
func (s *Spool) Len() int {
	files, _ := s.files()
	return len(files)
}

// Run publishes spooled items every interval until ctx ends. It returns nil
// when ctx ends; an item that was not acknowledged stays for the next start.
func (s *Spool) Run(ctx context.Context) error {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		s.Flush(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Flush tries every spooled item once, oldest first, and stops at the first
// sign that NATS is still away. It returns how many items are left, or -1
// when the directory cannot be read.
func (s *Spool) Flush(ctx context.Context) int {
	files, err := s.files()
	if err != nil {
		s.log.Error("hotline: spool: listing", "err", err)
		return -1
	}
	left := len(files)
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		done, err := s.deliver(ctx, f)
		if done {
			left--
		}
		if err != nil {
			s.log.Warn("hotline: spool: NATS still unavailable", "waiting", left, "err", err)
			break
		}
	}
	return left
}

// files lists the spooled items, oldest first.
func (s *Spool) files() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	type file struct {
		path string
		mod  time.Time
	}
	var list []file
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".pb") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		list = append(list, file{filepath.Join(s.dir, e.Name()), info.ModTime()})
	}
	slices.SortFunc(list, func(a, b file) int { return a.mod.Compare(b.mod) })
	out := make([]string, len(list))
	for i, f := range list {
		out[i] = f.path
	}
	return out, nil
}

// deliver claims the told code, publishes, tells the citizen a new code if
// the told one was taken, and only then removes the file. done reports the
// file is gone; err, that NATS is unavailable and the pass should stop.
func (s *Spool) deliver(ctx context.Context, path string) (done bool, err error) {
	it, err := readItem(path)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err == nil && it.Code == "" {
		err = errors.New("no tracking code")
	}
	if err == nil {
		err = it.Validate()
	}
	if err != nil {
		s.quarantine(path, fmt.Errorf("unusable spooled item: %w", err))
		return true, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*natsbus.PublishTimeout)
	defer cancel()
	told := it.Code
	code, err := s.in.Claim(ctx, it.Key, natsbus.Fingerprint(&it), told)
	if err != nil {
		if feedback.IsCode(err, feedback.ECONFLICT) {
			s.quarantine(path, err)
			return true, nil
		}
		return false, err
	}
	it.Code = code
	if err := s.in.Publish(ctx, &it); err != nil {
		return false, err
	}
	if s.m != nil {
		s.m.ItemsPublished.WithLabelValues(string(it.Channel)).Inc()
	}
	if code != told {
		// Another key took the code while NATS was away. The citizen learns the
		// new one before the file goes: if sending fails for now, the next pass
		// claims again, gets the same new code and tries again.
		if err := s.notify(ctx, &it, told); err != nil {
			if feedback.IsCode(err, feedback.EUNAVAILABLE) {
				s.log.Warn("hotline: spool: new code not sent yet; will retry", "key", it.Key, "err", err)
				return false, nil
			}
			s.log.Error("hotline: spool: the citizen cannot be told their new code", "key", it.Key,
				"told", told, "code", code, "phone", it.Citizen.Phone, "err", err)
			if s.m != nil {
				s.m.ItemsFailed.WithLabelValues("notify").Inc()
			}
		}
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Published already; a later pass publishes it again, and JetStream
		// and the router drop the repeat by its key.
		s.log.Error("hotline: spool: removing a published item", "path", path, "err", err)
		return false, nil
	}
	s.log.Info("hotline: spooled item published", "key", it.Key, "code", code, "told", told)
	return true, nil
}

func (s *Spool) notify(ctx context.Context, it *feedback.Item, told feedback.TrackingCode) error {
	if it.Citizen.Phone == "" {
		return feedback.Invalid("phone", "Không có số điện thoại để báo mã mới.", "no phone number to send the new code to")
	}
	if s.sms == nil {
		return errNotConfigured
	}
	ict := time.FixedZone("ICT", 7*3600) // Viet Nam keeps no daylight saving
	body := "Mã theo dõi phản ánh quý vị gửi lúc " + it.ReceivedAt.In(ict).Format("15:04 02/01/2006") +
		" là " + string(it.Code) + ", thay cho mã " + string(told) + " đã báo trước đó. Xin lỗi quý vị vì sự thay đổi."
	if s.publicBase != "" {
		body += " Tra cứu: " + s.publicBase + "/track/" + string(it.Code)
	}
	body += "\nYour tracking code is now " + string(it.Code) + " (was " + string(told) + ")."
	return s.sms.Send(ctx, it.Citizen.Phone, body)
}

// quarantine moves a file that can never be published to bad/, where an
// operator can see it: nothing a citizen was told of is deleted.
func (s *Spool) quarantine(path string, why error) {
	dst := filepath.Join(s.dir, "bad", filepath.Base(path)+"."+strconv.FormatInt(time.Now().UnixNano(), 10))
	if err := os.Rename(path, dst); err != nil {
		s.log.Error("hotline: spool: quarantine failed", "path", path, "err", err)
		return
	}
	if s.m != nil {
		s.m.ItemsFailed.WithLabelValues("publish").Inc()
	}
	s.log.Error("hotline: spool: item quarantined", "path", dst, "reason", why)
}

func readItem(path string) (feedback.Item, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return feedback.Item{}, err
	}
	return natsbus.UnmarshalItem(data)
}

// writeFileSync writes data to path atomically and durably: a temporary
// file in the same directory, fsynced, renamed, and the directory fsynced
// so that the rename itself survives a power cut.
func writeFileSync(dir, path string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
