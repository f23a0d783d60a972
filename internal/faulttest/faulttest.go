// Package faulttest starts services of a test's own (Redis, Neo4j, a
// process of our binary) on free ports with state in the test's temporary
// folder, and kills and restarts them, so fault tests can take a service away
// without disturbing the shared instances other tests use. Like graphtest,
// under CI (CI=true) a service that cannot start fails the test; elsewhere
// the test is skipped with the reason.
package faulttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// FreePort returns a loopback TCP port no one listens on now.
func FreePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Process is a child process a test can kill (as a crash does) or stop (as
// an operator does). It is killed when the test ends, whatever happened.
type Process struct {
	tb   testing.TB
	name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

// StartProcess starts cmd, keeping its output for Output and the test's log.
func StartProcess(tb testing.TB, name string, cmd *exec.Cmd) (*Process, error) {
	tb.Helper()
	p := &Process{tb: tb, name: name, cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a kill reaches its children too
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	tb.Cleanup(func() {
		p.signal(syscall.SIGKILL)
		<-p.done
		if tb.Failed() {
			tb.Logf("%s output:\n%s", name, tail(p.out.String(), 4000))
		}
	})
	return p, nil
}

func (p *Process) signal(sig syscall.Signal) {
	select {
	case <-p.done:
	default:
		syscall.Kill(-p.cmd.Process.Pid, sig)
	}
}

// Pid is the process's id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Kill kills the process at once (SIGKILL: no clean-up, as a crash or an
// OOM kill) and waits until it is gone.
func (p *Process) Kill() {
	p.tb.Helper()
	p.signal(syscall.SIGKILL)
	p.wait(30 * time.Second)
}

// Stop asks the process to end (SIGTERM) and waits up to grace before
// killing it.
func (p *Process) Stop(grace time.Duration) {
	p.tb.Helper()
	p.signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		p.Kill()
	}
}

func (p *Process) wait(d time.Duration) {
	p.tb.Helper()
	select {
	case <-p.done:
	case <-time.After(d):
		p.tb.Fatalf("%s still running %v after it was killed", p.name, d)
	}
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Output is what the process wrote so far, stdout and stderr together.
func (p *Process) Output() string { return p.out.String() }

// WaitFor waits until the process's output holds want, and fails the test
// if it ends or d passes first.
func (p *Process) WaitFor(want string, d time.Duration) {
	p.tb.Helper()
	deadline := time.Now().Add(d)
	for !strings.Contains(p.out.String(), want) {
		if p.Exited() {
			p.tb.Fatalf("%s ended (%v) before saying %q:\n%s", p.name, p.err, want, tail(p.out.String(), 4000))
		}
		if time.Now().After(deadline) {
			p.tb.Fatalf("%s did not say %q within %v:\n%s", p.name, want, d, tail(p.out.String(), 4000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Redis is a redis-server of the test's own, with its data in the test's
// temporary folder and an append-only file synced on every write, so a
// restart finds what it held, as a production Redis would.
type Redis struct {
	tb   testing.TB
	Port int
	URL  string // redis://127.0.0.1:PORT/0
	dir  string
	proc *Process
}

// StartRedis starts a Redis of the test's own.
func StartRedis(tb testing.TB) *Redis {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		graphtest.Unavailable(tb, "redis-server", fmt.Errorf("%w (scripts/services.sh up installs it)", err))
	}
	port := FreePort(tb)
	r := &Redis{tb: tb, Port: port, URL: fmt.Sprintf("redis://127.0.0.1:%d/0", port), dir: tb.TempDir()}
	r.start(bin)
	return r
}

func (r *Redis) start(bin string) {
	r.tb.Helper()
	cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(r.Port), "--dir", r.dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no")
	p, err := StartProcess(r.tb, "redis-server:"+strconv.Itoa(r.Port), cmd)
	if err != nil {
		graphtest.Unavailable(r.tb, "redis-server", err)
	}
	r.proc = p
	if err := waitTCP(fmt.Sprintf("127.0.0.1:%d", r.Port), 20*time.Second, p); err != nil {
		graphtest.Unavailable(r.tb, "redis-server", fmt.Errorf("%w:\n%s", err, tail(p.Output(), 2000)))
	}
}

// Kill kills Redis at once (SIGKILL).
func (r *Redis) Kill() { r.tb.Helper(); r.proc.Kill() }

// Stop shuts Redis down cleanly (SIGTERM).
func (r *Redis) Stop() { r.tb.Helper(); r.proc.Stop(10 * time.Second) }

// Restart starts Redis again on the same port with the same data.
func (r *Redis) Restart() {
	r.tb.Helper()
	if !r.proc.Exited() {
		r.Stop()
	}
	bin, _ := exec.LookPath("redis-server")
	r.start(bin)
}

// Neo4j is a Neo4j of the test's own, started with the launcher
// scripts/services.sh builds (tools/neo4j), its store in the test's
// temporary folder. It takes tens of seconds to start on a busy machine:
// tests share one where they can.
type Neo4j struct {
	tb     testing.TB
	Port   int
	Config graph.Config
	home   string
	proc   *Process
}

// StartNeo4j starts a Neo4j of the test's own and waits until it answers.
func StartNeo4j(tb testing.TB) *Neo4j {
	tb.Helper()
	port := FreePort(tb)
	n := &Neo4j{tb: tb, Port: port, home: tb.TempDir(), Config: graphtest.Config()}
	n.Config.URI = fmt.Sprintf("bolt://127.0.0.1:%d", port)
	n.Config.Database = "neo4j"
	n.start()
	return n
}

func (n *Neo4j) start() {
	n.tb.Helper()
	root, err := moduleRoot()
	if err != nil {
		graphtest.Unavailable(n.tb, "neo4j launcher", err)
	}
	dir := filepath.Join(root, "tools", "neo4j")
	cp, err := os.ReadFile(filepath.Join(dir, "target", "classpath.txt"))
	if err != nil {
		graphtest.Unavailable(n.tb, "neo4j launcher", fmt.Errorf("%w (scripts/services.sh up builds it)", err))
	}
	java, err := exec.LookPath("java")
	if err != nil {
		graphtest.Unavailable(n.tb, "java", err)
	}
	cmd := exec.Command(java, "-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1",
		"-cp", filepath.Join(dir, "target", "classes")+":"+strings.TrimSpace(string(cp)), "dev.valuegraph.neo4j.Launcher")
	cmd.Env = append(os.Environ(), "NEO4J_HOME_DIR="+n.home, "NEO4J_BOLT_HOST=127.0.0.1",
		"NEO4J_BOLT_PORT="+strconv.Itoa(n.Port), "NEO4J_PAGECACHE_MB=64", "NEO4J_PASSWORD="+n.Config.Password)
	p, err := StartProcess(n.tb, "neo4j:"+strconv.Itoa(n.Port), cmd)
	if err != nil {
		graphtest.Unavailable(n.tb, "neo4j", err)
	}
	n.proc = p
	deadline := time.Now().Add(4 * time.Minute)
	for !strings.Contains(p.Output(), "neo4j ready") {
		if p.Exited() || time.Now().After(deadline) {
			graphtest.Unavailable(n.tb, "neo4j", fmt.Errorf("own instance on port %d did not start:\n%s", n.Port, tail(p.Output(), 3000)))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Kill kills Neo4j at once (SIGKILL): transactions not committed are lost,
// committed ones are recovered from the transaction log at the next start.
func (n *Neo4j) Kill() { n.tb.Helper(); n.proc.Kill() }

// Restart starts Neo4j again on the same port with the same store.
func (n *Neo4j) Restart() {
	n.tb.Helper()
	if !n.proc.Exited() {
		n.proc.Stop(60 * time.Second)
	}
	n.start()
}

// Open opens a store on this Neo4j, migrated, closed when the test ends.
func (n *Neo4j) Open(tb testing.TB) *graph.Store {
	tb.Helper()
	// A fresh store's first migration waits for its indexes: minutes on a busy machine.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, err := graph.Open(ctx, n.Config)
	if err != nil {
		tb.Fatalf("open own neo4j: %v", err)
	}
	tb.Cleanup(func() { s.Close(context.Background()) })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate own neo4j: %v", err)
	}
	return s
}

// Eventually calls ok every 100 ms until it is true, and fails the test
// with what when d passes first.
func Eventually(tb testing.TB, d time.Duration, what string, ok func() bool) {
	tb.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func waitTCP(addr string, d time.Duration, p *Process) error {
	deadline := time.Now().Add(d)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if p.Exited() {
			return fmt.Errorf("exited before listening on %s", addr)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listens on %s after %v: %w", addr, d, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// moduleRoot is the folder of go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// syncBuffer is a bytes.Buffer the process's output goroutines and the test
// may use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
