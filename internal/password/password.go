// Package password hashes and checks passwords with argon2id (RFC 9106),
// in the encoding other argon2 tools read:
//
//	$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>
//
// with salt and hash in unpadded standard base64.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters.
type Params struct {
	// Memory is in KiB.
	Memory  uint32
	Time    uint32
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// Default is RFC 9106's second recommended option scaled to a small
// server: 64 MiB, 2 passes, 1 lane. A hash takes some 50 ms on one core,
// which a sign-in can afford and a guesser cannot.
var Default = Params{Memory: 64 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// ErrMismatch is returned by Verify for a wrong password.
var ErrMismatch = errors.New("password: wrong password")

// b64 is the base64 of the PHC string format: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// Hash returns the encoded argon2id hash of pw with Default parameters.
func Hash(pw string) (string, error) { return HashWith(pw, Default) }

// HashWith returns the encoded argon2id hash of pw with the parameters p.
func HashWith(pw string, p Params) (string, error) {
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.SaltLen < 8 || p.KeyLen < 16 {
		return "", fmt.Errorf("password: parameters too weak: %+v", p)
	}
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never returns an error
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify checks pw against an encoded hash. It returns nil on a match,
// ErrMismatch on a wrong password, and another error when the encoded hash
// cannot be read.
func Verify(pw, encoded string) error {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return ErrMismatch
	}
	return nil
}

// NeedsRehash reports whether encoded was made with other parameters than
// Default, so that a sign-in can store a fresh hash.
func NeedsRehash(encoded string) bool {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return true
	}
	return p.Memory != Default.Memory || p.Time != Default.Time || p.Threads != Default.Threads ||
		uint32(len(salt)) != Default.SaltLen || uint32(len(key)) != Default.KeyLen
}

// maxMemory bounds the memory a stored hash may ask Verify to spend (4 GiB),
// so that a damaged or planted hash cannot exhaust the server.
const maxMemory = 4 * 1024 * 1024

func decode(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=...,t=...,p=...", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("password: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("password: unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("password: bad argon2 parameters %q", parts[3])
	}
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > 100 || p.Threads == 0 {
		return p, nil, nil, fmt.Errorf("password: argon2 parameters out of range %q", parts[3])
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, errors.New("password: bad salt")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, errors.New("password: bad hash")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
