package document

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// The encrypted file format (version 1), all integers big-endian:
//
//	magic       6 bytes  "GGDOC" 0x01
//	key id      1 byte length + that many bytes: the master key that wraps
//	prefix      8 bytes  random per file: the first part of every segment nonce
//	wrap nonce 12 bytes  random
//	wrapped    48 bytes  AES-256-GCM(master key, wrap nonce, data key,
//	                     aad = "gegrond-document-v1" | magic | key id | prefix | blob id)
//	segments    each AES-256-GCM(data key, nonce = prefix | uint32 index,
//	                     plaintext of segmentSize bytes (the last 0..segmentSize),
//	                     aad = 1 byte: 1 for the last segment, 0 otherwise)
//
// The data key is random per file, so a segment cannot be moved between
// files; the index in the nonce stops segments being swapped or dropped
// inside a file; the last-segment flag stops truncation at a segment
// boundary and appending; the blob id in the wrapping AAD stops a file
// being renamed to another id. A file of n plaintext bytes has
// max(1, ceil(n/segmentSize)) segments: an empty file is one empty last
// segment.
const (
	segmentSize   = 64 << 10
	tagSize       = 16
	prefixSize    = 8
	wrapNonceSize = 12
	dataKeySize   = 32
	wrappedSize   = dataKeySize + tagSize
	maxSegments   = 1 << 32
)

var magic = []byte("GGDOC\x01")

// ErrTampered is returned (wrapped) when an encrypted file fails
// authentication: it was changed, truncated, reordered, damaged, or renamed
// to another id. It must be treated as a security event, never retried away.
var ErrTampered = errors.New("document: encrypted file failed authentication (tampered with or damaged)")

// ErrUnknownKey is returned (wrapped) when a file names a master key that is
// not in the keyring.
var ErrUnknownKey = errors.New("document: unknown master key")

// header is the plaintext head of an encrypted file.
type header struct {
	keyID     string
	prefix    [prefixSize]byte
	wrapNonce [wrapNonceSize]byte
	wrapped   [wrappedSize]byte
}

func (h *header) len() int64 {
	return int64(len(magic) + 1 + len(h.keyID) + prefixSize + wrapNonceSize + wrappedSize)
}

func (h *header) encode() []byte {
	b := make([]byte, 0, h.len())
	b = append(b, magic...)
	b = append(b, byte(len(h.keyID)))
	b = append(b, h.keyID...)
	b = append(b, h.prefix[:]...)
	b = append(b, h.wrapNonce[:]...)
	b = append(b, h.wrapped[:]...)
	return b
}

// aad binds the wrapped key to the header and to the blob's id.
func (h *header) aad(blobID string) []byte {
	b := []byte("gegrond-document-v1")
	b = append(b, magic...)
	b = append(b, byte(len(h.keyID)))
	b = append(b, h.keyID...)
	b = append(b, h.prefix[:]...)
	return append(b, blobID...)
}

// readHeader reads and parses the header at the start of r.
func readHeader(r io.ReaderAt) (*header, error) {
	fixed := make([]byte, len(magic)+1)
	if _, err := r.ReadAt(fixed, 0); err != nil {
		return nil, fmt.Errorf("%w: short header: %v", ErrTampered, err)
	}
	if string(fixed[:len(magic)]) != string(magic) {
		return nil, fmt.Errorf("%w: not a Gegrond document file (bad magic)", ErrTampered)
	}
	h := &header{}
	idLen := int(fixed[len(magic)])
	rest := make([]byte, idLen+prefixSize+wrapNonceSize+wrappedSize)
	if _, err := r.ReadAt(rest, int64(len(fixed))); err != nil {
		return nil, fmt.Errorf("%w: short header: %v", ErrTampered, err)
	}
	h.keyID = string(rest[:idLen])
	rest = rest[idLen:]
	copy(h.prefix[:], rest[:prefixSize])
	rest = rest[prefixSize:]
	copy(h.wrapNonce[:], rest[:wrapNonceSize])
	copy(h.wrapped[:], rest[wrapNonceSize:])
	return h, nil
}

// newHeader makes a random data key and prefix and wraps the key with the
// keyring's current master key for blobID.
func newHeader(keys *Keyring, blobID string) (*header, cipher.AEAD, error) {
	dataKey := make([]byte, dataKeySize)
	if _, err := rand.Read(dataKey); err != nil {
		return nil, nil, err
	}
	h := &header{keyID: keys.Current()}
	if _, err := rand.Read(h.prefix[:]); err != nil {
		return nil, nil, err
	}
	if err := h.wrap(keys, dataKey, blobID); err != nil {
		return nil, nil, err
	}
	aead, err := newAEAD(dataKey)
	clear(dataKey)
	return h, aead, err
}

// wrap seals dataKey with the current master key into h (setting its key
// id and a fresh wrap nonce).
func (h *header) wrap(keys *Keyring, dataKey []byte, blobID string) error {
	master, err := keys.aead(keys.Current())
	if err != nil {
		return err
	}
	h.keyID = keys.Current()
	if _, err := rand.Read(h.wrapNonce[:]); err != nil {
		return err
	}
	master.Seal(h.wrapped[:0], h.wrapNonce[:], dataKey, h.aad(blobID))
	return nil
}

