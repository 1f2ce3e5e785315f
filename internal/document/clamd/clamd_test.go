package clamd_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/document/clamd"
	"github.com/gegrond/gegrond/internal/document/clamd/clamdtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	clamdtest.Stop()
	os.Exit(code)
}

// fakeServer is a one-connection-at-a-time TCP server that runs handle for
// each connection. It stands in for clamd where the real one cannot be made
// to misbehave.
func fakeServer(t *testing.T, handle func(net.Conn)) *clamd.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = conn.Close() }()
				handle(conn)
			}()
		}
	}()
	c, err := clamd.New("tcp://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Timeout = 5 * time.Second
	return c
}

// readCommand reads a z-command up to its NUL.
func readCommand(r io.Reader) (string, error) {
	var b []byte
	one := make([]byte, 1)
	for {
		if _, err := io.ReadFull(r, one); err != nil {
			return string(b), err
		}
		if one[0] == 0 {
			return string(b), nil
		}
		b = append(b, one[0])
	}
}

// readChunks decodes INSTREAM chunks until the zero-length terminator.
func readChunks(r io.Reader) (data []byte, sizes []int, err error) {
	for {
		var n uint32
		if err := binary.Read(r, binary.BigEndian, &n); err != nil {
			return data, sizes, err
		}
		if n == 0 {
			return data, sizes, nil
		}
		chunk := make([]byte, n)
		if _, err := io.ReadFull(r, chunk); err != nil {
			return data, sizes, err
		}
		data = append(data, chunk...)
		sizes = append(sizes, int(n))
	}
}

func TestScanProtocol(t *testing.T) {
	t.Parallel()
	payload := bytes.Repeat([]byte("gegrond "), 25_000) // 200 000 bytes

	t.Run("chunks carry 4-byte big-endian lengths and end with a zero chunk", func(t *testing.T) {
		t.Parallel()
		got := make(chan []byte, 1)
		var sizes []int
		c := fakeServer(t, func(conn net.Conn) {
			if cmd, err := readCommand(conn); err != nil || cmd != "zINSTREAM" {
				t.Errorf("command = %q, %v; want zINSTREAM", cmd, err)
				return
			}
			data, s, err := readChunks(conn)
			if err != nil {
				t.Errorf("read chunks: %v", err)
			}
			sizes = s
			got <- data
			_, _ = conn.Write([]byte("stream: OK\x00"))
		})
		c.ChunkSize = 64 << 10
		res, err := c.Scan(context.Background(), bytes.NewReader(payload))
		if err != nil || res.Infected {
			t.Fatalf("Scan = %+v, %v; want clean", res, err)
		}
		if data := <-got; !bytes.Equal(data, payload) {
			t.Fatalf("server received %d bytes, want the %d sent", len(data), len(payload))
		}
		for _, n := range sizes {
			if n > c.ChunkSize {
				t.Errorf("chunk of %d bytes exceeds ChunkSize %d", n, c.ChunkSize)
			}
		}
		if len(sizes) != 4 {
			t.Errorf("sent %d chunks, want 4 for 200 000 bytes in 64 KiB chunks", len(sizes))
		}
	})

	tests := []struct {
		name    string
		handle  func(net.Conn)
		timeout time.Duration
		body    io.Reader
		want    clamd.Result
		wantErr string
		sizeErr bool
	}{
		{
			name: "a FOUND reply names the signature",
			handle: func(conn net.Conn) {
				_, _ = readCommand(conn)
				_, _, _ = readChunks(conn)
				_, _ = conn.Write([]byte("stream: Eicar-Signature FOUND\x00"))
			},
			want: clamd.Result{Infected: true, Signature: "Eicar-Signature"},
		},
		{
			name: "a reply without NUL before close is still read",
			handle: func(conn net.Conn) {
				_, _ = readCommand(conn)
				_, _, _ = readChunks(conn)
				_, _ = conn.Write([]byte("stream: OK\n"))
			},
			want: clamd.Result{},
		},
		{
			name: "server closing early without a reply is an error, never clean",
			handle: func(conn net.Conn) {
				_, _ = readCommand(conn)
			},
			// Depending on timing: no reply, reset, or broken pipe.
			wantErr: "clamd: ",
		},
		{
			name: "size limit reply while the client is still sending",
			handle: func(conn net.Conn) {
				_, _ = readCommand(conn)
				_, _ = io.CopyN(io.Discard, conn, 100<<10)
				_, _ = conn.Write([]byte("INSTREAM size limit exceeded. ERROR\x00"))
			},
			body:    io.LimitReader(zeros{}, 64<<20),
			sizeErr: true,
		},
		{
			name: "an ERROR reply is an error",
			handle: func(conn net.Conn) {
				_, _ = readCommand(conn)
				_, _, _ = readChunks(conn)
				_, _ = conn.Write([]byte("stream: Can't allocate memory ERROR\x00"))
			},
			wantErr: "Can't allocate memory",
		},
		{
			name: "an unknown reply is an error",
			handle: func(conn net.Conn) {
				_, _ = readCommand(conn)
				_, _, _ = readChunks(conn)
				_, _ = conn.Write([]byte("hello\x00"))
			},
			wantErr: "unexpected reply",
		},
		{
			name: "a silent server ends in the deadline",
			handle: func(conn net.Conn) {
				_, _ = io.Copy(io.Discard, conn)
			},
			timeout: 300 * time.Millisecond,
			wantErr: "verdict",
		},
		{
			name: "a failing upload stream is reported, not scanned as clean",
			handle: func(conn net.Conn) {
				_, _ = io.Copy(io.Discard, conn)
			},
			body:    io.MultiReader(strings.NewReader("abc"), failing{}),
			wantErr: "disk on fire",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := fakeServer(t, tt.handle)
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			body := tt.body
			if body == nil {
				body = bytes.NewReader(payload)
			}
			res, err := c.Scan(ctx, body)
			switch {
			case tt.sizeErr:
				if !errors.Is(err, clamd.ErrSizeLimit) {
					t.Fatalf("Scan = %+v, %v; want ErrSizeLimit", res, err)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Scan = %+v, %v; want an error containing %q", res, err, tt.wantErr)
				}
			default:
				if err != nil || res != tt.want {
					t.Fatalf("Scan = %+v, %v; want %+v", res, err, tt.want)
				}
			}
		})
	}
}

