// Command paknbench measures PAKN's intake against a running instance (the
// default run, started by scripts/bench.sh) and, in the same run on the same
// machine, the raw rates of the two stores under it: JetStream publish-ack
// and FerretDB insertOne. End-to-end throughput is reported as a ratio of
// the slower raw rate, so the figure means something on a noisy machine.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"pakn.local/services/internal/embedded"
	"pakn.local/services/internal/embedded/ferret"
	"pakn.local/services/internal/natsbus"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "paknbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "PAKN base URL")
	token := fs.String("token", "bench-token", "an app token of PAKN_APP_TOKENS")
	conc := fs.Int("c", 8, "concurrent clients")
	dur := fs.Duration("d", 15*time.Second, "how long to send")
	raw := fs.Duration("raw", 5*time.Second, "how long each raw-rate measurement runs")
	dir := fs.String("dir", os.TempDir(), "scratch folder for the raw-rate servers")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "PAKN intake benchmark: %d clients for %s against %s\n", *conc, *dur, *base)

	routedBefore, err := routedCount(ctx, *base)
	if err != nil {
		return err
	}
	in, err := intake(ctx, *base, *token, *conc, *dur)
	if err != nil {
		return err
	}
	// End to end: from the first submission until the router has stored a
	// ticket for every accepted item (counted by pakn_items_routed_total).
	want := routedBefore + float64(in.accepted)
	var lastRouted time.Time
	for {
		n, err := routedCount(ctx, *base)
		if err != nil {
			return err
		}
		if n >= want {
			lastRouted = time.Now()
			break
		}
		if time.Since(in.end) > 5*time.Minute {
			return fmt.Errorf("only %.0f of %.0f items routed after 5 minutes", n-routedBefore, float64(in.accepted))
		}
		time.Sleep(20 * time.Millisecond)
	}
	accRate := float64(in.accepted) / in.end.Sub(in.start).Seconds()
	e2eRate := float64(in.accepted) / lastRouted.Sub(in.start).Seconds()

	pubRate, err := rawPublish(ctx, *dir, *conc, *raw)
	if err != nil {
		return err
	}
	insRate, err := rawInsert(ctx, *dir, *conc, *raw)
	if err != nil {
		return err
	}
	slower := min(pubRate, insRate)
	fmt.Fprintf(stdout, "accepted (202):            %8.1f items/s  (%d items, %d errors)\n", accRate, in.accepted, in.failed)
	fmt.Fprintf(stdout, "end to end (202→ticket):   %8.1f items/s\n", e2eRate)
	fmt.Fprintf(stdout, "intake latency:            p50 %s  p99 %s\n", in.p(0.50), in.p(0.99))
	fmt.Fprintf(stdout, "raw JetStream publish-ack: %8.1f msgs/s\n", pubRate)
	fmt.Fprintf(stdout, "raw FerretDB insertOne:    %8.1f docs/s\n", insRate)
	fmt.Fprintf(stdout, "end to end / slower raw:   %8.2f\n", e2eRate/slower)
	return nil
}

type intakeResult struct {
	start, end time.Time
	accepted   int64
	failed     int64
	latencies  []time.Duration
}

func (r *intakeResult) p(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[int(q*float64(len(r.latencies)-1))].Round(100 * time.Microsecond)
}

var reports = []string{
	`{"content":"Đường Tên Lửa có ổ gà lớn trước số %d, xe máy rất dễ té.","ward":"Bình Trị Đông B"}`,
	`{"content":"Hẻm %d Mã Lò đèn đường không sáng mấy hôm nay.","ward":"binh tri dong a"}`,
	`{"content":"Rác thải đổ bừa bãi ở đầu hẻm %d đường Lê Văn Quới, bốc mùi hôi.","ward":"Bình Hưng Hòa A"}`,
	`{"content":"Sau mưa đường Hồ Học Lãm ngập sâu, nhà số %d nước tràn vào.","ward":"An Lạc"}`,
}