// unwrap returns the data key of h.
func (h *header) unwrap(keys *Keyring, blobID string) ([]byte, error) {
	master, err := keys.aead(h.keyID)
	if err != nil {
		return nil, err
	}
	dataKey, err := master.Open(nil, h.wrapNonce[:], h.wrapped[:], h.aad(blobID))
	if err != nil {
		return nil, fmt.Errorf("%w: the data key does not unwrap (wrong file for this id, or header changed)", ErrTampered)
	}
	return dataKey, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func segmentNonce(nonce *[12]byte, prefix *[prefixSize]byte, index int64) {
	copy(nonce[:prefixSize], prefix[:])
	binary.BigEndian.PutUint32(nonce[prefixSize:], uint32(index))
}

func segmentAAD(last bool) []byte {
	if last {
		return []byte{1}
	}
	return []byte{0}
}

// sealer encrypts a stream into segments. Close seals the last segment; it
// must be called for a complete file.
type sealer struct {
	w      io.Writer
	aead   cipher.AEAD
	prefix [prefixSize]byte
	index  int64
	buf    []byte // plaintext of the segment being filled
	out    []byte // ciphertext buffer
	nonce  [12]byte
	closed bool
}

func newSealer(w io.Writer, aead cipher.AEAD, prefix [prefixSize]byte) *sealer {
	return &sealer{
		w:      w,
		aead:   aead,
		prefix: prefix,
		buf:    make([]byte, 0, segmentSize),
		out:    make([]byte, 0, segmentSize+tagSize),
	}
}

// Write buffers p, sealing each full segment once more data follows it (a
// full segment may turn out to be the last one).
func (s *sealer) Write(p []byte) (int, error) {
	if s.closed {
		return 0, errors.New("document: write after close")
	}
	written := 0
	for len(p) > 0 {
		if len(s.buf) == segmentSize {
			if err := s.seal(false); err != nil {
				return written, err
			}
		}
		n := copy(s.buf[len(s.buf):segmentSize], p)
		s.buf = s.buf[:len(s.buf)+n]
		p = p[n:]
		written += n
	}
	return written, nil
}

// Close seals the buffered data as the last segment.
func (s *sealer) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.seal(true)
}

func (s *sealer) seal(last bool) error {
	if s.index >= maxSegments {
		return errors.New("document: file too large for the encrypted format")
	}
	segmentNonce(&s.nonce, &s.prefix, s.index)
	s.out = s.aead.Seal(s.out[:0], s.nonce[:], s.buf, segmentAAD(last))
	if _, err := s.w.Write(s.out); err != nil {
		return err
	}
	s.index++
	s.buf = s.buf[:0]
	return nil
}

// opener decrypts an encrypted file with random access. It keeps one
// decrypted segment; it is safe for concurrent ReadAt.
type opener struct {
	r        io.ReaderAt
	aead     cipher.AEAD
	prefix   [prefixSize]byte
	base     int64 // offset of the first segment
	segments int64
	lastCT   int64 // ciphertext length of the last segment
	size     int64 // plaintext size

	mu     sync.Mutex
	cached int64
	plain  []byte
	ct     []byte
	nonce  [12]byte
}

// newOpener checks the geometry of a file of fileSize bytes whose segments
// start at base, and authenticates its last segment at once, so that a
// truncated or extended file fails when opened, not halfway a download.
func newOpener(r io.ReaderAt, fileSize int64, aead cipher.AEAD, prefix [prefixSize]byte, base int64) (*opener, error) {
	body := fileSize - base
	if body < tagSize {
		return nil, fmt.Errorf("%w: file shorter than its first segment", ErrTampered)
	}
	const full = segmentSize + tagSize
	segments := (body + full - 1) / full
	lastCT := body - (segments-1)*full
	if lastCT < tagSize || segments > maxSegments {
		return nil, fmt.Errorf("%w: file length does not match its segments", ErrTampered)
	}
	o := &opener{
		r: r, aead: aead, prefix: prefix, base: base,
		segments: segments, lastCT: lastCT,
		size:   body - segments*tagSize,
		cached: -1,
		plain:  make([]byte, 0, segmentSize),
		ct:     make([]byte, full),
	}
	o.mu.Lock()
	_, err := o.segment(segments - 1)
	o.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return o, nil
}

// segment returns the plaintext of segment i; o.mu must be held.
func (o *opener) segment(i int64) ([]byte, error) {
	if i == o.cached {
		return o.plain, nil
	}
	const full = segmentSize + tagSize
	n := int64(full)
	last := i == o.segments-1
	if last {
		n = o.lastCT
	}
	ct := o.ct[:n]
	if _, err := o.r.ReadAt(ct, o.base+i*full); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: segment %d cut short", ErrTampered, i)
		}
		return nil, err
	}
	segmentNonce(&o.nonce, &o.prefix, i)
	plain, err := o.aead.Open(o.plain[:0], o.nonce[:], ct, segmentAAD(last))
	if err != nil {
		o.cached = -1
		return nil, fmt.Errorf("%w: segment %d of %d", ErrTampered, i, o.segments)
	}
	o.plain, o.cached = plain, i
	return plain, nil
}

// ReadAt reads plaintext at off.
func (o *opener) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("document: negative offset")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for n < len(p) {
		if off >= o.size {
			return n, io.EOF
		}
		seg, err := o.segment(off / segmentSize)
		if err != nil {
			return n, err
		}
		c := copy(p[n:], seg[off%segmentSize:])
		n += c
		off += int64(c)
	}
	return n, nil
}

// Size returns the plaintext size.
func (o *opener) Size() int64 { return o.size }
