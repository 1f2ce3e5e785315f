// Package clamd is a small client for ClamAV's clamd daemon: it streams a
// file to the daemon with the INSTREAM command and reads the verdict. It
// speaks only the few commands Gegrond needs (PING and INSTREAM), over TCP or
// a unix socket.
//
// The protocol, as clamd(8) describes it: the command is sent as
// "zINSTREAM\x00" (the z prefix asks for NUL-terminated replies), followed by
// chunks, each prefixed by its length as a 4-byte big-endian unsigned
// integer, and a chunk of length zero to end the stream. The daemon answers
// "stream: OK", "stream: <signature> FOUND" or "... ERROR". When the stream
// grows past the daemon's StreamMaxLength it answers "INSTREAM size limit
// exceeded. ERROR" and closes the connection, possibly while the client is
// still sending.
package clamd

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// DefaultChunkSize is the size of the chunks sent to clamd.
const DefaultChunkSize = 64 << 10

// DefaultTimeout bounds one scan when the context has no earlier deadline.
// clamd's own default scan time limit is two minutes.
const DefaultTimeout = 3 * time.Minute

// maxReply bounds the reply read from the daemon; real replies are a line.
const maxReply = 4 << 10

// ErrSizeLimit is returned when the stream was longer than the daemon's
// StreamMaxLength: the file was not scanned.
var ErrSizeLimit = errors.New("clamd: INSTREAM size limit exceeded")

// Result is the verdict on one stream.
type Result struct {
	// Infected is true when a signature matched.
	Infected bool
	// Signature names what was found ("Eicar-Signature.UNOFFICIAL"); empty
	// when clean.
	Signature string
}

// Client talks to one clamd. The zero value is not usable: use New.
type Client struct {
	network string
	address string
	// ChunkSize is the size of the INSTREAM chunks; DefaultChunkSize when 0.
	ChunkSize int
	// Timeout bounds one command when the context has no deadline;
	// DefaultTimeout when 0.
	Timeout time.Duration
}

// New returns a client for the daemon at addr, one of:
//
//	unix:/run/clamav/clamd.ctl   unix:///run/clamav/clamd.ctl   /run/clamav/clamd.ctl
//	tcp://127.0.0.1:3310         tcp:127.0.0.1:3310             127.0.0.1:3310
func New(addr string) (*Client, error) {
	network, address, err := parseAddress(addr)
	if err != nil {
		return nil, err
	}
	return &Client{network: network, address: address}, nil
}

func parseAddress(addr string) (network, address string, err error) {
	addr = strings.TrimSpace(addr)
	switch {
	case addr == "":
		return "", "", errors.New("clamd: empty address; expected unix:/path/to/clamd.ctl or tcp://host:port")
	case strings.HasPrefix(addr, "unix://"):
		network, address = "unix", strings.TrimPrefix(addr, "unix://")
	case strings.HasPrefix(addr, "unix:"):
		network, address = "unix", strings.TrimPrefix(addr, "unix:")
	case strings.HasPrefix(addr, "/"):
		network, address = "unix", addr
	case strings.HasPrefix(addr, "tcp://"):
		network, address = "tcp", strings.TrimPrefix(addr, "tcp://")
	case strings.HasPrefix(addr, "tcp:"):
		network, address = "tcp", strings.TrimPrefix(addr, "tcp:")
	default:
		network, address = "tcp", addr
	}
	if network == "tcp" {
		if _, _, err := net.SplitHostPort(address); err != nil {
			return "", "", fmt.Errorf("clamd: address %q: %w; expected tcp://host:port", addr, err)
		}
	}
	if network == "unix" && address == "" {
		return "", "", fmt.Errorf("clamd: address %q has no socket path", addr)
	}
	return network, address, nil
}

// String returns the address in the form New accepts.
func (c *Client) String() string {
	if c.network == "unix" {
		return "unix:" + c.address
	}
	return "tcp://" + c.address
}

// Ping asks the daemon whether it is up.
func (c *Client) Ping(ctx context.Context) error {
	conn, stop, err := c.dial(ctx)
	if err != nil {
		return err
	}
	defer stop()
	if _, err := conn.Write([]byte("zPING\x00")); err != nil {
		return fmt.Errorf("clamd: send PING: %w", err)
	}
	reply, err := readReply(conn)
	if err != nil {
		return fmt.Errorf("clamd: read PING reply: %w", err)
	}
	if reply != "PONG" {
		return fmt.Errorf("clamd: unexpected PING reply %q", reply)
	}
	return nil
}

