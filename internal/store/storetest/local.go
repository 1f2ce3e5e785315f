package storetest

import (
	"bytes"
	"cmp"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// dirPrefix names the temporary directories of throwaway servers, so that
// those left by a killed test binary can be found and removed.
const dirPrefix = "gegrond-pg-"

// localServer is a PostgreSQL server run by this test binary.
type localServer struct {
	dir  string // holds data/, the socket and postgres.log
	cmd  *exec.Cmd
	done chan struct{} // closed when the server process has exited
	err  error         // the process's exit status, once done
}

// url returns the URL of the server's postgres database over its socket.
func (l *localServer) url() *url.URL {
	return &url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Path:     "/postgres",
		RawQuery: url.Values{"host": {l.dir}, "sslmode": {"disable"}}.Encode(),
	}
}

// startLocal creates a cluster in a new temporary directory and starts a
// server on it.
func startLocal() (*localServer, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	base := tempBase(cred != nil)
	removeStale(base)
	dir, err := os.MkdirTemp(base, dirPrefix)
	if err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	l := &localServer{dir: dir, done: make(chan struct{})}
	if err := l.initdb(bin, cred); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := l.start(bin, cred); err != nil {
		l.stop()
		return nil, err
	}
	return l, nil
}

// postgresBin returns the directory of the newest PostgreSQL installed:
// Debian's /usr/lib/postgresql/<version>/bin, or the one on PATH.
func postgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(dir string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
		return v
	}
	slices.SortFunc(dirs, func(a, b string) int { return cmp.Compare(version(b), version(a)) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "postgres")) && isExecutable(filepath.Join(d, "initdb")) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		d := filepath.Dir(p)
		if isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", errors.New("no PostgreSQL server binaries found (looked for /usr/lib/postgresql/*/bin/postgres and initdb on PATH)")
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// serverCredential returns the account to run the server as. PostgreSQL
// refuses to run as root, so root runs it as the postgres account (or
// nobody); anyone else runs it as themselves (nil).
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
	}
	return nil, errors.New("running as root and found neither a postgres nor a nobody account to run PostgreSQL as")
}

// tempBase is where the server's directory goes: the usual temporary
// directory, or /tmp when the server runs as another user who could not
// reach that one.
func tempBase(otherUser bool) string {
	base := os.TempDir()
	if !otherUser {
		return base
	}
	for d := base; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return "/tmp"
		}
		if d == filepath.Dir(d) {
			return base
		}
	}
}

// removeStale removes the directories of throwaway servers that are no
// longer running: left behind by test binaries that were killed (their
// server stopped with them, see start). A directory without a running
// server is left alone for two minutes: its server may be starting, which
// takes seconds.
func removeStale(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, dirPrefix+"*"))
	for _, d := range dirs {
		pidFile, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid"))
		if err == nil {
			line, _, _ := strings.Cut(string(pidFile), "\n")
			if pid, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && syscall.Kill(pid, 0) != syscall.ESRCH {
				continue // running
			}
		}
		if fi, err := os.Stat(d); err == nil && time.Since(fi.ModTime()) > 2*time.Minute {
			os.RemoveAll(d)
		}
	}
}

// initdb creates the cluster in dir/data: one superuser "postgres" that
// connects without a password over the socket, no fsync (the data dies
// with the tests anyway).
func (l *localServer) initdb(bin string, cred *syscall.Credential) error {
	cmd := exec.Command(filepath.Join(bin, "initdb"),
		"--pgdata", filepath.Join(l.dir, "data"), "--username", "postgres", "--auth", "trust",
		"--encoding", "UTF8", "--no-locale", "--no-sync", "--no-instructions")
	cmd.Dir = l.dir
	cmd.Env = serverEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	return nil
}

// start runs the server and waits until it accepts connections.
//
// The server must not outlive the test binary, even one killed by a
// timeout or SIGKILL: it gets SIGINT (PostgreSQL's fast shutdown) from the
// kernel when its parent dies (Pdeathsig). Linux ties that to the thread
// that started the child, so the thread is locked and kept, waiting on
// the server, for as long as the server runs.
func (l *localServer) start(bin string, cred *syscall.Credential) error {
	logFile, err := os.Create(filepath.Join(l.dir, "postgres.log"))
	if err != nil {
		return err
	}
	l.cmd = exec.Command(filepath.Join(bin, "postgres"),
		"-D", filepath.Join(l.dir, "data"),
		"-k", l.dir,
		"-c", "listen_addresses=",
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=500",
		"-c", "shared_buffers=128MB",
	)
	l.cmd.Dir = l.dir
	l.cmd.Env = serverEnv()
	l.cmd.Stdout = logFile
	l.cmd.Stderr = logFile
	l.cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: cred,
		Pdeathsig:  syscall.SIGINT,
		// Its own process group: a Ctrl-C in the terminal goes to the
		// tests, which then stop the server in order.
		Setpgid: true,
	}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the server
		defer logFile.Close()
		if err := l.cmd.Start(); err != nil {
			started <- err
			close(l.done)
			return
		}
		started <- nil
		l.err = l.cmd.Wait()
		close(l.done)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	return l.waitReady()
}

// waitReady waits up to a minute for the server to accept connections.
func (l *localServer) waitReady() error {
	db, err := sql.Open("pgx", l.url().String())
	if err != nil {
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		err := db.Ping()
		if err == nil {
			return nil
		}
		select {
		case <-l.done:
			return fmt.Errorf("postgres exited: %v\n%s", l.err, l.logTail())
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within a minute: %v\n%s", err, l.logTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop shuts the server down (fast shutdown, then a kill after 30 seconds)
// and removes its directory.
func (l *localServer) stop() error {
	var err error
	if l.cmd != nil && l.cmd.Process != nil {
		select {
		case <-l.done:
		default:
			l.cmd.Process.Signal(syscall.SIGINT)
			select {
			case <-l.done:
			case <-time.After(30 * time.Second):
				l.cmd.Process.Kill()
				<-l.done
				err = errors.New("postgres did not stop within 30 seconds and was killed")
			}
		}
	}
	if rerr := os.RemoveAll(l.dir); err == nil {
		err = rerr
	}
	return err
}

// logTail returns the end of the server's log, for error messages.
func (l *localServer) logTail() string {
	b, _ := os.ReadFile(filepath.Join(l.dir, "postgres.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(bytes.TrimSpace(b))
}

// serverEnv is the environment of initdb and postgres: this process's,
// without the PG* variables that would point them elsewhere.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C")
}