func TestPingFake(t *testing.T) {
	t.Parallel()
	c := fakeServer(t, func(conn net.Conn) {
		if cmd, _ := readCommand(conn); cmd == "zPING" {
			_, _ = conn.Write([]byte("PONG\x00"))
		}
	})
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestNewAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "unix:/run/clamav/clamd.ctl", want: "unix:/run/clamav/clamd.ctl"},
		{in: "unix:///run/clamav/clamd.ctl", want: "unix:/run/clamav/clamd.ctl"},
		{in: "/run/clamav/clamd.ctl", want: "unix:/run/clamav/clamd.ctl"},
		{in: "tcp://127.0.0.1:3310", want: "tcp://127.0.0.1:3310"},
		{in: "tcp:localhost:3310", want: "tcp://localhost:3310"},
		{in: "127.0.0.1:3310", want: "tcp://127.0.0.1:3310"},
		{in: "", bad: true},
		{in: "unix:", bad: true},
		{in: "clamd-without-port", bad: true},
	}
	for _, tt := range tests {
		c, err := clamd.New(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("New(%q) = %v; want an error", tt.in, c)
			}
			continue
		}
		if err != nil || c.String() != tt.want {
			t.Errorf("New(%q) = %v, %v; want %s", tt.in, c, err, tt.want)
		}
	}
}

// TestRealClamd runs the client against a real clamd with the test's own
// EICAR signatures.
func TestRealClamd(t *testing.T) {
	t.Parallel()
	c := clamdtest.Shared(t)
	t.Logf("clamd with the test database answered PING %v after start", clamdtest.StartupTime())
	eicar := clamdtest.EICAR()

	tests := []struct {
		name     string
		body     []byte
		infected bool
		sig      string
		sizeErr  bool
	}{
		{name: "a clean file passes", body: []byte("Geachte heer, mevrouw,\nHierbij mijn klacht.\n")},
		// Both test signatures match the bare EICAR file; either may answer.
		{name: "the EICAR file is found", body: eicar, infected: true, sig: "Gegrond-Test-EICAR-"},
		{name: "EICAR inside a larger file is found by its body", body: append([]byte("%PDF-1.4\n% bewijs\n"), append(eicar, []byte("\n%%EOF\n")...)...), infected: true, sig: clamdtest.BodySignature},
		{name: "a stream over StreamMaxLength is refused, not passed", body: make([]byte, clamdtest.StreamMaxLength+1<<20), sizeErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := c.Scan(context.Background(), bytes.NewReader(tt.body))
			if tt.sizeErr {
				if !errors.Is(err, clamd.ErrSizeLimit) {
					t.Fatalf("Scan = %+v, %v; want ErrSizeLimit", res, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Infected != tt.infected || !strings.HasPrefix(res.Signature, tt.sig) {
				t.Fatalf("Scan = %+v; want infected=%v signature %q", res, tt.infected, tt.sig)
			}
		})
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }
