package document

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/gabriel-vasile/mimetype"

	"github.com/gegrond/gegrond/internal/apperr"
)

// headSize is how much of the start of a file is kept for type detection:
// what mimetype reads by default.
const headSize = 4096

// idPattern is the form of a blob id: 128 random bits in hex. Open and
// Delete refuse anything else, so an id can never name a path.
var idPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// tmpDir is the store's subdirectory for files being written.
const tmpDir = "tmp"

// Store keeps encrypted files in a local directory, outside any web root,
// under server-generated random names. A file is written to tmp/, synced,
// and renamed to its final name only when complete, so a crash never leaves
// a partial file under a final name; Sweep removes what a crash leaves in
// tmp/ and files that no document row references.
type Store struct {
	dir  string
	keys *Keyring
	// mu orders Rewrap against Delete within this process, so a rewrap
	// cannot bring a deleted file back.
	mu sync.Mutex
}

// Blob describes a stored file.
type Blob struct {
	// ID is the opaque, server-generated name of the file in the store.
	ID string
	// Name is the original file name, sanitised (see SanitizeName); it is
	// metadata only and never used as a path.
	Name string
	// MIME is the type detected from the content.
	MIME string
	// Size is the plaintext size in bytes.
	Size int64
	// SHA256 is the hex SHA-256 of the plaintext.
	SHA256 string
}

// NewStore opens (creating if needed) a store in dir. The directory is
// created with mode 0700; it must not be served by any web server.
func NewStore(dir string, keys *Keyring) (*Store, error) {
	if dir == "" {
		return nil, apperr.New(apperr.Invalid, "no document directory configured")
	}
	if keys == nil {
		return nil, apperr.New(apperr.Invalid, "no document keys configured")
	}
	if err := os.MkdirAll(filepath.Join(dir, tmpDir), 0o700); err != nil {
		return nil, fmt.Errorf("document store: %w", err)
	}
	return &Store{dir: dir, keys: keys}, nil
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// TempDir returns the store's directory for unfinished files, on the same
// file system as the store; Sweep clears old files from it.
func (s *Store) TempDir() string { return filepath.Join(s.dir, tmpDir) }

// Put stores everything r yields as a new encrypted file. It does not
// check the content: uploads from outside go through Checker.Accept.
func (s *Store) Put(ctx context.Context, r io.Reader, name string) (Blob, error) {
	p, err := s.create()
	if err != nil {
		return Blob{}, err
	}
	defer p.abort()
	if _, err := io.Copy(p, ctxReader{ctx, r}); err != nil {
		return Blob{}, fmt.Errorf("document store: write: %w", err)
	}
	if err := p.finish(); err != nil {
		return Blob{}, err
	}
	if err := p.commit(); err != nil {
		return Blob{}, err
	}
	return p.blob(SanitizeName(name), mimetype.Detect(p.head).String()), nil
}

// Open returns a decrypting reader for the file id. A file that fails
// authentication returns an error wrapping ErrTampered, at Open (header,
// length, last segment) or at the read of the damaged segment; an unknown
// id returns a not_found error.
func (s *Store) Open(id string) (*Reader, error) {
	path, err := s.path(id)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, apperr.New(apperr.NotFound, "document file %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("document store: %w", err)
	}
	o, err := s.openFile(f, id)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("document %s: %w", id, err)
	}
	return &Reader{f: f, o: o}, nil
}

func (s *Store) openFile(f *os.File, id string) (*opener, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	h, err := readHeader(f)
	if err != nil {
		return nil, err
	}
	dataKey, err := h.unwrap(s.keys, id)
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(dataKey)
	clear(dataKey)
	if err != nil {
		return nil, err
	}
	return newOpener(f, st.Size(), aead, h.prefix, h.len())
}

// Delete removes the file id. Deleting a file that is not there is not an
// error, so that a retried clean-up succeeds.
func (s *Store) Delete(id string) error {
	path, err := s.path(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("document store: %w", err)
	}
	return syncDir(s.dir)
}