// Scan streams r to the daemon and returns its verdict. An error means the
// stream was not (completely) scanned; the caller must then treat the file
// as unscanned. ErrSizeLimit is returned (wrapped) when the daemon refused
// the stream's length.
func (c *Client) Scan(ctx context.Context, r io.Reader) (Result, error) {
	conn, stop, err := c.dial(ctx)
	if err != nil {
		return Result{}, err
	}
	defer stop()

	// The daemon may answer before the stream ends (size limit, or an
	// error of its own) and close the connection; read the reply
	// concurrently so that it is not lost in a failed write.
	answered := make(chan answer, 1)
	go func() {
		text, err := readReply(conn)
		answered <- answer{text, err}
	}()

	var a answer
	switch err := c.send(conn, r, answered); {
	case err == nil:
		select {
		case a = <-answered:
		case <-ctx.Done():
			return Result{}, fmt.Errorf("clamd: waiting for verdict: %w", ctx.Err())
		}
	case errors.As(err, &a):
		// The daemon answered while the stream was still being sent.
	case errors.Is(err, errRead):
		return Result{}, err
	default:
		// The write failed: the daemon may have answered and closed.
		// Wait briefly for that answer before reporting the write.
		select {
		case a = <-answered:
			if a.err != nil {
				return Result{}, fmt.Errorf("clamd: send stream: %w", err)
			}
		case <-time.After(time.Second):
			return Result{}, fmt.Errorf("clamd: send stream: %w", err)
		}
	}
	if a.err != nil {
		return Result{}, fmt.Errorf("clamd: read verdict: %w", a.err)
	}
	return parseVerdict(a.text)
}

// errRead marks a failure to read the stream being scanned (not a clamd
// failure).
var errRead = errors.New("reading the stream to scan")

// answer is the daemon's reply to a command. As an error it stands for a
// reply that arrived while the stream was still being sent.
type answer struct {
	text string
	err  error
}

func (answer) Error() string { return "clamd answered before the end of the stream" }

// send writes the INSTREAM command, r in chunks, and the terminator. It stops
// when the daemon answers early, returning that answer as the error.
func (c *Client) send(conn net.Conn, r io.Reader, answered <-chan answer) error {
	if _, err := conn.Write([]byte("zINSTREAM\x00")); err != nil {
		return err
	}
	size := c.ChunkSize
	if size <= 0 {
		size = DefaultChunkSize
	}
	buf := make([]byte, 4+size)
	for {
		select {
		case a := <-answered:
			return a
		default:
		}
		n, rerr := io.ReadFull(r, buf[4:])
		if n > 0 {
			binary.BigEndian.PutUint32(buf[:4], uint32(n))
			if _, err := conn.Write(buf[:4+n]); err != nil {
				return err
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("clamd: %w: %w", errRead, rerr)
		}
	}
	_, err := conn.Write([]byte{0, 0, 0, 0})
	return err
}

// dial connects and arranges for the connection to close when ctx ends or
// the timeout passes. stop releases both.
func (c *Client) dial(ctx context.Context) (net.Conn, func(), error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	var d net.Dialer
	dctx, cancel := context.WithDeadline(ctx, deadline)
	conn, err := d.DialContext(dctx, c.network, c.address)
	cancel()
	if err != nil {
		return nil, nil, fmt.Errorf("clamd: connect to %s: %w", c, err)
	}
	if err := conn.SetDeadline(deadline); err != nil {
		_ = conn.Close()
		return nil, nil, fmt.Errorf("clamd: %w", err)
	}
	unwatch := context.AfterFunc(ctx, func() { _ = conn.Close() })
	return conn, func() { unwatch(); _ = conn.Close() }, nil
}

// readReply reads one NUL-terminated (or connection-terminated) reply.
func readReply(r io.Reader) (string, error) {
	var b bytes.Buffer
	buf := make([]byte, 256)
	for b.Len() <= maxReply {
		n, err := r.Read(buf)
		b.Write(buf[:n])
		if i := bytes.IndexByte(b.Bytes(), 0); i >= 0 {
			return strings.TrimSpace(string(b.Bytes()[:i])), nil
		}
		if err == io.EOF {
			if b.Len() == 0 {
				return "", errors.New("connection closed without a reply")
			}
			return strings.TrimSpace(b.String()), nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("reply longer than %d bytes", maxReply)
}

// parseVerdict reads a reply to INSTREAM.
func parseVerdict(reply string) (Result, error) {
	if strings.Contains(reply, "size limit exceeded") {
		return Result{}, fmt.Errorf("%w: %q", ErrSizeLimit, reply)
	}
	// Replies may carry a request number ("1: stream: OK") in IDSESSION
	// mode; strip anything before "stream:".
	if i := strings.Index(reply, "stream:"); i >= 0 {
		rest := strings.TrimSpace(reply[i+len("stream:"):])
		switch {
		case rest == "OK":
			return Result{}, nil
		case strings.HasSuffix(rest, " FOUND"):
			sig := strings.TrimSpace(strings.TrimSuffix(rest, " FOUND"))
			if sig == "" {
				sig = "unknown"
			}
			return Result{Infected: true, Signature: sig}, nil
		case strings.HasSuffix(rest, " ERROR"):
			return Result{}, fmt.Errorf("clamd: scan error: %s", strings.TrimSuffix(rest, " ERROR"))
		}
	}
	return Result{}, fmt.Errorf("clamd: unexpected reply %q", reply)
}
