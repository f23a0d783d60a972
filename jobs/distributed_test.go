package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/internal/faulttest"
	"github.com/valuegraph/valuegraph/jobs"
)

// The worker and the API's client run on a Redis Cluster (three masters)
// and on a Redis watched by Sentinel, as asynq supports: both started here,
// on loopback ports of their own, from the same Debian redis-server the
// services script installs, and stopped at the end.

func TestJobsOnRedisCluster(t *testing.T) {
	dir := t.TempDir()
	var nodes []string
	for i := range 3 {
		port := clusterPort(t)
		startRedis(t, filepath.Join(dir, fmt.Sprint(i)), port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000")
		nodes = append(nodes, fmt.Sprintf("127.0.0.1:%d", port))
	}
	create := exec.Command("redis-cli", append(append([]string{"--cluster", "create"}, nodes...), "--cluster-replicas", "0", "--cluster-yes")...)
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	faulttest.Eventually(t, 30*time.Second, "the cluster to settle", func() bool {
		for _, n := range nodes {
			out, err := exec.Command("redis-cli", "-p", strings.TrimPrefix(n, "127.0.0.1:"), "cluster", "info").Output()
			if err != nil || !strings.Contains(string(out), "cluster_state:ok") {
				return false
			}
		}
		return true
	})
	runJobs(t, "redis-cluster://"+strings.Join(nodes, ","))
}

func TestJobsOnRedisSentinel(t *testing.T) {
	dir := t.TempDir()
	master := faulttest.FreePort(t)
	startRedis(t, filepath.Join(dir, "master"), master)
	sentinel := faulttest.FreePort(t)
	conf := filepath.Join(dir, "sentinel.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, "port %d\nbind 127.0.0.1\nsentinel monitor vg 127.0.0.1 %d 1\nsentinel down-after-milliseconds vg 2000\n", sentinel, master), 0o600); err != nil {
		t.Fatal(err)
	}
	startRedis(t, filepath.Join(dir, "sentinel"), sentinel, "--sentinel-conf", conf)
	faulttest.Eventually(t, 30*time.Second, "the sentinel to know its master", func() bool {
		out, err := exec.Command("redis-cli", "-p", fmt.Sprint(sentinel), "sentinel", "get-master-addr-by-name", "vg").Output()
		return err == nil && strings.Contains(string(out), fmt.Sprint(master))
	})
	runJobs(t, fmt.Sprintf("redis-sentinel://127.0.0.1:%d?master=vg", sentinel))
}

// runJobs is the product's path on the Redis at url: the API's client
// coalesces rescoring requests by task id, and the worker's server runs
// each task once.
func runJobs(t *testing.T, url string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rc, err := jobs.OpenRedis(ctx, url)
	if err != nil {
		t.Fatalf("OpenRedis(%s): %v", url, err)
	}
	defer rc.Close()
	client := jobs.NewClient(asynq.NewClientFromRedisClient(rc), jobs.ClientOptions{Queue: "distributed"})
	q, err := client.RescoreCustomers(ctx, "c-1", "c-2", "c-1", "c-3")
	if err != nil || q.Enqueued != 3 || q.Coalesced != 1 || q.Pending != 0 {
		t.Fatalf("RescoreCustomers on %s: %+v, %v; want 3 enqueued, 1 coalesced", url, q, err)
	}

	var mu sync.Mutex
	runs := map[string]int{}
	done := make(chan struct{})
	srv, mux := jobs.NewServer(rc, jobs.Handlers{}, jobs.ServerOptions{Queues: map[string]int{"distributed": 1}, Concurrency: 2, ShutdownTimeout: 5 * time.Second})
	mux.HandleFunc(jobs.TypeScoreCustomer, func(_ context.Context, task *asynq.Task) error {
		var p jobs.ScoreCustomerPayload
		if err := json.Unmarshal(task.Payload(), &p); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		runs[p.CustomerID]++
		if len(runs) == 3 {
			select {
			case <-done:
			default:
				close(done)
			}
		}
		return nil
	})
	if err := srv.Start(mux); err != nil {
		t.Fatalf("worker on %s: %v", url, err)
	}
	defer srv.Shutdown()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("tasks on %s not run within a minute: %v", url, runs)
	}
	time.Sleep(500 * time.Millisecond) // a task run twice would show by now
	mu.Lock()
	defer mu.Unlock()
	for _, id := range []string{"c-1", "c-2", "c-3"} {
		if runs[id] != 1 {
			t.Errorf("on %s, %s was scored %d times, want once: %v", url, id, runs[id], runs)
		}
	}
}

// startRedis runs a redis-server in dir on port until the test ends, as a
// process of faulttest's (killed with the test, its output kept for the
// log).
func startRedis(t *testing.T, dir string, port int, args ...string) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		graphtest.Unavailable(t, "redis-server (scripts/services.sh installs it)", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	if len(args) == 2 && args[0] == "--sentinel-conf" {
		cmd = exec.Command(bin, args[1], "--sentinel")
	} else {
		cmd = exec.Command(bin, append([]string{"--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"}, args...)...)
	}
	cmd.Dir = dir
	if _, err := faulttest.StartProcess(t, fmt.Sprintf("redis-server:%d", port), cmd); err != nil {
		graphtest.Unavailable(t, "redis-server", err)
	}
	faulttest.Eventually(t, 30*time.Second, fmt.Sprintf("redis on port %d answering PING", port), func() bool {
		out, err := exec.Command("redis-cli", "-p", fmt.Sprint(port), "ping").Output()
		return err == nil && strings.TrimSpace(string(out)) == "PONG"
	})
}

// clusterPort is a free port whose cluster bus port (+10000) is free too.
func clusterPort(t *testing.T) int {
	t.Helper()
	for port := 21000 + os.Getpid()%4000; port < 30000; port += 7 {
		a, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		b, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port+10000))
		a.Close()
		if err != nil {
			continue
		}
		b.Close()
		return port
	}
	t.Fatal("no free port pair for a cluster node below 30000")
	return 0
}