// Sweep removes files that nobody references: every stored file last
// written before cutoff for which keep returns false, and every unfinished
// file in tmp/ (left by a crash) older than cutoff. The cutoff protects
// files whose transaction is still running: pass now minus a grace period
// longer than any transaction (an hour, say). keep is asked once per old
// file; an error from it stops the sweep with nothing more removed. Sweep
// returns the ids it removed, for the log.
func (s *Store) Sweep(ctx context.Context, keep func(id string) (bool, error), cutoff time.Time) ([]string, error) {
	var removed []string
	tmps, err := os.ReadDir(filepath.Join(s.dir, tmpDir))
	if err != nil {
		return nil, fmt.Errorf("document sweep: %w", err)
	}
	for _, e := range tmps {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && info.ModTime().Before(cutoff) {
			if err := os.Remove(filepath.Join(s.dir, tmpDir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return removed, fmt.Errorf("document sweep: %w", err)
			}
		}
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("document sweep: %w", err)
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return removed, err
		}
		id := e.Name()
		if !idPattern.MatchString(id) {
			continue // not ours: never remove what we did not write
		}
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || !info.ModTime().Before(cutoff) {
			continue
		}
		kept, err := keep(id)
		if err != nil {
			return removed, fmt.Errorf("document sweep: asking whether %s is referenced: %w", id, err)
		}
		if kept {
			continue
		}
		if err := s.Delete(id); err != nil {
			return removed, err
		}
		removed = append(removed, id)
	}
	return removed, nil
}

// Rewrap re-wraps the data key of file id with the current master key, if
// another key wrapped it. The encrypted content is copied unchanged. It
// reports whether the file was rewritten.
func (s *Store) Rewrap(id string) (bool, error) {
	path, err := s.path(id)
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, apperr.New(apperr.NotFound, "document file %s not found", id)
	}
	if err != nil {
		return false, fmt.Errorf("document store: %w", err)
	}
	defer f.Close()
	h, err := readHeader(f)
	if err != nil {
		return false, fmt.Errorf("document %s: %w", id, err)
	}
	if h.keyID == s.keys.Current() {
		return false, nil
	}
	dataKey, err := h.unwrap(s.keys, id)
	if err != nil {
		return false, fmt.Errorf("document %s: %w", id, err)
	}
	oldLen := h.len()
	err = h.wrap(s.keys, dataKey, id)
	clear(dataKey)
	if err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Join(s.dir, tmpDir), "rewrap-*.part")
	if err != nil {
		return false, fmt.Errorf("document store: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	defer tmp.Close()
	if _, err := tmp.Write(h.encode()); err != nil {
		return false, fmt.Errorf("document store: %w", err)
	}
	if _, err := io.Copy(tmp, io.NewSectionReader(f, oldLen, 1<<62)); err != nil {
		return false, fmt.Errorf("document store: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return false, fmt.Errorf("document store: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return false, fmt.Errorf("document store: %w", err)
	}
	return true, syncDir(s.dir)
}

// RewrapAll rewraps every file not wrapped with the current master key and
// returns how many it rewrote. After it succeeds, older keys can be
// removed from the configuration.
func (s *Store) RewrapAll(ctx context.Context) (int, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, fmt.Errorf("document store: %w", err)
	}
	n := 0
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if !idPattern.MatchString(e.Name()) {
			continue
		}
		done, err := s.Rewrap(e.Name())
		if apperr.CodeOf(err) == apperr.NotFound {
			continue // deleted meanwhile
		}
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}

// path returns the file path of id, refusing anything that is not an id.
func (s *Store) path(id string) (string, error) {
	if !idPattern.MatchString(id) {
		return "", apperr.New(apperr.NotFound, "document file %q not found", id)
	}
	return filepath.Join(s.dir, id), nil
}

// create starts a new file in tmp/ under a new id.
func (s *Store) create() (*pending, error) {
	id, err := newID()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Join(s.dir, tmpDir), id+"-*.part")
	if err != nil {
		return nil, fmt.Errorf("document store: %w", err)
	}
	p, err := startPending(f, s.keys, id)
	if err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, err
	}
	p.final = filepath.Join(s.dir, id)
	p.durable = true
	return p, nil
}

// newSpool starts an encrypted scratch file in dir under a throwaway key,
// for content that is checked but not kept (Checker.Check, nested
// archives): plaintext from outside is never written to disk.
func newSpool(dir string) (*pending, error) {
	key := make([]byte, MasterKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	keys, err := NewKeyring("spool", map[string][]byte{"spool": key})
	clear(key)
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "gegrond-spool-*.part")
	if err != nil {
		return nil, fmt.Errorf("document spool: %w", err)
	}
	p, err := startPending(f, keys, "")
	if err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, err
	}
	return p, nil
}