func intake(ctx context.Context, base, token string, conc int, dur time.Duration) (*intakeResult, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}, Timeout: 30 * time.Second}
	res := &intakeResult{start: time.Now()}
	stopAt := res.start.Add(dur)
	var mu sync.Mutex
	var seq atomic.Int64
	var wg sync.WaitGroup
	runID := strconv.FormatInt(time.Now().UnixNano(), 36)
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []time.Duration
			for time.Now().Before(stopAt) && ctx.Err() == nil {
				n := seq.Add(1)
				body := fmt.Sprintf(reports[n%int64(len(reports))], n)
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/app/v1/feedback", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Idempotency-Key", runID+"-"+strconv.FormatInt(n, 10))
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != http.StatusAccepted {
					atomic.AddInt64(&res.failed, 1)
					continue
				}
				local = append(local, time.Since(t0))
				atomic.AddInt64(&res.accepted, 1)
			}
			mu.Lock()
			res.latencies = append(res.latencies, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.end = time.Now()
	sort.Slice(res.latencies, func(i, j int) bool { return res.latencies[i] < res.latencies[j] })
	if res.accepted == 0 {
		return nil, errors.New("no item was accepted: is PAKN running with the bench token in PAKN_APP_TOKENS?")
	}
	return res, nil
}

// routedCount reads pakn_items_routed_total (all outcomes) from /metrics.
func routedCount(ctx context.Context, base string) (float64, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var total float64
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "pakn_items_routed_total{") {
			f := strings.Fields(line)
			v, err := strconv.ParseFloat(f[len(f)-1], 64)
			if err != nil {
				return 0, err
			}
			total += v
		}
	}
	return total, sc.Err()
}

// forEach runs fn from conc goroutines for d and returns the rate of successes.
func forEach(ctx context.Context, conc int, d time.Duration, fn func(n int64) error) (float64, error) {
	var ok atomic.Int64
	var seq atomic.Int64
	var firstErr atomic.Value
	start := time.Now()
	stopAt := start.Add(d)
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stopAt) && ctx.Err() == nil {
				if err := fn(seq.Add(1)); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, err
	}
	return float64(ok.Load()) / time.Since(start).Seconds(), nil
}

func rawPublish(ctx context.Context, dir string, conc int, d time.Duration) (float64, error) {
	store, err := os.MkdirTemp(dir, "paknbench-nats-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(store)
	n, err := embedded.StartNATS(store)
	if err != nil {
		return 0, err
	}
	defer n.Shutdown()
	nc, err := natsbus.Connect(n.URL(), "paknbench")
	if err != nil {
		return 0, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return 0, err
	}
	if err := natsbus.EnsureStreams(ctx, js, 1); err != nil {
		return 0, err
	}
	payload := bytes.Repeat([]byte("x"), 300) // about the size of an item
	return forEach(ctx, conc, d, func(i int64) error {
		_, err := js.Publish(ctx, "pakn.intake.citizenapp", payload, jetstream.WithMsgID(strconv.FormatInt(i, 10)))
		return err
	})
}

func rawInsert(ctx context.Context, dir string, conc int, d time.Duration) (float64, error) {
	store, err := os.MkdirTemp(dir, "paknbench-ferret-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(store)
	f, err := ferret.Start(store, nil)
	if err != nil {
		return 0, err
	}
	defer f.Shutdown()
	client, err := mongo.Connect(options.Client().ApplyURI(f.URI()))
	if err != nil {
		return 0, err
	}
	defer client.Disconnect(context.Background())
	coll := client.Database("bench").Collection("tickets")
	content := strings.Repeat("nội dung phản ánh ", 20)
	return forEach(ctx, conc, d, func(i int64) error {
		_, err := coll.InsertOne(ctx, bson.D{
			bson.E{Key: "_id", Value: strconv.FormatInt(i, 10)}, bson.E{Key: "content", Value: content},
			bson.E{Key: "status", Value: "assigned"}, bson.E{Key: "at", Value: time.Now()},
		})
		return err
	})
}
