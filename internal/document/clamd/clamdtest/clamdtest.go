// Package clamdtest starts a real clamd for tests, with a signature
// database that the test writes itself: no signature updates reach this
// network, so the database holds only signatures for the EICAR test file.
//
// The daemon is shared by the tests of one test binary; the package's
// TestMain calls Stop after m.Run. When clamd cannot be started the calling
// test fails with instructions, unless GEGROND_TEST_SKIP_CLAMAV=1.
package clamdtest

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/document/clamd"
	"github.com/gegrond/gegrond/internal/syncbuf"
)

// SkipEnv names the environment variable that lets tests skip (instead of
// fail) when clamd cannot be started.
const SkipEnv = "GEGROND_TEST_SKIP_CLAMAV"

// Signature names as written to the test database. clamd reports them with
// ".UNOFFICIAL" appended, as for any database it did not get from ClamAV.
const (
	// HashSignature matches the EICAR test file exactly (an .hdb entry:
	// MD5, size, name).
	HashSignature = "Gegrond-Test-EICAR-File"
	// BodySignature matches the EICAR string anywhere in a file (an .ndb
	// entry), so EICAR hidden in a PDF or an archive is found too.
	BodySignature = "Gegrond-Test-EICAR-Body"
)

// BinaryEnv names an environment variable that, when set, is the clamd
// binary to run instead of the one found in PATH or /usr/sbin.
const BinaryEnv = "GEGROND_TEST_CLAMD"

// StreamMaxLength is the daemon's INSTREAM limit in the test configuration.
const StreamMaxLength = 4 << 20

// EICAR returns the 68-byte EICAR anti-virus test file. It is assembled at
// run time so that this source file is not itself flagged by scanners.
func EICAR() []byte {
	return []byte(`X5O!P%@AP[4\PZX54(P^)7CC)7}$` + "EICAR-STANDARD-ANTIVIRUS-" + "TEST-FILE!$H+H*")
}

var shared struct {
	once    sync.Once
	client  *clamd.Client
	cmd     *exec.Cmd
	exited  chan error
	dir     string
	startup time.Duration
	err     error
}

// Shared returns a client for the test binary's clamd, starting it on first
// use. It fails tb (or skips it, with GEGROND_TEST_SKIP_CLAMAV=1) when the
// daemon cannot be started.
func Shared(tb testing.TB) *clamd.Client {
	tb.Helper()
	shared.once.Do(start)
	if shared.err != nil {
		if os.Getenv(SkipEnv) == "1" {
			tb.Skipf("clamd unavailable, skipped because %s=1: %v", SkipEnv, shared.err)
		}
		tb.Fatalf("clamd is needed for the virus-scan tests and could not be started: %v\n"+
			"Install it with: apt-get update && apt-get install -y clamav-daemon\n"+
			"(the test writes its own signature database; no freshclam update is needed).\n"+
			"To skip these tests instead, set %s=1.", shared.err, SkipEnv)
	}
	return shared.client
}

// StartupTime is how long the shared daemon took from start to its first
// PONG; zero before Shared started it.
func StartupTime() time.Duration { return shared.startup }

// Stop ends the shared daemon and removes its files. Call it from TestMain
// after m.Run.
func Stop() {
	if shared.cmd != nil {
		_ = shared.cmd.Process.Kill()
		select {
		case <-shared.exited:
		case <-time.After(10 * time.Second):
		}
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
}

func start() {
	began := time.Now()
	path := os.Getenv(BinaryEnv)
	if path == "" {
		var err error
		if path, err = exec.LookPath("clamd"); err != nil {
			path = "/usr/sbin/clamd"
		}
	}
	if _, err := os.Stat(path); err != nil {
		shared.err = fmt.Errorf("clamd binary not found (%v); looked in %s, PATH and /usr/sbin", err, BinaryEnv)
		return
	}
	// A short directory: unix socket paths are limited to 108 bytes.
	dir, err := os.MkdirTemp("", "clamd")
	if err != nil {
		shared.err = err
		return
	}
	shared.dir = dir
	db := filepath.Join(dir, "db")
	if err := writeDatabase(db); err != nil {
		shared.err = err
		return
	}
	socket := filepath.Join(dir, "clamd.sock")
	conf := filepath.Join(dir, "clamd.conf")
	config := fmt.Sprintf(`Foreground yes
LocalSocket %s
DatabaseDirectory %s
TemporaryDirectory %s
StreamMaxLength %d
MaxThreads 2
SelfCheck 3600
`, socket, db, dir, StreamMaxLength)
	if err := os.WriteFile(conf, []byte(config), 0o600); err != nil {
		shared.err = err
		return
	}
	var out syncbuf.Buffer
	cmd := exec.Command(path, "--config-file="+conf)
	cmd.Stdout, cmd.Stderr = &out, &out
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		shared.err = fmt.Errorf("start %s: %w", path, err)
		return
	}
	shared.cmd = cmd
	exited := make(chan error, 1)
	shared.exited = exited
	go func() { exited <- cmd.Wait() }()

	client, err := clamd.New("unix:" + socket)
	if err != nil {
		shared.err = err
		return
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		perr := client.Ping(ctx)
		cancel()
		if perr == nil {
			break
		}
		select {
		case werr := <-exited:
			shared.cmd = nil
			shared.err = fmt.Errorf("clamd exited during start-up (%v); its output:\n%s", werr, out.String())
			return
		case <-time.After(25 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			shared.err = fmt.Errorf("clamd did not answer PING within 60 s (%v); its output:\n%s", perr, out.String())
			Stop()
			shared.cmd = nil
			return
		}
	}
	shared.client = client
	shared.startup = time.Since(began)
}

// writeDatabase writes the two test signatures for the EICAR file.
func writeDatabase(db string) error {
	if err := os.MkdirAll(db, 0o700); err != nil {
		return err
	}
	eicar := EICAR()
	sum := md5.Sum(eicar)
	hdb := fmt.Sprintf("%s:%d:%s\n", hex.EncodeToString(sum[:]), len(eicar), HashSignature)
	if err := os.WriteFile(filepath.Join(db, "gegrond-test.hdb"), []byte(hdb), 0o600); err != nil {
		return err
	}
	body := []byte("EICAR-STANDARD-ANTIVIRUS-TEST-FILE")
	ndb := fmt.Sprintf("%s:0:*:%s\n", BodySignature, hex.EncodeToString(body))
	return os.WriteFile(filepath.Join(db, "gegrond-test.ndb"), []byte(ndb), 0o600)
}