func newID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// pending is a file being written: plaintext goes in through Write,
// encrypted to a temporary file, while its size, hash and head are noted.
type pending struct {
	f       *os.File
	id      string
	final   string // final path; empty for a spool
	durable bool   // fsync before commit
	hdr     *header
	aead    cipher.AEAD
	seal    *sealer
	hash    hash.Hash
	size    int64
	head    []byte
	nul     bool // a NUL byte was seen: not text
	done    bool
	kept    bool
}

func startPending(f *os.File, keys *Keyring, id string) (*pending, error) {
	h, aead, err := newHeader(keys, id)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(h.encode()); err != nil {
		return nil, fmt.Errorf("document store: %w", err)
	}
	return &pending{
		f: f, id: id, hdr: h, aead: aead,
		seal: newSealer(f, aead, h.prefix),
		hash: sha256.New(),
		head: make([]byte, 0, headSize),
	}, nil
}

// Write encrypts b into the file.
func (p *pending) Write(b []byte) (int, error) {
	if len(p.head) < headSize {
		p.head = append(p.head, b[:min(len(b), headSize-len(p.head))]...)
	}
	if !p.nul && bytes.IndexByte(b, 0) >= 0 {
		p.nul = true
	}
	p.hash.Write(b)
	n, err := p.seal.Write(b)
	p.size += int64(n)
	return n, err
}

// finish seals the last segment and, for a stored file, syncs it.
func (p *pending) finish() error {
	if err := p.seal.Close(); err != nil {
		return fmt.Errorf("document store: %w", err)
	}
	if p.durable {
		if err := p.f.Sync(); err != nil {
			return fmt.Errorf("document store: sync: %w", err)
		}
	}
	p.done = true
	return nil
}

// opener gives random access to the finished file's plaintext.
func (p *pending) opener() (*opener, error) {
	if !p.done {
		return nil, errors.New("document: file not finished")
	}
	st, err := p.f.Stat()
	if err != nil {
		return nil, err
	}
	return newOpener(p.f, st.Size(), p.aead, p.hdr.prefix, p.hdr.len())
}

// commit moves the finished file to its final name.
func (p *pending) commit() error {
	if !p.done || p.final == "" {
		return errors.New("document: nothing to commit")
	}
	if err := p.f.Close(); err != nil {
		return fmt.Errorf("document store: %w", err)
	}
	if err := os.Rename(p.f.Name(), p.final); err != nil {
		return fmt.Errorf("document store: %w", err)
	}
	p.kept = true
	return syncDir(filepath.Dir(p.final))
}

// abort removes the temporary file unless it was committed. It is safe to
// call more than once.
func (p *pending) abort() {
	if p.kept {
		return
	}
	_ = p.f.Close()
	_ = os.Remove(p.f.Name())
	p.kept = true // nothing left to remove
}

func (p *pending) blob(name, mime string) Blob {
	return Blob{
		ID:     p.id,
		Name:   name,
		MIME:   mime,
		Size:   p.size,
		SHA256: hex.EncodeToString(p.hash.Sum(nil)),
	}
}

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("document store: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("document store: sync directory: %w", err)
	}
	return nil
}

// Reader decrypts a stored file. It is an io.ReadSeeker and io.ReaderAt,
// so http.ServeContent can answer range requests (video) from it; set the
// Content-Type from the document's recorded MIME type first, or
// ServeContent sniffs.
type Reader struct {
	f   *os.File
	o   *opener
	off int64
}

// Read reads plaintext; an error wrapping ErrTampered means the file was
// changed on disk.
func (r *Reader) Read(p []byte) (int, error) {
	n, err := r.o.ReadAt(p, r.off)
	r.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// ReadAt reads plaintext at off.
func (r *Reader) ReadAt(p []byte, off int64) (int, error) { return r.o.ReadAt(p, off) }

// Seek sets the offset of the next Read.
func (r *Reader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.o.size
	default:
		return 0, errors.New("document: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("document: negative position")
	}
	r.off = offset
	return offset, nil
}

// Size returns the plaintext size.
func (r *Reader) Size() int64 { return r.o.size }

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
