package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/store/storetest"
	"github.com/gegrond/gegrond/internal/syncbuf"
)

// amsterdam is the server's zone: its date is "today" for the API.
var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	return loc
}()

// binary is the gegrond program the end-to-end tests start, built once by
// TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := binaryDir()
	if err == nil {
		binary = filepath.Join(dir, "gegrond")
		cmd := exec.Command("go", "build", "-o", binary, ".")
		if out, berr := cmd.CombinedOutput(); berr != nil {
			err = fmt.Errorf("go build: %v\n%s", berr, out)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "build gegrond for the end-to-end tests:", err)
		os.Exit(1)
	}
	storetest.Main(m)
}

// binaryDir is where the program under test is built: beside the test
// binary, in the work directory that go test removes when it is done.
// TestMain has no t.TempDir, and storetest.Main exits without running
// deferred clean-ups. A test binary run by hand gets a temporary
// directory instead, left for the system to clear.
func binaryDir() (string, error) {
	exe, err := os.Executable()
	if err == nil {
		dir := filepath.Dir(exe)
		if strings.Contains(dir, "go-build") {
			return dir, nil
		}
	}
	return os.MkdirTemp("", "gegrond-cmd-test-")
}

// server is a running `gegrond serve`.
type server struct {
	t      testing.TB
	cmd    *exec.Cmd
	dsn    string
	url    string
	tokens map[string]string // demo tokens by organisation
	login  string            // the "Demo login" line, if printed
	portal string            // the path of the demo complainant's portal link, if printed

	stderr *syncbuf.Buffer
	done   chan struct{} // closed when the process has exited
	state  *os.ProcessState
}

// startServer starts `gegrond serve --addr 127.0.0.1:0 --database dsn`
// with more args, waits for its listening line and collects the demo
// credentials printed before it. The process is killed when the test
// ends, if it still runs.
func startServer(t testing.TB, dsn string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0", "--database", dsn}, args...)...)
	// The test's own environment must not steer the server.
	cmd.Env = filterEnv(os.Environ(), "GEGROND_")
	s := &server{t: t, cmd: cmd, dsn: dsn, tokens: map[string]string{}, stderr: &syncbuf.Buffer{}, done: make(chan struct{})}
	cmd.Stderr = s.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "listening on "):
				listening <- strings.TrimPrefix(line, "listening on ")
			case strings.HasPrefix(line, "Demo login: "):
				s.login = line
			case strings.HasPrefix(line, "Demo complainant's portal: "):
				if i := strings.Index(line, "/portaal/"); i >= 0 {
					s.portal = line[i:]
				}
			case strings.HasPrefix(line, "Demo API token for "):
				org, tok, _ := strings.Cut(strings.TrimPrefix(line, "Demo API token for "), ": ")
				s.tokens[org] = tok
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		cmd.Wait()
		s.state = cmd.ProcessState
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("server log:\n%s", s.stderr)
		}
	})
	select {
	case s.url = <-listening:
	case <-s.done:
		t.Fatalf("gegrond serve exited before listening (%v):\n%s", s.state, s.stderr)
	case <-time.After(2 * time.Minute):
		t.Fatalf("gegrond serve did not print its address within two minutes:\n%s", s.stderr)
	}
	return s
}

// filterEnv drops the variables starting with prefix.
func filterEnv(env []string, prefix string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, prefix) {
			out = append(out, kv)
		}
	}
	return out
}

// stop sends SIGTERM and returns the exit code.
func (s *server) stop() int {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		s.t.Fatalf("gegrond serve did not stop within a minute of SIGTERM:\n%s", s.stderr)
	}
	return s.state.ExitCode()
}

// kill stops the server at once, as a crash or power cut would.
func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// client calls the API with one token.
type client struct {
	t     testing.TB
	base  string
	token string
	http  *http.Client
}

func (s *server) client(token string) *client {
	return &client{t: s.t, base: s.url, token: token, http: &http.Client{Timeout: 30 * time.Second}}
}

// do sends a request with an optional JSON body and decodes a JSON answer
// into out when out is not nil. It returns the status.
func (c *client) do(method, path string, body any, out any, header ...string) int {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: %d %s: decode: %v", method, path, resp.StatusCode, data, err)
		}
	}
	if resp.StatusCode >= 400 {
		c.t.Logf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(data))
	}
	return resp.StatusCode
}

// get fetches a plain path and returns status and body.
func (s *server) get(path string) (int, string) {
	s.t.Helper()
	resp, err := http.Get(s.url + path)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// runGegrond runs the built program to the end and returns its exit code
// and output.
func runGegrond(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = filterEnv(os.Environ(), "GEGROND_")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}

// runInProcess runs a command through run, as main does, with the given
// environment variables.
func runInProcess(t testing.TB, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, env{stdout: &stdout, stderr: &stderr, now: time.Now,
		getenv: func(k string) string { return vars[k] }})
	return code, stdout.String(), stderr.String()
}
