package zipcrypt

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"io"
)

// WinZip AES (AE-1, AE-2): the entry's data is salt | password verifier |
// ciphertext | authentication code.
const (
	aesIterations  = 1000 // PBKDF2-HMAC-SHA1 rounds
	aesVerifierLen = 2
	aesMACLen      = 10 // HMAC-SHA1 over the ciphertext, truncated
	ctrStreamLen   = 64 * aes.BlockSize
)

// aesKeys derives the AES key, the HMAC key and the password verifier from
// password and salt.
func aesKeys(password string, salt []byte, keyLen int) (key, macKey, verifier []byte, err error) {
	dk, err := pbkdf2.Key(sha1.New, password, salt, aesIterations, 2*keyLen+aesVerifierLen)
	if err != nil {
		return nil, nil, nil, err
	}
	return dk[:keyLen], dk[keyLen : 2*keyLen], dk[2*keyLen:], nil
}

// openAES checks password against the entry's verifier and the entry's
// authentication code against its ciphertext, and only then returns a
// reader of the decrypted data. raw holds the entry's data.
func openAES(ctx context.Context, raw *io.SectionReader, name, password string, keyLen int) (io.Reader, error) {
	saltLen := keyLen / 2
	dataLen := raw.Size() - int64(saltLen) - aesVerifierLen - aesMACLen
	if dataLen < 0 {
		return nil, entryError(name, "AES entry too short", ErrCorrupt)
	}
	head := make([]byte, saltLen+aesVerifierLen)
	if _, err := raw.ReadAt(head, 0); err != nil {
		return nil, readError(name, err)
	}
	key, macKey, verifier, err := aesKeys(password, head[:saltLen], keyLen)
	if err != nil {
		return nil, entryError(name, "deriving the key: "+err.Error(), ErrUnsupported)
	}
	if subtle.ConstantTimeCompare(verifier, head[saltLen:]) != 1 {
		return nil, wrongPassword(name, password)
	}

	data := io.NewSectionReader(raw, int64(len(head)), dataLen)
	want := make([]byte, aesMACLen)
	if _, err := raw.ReadAt(want, raw.Size()-aesMACLen); err != nil {
		return nil, readError(name, err)
	}
	mac := hmac.New(sha1.New, macKey)
	if _, err := io.CopyBuffer(mac, ctxReader{ctx, data}, make([]byte, 32<<10)); err != nil {
		return nil, readError(name, err)
	}
	if !hmac.Equal(mac.Sum(nil)[:aesMACLen], want) {
		return nil, entryError(name, "the authentication code does not match the content (rarely: a wrong password that passed the quick check)", ErrCorrupt)
	}

	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if _, err := data.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return &ctrReader{r: data, block: block, pos: ctrStreamLen}, nil
}

// ctrReader decrypts WinZip's AES-CTR: the counter is a little-endian
// integer in the first 8 bytes of the block, starting at 1. (cipher.NewCTR
// counts big-endian over the whole block, so it cannot be used.)
type ctrReader struct {
	r       io.Reader
	block   cipher.Block
	counter uint64
	block16 [aes.BlockSize]byte // the counter block
	stream  [ctrStreamLen]byte  // key stream
	pos     int                 // used bytes of stream
}

// Read reads and decrypts.
func (c *ctrReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for done := 0; done < n; {
		if c.pos == len(c.stream) {
			c.refill()
		}
		k := subtle.XORBytes(p[done:n], p[done:n], c.stream[c.pos:])
		done += k
		c.pos += k
	}
	return n, err
}

// refill computes the next key stream blocks.
func (c *ctrReader) refill() {
	for i := 0; i < len(c.stream); i += aes.BlockSize {
		c.counter++
		binary.LittleEndian.PutUint64(c.block16[:], c.counter)
		c.block.Encrypt(c.stream[i:i+aes.BlockSize], c.block16[:])
	}
	c.pos = 0
}

// ctxReader stops reading when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads unless ctx is done.
func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
