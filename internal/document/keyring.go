package document

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
)

// MasterKeySize is the size of a master key: AES-256.
const MasterKeySize = 32

// keyIDPattern limits key ids to what fits a header byte and a config line.
var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Keyring holds the master keys that wrap the per-file data keys. New files
// are wrapped with the current key; files wrapped with an older key still
// open while that key is in the ring, and Store.Rewrap moves them to the
// current one. Rotation: add a new key as current, keep the old one, run
// Store.RewrapAll, then drop the old key.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
}

// NewKeyring returns a keyring with the given 32-byte keys by id; current
// names the key that wraps new files.
func NewKeyring(current string, keys map[string][]byte) (*Keyring, error) {
	k := &Keyring{current: current, aeads: make(map[string]cipher.AEAD, len(keys))}
	for id, key := range keys {
		if !keyIDPattern.MatchString(id) {
			return nil, apperr.New(apperr.Invalid, "document key id %q: use 1 to 64 letters, digits, '.', '_' or '-'", id)
		}
		if len(key) != MasterKeySize {
			return nil, apperr.New(apperr.Invalid, "document key %q is %d bytes; a master key is %d random bytes (base64: openssl rand -base64 32)", id, len(key), MasterKeySize)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		k.aeads[id] = aead
	}
	if _, ok := k.aeads[current]; !ok {
		return nil, apperr.New(apperr.Invalid, "the current document key %q is not among the keys given", current)
	}
	return k, nil
}

// ParseKeyring reads keys from configuration: "id:base64key" entries
// separated by commas (or whitespace); the first is current. For example
// GEGROND_DOCUMENT_KEYS="2026b:q83v...=,2026a:Zm9v...=".
func ParseKeyring(spec string) (*Keyring, error) {
	fields := strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
	if len(fields) == 0 {
		return nil, apperr.New(apperr.Invalid, "no document keys configured; expected id:base64key[,id:base64key...] with a 32-byte key (openssl rand -base64 32)")
	}
	keys := make(map[string][]byte, len(fields))
	current := ""
	for _, f := range fields {
		id, b64, ok := strings.Cut(f, ":")
		if !ok {
			return nil, apperr.New(apperr.Invalid, "document key entry without id; expected id:base64key")
		}
		key, err := decodeKey(b64)
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "document key %q is not base64", id)
		}
		if _, dup := keys[id]; dup {
			return nil, apperr.New(apperr.Invalid, "document key id %q is listed twice", id)
		}
		keys[id] = key
		if current == "" {
			current = id
		}
	}
	return NewKeyring(current, keys)
}

func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("not base64")
}

// Current returns the id of the key that wraps new files.
func (k *Keyring) Current() string { return k.current }

// aead returns the key with id, or an error naming the missing id.
func (k *Keyring) aead(id string) (cipher.AEAD, error) {
	a, ok := k.aeads[id]
	if !ok {
		return nil, fmt.Errorf("%w: the file was wrapped with master key %q, which is not configured", ErrUnknownKey, id)
	}
	return a, nil
}
