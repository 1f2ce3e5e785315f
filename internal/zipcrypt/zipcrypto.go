package zipcrypt

import (
	"hash/crc32"
	"io"
)

// zipCryptoHeaderLen is the length of the encryption header that starts a
// ZipCrypto entry's data: 11 random bytes and a check byte.
const zipCryptoHeaderLen = 12

// zipCryptoKeys is the state of traditional PKWARE encryption (APPNOTE.TXT
// 6.1).
type zipCryptoKeys [3]uint32

func newZipCryptoKeys(password string) *zipCryptoKeys {
	k := &zipCryptoKeys{0x12345678, 0x23456789, 0x34567890}
	for i := 0; i < len(password); i++ {
		k.update(password[i])
	}
	return k
}

func crc32Byte(crc uint32, b byte) uint32 {
	return crc32.IEEETable[byte(crc)^b] ^ crc>>8
}

func (k *zipCryptoKeys) update(b byte) {
	k[0] = crc32Byte(k[0], b)
	k[1] = (k[1]+k[0]&0xff)*134775813 + 1
	k[2] = crc32Byte(k[2], byte(k[1]>>24))
}

// decrypt decrypts p in place.
func (k *zipCryptoKeys) decrypt(p []byte) {
	for i, c := range p {
		t := k[2] | 2
		b := c ^ byte(t*(t^1)>>8)
		k.update(b)
		p[i] = b
	}
}

// openZipCrypto reads the encryption header from r, checks its last byte
// against check and returns a reader of the decrypted data. One wrong
// password in 256 passes this check; the CRC-32 catches it at the end.
func openZipCrypto(r io.Reader, name, password string, check byte) (io.Reader, error) {
	k := newZipCryptoKeys(password)
	var head [zipCryptoHeaderLen]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, readError(name, err)
	}
	k.decrypt(head[:])
	if head[zipCryptoHeaderLen-1] != check {
		return nil, wrongPassword(name, password)
	}
	return &zipCryptoReader{r: r, keys: k}, nil
}

// zipCryptoReader decrypts traditional PKWARE encryption.
type zipCryptoReader struct {
	r    io.Reader
	keys *zipCryptoKeys
}

// Read reads and decrypts.
func (z *zipCryptoReader) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	z.keys.decrypt(p[:n])
	return n, err
}
